"""The class server under a class of simulated students, against a bare app on the same stack.

    python benchmarks/bench_server.py [--students 300] [--think 0.3] [--seconds 120] [--seed 1]
                                      [--no-js]

Starts the real server (`main.py serve --host 127.0.0.1 --port 0 --db sqlite:///TMP/...`) as a
separate process, then runs `--students` simulated students at once, each an asyncio task with
its own HTTP client (benchmarks/lean_http.py: its own cookies, one keep-alive connection, like a
browser, and little CPU, so that the clients do not crowd the server on the shared cores). Each
joins through the real pages (the join page, the content note, the partner page) and plays one
whole random playthrough of the bundled story: it reads the forms off each page (the hidden
fields and the choice buttons), waits a random think time (uniform, `--think` seconds on
average) before every form it sends, presses a random choice, and stops at the ending. By
default it sends the play forms (a choice, undo, the content note, the partner page) as the
pages' script does, with `X-BOP-Fetch: 1`, and expects the next page at once (200, one request
a choice); `--no-js` plays as a browser without JavaScript: every form answered with a 303 to
/play, which it follows (two requests a choice). Joining is a plain form either way. Every
request is bounded by a timeout and the whole run by `--seconds`.

Printed:
- choices a second while the whole class is playing (from the start to the first student's
  ending; after it the class thins out) and over the whole run;
- the latency of every request and of every choice (the POST /choose, and with `--no-js` the
  GET /play it redirects to) as p50 / p95 / p99;
- errors: any status other than the one the page should answer, an unexpected page, a choice
  refused as stale or not offered, a timeout or a dropped connection;
- lost turns: after the run the teacher's records.zip is downloaded and the database read
  (read-only, once the server has stopped), and every choice each student made must be there,
  in order, as that student's turns (the student's code on its pages finds its player);
- the CPU each side used: the clients and the server share this machine's cores;
- the baseline: the same clients, as many at once and paced the same way, send as many GETs to
  a bare Starlette "hello" app served by the same uvicorn settings (engine.server.launch) in a
  process of its own; the server's figures are also printed as ratios to it.

The goal (issue: the class server's capacity): 300 students at once, p95 of a choice at most
100 ms, at least 500 choices a second, no errors, no lost turns. The default think time, 0.3 s,
is the longest at which 300 students ask for that many: at 0.5 s, even answered at once, they
could make only about 430 choices a second while all are playing (three forms to join before
the first choice, and the count ends at the first ending). `--think 0` sends every form at
once instead (a closed loop: it measures the most choices a second the server can take, and
then latency is students / throughput, by Little's law). `--stack pure` makes uvicorn use
asyncio and h11 even when uvloop and httptools are installed, to compare the two.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import io
import json
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.lean_http import HTTPError, LeanClient  # noqa: E402

TIMEOUT = 10.0  # seconds for any one request
RECORDS_TIMEOUT = 120.0  # the records download builds every playthrough's record
START_TIMEOUT = 60.0  # for the server to print its addresses
MAX_PAGES = 500  # pages one student may see: a playthrough that runs on is an error
GOALS = {"students": 300, "p95_ms": 100.0, "choices_per_s": 500.0}

# uvicorn picks uvloop and httptools when they are installed ("auto"): `--stack pure` maps
# "auto" to asyncio and h11 in the served process, before the server starts.
PURE = (
    "import uvicorn.config as c; "
    "c.HTTP_PROTOCOLS['auto'] = c.HTTP_PROTOCOLS['h11']; "
    "c.LOOP_FACTORIES['auto'] = c.LOOP_FACTORIES['asyncio']; "
)
RUN_MAIN = (
    "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
)
HELLO = """
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from engine.server.launch import listen, server_config

async def hello(request):
    return PlainTextResponse("hello")

listener = listen("127.0.0.1", 0)
print(f"Hello: http://127.0.0.1:{listener.getsockname()[1]}/", flush=True)
try:
    uvicorn.Server(server_config(Starlette(routes=[Route("/", hello)]))).run(sockets=[listener])
except KeyboardInterrupt:
    pass
