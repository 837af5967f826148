"""The class server in a real browser: the real server (`python main.py serve`) as a subprocess
on a free port and a temp database, driven by the system Chromium through Playwright.

One browser for the whole session, a new context (its own cookies, size and settings) for each
student or teacher. Without Chromium, Playwright, or node/npm and the network for axe-core,
these tests skip, unless BOP_REQUIRE_BROWSER=1 (CI's .ci/run sets it), when they fail.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails) with the reason
    expect = None

HERE = Path(__file__).resolve().parent
STORIES = ROOT / "tests" / "stories"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
START_TIMEOUT = 30  # seconds for the server to print its addresses
STOP_TIMEOUT = 15


def unavailable(reason: str):
    """Skip with `reason`; fail instead when BOP_REQUIRE_BROWSER=1 (as CI runs)."""
    if os.environ.get("BOP_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (BOP_REQUIRE_BROWSER=1: this must not be skipped)")
    pytest.skip(reason)


# The server ------------------------------------------------------------------------------------


@dataclass
class RunningServer:
    """`python main.py serve` running in a subprocess, and the addresses it printed."""

    process: subprocess.Popen
    students: str
    teacher: str
    class_code: str | None
    output: list[str]  # its lines so far, filled by `reader`
    reader: threading.Thread
    log: Path

    @property
    def base(self) -> str:
        return self.students.rstrip("/")

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> int:
        """Ctrl-C, as the teacher stops it; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError("the server did not stop within 15 s of Ctrl-C") from None
        self.reader.join(STOP_TIMEOUT)
        return self.process.returncode

    def errors(self) -> str:
        return self.log.read_text("utf-8", "replace")


def start_server(
    folder: Path, story: Path | None = None, classroom: Path | None = None, *extra: str
) -> RunningServer:
    """Start the real server on a free port of 127.0.0.1 with its database in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(ROOT / "main.py"),
        "serve",
        *([str(story)] if story else []),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--db",
        f"sqlite:///{folder / 'class.sqlite3'}",
        *(["--classroom", str(classroom)] if classroom else []),
        *extra,
    ]
    log = folder / "server-stderr.txt"
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    printed = threading.Event()

    def read() -> None:  # all its output, to the end (so the pipe never fills)
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Teacher: "):
                printed.set()
        printed.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    found = {}
    if printed.wait(START_TIMEOUT):
        found = {key: rest for key, _, rest in (line.partition(": ") for line in lines)}
    if "Teacher" not in found:
        process.kill()
        process.wait()
        raise AssertionError(
            "the server printed no Teacher: line\n" + "\n".join(lines) + "\n" + log.read_text()
        )
    students, teacher = found["Students"].split()[0], found["Teacher"]
    assert students and re.fullmatch(r"http://127\.0\.0\.1:\d+/", students), lines
    code = re.search(r"class code: (\S+)", "\n".join(lines))
    return RunningServer(process, students, teacher, code and code.group(1), lines, reader, log)


@pytest.fixture
def serve(tmp_path):
    """Start servers (`serve(story, classroom_file)`); each is stopped with Ctrl-C at the end
    of the test, and must exit 0 having logged no error."""
    started: list[RunningServer] = []

    def start(story: Path | None = None, classroom: Path | None = None, *extra: str):
        server = start_server(tmp_path / f"server{len(started)}", story, classroom, *extra)
        started.append(server)
        return server

    yield start
    for server in started:
        status = server.stop()
        assert status == 0, f"the server exited {status}:\n{server.errors()}"
        assert "Traceback" not in server.errors(), server.errors()
        assert any(line.startswith("Stopped.") for line in server.output), server.output


# The browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    unavailable("Chromium is not installed: the class server's pages cannot be tested in a browser")


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=BROWSER_ARGS)
    except Exception as error:
        playwright.stop()
        unavailable(f"Chromium ({chromium_path}) would not start under Playwright: {error}")
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture
def new_context(browser):
    """Contexts made in a test (`new_context(viewport=PHONE, ...)`), closed at its end. Every
    script error, and every console error but a page's own status (a 404 page is meant), fails
    the test: a style or script the Content-Security-Policy refused, a missing file."""
    made = []
    errors: list[str] = []

    def console(message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        page_status = message.text.startswith("Failed to load resource") and not re.search(
            r"/static/|\.ico$|\.svg$", url
        )
        if not page_status:
            errors.append(f"{message.text} ({url})")

    def make(**options):
        options.setdefault("viewport", LAPTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.on("console", console)
        context.on("weberror", lambda error: errors.append(f"script error: {error.error}"))
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script, installed from tests/browser/package-lock.json when missing."""
    if AXE.is_file():
        return AXE
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is not installed: axe-core cannot be installed (apt-get install npm)")
    try:
        result = subprocess.run(
            [npm, "ci", "--prefix", str(HERE), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.TimeoutExpired:
        unavailable("npm ci timed out: is the npm registry reachable?")
    if result.returncode != 0 or not AXE.is_file():
        unavailable(
            "npm ci --prefix tests/browser failed, so axe-core is missing (no network?):\n"
            + (result.stderr or result.stdout)[-2000:]
        )
    return AXE


# Steps a student takes --------------------------------------------------------------------------


def arrived(page, heading: str) -> None:
    """Wait for the page with this heading, loaded with its stylesheet."""
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    page.wait_for_load_state("load")


def teacher_page(context, server: RunningServer):
    """A page of `context` signed in as the teacher, on the dashboard."""
    page = context.new_page()
    page.goto(server.teacher)
    assert page.url == server.url("/teacher"), page.url
    return page


def join_by_mouse(page, server: RunningServer, partner: str | None = None) -> None:
    """From the join page to the story's first scene, clicking."""
    page.goto(server.students)
    if server.class_code:
        page.get_by_label("Class code").fill(server.class_code)
    page.get_by_role("button", name="Join").click()
    if page.get_by_role("heading", name="Before you start").count():
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Your partner in the story").wait_for()
    if partner:
        page.get_by_label("Their name").fill(partner)
    page.get_by_role("button", name="Begin the story").click()
    page.locator("#choices, .ending").first.wait_for()


class HttpStudent:
    """A student's browser reduced to forms over HTTP (no page drawn): for a class whose
    students are only there to make data for the teacher's pages."""

    def __init__(self, server: RunningServer):
        self.server = server
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.page = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.server.url(path), timeout=10) as response:
            self.page = response.read().decode("utf-8")
        return self.page

    def post(self, action: str, **fields: str) -> str:
        form = self.page[self.page.index(f'action="{action}"') :]
        form = form[: form.index("</form>")]
        data = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
        data.update(fields)
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.server.url(action), body, timeout=10) as response:
            self.page = response.read().decode("utf-8")
        return self.page

    def join(self) -> HttpStudent:
        self.get("/")
        code = self.server.class_code
        self.post("/join", **({"class_code": code} if code else {}))
        if 'action="/note"' in self.page:
            self.post("/note")
        self.post("/begin")
        return self

    def choices(self) -> dict[int, str]:
        """The choices on offer on the page: their ids by number."""
        found = re.findall(r'name="choice" value="([^"]+)" data-key="(\d+)"', self.page)
        return {int(key): value for value, key in found}

    def choose(self, number: int) -> None:
        """The choice with this number on the page (1 is the first)."""
        self.post("/choose", choice=self.choices()[number])


def fits_width(page) -> tuple[int, int]:
    """(the page's scroll width, the window's width)."""
    return page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
