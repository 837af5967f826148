"""The class server's own cost a request, in one process: no HTTP, no clients, no other load.

    python benchmarks/bench_server_app.py [--students 60] [--seed 1] [--profile FILE] [--fetch]

Builds the real app (`engine.server.app.build_app`) on an SQLite file in a temporary folder,
with the bundled story, and calls it as an ASGI server would (a scope, the body, the messages
it sends back), students one after another, each joining through the pages and playing one
random playthrough to its ending. It prints, per kind of request, the process CPU time it took
(`time.process_time`, so other work on the machine counts little) and the SQL statements it
ran (BEGIN, COMMIT and ROLLBACK included), and the size of the saved state at the end.

`bench_server.py` measures the server under a class (HTTP, uvicorn, workers, the clients);
this measures what a request costs the app itself, to compare two versions of the code quickly.
With `--profile FILE`, it profiles the playing (cProfile) and writes the stats there. With
`--fetch`, the play forms are sent as the pages' script sends them (`X-BOP-Fetch: 1`), each
answered with the next page (one request a choice) instead of a redirect and a GET.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402

from benchmarks.bench_server import forms  # noqa: E402
from engine.classroom.settings import Classroom  # noqa: E402
from engine.paths import BUNDLED_STORY  # noqa: E402
from engine.server.app import Addresses, build_app  # noqa: E402
from engine.server.classplay import ClassPlay  # noqa: E402
from engine.server.database import open_database, sqlite_url  # noqa: E402
from engine.story.loader import load_story  # noqa: E402

COOKIE = re.compile(r"^([^=;]+)=([^;]*)")


class Statements:
    """Counts the statements SQLite runs (its trace callback: BEGIN, COMMIT and ROLLBACK
    included, whoever sends them), on every connection the engine opens from now on."""

    def __init__(self, engine):
        self.count = 0
        engine.dispose()  # the pool's connections were opened before the callback was set
        event.listen(engine, "connect", self._trace)

    def _trace(self, dbapi_connection, _record) -> None:
        dbapi_connection.set_trace_callback(self._one)

    def _one(self, _statement) -> None:
        self.count += 1


class Browser:
    """One student's cookies, and the ASGI calls a browser's requests would make."""

    def __init__(self, app):
        self.app = app
        self.cookies: dict[str, str] = {}

    async def call(self, method: str, path: str, form: dict | None = None, fetch=False):
        body = urlencode(form).encode() if form is not None else b""
        headers = [(b"host", b"testserver")] + ([(b"x-bop-fetch", b"1")] if fetch else [])
        if self.cookies:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers.append((b"cookie", cookie.encode()))
        if form is not None:
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
            headers.append((b"content-length", str(len(body)).encode()))
        target, _, query = path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": target,
            "raw_path": target.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        sent = False
        messages = []

        async def receive():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)

        async def send(message):
            messages.append(message)

        await self.app(scope, receive, send)
        start = messages[0]
        out = {}
        for name, value in start["headers"]:
            if name == b"set-cookie":
                found = COOKIE.match(value.decode())
                if found:
                    if "max-age=0" in value.decode().lower():
                        self.cookies.pop(found.group(1), None)
                    else:
                        self.cookies[found.group(1)] = found.group(2).strip('"')
            out[name.decode()] = value.decode()
        page = b"".join(m.get("body", b"") for m in messages[1:]).decode()
        return start["status"], out, page


async def play_one(app, rng: random.Random, tally, statements: Statements, fetch=False) -> int:
    """One student: join and play to the ending; returns the choices made. With `fetch`, the
    play forms are sent with X-BOP-Fetch: 1 and answered with the page itself."""
    browser = Browser(app)

    async def timed(kind: str, method: str, path: str, form=None):
        sent = fetch and path in ("/choose", "/note", "/begin")
        kind += " (fetch)" if sent else ""
        before_cpu, before_sql = time.process_time(), statements.count
        result = await browser.call(method, path, form, sent)
        tally[kind].append((time.process_time() - before_cpu, statements.count - before_sql))
        return result

    status, _h, page = await timed("GET /", "GET", "/")
    status, headers, _ = await timed("POST /join", "POST", "/join", forms(page)["/join"].fields)
    assert status == 303, status
    made = 0
    page = None  # the page in hand, when the form's answer was the page itself
    for _ in range(500):
        if page is None:
            status, _h, page = await timed("GET /play", "GET", "/play")
            assert status == 200, (status, page[:500])
        found, page = forms(page), None
        if "/choose" in found:
            form = found["/choose"]
            choice = rng.choice(form.choices)
            status, headers, answer = await timed(
                "POST /choose", "POST", "/choose", {**form.fields, "choice": choice}
            )
            if fetch:
                assert status == 200 and headers["content-location"] == "/play", status
                page = answer
            else:
                assert status == 303 and headers["location"] == "/play", (status, headers)
            made += 1
        elif "/again" in found:
            return made
        elif "/note" in found:
            status, _h, answer = await timed("POST /note", "POST", "/note", found["/note"].fields)
            page = answer if fetch else None
        elif "/begin" in found:
            status, _h, answer = await timed(
                "POST /begin", "POST", "/begin", found["/begin"].fields
            )
            page = answer if fetch else None
        else:
            raise AssertionError("an unexpected page")
    raise AssertionError("no ending")


async def run(
    app, students: int, seed: int, statements: Statements, tally, at_once=1, fetch=False
) -> int:
    """Play `students` playthroughs, `at_once` of them at the same time (their requests then
    interleave on the event loop, as a class's do; the CPU of each is then shared too, so the
    figures a request are the means over all requests)."""
    made = 0
    for first in range(0, students, at_once):
        group = range(first, min(students, first + at_once))
        made += sum(
            await asyncio.gather(
                *(
                    play_one(app, random.Random(f"{seed}-{n}"), tally, statements, fetch)
                    for n in group
                )
            )
        )
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--at-once", type=int, default=1, help="students playing at once")
    parser.add_argument(
        "--fetch", action="store_true", help="the play forms as the pages' script sends them"
    )
    args = parser.parse_args()
    story = load_story(BUNDLED_STORY, cache=True)
    with tempfile.TemporaryDirectory() as temp:
        database = open_database(sqlite_url(Path(temp) / "bench.sqlite3"))
        play = ClassPlay(database, story, Classroom())
        app = build_app(play, Addresses("http://127.0.0.1:8000/", "http://127.0.0.1:8000/t"))
        statements = Statements(database.engine)
        warm: dict[str, list] = defaultdict(list)
        asyncio.run(
            run(app, 5, args.seed + 1000, statements, warm, 1, args.fetch)
        )  # imports, caches, JIT-free
        tally: dict[str, list] = defaultdict(list)
        profiler = cProfile.Profile() if args.profile else None
        began, before_sql = time.process_time(), statements.count
        if profiler:
            profiler.enable()
        made = asyncio.run(
            run(app, args.students, args.seed, statements, tally, args.at_once, args.fetch)
        )
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        total = time.process_time() - began
        with database.engine.connect() as connection:
            sizes = (
                connection.execute(
                    text("SELECT length(state) FROM playthroughs ORDER BY id DESC LIMIT :n"),
                    {"n": args.students},
                )
                .scalars()
                .all()
            )
        database.close()
    requests = sum(len(v) for v in tally.values())
    print(f"{args.students} students, {args.at_once} at once, {made} choices, {requests} requests")
    if args.at_once == 1:  # requests overlap otherwise: their own figures mean nothing
        print(f"{'request':14} {'count':>6} {'CPU ms (mean)':>14} {'statements':>11}")
    for kind, rows in sorted(tally.items()) if args.at_once == 1 else ():
        cpu = statistics.mean(r[0] for r in rows) * 1000
        sql = statistics.mean(r[1] for r in rows)
        print(f"{kind:14} {len(rows):6} {cpu:14.3f} {sql:11.2f}")
    print(f"all requests: {1000 * total / requests:.3f} ms of CPU a request (mean)")
    print(f"all requests over the choices: {1000 * total / made:.3f} ms of CPU a choice")
    if args.at_once == 1 and args.fetch:
        per_choice = statistics.mean(r[1] for r in tally["POST /choose (fetch)"])
        print(f"a choice (POST /choose, fetch, with its page): {per_choice:.2f} statements")
    elif args.at_once == 1:
        choose, page = tally["POST /choose"], tally["GET /play"]
        per_choice = statistics.mean(r[1] for r in choose) + statistics.mean(r[1] for r in page)
        print(f"a choice (POST /choose + GET /play): {per_choice:.2f} statements")
    print(
        f"statements in all: {statements.count - before_sql:,}, "
        f"{(statements.count - before_sql) / made:.2f} a choice "
        "(joining included; with --at-once, commits are shared)"
    )
    print(
        f"saved state at the ending: {statistics.mean(sizes) / 1024:.1f} KiB mean, "
        f"{max(sizes) / 1024:.1f} KiB largest"
    )


if __name__ == "__main__":
    main()
