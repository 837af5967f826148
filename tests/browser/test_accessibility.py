"""axe-core on every page of the class server, a student's and the teacher's, each as it is and
with the page's own High contrast and Larger text options on: no violation of impact "serious"
or "critical". Two things axe does not check are checked too: buttons' borders at 3:1 against
what is behind them, and no style attribute (the pages' CSP would refuse it).

axe-core comes from npm (tests/browser/package-lock.json pins it). The pages forbid inline
script (Content-Security-Policy), so the contexts that inject axe bypass it; nothing else does.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import STORIES, arrived, expect, teacher_page

SERIOUS = ("serious", "critical")
CLASSROOM = """\
name: Year 10 (tests)
class_code: OWL42
teacher_password: a long teacher password
"""

BORDERS = (Path(__file__).parent / "borders.js").read_text("utf-8")
# Elements with a style attribute (there should be none).
STYLED = (
    """() => Array.from(document.querySelectorAll('[style]')).map(e => e.outerHTML.slice(0, 80))"""
)


def axe_problems(page, axe_script) -> list[str]:
    """The serious and critical axe violations on the page, and buttons with faint borders."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            )
    found += [f"button border under 3:1: {b}" for b in page.evaluate(BORDERS)]
    found += [f"a style attribute (the CSP refuses it): {e}" for e in page.evaluate(STYLED)]
    return found


class Checker:
    """Runs axe on pages as they are and with the display options on, and gathers what it
    finds by page."""

    def __init__(self, axe_script, options: list[str]):
        self.axe_script = axe_script
        self.options = options  # the classes the display options put on <html> and <body>
        self.found: dict[str, list[str]] = {}
        self.checked: list[str] = []

    def check(self, page, name: str) -> None:
        """The page as it is, then with the display options' classes on, as the server writes
        them when the options are chosen (see display_options)."""
        self._run(page, name)
        page.evaluate(TOGGLE, [self.options, True])
        self._run(page, name + " (high contrast, larger text)")
        page.evaluate(TOGGLE, [self.options, False])

    def _run(self, page, key: str) -> None:
        self.checked.append(key)
        problems = axe_problems(page, self.axe_script)
        if problems:
            self.found[key] = problems

    def assert_clean(self) -> None:
        report = "\n".join(
            f"{page}:\n  " + "\n  ".join(problems) for page, problems in self.found.items()
        )
        assert not self.found, "axe found serious or critical problems:\n" + report


TOGGLE = """([names, on]) => {
  for (const e of [document.documentElement, document.body]) {
    for (const name of names) e.classList.toggle(name, on);
  }
}"""


def display_options(page) -> list[str]:
    """Tick both display options on a page and apply them: the classes they put on the page
    (and its root), which are gone again when the options are off."""
    plain = set(page.locator("body").get_attribute("class").split())
    page.get_by_label("High contrast").check()
    page.get_by_label("Larger text").check()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_label("High contrast")).to_be_checked()
    page.wait_for_load_state("load")
    chosen = page.locator("body").get_attribute("class").split()
    assert chosen == page.locator("html").get_attribute("class").split()
    assert {"pref-contrast", "pref-large"} <= set(chosen)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.get_by_label("High contrast").uncheck()
    page.get_by_label("Larger text").uncheck()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_label("High contrast")).not_to_be_checked()
    assert set(page.locator("body").get_attribute("class").split()) == plain
    return sorted(set(chosen) - plain)


def test_every_page_passes_axe_with_and_without_the_display_options(
    serve, new_context, axe_script, tmp_path
):
    classroom = tmp_path / "classroom.yaml"
    classroom.write_text(CLASSROOM, encoding="utf-8")
    server = serve(STORIES / "ui_long.yaml", classroom)
    student = new_context(bypass_csp=True).new_page()

    student.goto(server.students)
    checker = Checker(axe_script, display_options(student))
    checker.check(student, "join")
    student.get_by_label("Class code").fill("WRONG")
    student.get_by_role("button", name="Join").click()
    expect(student.get_by_role("alert")).to_contain_text("class code")
    checker.check(student, "join, with an error")
    student.get_by_label("Class code").fill(server.class_code)
    student.get_by_role("button", name="Join").click()
    arrived(student, "Content note")
    checker.check(student, "content note")
    student.get_by_role("button", name="Continue").click()
    arrived(student, "Your partner in the story")
    checker.check(student, "partner")
    student.get_by_label("Their name").fill("Ren\u200bée")
    student.get_by_role("button", name="Begin the story").click()
    expect(student.get_by_role("alert")).to_contain_text("it holds an invisible character")
    checker.check(student, "partner, with an error")
    student.get_by_label("Their name").fill("Renée")
    student.get_by_role("button", name="Begin the story").click()
    arrived(student, "A very long evening at the café")
    expect(student.locator("#choices button[disabled]")).to_have_count(1)
    checker.check(student, "scene with a locked choice")
    student.locator("#choices button[data-key='1']").click()
    arrived(student, "Later")
    checker.check(student, "scene with feedback and meters")
    student.locator("#choices button[data-key='1']").click()
    arrived(student, "An uneasy peace")
    student.get_by_text("The chart as a table").click()
    checker.check(student, "ending")
    student.goto(server.url("/help"))
    arrived(student, "Where to get help")
    checker.check(student, "help")
    student.goto(server.url("/no-such-page"))
    arrived(student, "There is no such page")
    checker.check(student, "error page")

    teacher_context = new_context(bypass_csp=True)
    login = teacher_context.new_page()
    login.goto(server.url("/teacher/login"))
    expect(login.get_by_label("The class's password")).to_be_visible()
    checker.check(login, "teacher's sign-in")
    teacher = teacher_page(teacher_context, server)
    checker.check(teacher, "dashboard")
    teacher.goto(server.url("/teacher?codes=1"))
    expect(teacher.get_by_role("link", name="Hide players' codes")).to_be_visible()
    checker.check(teacher, "dashboard with codes")
    teacher.goto(server.url("/teacher"))
    teacher.get_by_role("button", name="Reset player 1: start again").click()
    arrived(teacher, "Reset player 1?")
    checker.check(teacher, "reset, asked first")
    teacher.get_by_role("link", name="No, back to the dashboard").click()
    arrived(teacher, "Class dashboard: Year 10 (tests)")
    teacher.goto(server.url("/teacher/projector"))
    arrived(teacher, "Endings and meters")
    checker.check(teacher, "projector, results hidden")
    teacher.get_by_role("button", name="Reveal the results").first.click()
    expect(teacher.get_by_role("button", name="Hide the results")).to_be_visible()
    teacher.get_by_role("button", name="Reveal the endings").click()
    arrived(teacher, "The class's meters at the end")
    checker.check(teacher, "projector, results shown")

    teacher.goto(server.url("/teacher"))
    teacher.get_by_label("Yes, end the session for everyone").check()
    teacher.get_by_role("button", name="End the session").click()
    expect(teacher.get_by_text("This session has ended")).to_be_visible()
    checker.check(teacher, "dashboard, session ended")
    student.goto(server.url("/play"))
    arrived(student, "This session has ended")
    checker.check(student, "session ended")
    student.get_by_role("button", name="Leave this device").click()
    arrived(student, "You have left this device")
    checker.check(student, "left this device")

    assert len(checker.checked) == 38
    checker.assert_clean()
