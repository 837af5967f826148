"""Work done in a forked child process beside this one, for the big jobs of command-line tools
on machines with more than one core.

`can_fork` says whether forking is safe here. `beside(work)` starts `work` (which returns text)
in a child and returns a function that gives its text when this process needs it; if no child
can be started, or the child fails, the work is simply done here instead, so a caller gets the
same text either way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking is safe here: a POSIX system, and no other Python thread that could
    hold a lock the child would need."""
    return hasattr(os, "fork") and threading.active_count() == 1


def child_process(work: Callable[[], None]) -> int | None:
    """Fork; in the child run `work` and leave (never returning). The child's pid here, or
    None when the fork failed."""
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            work()
            code = 0
        finally:
            os._exit(code)
    return pid


def beside(work: Callable[[], str], min_cores: int = 2) -> Callable[[], str]:
    """Start `work` in a child process; the returned function waits for its text."""
    if not can_fork() or cores() < min_cores:
        return work
    reader, writer = os.pipe()

    def in_child() -> None:
        os.close(reader)
        with os.fdopen(writer, "wb") as stream:
            stream.write(work().encode("utf-8"))

    pid = child_process(in_child)
    os.close(writer)
    if pid is None:
        os.close(reader)
        return work

    def result() -> str:
        status = None
        try:
            with os.fdopen(reader, "rb") as stream:
                data = stream.read()
        finally:
            with contextlib.suppress(ChildProcessError):
                _, status = os.waitpid(pid, 0)
        if status is None or os.waitstatus_to_exitcode(status) != 0:
            return work()  # the child failed: do the work here
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return work()

    return result
