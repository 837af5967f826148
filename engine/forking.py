"""Work done in a forked child process beside this one, for the big jobs of command-line tools
on machines with more than one core.

`can_fork` says whether forking is safe here. `beside(work)` starts `work` (which returns text)
in a child and returns a `Beside` whose `result()` gives the text when this process needs it; if
no child can be started, or the child fails, the work is simply done here instead, so a caller
gets the same text either way.
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


def child_process(work: Callable[[], None], on_interrupt=signal.SIG_DFL) -> int | None:
    """Fork; in the child run `work` and leave (never returning). The child's pid here, or
    None when the fork failed.

    In the child, Ctrl-C does `on_interrupt`: by default it ends the child (whose parent sees the
    interruption too); SIG_IGN lets the child finish (a write the parent will wait for). Ctrl-C
    is held back over the fork itself, so it never reaches a child still running the parent's
    code.
    """
    masked = hasattr(signal, "pthread_sigmask")
    if masked:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        pid = None
    if pid == 0:
        code = 1
        try:
            signal.signal(signal.SIGINT, on_interrupt)
            if masked:
                signal.pthread_sigmask(signal.SIG_SETMASK, before)
            work()
            code = 0
        finally:
            os._exit(code)
    if masked:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
    return pid


def reap(pid: int, kill: bool = False) -> int | None:
    """Wait for a child to end (killing it first if asked); its wait status, or None when it
    has been waited for already."""
    if kill:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


class Beside:
    """Text being made by a child process: `result()` waits for it (or makes it here if the
    child failed); `cancel()` stops the child when the text is no longer wanted."""

    def __init__(self, work: Callable[[], str], pid: int | None = None,
                 reader: int | None = None):
        self.work = work
        self.pid = pid
        self.reader = reader

    def result(self) -> str:
        if self.pid is None:
            return self.work()
        status = None
        try:
            with os.fdopen(self.reader, "rb") as stream:
                data = stream.read()
        finally:
            status = reap(self.pid)
            self.pid = None
        if status is None or os.waitstatus_to_exitcode(status) != 0:
            return self.work()  # the child failed: do the work here
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return self.work()

    def cancel(self) -> None:
        if self.pid is None:
            return
        with contextlib.suppress(OSError):
            os.close(self.reader)
        reap(self.pid, kill=True)
        self.pid = None


def beside(work: Callable[[], str], min_cores: int = 2) -> Beside:
    """Start `work` in a child process, when forking is safe and there is a core to spare."""
    if not can_fork() or cores() < min_cores:
        return Beside(work)
    reader, writer = os.pipe()

    def in_child() -> None:
        os.close(reader)
        with os.fdopen(writer, "wb") as stream:
            stream.write(work().encode("utf-8"))

    pid = child_process(in_child)
    os.close(writer)
    if pid is None:
        os.close(reader)
        return Beside(work)
    return Beside(work, pid, reader)
