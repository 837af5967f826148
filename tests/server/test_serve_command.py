"""`python main.py serve` as a teacher runs it, in a subprocess: the story checked first, the
two addresses printed, a real server on a real port, Ctrl-C stopping it cleanly, and a restart
on the same database going on with the same class."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import httpx2 as httpx

from .conftest import ROOT_DIR, STORIES

FLAT = STORIES / "server_class.yaml"
START_LIMIT = 30  # seconds a start may take on a busy machine (it takes about one)


def serve(*args: str) -> list[str]:
    return [sys.executable, "main.py", "serve", *args]


def run_serve(*args: str) -> subprocess.CompletedProcess:
    """`serve` that is expected to stop at once (a refusal)."""
    return subprocess.run(serve(*args), cwd=ROOT_DIR, capture_output=True, text=True, timeout=60)


def start(*args: str):
    process = subprocess.Popen(
        serve(*args),
        cwd=ROOT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if line.startswith("Data:"):
            return process, lines
    process.kill()
    raise AssertionError(f"no addresses printed: {lines} {process.stderr.read()}")


def stop(process) -> tuple[int, str]:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert "Traceback" not in err, err
    return process.returncode, out


def address(lines, name) -> str:
    return next(line.split(": ", 1)[1] for line in lines if line.startswith(name + ":"))


def test_serve_prints_the_addresses_and_stops_cleanly(tmp_path):
    db = f"sqlite:///{tmp_path}/class.sqlite3"
    args = (str(FLAT), "--host", "127.0.0.1", "--port", "0", "--db", db, "--class-code", "ab12")
    process, lines = start(*args)
    try:
        students, teacher = address(lines, "Students"), address(lines, "Teacher")
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/   class code: ab12", students)
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/teacher/login\?key=[\w-]{32}", teacher)
        base = students.split("   ")[0]
        with httpx.Client(base_url=base) as client:
            page = client.get("/").text
            token = re.search(r'name="csrf" value="([^"]+)"', page)[1]
            page = client.post(
                "/join", data={"csrf": token, "class_code": "AB12"}, follow_redirects=True
            ).text
            token = re.search(r'name="csrf" value="([^"]+)"', page)[1]  # joining: a new cookie
            page = client.post("/note", data={"csrf": token}, follow_redirects=True).text
            page = client.post(
                "/begin", data={"csrf": token, "pronouns": "they"}, follow_redirects=True
            ).text
            step = re.search(r'name="step" value="(\d+)"', page)[1]
            page = client.post(
                "/choose",
                data={"csrf": token, "step": step, "choice": "pay"},
                follow_redirects=True,
            ).text
            assert "You pay. It stings." in page
    finally:
        code, out = stop(process)
    assert code == 0
    assert "Stopped. 1 player and 1 choice are kept in" in out
    process, lines = start(*args)  # the same database: the same class goes on
    try:
        assert "Going on with the same class: 1 player, 1 choice so far." in lines
        key = address(lines, "Teacher").split("key=")[1]
        assert key == teacher.split("key=")[1]  # the teacher's link still works
    finally:
        assert stop(process)[0] == 0


def test_a_broken_story_is_reported_like_validate_and_nothing_serves(tmp_path):
    story = tmp_path / "broken.yaml"
    story.write_text("title: Broken\nstart: nowhere\nscenes:\n  a:\n    text: Hi.\n")
    result = run_serve(str(story), "--port", "0")
    assert result.returncode == 1
    assert re.search(r"broken\.yaml:\d+:\d+: error: ", result.stderr), result.stderr
    assert "Students:" not in result.stdout


def test_a_port_in_use_and_a_bad_database_are_one_line_each(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve(
            str(FLAT),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp_path}/c.sqlite3",
        )
    assert result.returncode == 1
    assert f"the port {port} is in use" in result.stderr and "Traceback" not in result.stderr
    result = run_serve(str(FLAT), "--db", "sqlite:////no/such/dir/x.db")
    assert result.returncode == 1 and "does not exist" in result.stderr


def test_a_short_teacher_password_in_the_classroom_file(tmp_path):
    classroom = tmp_path / "class.yaml"
    classroom.write_text("teacher_password: short\n")
    result = run_serve(str(FLAT), "--classroom", str(classroom))
    assert result.returncode == 1
    assert "class.yaml:1:19: error: 'teacher_password' must be at least 8" in result.stderr


def test_ctrl_c_the_moment_the_addresses_appear_stops_cleanly(tmp_path):
    """Ctrl-C that comes before uvicorn has set its own handlers (it once left a coroutine
    never awaited, and a traceback, behind)."""
    db = f"sqlite:///{tmp_path}/class.sqlite3"
    for _ in range(5):
        process = subprocess.Popen(
            [
                *serve(),
                str(FLAT),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--db",
                db,
            ],
            cwd=ROOT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = process.stdout.readline()
        assert line.startswith("Serving"), line + process.stderr.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
        assert process.returncode == 0 and "Traceback" not in err and "never awaited" not in err
        assert "Stopped. 0 players and 0 choices are kept in" in out