"""

TAG = re.compile(r"<(form|/form|input|button)\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([a-zA-Z_:][-\w:.]*)(?:\s*=\s*"([^"]*)")?')
CODE = re.compile(r'class="who">Your code: <strong>([^<]+)</strong>')


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    choices: list[str] = field(default_factory=list)  # the values of the enabled choice buttons


def forms(page: str) -> dict[str, Form]:
    """The page's forms by action: their hidden and text fields, checked radios, and the values
    of enabled submit buttons named `choice` (a regular expression over the tags: a page of the
    game is parsed in microseconds, so the clients' parsing does not crowd the server)."""
    found: dict[str, Form] = {}
    form = None
    for match in TAG.finditer(page):
        tag = match.group(1).lower()
        if tag == "/form":
            form = None
            continue
        attrs = {k.lower(): html.unescape(v or "") for k, v in ATTRIBUTE.findall(match.group(2))}
        if tag == "form":
            form = found.setdefault(attrs.get("action", ""), Form(attrs.get("action", "")))
        elif form is None:
            continue
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("hidden", "text") or (kind == "radio" and "checked" in attrs):
                form.fields[attrs.get("name", "")] = attrs.get("value", "")
        elif attrs.get("name") == "choice" and "disabled" not in attrs:
            form.choices.append(attrs.get("value", ""))
    return found


class Unexpected(Exception):
    """A page or status the student did not expect: an error of the run."""


@dataclass
class Student:
    number: int
    rng: random.Random
    code: str | None = None
    made: list[str] = field(default_factory=list)  # choice ids the server answered DONE to
    made_at: list[float] = field(default_factory=list)  # perf_counter() when each was answered
    finished_at: float | None = None  # perf_counter() at the ending
    requests: list[float] = field(default_factory=list)  # seconds, every request
    choices: list[float] = field(default_factory=list)  # seconds, POST /choose (+ GET /play)
    error: str | None = None
    finished: bool = False


@dataclass
class Run:
    began: float  # perf_counter() at the start
    seconds: float
    students: list[Student]
    client_cpu: float
    server_cpu: float | None


FETCH = {"X-BOP-Fetch": "1"}  # as static/play.js sends the play forms


async def timed(student: Student, client, method: str, url: str, **kwargs):
    start = time.perf_counter()
    response = await client.request(method, url, **kwargs)
    student.requests.append(time.perf_counter() - start)
    return response


async def think(student: Student, seconds: float) -> None:
    if seconds > 0:
        await asyncio.sleep(student.rng.uniform(0, 2 * seconds))


async def post(student, client, action: str, data: dict, pause: float, expect: str) -> float:
    """Send a form and check its redirect; returns the request's seconds."""
    await think(student, pause)
    response = await timed(student, client, "POST", action, data=data)
    if response.status_code != 303 or response.headers.get("location") != expect:
        raise Unexpected(
            f"POST {action}: {response.status_code} to {response.headers.get('location')!r}"
            + (f" ({_text(response)})" if response.status_code != 303 else "")
        )
    return student.requests[-1]


async def fetched(student, client, action: str, data: dict, pause: float):
    """Send a play form as the pages' script does; the answer must be the next page itself,
    not a stale or refused one. Returns the response."""
    await think(student, pause)
    response = await timed(student, client, "POST", action, data=data, headers=FETCH)
    where = response.headers.get("content-location")
    if response.status_code != 200 or where != "/play":
        raise Unexpected(
            f"POST {action} (fetch): {response.status_code}, page {where!r} ({_text(response)})"
        )
    return response


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())[:160]


