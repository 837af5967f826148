"""The class server in several processes (`serve --workers N`): every worker on the same
database file, a form sent to two of them at once applied once, every student's choices kept,
and a worker that cannot start stopping the server with one line instead of restarting."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest

from engine.classroom.settings import Classroom
from engine.server.classplay import ClassPlay, Outcome
from engine.server.database import open_database, sqlite_url
from engine.server.workers import (
    SETTINGS_VARIABLE,
    SOCKET_EACH,
    WorkerSettings,
    app_from_environment,
)
from engine.story.loader import load_story
from engine.story.text import Partner

from .conftest import STORIES, Browser
from .test_serve_command import address, serve, start, stop

FLAT = STORIES / "server_class.yaml"


def two_processes(tmp_path: Path) -> tuple[ClassPlay, ClassPlay, list]:
    """Two plays of one class on one file, each with its own engine and its own in-process
    write lock, as two worker processes have: only SQLite's own locking is between them."""
    story = load_story(FLAT)
    url = sqlite_url(tmp_path / "class.sqlite3")
    first_db, second_db = open_database(url), open_database(url)
    first = ClassPlay(first_db, story, Classroom())
    second = ClassPlay(second_db, story, Classroom(), class_id=first.class_id)
    return first, second, [first_db, second_db]


def race(calls) -> list:
    """Run the calls at the same moment, one thread each; their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        except Exception as problem:  # a "database is locked" would be a failure of the test
            return problem

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_processes_sending_the_same_forms_apply_each_once(tmp_path):
    first, second, databases = two_processes(tmp_path)
    try:
        player, _ = first.join("browser-1", None)
        first.note_seen(player)
        player = first.player_for("browser-1")
        # The partner page sent to both at once: it reads, then writes; one begins the play.
        begun = race([lambda p=p: p.begin(player, Partner("Kit")) for p in (first, second) * 4])
        assert sorted(begun, key=str) == [Outcome.DONE] + [Outcome.STALE] * 7, begun
        player = second.player_for("browser-1")
        chosen = race([lambda p=p: p.choose(player, 0, "pay")[0] for p in (first, second) * 4])
        assert sorted(chosen, key=str) == [Outcome.DONE] + [Outcome.STALE] * 7, chosen
        assert first.counts() == second.counts() == (1, 1)
        assert first.view(player).step == second.view(player).step == 1
    finally:
        for database in databases:
            database.close()


def test_a_class_played_through_two_worker_processes_keeps_every_choice(tmp_path):
    process, base, _workers = serve_two_workers(tmp_path)
    made = []
    try:

        def student(number: int) -> int:
            # A new connection for every request, so the two workers take turns with them.
            with httpx.Client(base_url=base, limits=httpx.Limits(max_keepalive_connections=0),
                              timeout=30) as client:  # fmt: skip
                page = client.get("/").text
                token = re.search(r'name="csrf" value="([^"]+)"', page)[1]
                page = client.post("/join", data={"csrf": token}, follow_redirects=True).text
                token = re.search(r'name="csrf" value="([^"]+)"', page)[1]
                page = client.post("/note", data={"csrf": token}, follow_redirects=True).text
                page = client.post("/begin", data={"csrf": token}, follow_redirects=True).text
                count = 0
                while 'action="/choose"' in page:
                    step = re.search(r'name="step" value="(\d+)"', page)[1]
                    choice = re.findall(r'name="choice" value="([^"]+)"(?![^>]*disabled)', page)
                    page = client.post(
                        "/choose",
                        data={"csrf": token, "step": step, "choice": choice[number % len(choice)]},
                        follow_redirects=True,
                    ).text
                    assert "went wrong" not in page
                    count += 1
                return count

        with ThreadPoolExecutor(12) as pool:
            made = list(pool.map(student, range(24)))
    finally:
        code, out = stop(process)
    assert code == 0
    assert all(made), made
    assert f"Stopped. 24 players and {sum(made)} choices are kept in" in out


def serve_two_workers(tmp_path: Path):
    """`serve --workers 2` on a new class: the process, the students' address, the workers."""
    db = f"sqlite:///{tmp_path}/class.sqlite3"
    process, lines = start(str(FLAT), "--host", "127.0.0.1", "--port", "0", "--db", db,
                           "--workers", "2")  # fmt: skip
    try:
        return process, address(lines, "Students"), _two_workers(process.pid)
    except BaseException:
        stop(process)
        raise


