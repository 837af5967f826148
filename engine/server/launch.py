"""Start the class server: listen, print the addresses, serve until Ctrl-C, stop cleanly."""

from __future__ import annotations

import errno
import signal
import socket
import sys
from typing import TextIO

import uvicorn
from uvicorn.supervisors import Multiprocess
from uvicorn.supervisors.multiprocess import SIGNALS as SUPERVISOR_SIGNALS

from engine.classroom.settings import Classroom
from engine.server.app import Addresses, build_app
from engine.server.classplay import ClassPlay
from engine.server.coalesce import CoalescingHTTP
from engine.server.database import Database
from engine.server.network import public_host
from engine.server.security import BODY_SECONDS
from engine.server.workers import (
    FACTORY,
    SOCKET_EACH,
    Workers,
    WorkerSettings,
    quiet_collector,
)
from engine.story.model import Story

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def listen(
    host: str, port: int, err: TextIO = sys.stderr, reuse_port: bool = False
) -> socket.socket | None:
    """A listening socket, or None with the reason printed. With `reuse_port`, more sockets
    may listen on the same port (`listen_each`), and the kernel shares connections among them.

    The socket is made again from its file descriptor so that it knows its protocol is TCP
    (`create_server` leaves `proto` 0, and the connections it accepts inherit that): asyncio
    turns Nagle's algorithm off (TCP_NODELAY) only on sockets that say so, and with it on, a
    response written in parts (uvicorn writes the headers, then the body) waited for the
    client's delayed acknowledgement, 40 ms on Linux, before its end was sent."""
    try:
        made = socket.create_server(
            (host, port),
            family=socket.AF_INET6 if ":" in host else socket.AF_INET,
            reuse_port=reuse_port,
        )
        return socket.socket(fileno=made.detach())
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(
                f"serve: the port {port} is in use (is the server running already?): "
                f"try --port {port + 1}",
                file=err,
            )
        else:
            print(
                f"serve: cannot listen on {host} port {port}: {error.strerror or error}",
                file=err,
            )
        return None


def listen_each(
    host: str, port: int, count: int, err: TextIO = sys.stderr
) -> list[socket.socket] | None:
    """`count` sockets listening on one port with SO_REUSEPORT, one for each worker (the
    kernel shares connections among them); None with the reason printed. The port is first
    taken by a plain socket and let go: SO_REUSEPORT alone would let a second server (or the
    workers of one whose supervisor was killed) listen on the same port beside this one and
    take some of the class, where it must be refused as in use."""
    probe = listen(host, port, err)
    if probe is None:
        return None
    port = probe.getsockname()[1]
    probe.close()
    made: list[socket.socket] = []
    for _ in range(count):
        another = listen(host, port, err, reuse_port=True)
        if another is None:
            for listener in made:
                listener.close()
            return None
        made.append(another)
    return made


def server_config(app, **more) -> uvicorn.Config:
    """uvicorn's settings for the class server (benchmarks/bench_server.py serves its baseline
    app with the same). `loop` "auto" takes uvloop when it is installed, and asyncio
    otherwise (`Server.run` is what applies it); the HTTP protocol is uvicorn's "auto" one
    (httptools, else h11) sending each response in one write (`coalesce.CoalescingHTTP`).
    `more`: for workers, the app's factory and their number."""
    return uvicorn.Config(
        app,
        loop="auto",
        http=CoalescingHTTP,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=BODY_SECONDS + 2,  # a request reading its body ends first
        server_header=False,
        **more,
    )


def serve(
    story: Story,
    classroom: Classroom,
    database: Database,
    class_code: str | None,
    host: str,
    port: int,
    out: TextIO = sys.stdout,
    story_path: str | None = None,
    workers: int = 1,
) -> int:
    """Serve the class until Ctrl-C (or SIGTERM); returns the exit status. With `workers` over
    1 (and the story's path), that many processes serve it (engine/server/workers.py)."""
    several = workers > 1 and story_path is not None
    socket_each = several and SOCKET_EACH
    listeners = listen_each(host, port, workers) if socket_each else [listen(host, port)]
    if listeners is None or listeners[0] is None:
        return 1
    listener = listeners[0]
    port = listener.getsockname()[1]
    play = ClassPlay(database, story, classroom, class_code)
    base = f"http://{public_host(host)}:{port}"
    addresses = Addresses(f"{base}/", f"{base}/teacher/login?key={play.teacher_secret}")
    joined, made = play.counts()
    kept: dict = {}
    if several:
        WorkerSettings(
            story_path,
            WorkerSettings.classroom_fields(classroom),
            database.url,
            play.class_id,
            addresses.students,
            addresses.teacher,
        ).to_environment()
        if socket_each:
            supervisor = Workers(server_config(FACTORY, factory=True), listeners)
        else:
            config = server_config(FACTORY, factory=True, workers=workers)
            kept = {number: signal.getsignal(number) for number in SUPERVISOR_SIGNALS}
            supervisor = Multiprocess(config, sockets=[listener])  # it sets handlers for these

        def stop_soon(_signum, _frame) -> None:
            supervisor.should_exit.set()

        run = supervisor.run
    else:
        server = uvicorn.Server(
            server_config(build_app(play, addresses, classroom.teacher_password))
        )

        def stop_soon(_signum, _frame) -> None:  # Ctrl-C before uvicorn has its own handlers
            server.should_exit = True

        def run() -> None:
            quiet_collector()
            server.run(sockets=[listener])

    handlers = {number: signal.signal(number, stop_soon) for number in STOP_SIGNALS}
    try:
        print(f"Serving {story.title!r} to the class (press Ctrl-C to stop).", file=out)
        if play.continued:
            print(
                f"Going on with the same class: {_count(joined, 'player')}, "
                f"{_count(made, 'choice')} so far.",
                file=out,
            )
        code_note = f"   class code: {play.join_code}" if play.join_code else ""
        print(f"Students: {addresses.students}{code_note}", file=out)
        print(f"Teacher: {addresses.teacher}", file=out)
        print(f"Data: {database.url}", file=out)
        out.flush()
        run()
    except KeyboardInterrupt:
        pass
    finally:
        for each in listeners:
            each.close()
        for number, handler in (kept | handlers).items():
            signal.signal(number, handler)
    joined, made = play.counts()
    print(
        f"Stopped. {_count(joined, 'player')} and {_count(made, 'choice')} are kept in "
        f"{database.url}.",
        file=out,
    )
    out.flush()
    return 0


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")