async def play(student: Student, client, pause: float, js: bool = True) -> None:
    """Join and play one whole random playthrough through the pages; with `js`, the play
    forms as the pages' script sends them (one request a form), else post, redirect, get."""
    response = await timed(student, client, "GET", "/")
    page = forms(response.text)
    if response.status_code != 200 or "/join" not in page:
        raise Unexpected(f"GET /: {response.status_code}, no join form")
    await post(student, client, "/join", page["/join"].fields, pause, "/play")
    choice_post = None
    response = None  # the page in hand, when a form's answer was the page itself
    for _ in range(MAX_PAGES):
        if response is None:
            response = await timed(student, client, "GET", "/play")
            if choice_post is not None:
                student.choices.append(choice_post + student.requests[-1])
                choice_post = None
            if response.status_code != 200:
                raise Unexpected(f"GET /play: {response.status_code} ({_text(response)})")
        text = response.text
        response = None
        page = forms(text)
        if "/choose" in page:
            if student.code is None:
                found = CODE.search(text)
                student.code = html.unescape(found.group(1)) if found else None
            form = page["/choose"]
            if not form.choices:
                raise Unexpected("a scene with no choice open")
            choice = student.rng.choice(form.choices)
            data = {**form.fields, "choice": choice}
            if js:
                response = await fetched(student, client, "/choose", data, pause)
                student.choices.append(student.requests[-1])
            else:
                choice_post = await post(student, client, "/choose", data, pause, "/play")
            student.made.append(choice)
            student.made_at.append(time.perf_counter())
        elif "/again" in page:
            student.finished = True  # the ending
            student.finished_at = time.perf_counter()
            return
        elif "/note" in page and js:
            response = await fetched(student, client, "/note", page["/note"].fields, pause)
        elif "/note" in page:
            await post(student, client, "/note", page["/note"].fields, pause, "/play")
        elif "/begin" in page and js:
            response = await fetched(student, client, "/begin", page["/begin"].fields, pause)
        elif "/begin" in page:
            await post(student, client, "/begin", page["/begin"].fields, pause, "/play")
        else:
            raise Unexpected(f"GET /play: an unexpected page ({_text(response)})")
    raise Unexpected(f"no ending after {MAX_PAGES} pages")


async def student_task(
    student: Student, client, pause: float, start: asyncio.Event, js: bool = True
) -> None:
    await start.wait()
    await think(student, pause / 2)  # they do not all press at the same instant
    try:
        await play(student, client, pause, js)
    except Unexpected as problem:
        student.error = str(problem)
    except HTTPError as problem:
        student.error = f"{type(problem).__name__}: {problem}"[:200]


async def hello_task(
    student: Student, client, pause: float, count: int, start, every: int = 2
) -> None:
    """GETs of the bare app, paced as a student: a pause before every `every`th request (a
    form, then with post, redirect, get the page it leads to)."""
    await start.wait()
    await think(student, pause / 2)
    try:
        for n in range(count):
            if n % every == 0:
                await think(student, pause)
            response = await timed(student, client, "GET", "/")
            if response.status_code != 200 or response.text != "hello":
                raise Unexpected(f"GET /: {response.status_code}")
        student.finished = True
    except Unexpected as problem:
        student.error = str(problem)
    except HTTPError as problem:
        student.error = f"{type(problem).__name__}: {problem}"[:200]


def new_client(base: str) -> LeanClient:
    return LeanClient(base, TIMEOUT)


async def crowd(base: str, count: int, seed: int, seconds: float, task, pid: int) -> Run:
    """`count` students at once, each running `task`, for at most `seconds`."""
    students = [Student(n, random.Random(f"{seed}-{n}")) for n in range(1, count + 1)]
    clients = [new_client(base) for _ in students]
    start = asyncio.Event()
    tasks = [asyncio.create_task(task(s, c, start)) for s, c in zip(students, clients, strict=True)]
    await asyncio.sleep(0)
    cpu, server_cpu, began = time.process_time(), cpu_seconds(pid), time.perf_counter()
    start.set()
    _done, pending = await asyncio.wait(tasks, timeout=seconds)
    for left in pending:
        left.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    elapsed = time.perf_counter() - began
    cpu, server_end = time.process_time() - cpu, cpu_seconds(pid)
    for student, left in zip(students, tasks, strict=True):
        if left in pending and student.error is None:
            student.error = f"not finished in the run's {seconds:g} s"
    await asyncio.gather(*(client.aclose() for client in clients), return_exceptions=True)
    server = server_end - server_cpu if server_end is not None and server_cpu is not None else None
    return Run(began, elapsed, students, cpu, server)


