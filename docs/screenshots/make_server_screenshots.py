"""Make the class server's screenshots in this folder (docs/screenshots/server-*.png).

    .venv/bin/python docs/screenshots/make_server_screenshots.py [--out FOLDER]

It starts the real server (`main.py serve`, the bundled story) on a free port with a database
in a temp folder, lets a few students play over HTTP so the teacher's pages have a class to
show, and has the system Chromium (through Playwright, as tests/browser does) take each page:
the student's pages on a 360x740 phone and a 1280x800 laptop, the dashboard and the projector
at 1280x800. The player's code, the port and the QR code differ from run to run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402  (after the path is set)
    BROWSER_ARGS,
    BROWSERS,
    LAPTOP,
    PHONE,
    HttpStudent,
    arrived,
    start_server,
)

CLASSROOM = "name: Year 10, Thursday\n"
# The students' paths through the opening (choice numbers on each page): different enough
# for the dashboard's and the projector's bars.
CLASS = [(1, 1, 2, 1), (2, 1, 1, 2), (3, 2, 2, 1), (1, 2, 4, 1), (2, 1, 3, 2), (3, 1, 4, 1)]


def play_class(server) -> None:
    for path in CLASS:
        student = HttpStudent(server).join()
        for number in path:
            offered = student.choices()
            if not offered:
                break
            student.choose(number if number in offered else min(offered))


def student_pages(browser, server, out: Path, size: str) -> None:
    viewport = PHONE if size == "phone" else LAPTOP
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    page.goto(server.students)
    arrived(page, "Join the class")
    page.screenshot(path=out / f"server-join-{size}.png")
    page.get_by_role("button", name="Join").click()
    arrived(page, "Before you start")
    page.get_by_role("button", name="Continue").click()
    arrived(page, "Your partner in the story")
    page.get_by_label("Their name").fill("Sam")
    page.get_by_role("button", name="Begin the story").click()
    arrived(page, "Three months in")
    for number in (2, 1):
        page.locator(f"#choices button[data-key='{number}']").click()
        arrived(page, "After your last choice")
    page.screenshot(path=out / f"server-scene-{size}.png", full_page=size == "laptop")
    if size == "phone":
        page.locator(".meters").scroll_into_view_if_needed()
        page.screenshot(path=out / "server-meters-phone.png")
        # The same scene with the display options on.
        page.get_by_label("High contrast").check()
        page.get_by_label("Larger text").check()
        page.get_by_role("button", name="Apply").click()
        arrived(page, "After your last choice")
        page.screenshot(path=out / "server-scene-contrast-phone.png")
        page.get_by_label("High contrast").uncheck()
        page.get_by_label("Larger text").uncheck()
        page.get_by_role("button", name="Apply").click()
        arrived(page, "After your last choice")
    for _ in range(40):  # always the first choice on offer, to an ending
        if not page.locator("#choices").count():
            break
        step = page.locator("input[name=step]").first.input_value()
        page.locator("#choices button:not([disabled])").first.click()
        page.wait_for_function(
            "s => document.querySelector('input[name=step]')?.value !== s", arg=step
        )
    page.locator(".ending").wait_for()
    page.wait_for_load_state("load")
    page.locator(".kicker").scroll_into_view_if_needed()
    page.screenshot(path=out / f"server-ending-{size}.png")
    context.close()


def teacher_pages(browser, server, out: Path) -> None:
    context = browser.new_context(viewport=LAPTOP, device_scale_factor=1)
    page = context.new_page()
    page.goto(server.teacher)
    arrived(page, "Class dashboard: Year 10, Thursday")
    page.screenshot(path=out / "server-dashboard.png")
    page.locator("#decisions-h").scroll_into_view_if_needed()
    page.screenshot(path=out / "server-dashboard-decisions.png")
    page.goto(server.url("/teacher/projector"))
    arrived(page, "Endings and meters")
    reveal = page.locator("section.decision").nth(2)
    reveal.get_by_role("button", name="Reveal the results").click()
    arrived(page, "Endings and meters")
    page.locator("section.decision").nth(2).scroll_into_view_if_needed()
    page.screenshot(path=out / "server-projector.png")
    context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="the folder (default: this one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        classroom = Path(folder) / "classroom.yaml"
        classroom.write_text(CLASSROOM, encoding="utf-8")
        server = start_server(Path(folder) / "server", None, classroom)
        try:
            play_class(server)
            with sync_playwright() as playwright:
                chromium = next(filter(None, map(shutil.which, BROWSERS)), None)
                if chromium is None:
                    raise SystemExit("Chromium is not installed (apt-get install chromium)")
                browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
                for size in ("phone", "laptop"):
                    student_pages(browser, server, args.out, size)
                teacher_pages(browser, server, args.out)
                browser.close()
        finally:
            status = server.stop()
    print(f"screenshots in {args.out} (the server exited {status})")
    return status


if __name__ == "__main__":
    sys.exit(main())
