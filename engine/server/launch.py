"""Start the class server: listen, print the addresses, serve until Ctrl-C, stop cleanly."""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
import sys
from typing import TextIO

import uvicorn

from engine.classroom.settings import Classroom
from engine.server.app import Addresses, build_app
from engine.server.classplay import ClassPlay
from engine.server.database import Database
from engine.server.network import public_host
from engine.story.model import Story

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def listen(host: str, port: int, err: TextIO = sys.stderr) -> socket.socket | None:
    """A listening socket, or None with the reason printed."""
    try:
        return socket.create_server(
            (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET
        )
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


def serve(
    story: Story,
    classroom: Classroom,
    database: Database,
    class_code: str | None,
    host: str,
    port: int,
    out: TextIO = sys.stdout,
) -> int:
    """Serve the class until Ctrl-C (or SIGTERM); returns the exit status."""
    listener = listen(host, port)
    if listener is None:
        return 1
    port = listener.getsockname()[1]
    play = ClassPlay(database, story, classroom, class_code)
    base = f"http://{public_host(host)}:{port}"
    addresses = Addresses(f"{base}/", f"{base}/teacher/login?key={play.teacher_secret}")
    app = build_app(play, addresses, classroom.teacher_password)
    joined, made = play.counts()
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
        server_header=False,
    )
    server = uvicorn.Server(config)

    def stop_soon(_signum, _frame) -> None:  # Ctrl-C before uvicorn has its own handlers
        server.should_exit = True

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
        asyncio.run(server.serve(sockets=[listener]))
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
        for number, handler in handlers.items():
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