def _two_workers(pid: int, gone: int | None = None) -> list[int]:
    """The server's two worker processes, once both are running (the addresses are printed
    before they are spawned), and `gone` is not among them (a worker started again)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        workers = _workers_of(pid)
        if len(workers) == 2 and gone not in workers:
            return workers
        time.sleep(0.05)
    raise AssertionError(f"not two workers after 20 s: {workers}")


def _workers_of(pid: int) -> list[int]:
    """The worker processes of the server (its children that run multiprocessing's spawn)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if int(stat[1]) == pid and "spawn_main" in command:
            found.append(int(entry.name))
    return found


def test_a_worker_that_cannot_start_says_why_in_one_line(tmp_path, monkeypatch, capsys):
    settings = WorkerSettings(
        str(tmp_path / "gone.yaml"),
        WorkerSettings.classroom_fields(Classroom()),
        sqlite_url(tmp_path / "class.sqlite3"),
        1,
        "http://127.0.0.1:1/",
        "http://127.0.0.1:1/teacher/login?key=x",
    )
    monkeypatch.setenv(SETTINGS_VARIABLE, json.dumps(settings.__dict__))
    with pytest.raises(SystemExit) as stopped:
        app_from_environment()
    assert stopped.value.code == 3  # uvicorn's start-up failure: its supervisor stops too
    err = capsys.readouterr().err
    assert err.startswith("serve: a worker of the server could not start:"), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_settings_a_worker_is_given_make_the_same_class(tmp_path, monkeypatch):
    classroom = Classroom(name="7B", records=tmp_path / "records")
    database = open_database(sqlite_url(tmp_path / "class.sqlite3"))
    try:
        play = ClassPlay(database, load_story(FLAT), classroom, "ab12")
        settings = WorkerSettings(
            str(FLAT),
            WorkerSettings.classroom_fields(classroom),
            database.url,
            play.class_id,
            "http://testserver/",
            "http://testserver/teacher/login?key=x",
        )
        monkeypatch.setenv(SETTINGS_VARIABLE, json.dumps(settings.__dict__))
        browser = Browser(app_from_environment())
        browser.get("/")
        browser.submit("/join", class_code="AB12")  # the code the first process was given
        assert browser.has_form("/note"), browser.text
        assert play.counts() == (1, 0)  # the worker's student is in the first process's class
    finally:
        database.close()


def _sockets_by_process(pids: list[int], port: int, state: str) -> dict[int, set[str]]:
    """The TCP sockets on `port` in `state` ("01" established, "0A" listening) each process
    holds, by inode (read from /proc: the sockets among its open files, matched with the
    kernel's table of connections)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                    found.add(fields[9])  # the socket's inode
    held = {}
    for pid in pids:
        inodes = set()
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        held[pid] = inodes & found
    return held


@pytest.mark.skipif(not SOCKET_EACH, reason="one socket a worker where SO_REUSEPORT balances")
def test_connections_that_come_together_are_shared_among_the_workers(tmp_path):
    """Each worker listens on a socket of its own, so a class's connections arriving at once
    are shared out by the kernel (with one socket shared, one worker took 183 of 300 and was
    the limit at full load), and one that dies is started again on its socket."""
    process, base, workers = serve_two_workers(tmp_path)
    clients = []
    try:
        port = int(base.rsplit(":", 1)[1].strip("/"))
        listening = _sockets_by_process(workers, port, "0A")
        assert [len(held) for held in listening.values()] == [1, 1], listening
        assert len(set.union(*listening.values())) == 2, listening  # not one socket shared
        clients = [httpx.Client(base_url=base, timeout=30) for _ in range(60)]
        with ThreadPoolExecutor(30) as pool:  # at once, each keeping its connection open
            assert set(pool.map(lambda c: c.get("/").status_code, clients)) == {200}
        shares = {pid: len(held) for pid, held in _sockets_by_process(workers, port, "01").items()}
        assert sum(shares.values()) == 60, shares
        assert min(shares.values()) >= 15, shares  # an even share is 30 (hashing varies it)

        os.kill(workers[0], signal.SIGKILL)
        _two_workers(process.pid, gone=workers[0])  # started again
        for client in clients:  # the killed worker's connections are gone: each reconnects
            client.close()
        with httpx.Client(base_url=base, limits=httpx.Limits(max_keepalive_connections=0),
                          timeout=30) as client:  # fmt: skip
            assert {client.get("/").status_code for _ in range(40)} == {200}
    finally:
        for client in clients:
            client.close()
        code, out = stop(process)
    assert code == 0 and "Stopped." in out


@pytest.mark.skipif(not SOCKET_EACH, reason="one socket a worker where SO_REUSEPORT balances")
def test_a_second_server_on_the_port_is_refused_and_workers_end_with_their_supervisor(tmp_path):
    """Sockets bound with SO_REUSEPORT would let a second server listen beside the first and
    take part of the class: it is refused as in use, as with one socket. And the workers of a
    supervisor killed outright (no chance to stop them) end too, instead of serving on."""
    process, base, workers = serve_two_workers(tmp_path)
    try:
        port = base.rsplit(":", 1)[1].strip("/")
        second = subprocess.run(
            serve(
                str(FLAT),
                "--host",
                "127.0.0.1",
                "--port",
                port,
                "--workers",
                "2",
                "--db",
                f"sqlite:///{tmp_path}/other.sqlite3",
            ),  # fmt: skip
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1, second.stdout
        assert f"the port {port} is in use" in second.stderr
    finally:
        process.kill()  # SIGKILL: the supervisor cannot stop its workers itself
        process.communicate(timeout=20)
    deadline = time.monotonic() + 20
    while (alive := [pid for pid in workers if _running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in alive:  # left serving: a failure, and nothing may outlive the test
        os.kill(pid, signal.SIGKILL)
    assert alive == [], alive


def _running(pid: int) -> bool:
    """Whether the process is there and not a zombie (an orphan's exit waits for whatever
    adopts it to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