def cpu_seconds(pid: int) -> float | None:
    """The user and system CPU seconds so far of a process and all its descendants (the
    server's workers), on Linux; None elsewhere."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    try:
        entries = [p for p in Path("/proc").iterdir() if p.name.isdigit()]
    except OSError:
        return None
    for entry in entries:
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    if pid not in times:
        return None
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(times[p] for p in tree)


class Served:
    """A server process started from Python code or main.py, its address read from its
    output, stopped with SIGINT (as Ctrl-C) when done."""

    def __init__(self, command: list[str], folder: Path, name: str):
        self.errors = open(folder / f"{name}.stderr", "w+")  # noqa: SIM115
        env = dict(os.environ, BOP_SAVES_DIR=str(folder), PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            [sys.executable, *command],
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
            cwd=ROOT,
            env=env,
        )
        self.lines: dict[str, str] = {}

    def read_until(self, last: str) -> dict[str, str]:
        deadline = time.monotonic() + START_TIMEOUT
        while last not in self.lines:
            line = self.process.stdout.readline()
            if not line or time.monotonic() > deadline:
                self.stop()
                self.errors.seek(0)
                raise SystemExit(f"the server did not start:\n{self.errors.read()[-3000:]}")
            name, _, value = line.partition(": ")
            self.lines[name.strip()] = value.split()[0] if value.split() else ""
        return self.lines

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> str:
        """Stop it as Ctrl-C does; returns what it printed after."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            rest, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            rest, _ = self.process.communicate()
        self.errors.seek(0)
        problems = self.errors.read()
        self.errors.close()
        if problems.strip():
            print(f"the server wrote to stderr:\n{problems[-3000:]}", file=sys.stderr)
        return rest or ""


async def download_records(teacher: str) -> dict[str, list[str]]:
    """The records.zip the teacher downloads: each record's choice ids by record id."""
    parts = urlsplit(teacher)
    client = LeanClient(f"{parts.scheme}://{parts.netloc}", RECORDS_TIMEOUT)
    try:
        response = await client.get(f"{parts.path}?{parts.query}")  # the key: a cookie, a 303
        if response.status_code != 303:
            raise HTTPError(f"the teacher's link answered {response.status_code}")
        response = await client.get("/teacher/records.zip")
        if response.status_code != 200:
            raise HTTPError(f"records.zip answered {response.status_code}")
    finally:
        await client.aclose()
    found = {}
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            data = json.loads(archive.read(name))
            found[data["id"]] = [step["choice"] for step in data["steps"]]
    return found


