"""The class server in several processes: what a worker needs to build the same app.

One Python process serves one core's worth of requests; with two or more a teacher's computer
uses its other cores. On Linux each worker listens on a socket of its own, all on one port
(`Workers` starts them and starts again any that dies); elsewhere they share one socket, and
uvicorn's supervisor runs them. Every worker opens the same database: what a student sees is
read from it on each request, a change is stored only if the playthrough is still at the step
the form answers (so two workers never apply one choice twice), and SQLite's write lock, taken
at the start of each writing transaction, keeps writes one at a time across processes.

A worker is a fresh interpreter (spawned, on every platform), so it is given the settings as
JSON in an environment variable and loads the story and the classroom again itself.
"""

from __future__ import annotations

import ctypes
import gc
import json
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from engine.classroom.settings import Classroom
from engine.server.app import Addresses, build_app
from engine.server.classplay import ClassPlay
from engine.server.database import open_database
from engine.story.loader import load_story

SETTINGS_VARIABLE = "BOP_SERVER_WORKER"
FACTORY = "engine.server.workers:app_from_environment"  # uvicorn calls it in each worker
PATH_FIELDS = ("story", "records")  # the Classroom fields that are paths
log = logging.getLogger("engine.server")


@dataclass(frozen=True)
class WorkerSettings:
    story_path: str
    classroom: dict
    database_url: str
    class_id: int  # the class the supervisor opened (or continued) before starting the workers
    students: str
    teacher: str

    def to_environment(self) -> None:
        """Set for the workers the supervisor is about to spawn (they inherit it)."""
        os.environ[SETTINGS_VARIABLE] = json.dumps(asdict(self))

    @staticmethod
    def classroom_fields(classroom: Classroom) -> dict:
        fields = asdict(classroom)
        for name in PATH_FIELDS:
            if fields[name] is not None:
                fields[name] = str(fields[name])
        return fields


def app_from_environment():
    """The class server's app in a worker, from the settings its supervisor left for it. A
    worker that cannot start (the story or the database gone since the check) says why in
    one line and exits with uvicorn's start-up failure, which stops the supervisor too,
    instead of being started again and again."""
    try:
        return _app(WorkerSettings(**json.loads(os.environ[SETTINGS_VARIABLE])))
    except Exception as problem:  # the worker's whole start: any failure ends it the same way
        print(f"serve: a worker of the server could not start: {problem}", file=sys.stderr)
        sys.exit(STARTUP_FAILURE)


def _app(settings: WorkerSettings):
    fields = dict(settings.classroom)
    for name in PATH_FIELDS:
        if fields[name] is not None:
            fields[name] = Path(fields[name])
    classroom = Classroom(**fields)
    story = load_story(settings.story_path)
    database = open_database(settings.database_url)
    play = ClassPlay(database, story, classroom, class_id=settings.class_id)
    addresses = Addresses(settings.students, settings.teacher)
    return build_app(play, addresses, classroom.teacher_password)


def quiet_collector() -> None:
    """Fewer garbage collections while a server process serves (called as it starts): what
    was made before (the modules; in one process, the story and templates too) is frozen out
    of the collector's passes, and the youngest generation is collected after 20,000 new
    objects instead of 700. In one process playing 60 students, the collector took 80-108 ms
    in 185 passes, and 44-48 ms in 6 with this (about 2% of the CPU; docs/performance.md).
    Not in the workers uvicorn's supervisor starts (outside Linux), which have no such hook."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


# Each worker on a listening socket of its own ------------------------------------------------

# Where the kernel shares new connections evenly among sockets bound to one port with
# SO_REUSEPORT (Linux). Elsewhere the workers share one socket (uvicorn's supervisor).
SOCKET_EACH = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
RESTART_PAUSE = 0.5  # seconds between the supervisor's looks at its workers
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


def serve_one(config: uvicorn.Config, listener: socket.socket, supervisor: int) -> None:
    """In a worker process: serve on its own socket until told to stop (SIGINT or SIGTERM:
    uvicorn lets the requests under way finish), or until the supervisor is gone."""
    _end_with(supervisor)
    config.configure_logging()  # not carried over to a spawned process
    quiet_collector()
    uvicorn.Server(config).run(sockets=[listener])


def _end_with(supervisor: int) -> None:
    """Linux: SIGTERM to this worker when its supervisor dies, however it dies (a SIGKILL, the
    memory killer): a worker left behind would go on serving its socket's share of the port
    beside a server started again there."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux's C library
        return
    if os.getppid() != supervisor:  # it died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


class Workers:
    """Worker processes, each accepting connections on a listening socket of its own (all
    bound to the one port with SO_REUSEPORT), so that the kernel gives each a fair share.
    With one socket shared, whichever process woke first took the connections that came
    together: 183 of a class's 300 went to one worker, which was then the limit at full load
    with the other a third idle (docs/performance.md).

    `run` starts one a socket and starts again any that dies on the same socket (its
    connections wait in its queue meanwhile), unless it failed before serving (the app would
    fail the same way every time), which stops them all; setting `should_exit` stops them."""

    def __init__(self, config: uvicorn.Config, listeners: list[socket.socket]):
        self.config = config
        self.listeners = listeners
        self.should_exit = threading.Event()
        self.processes: list = []
        self._spawn = multiprocessing.get_context("spawn")  # as uvicorn: fresh interpreters

    def _start(self, listener: socket.socket):
        process = self._spawn.Process(target=serve_one, args=(self.config, listener, os.getpid()))
        process.start()
        return process

    def run(self) -> None:
        self.processes = [self._start(listener) for listener in self.listeners]
        try:
            while not self.should_exit.wait(RESTART_PAUSE):
                for number, process in enumerate(self.processes):
                    if process.is_alive():
                        continue
                    if process.exitcode == STARTUP_FAILURE:
                        self.should_exit.set()
                        break
                    log.warning("a worker stopped (exit %s): starting it again", process.exitcode)
                    self.processes[number] = self._start(self.listeners[number])
        finally:
            self._stop_all()

    def _stop_all(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn's graceful stop
        for process in self.processes:
            process.join(self.config.timeout_graceful_shutdown + 3)
            if process.is_alive():
                process.kill()
                process.join()