def database_turns(path: Path) -> dict[str, tuple[str, list[str]]]:
    """By player code: the record id of the player's playthrough and its choices in order,
    read from the database file read-only."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT players.code, playthroughs.record_id, choices.choice FROM players "
            "JOIN playthroughs ON playthroughs.player_id = players.id "
            "LEFT JOIN choices ON choices.playthrough_id = playthroughs.id "
            "ORDER BY playthroughs.id, choices.number"
        ).fetchall()
    finally:
        connection.close()
    found: dict[str, tuple[str, list[str]]] = {}
    for code, record_id, choice in rows:
        entry = found.setdefault(code, (record_id, []))
        if choice is not None:
            entry[1].append(choice)
    return found


def lost(made: list[str], kept: list[str] | None) -> int:
    """Choices made that are not kept at their place."""
    kept = kept or []
    return sum(1 for n, choice in enumerate(made) if n >= len(kept) or kept[n] != choice)


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 in milliseconds."""
    if len(values) < 2:
        value = values[0] * 1000 if values else float("nan")
        return value, value, value
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def stack_name(stack: str) -> str:
    if stack == "pure":
        return "asyncio + h11 (forced)"
    from importlib.util import find_spec

    loop = "uvloop" if find_spec("uvloop") else "asyncio"
    http = "httptools" if find_spec("httptools") else "h11"
    return f"{loop} + {http}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300, help="students at once")
    parser.add_argument(
        "--think", type=float, default=0.3, help="mean seconds before each form is sent"
    )
    parser.add_argument("--seconds", type=float, default=120.0, help="bound on each run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stack", choices=("auto", "pure"), default="auto")
    parser.add_argument(
        "--no-js",
        action="store_true",
        help="play as a browser without JavaScript: every form answered with a 303 to /play, "
        "which is then fetched (by default the play forms are sent as the pages' script sends "
        "them, X-BOP-Fetch: 1, and answered with the page: one request a choice)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="the server's processes (default: serve's own, one a core up to 4); "
        "`--stack pure` needs 1 (the change is made in the first process only)",
    )
    args = parser.parse_args()
    if args.stack == "pure" and args.workers not in (None, 1):
        parser.error("--stack pure serves with one process: leave out --workers or give 1")
    if args.stack == "pure":
        args.workers = 1
    if not 1 <= args.students <= 2000:
        parser.error("--students must be 1 to 2000")
    if not 0 < args.seconds <= 3600 or not 0 <= args.think <= 60:
        parser.error("--seconds must be up to 3600 and --think up to 60")

    args.load_before = os.getloadavg()[0]
    print(
        f"{args.students} students at once, think {args.think:g} s, seed {args.seed}, "
        f"{'--no-js: post, redirect, get' if args.no_js else 'fetch: one request a choice'}; "
        f"uvicorn on {stack_name(args.stack)}, workers {args.workers or 'as serve chooses'}; "
        f"{os.cpu_count()} cores shared by the clients (this process) and the server"
    )
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        db = folder / "bench.sqlite3"
        command = [str(ROOT / "main.py"), "serve", "--host", "127.0.0.1", "--port", "0"]
        command += ["--db", f"sqlite:///{db}"]
        if args.workers is not None:
            command += ["--workers", str(args.workers)]
        if args.stack == "pure":
            command = ["-c", PURE + RUN_MAIN, *command]
        server = Served(command, folder, "server")
        try:
            lines = server.read_until("Teacher")
            base = lines["Students"].rstrip("/")
            run = asyncio.run(
                crowd(
                    base,
                    args.students,
                    args.seed,
                    args.seconds,
                    lambda s, c, go: student_task(s, c, args.think, go, not args.no_js),
                    server.pid,
                )
            )
            records = asyncio.run(download_records(lines["Teacher"]))
        finally:
            stopped = server.stop()
        kept = database_turns(db)

        per_student = statistics.mean(len(s.requests) for s in run.students) or 1
        hello = Served(["-c", (PURE if args.stack == "pure" else "") + HELLO], folder, "hello")
        try:
            base = hello.read_until("Hello")["Hello"].rstrip("/")
            count = max(1, round(per_student))
            bare = asyncio.run(
                crowd(
                    base,
                    args.students,
                    args.seed,
                    args.seconds,
                    lambda s, c, go: hello_task(
                        s, c, args.think, count, go, 2 if args.no_js else 1
                    ),
                    hello.pid,
                )
            )
        finally:
            hello.stop()

    report(args, run, bare, kept, records, stopped)


def report(args, run: Run, bare: Run, kept, records, stopped: str) -> None:
    students = run.students
    made = sum(len(s.made) for s in students)
    requests = [t for s in students for t in s.requests]
    choices = [t for s in students for t in s.choices]
    errors = [s for s in students if s.error]
    lost_db = lost_zip = unconfirmed = 0
    for student in students:
        if not student.made:
            continue
        record_id, in_db = kept.get(student.code, (None, []))
        lost_db += lost(student.made, in_db)
        lost_zip += lost(student.made, records.get(record_id))
        unconfirmed += max(0, len(in_db) - len(student.made))
    bare_requests = [t for s in bare.students for t in s.requests]
    # While every student is still playing: from the start to the first ending. After it, the
    # class thins out and the rate over the whole run falls with it, whatever the server does.
    first_end = min((s.finished_at for s in students if s.finished_at), default=None)
    full_end = first_end if first_end is not None else run.began + run.seconds
    full_seconds = max(full_end - run.began, 1e-9)
    full_made = sum(1 for s in students for t in s.made_at if t <= full_end)
    rate = full_made / full_seconds
    request_rate = len(requests) / run.seconds
    bare_rate = len(bare_requests) / bare.seconds
    p_req, p_choice = percentiles(requests), percentiles(choices)
    p_bare = percentiles(bare_requests)

    def ms(p: tuple[float, float, float]) -> str:
        return f"{p[0]:7.1f} / {p[1]:7.1f} / {p[2]:7.1f} ms"

    def ratio(p: tuple[float, float, float]) -> str:
        return " / ".join(f"{a / b:5.1f}x" for a, b in zip(p, p_bare, strict=True))

    def cpu(r: Run) -> str:
        server = f"{r.server_cpu / r.seconds:.2f}" if r.server_cpu is not None else "?"
        return f"clients {r.client_cpu / r.seconds:.2f}, server {server} cores"

    def per_request(r: Run) -> tuple[float | None, float]:
        count = sum(len(s.requests) for s in r.students) or 1
        server = 1000 * r.server_cpu / count if r.server_cpu is not None else None
        return server, 1000 * r.client_cpu / count

    finished = sum(s.finished for s in students)
    print(
        f"run: {run.seconds:.2f} s, {finished} of {len(students)} students reached an ending, "
        f"{made:,} choices, {len(requests):,} requests ({cpu(run)})"
    )
    print(
        f"{'choices a second, all playing':34} {rate:9,.1f}   (target >= "
        f"{GOALS['choices_per_s']:g}: {'ok' if rate >= GOALS['choices_per_s'] else 'UNDER TARGET'}"
        f"; the first {full_seconds:.1f} s, until a student reached an ending)"
    )
    print(f"{'choices a second, whole run':34} {made / run.seconds:9,.1f}")
    print(
        f"{'requests a second':34} {request_rate:9,.1f}   "
        f"{request_rate / bare_rate:5.2f}x bare ({bare_rate:,.1f})"
    )
    (server_ms, client_ms), (bare_server_ms, bare_client_ms) = per_request(run), per_request(bare)
    if server_ms is not None and bare_server_ms:
        print(
            f"{'server CPU a request':34} {server_ms:9.2f} ms {server_ms / bare_server_ms:5.1f}x "
            f"bare ({bare_server_ms:.2f} ms)"
        )
    print(f"{'clients CPU a request':34} {client_ms:9.2f} ms (bare app: {bare_client_ms:.2f} ms)")
    print(f"{'latency p50 / p95 / p99':34}")
    what = "  a choice (POST + GET /play)" if args.no_js else "  a choice (one POST, fetch)"
    print(f"{what:34} {ms(p_choice)}   {ratio(p_choice)} bare")
    verdict = "ok" if p_choice[1] <= GOALS["p95_ms"] else "OVER TARGET"
    print(f"{'    (target: p95 <= 100 ms)':34} {verdict}")
    print(f"{'  every request':34} {ms(p_req)}   {ratio(p_req)} bare")
    print(f"{'  bare hello app (baseline)':34} {ms(p_bare)}   ({cpu(bare)})")
    print(f"{'errors':34} {len(errors):9}   (target 0)")
    kinds: dict[str, int] = {}
    for student in errors:
        kinds[student.error] = kinds.get(student.error, 0) + 1
    for text, count in sorted(kinds.items(), key=lambda item: -item[1])[:5]:
        print(f"    {count} x {text}")
    bare_errors = sum(1 for s in bare.students if s.error)
    if bare_errors:
        print(f"    (and {bare_errors} in the baseline run)")
    print(f"{'lost turns, database':34} {lost_db:9}   (target 0)")
    print(f"{'lost turns, records.zip':34} {lost_zip:9}   (target 0)")
    if unconfirmed:
        print(f"{'turns kept but never confirmed':34} {unconfirmed:9}   (a request that failed)")
    goals = (
        args.students >= GOALS["students"]
        and rate >= GOALS["choices_per_s"]
        and p_choice[1] <= GOALS["p95_ms"]
        and not errors
        and not lost_db
        and not lost_zip
    )
    print(f"goal (300 students, p95 <= 100 ms, >= 500 choices/s, 0 errors, 0 lost): {goals}")
    if stopped.strip():
        print(f"server: {stopped.strip().splitlines()[-1]}")
    print(
        f"note: the clients (one Python process) and the server share the machine's "
        f"{os.cpu_count()} cores (load average {args.load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after: other processes count too); compare runs made at "
        "the same time, and the ratios to the bare app run just after."
    )


if __name__ == "__main__":
    main()
