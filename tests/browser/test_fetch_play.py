"""The play forms sent by the page's script (static/play.js): one request a choice, answered
with the next page, which takes this one's place. By keyboard alone the focus lands where a
screen reader reads the page from; a double click applies once; back and reload show the
current scene; a failed request is sent again as a plain form; axe finds nothing serious on
the pages put in place."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

from .conftest import LAPTOP, STORIES, arrived, expect, join_by_mouse
from .test_accessibility import axe_problems

FLAT = STORIES / "server_class.yaml"
# What has the focus: its tag, its id, the start of its text.
ACTIVE = """() => {
  const e = document.activeElement;
  return [e.tagName, e.id, e.textContent.trim().slice(0, 40)];
}"""


class Requests:
    """What the page asked the server for: (method, path, kind, X-BOP-Fetch) in order."""

    def __init__(self, page):
        self.seen: list[tuple[str, str, str, str | None]] = []
        page.on("request", self.add)

    def add(self, request) -> None:
        path = urlsplit(request.url).path
        if not path.startswith(("/static/", "/picture/", "/favicon")):
            kind = request.resource_type
            self.seen.append((request.method, path, kind, request.headers.get("x-bop-fetch")))

    def since(self, count: int) -> list[tuple[str, str, str, str | None]]:
        return self.seen[count:]


def choices_made(tmp_path) -> list[str]:
    """The choices in the first server's database, as another process reads the file."""
    with sqlite3.connect(f"file:{tmp_path / 'server0' / 'class.sqlite3'}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT choice FROM choices ORDER BY id")]


def start(serve, new_context, **options):
    server = serve(FLAT)
    page = new_context(viewport=LAPTOP, **options).new_page()
    return server, page, Requests(page)


def test_a_whole_story_by_keyboard_one_request_a_choice(serve, new_context, tmp_path):
    server, page, requests = start(serve, new_context)
    page.goto(server.students)
    page.get_by_role("button", name="Join").focus()
    page.keyboard.press("Enter")
    arrived(page, "Content note")

    # Continue: sent by the script, the partner page in place, its heading focused.
    before = len(requests.seen)
    page.get_by_role("button", name="Continue").focus()
    page.keyboard.press("Space")
    arrived(page, "Your partner in the story")
    assert requests.since(before) == [("POST", "/note", "fetch", "1")]
    assert page.evaluate(ACTIVE) == ["H1", "", "Your partner in the story"]
    assert page.title() == "Your partner: The Shared Flat"
    assert page.url == server.url("/play")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)[0:2] == ["INPUT", "partner"]  # the next Tab: the first field
    page.get_by_role("button", name="Begin the story").focus()
    page.keyboard.press("Enter")  # a plain form: post, redirect, get
    arrived(page, "The rent")

    # A number key: one request, the next scene in place, its feedback focused and announced.
    before = len(requests.seen)
    page.keyboard.press("1")
    arrived(page, "After your last choice")
    assert requests.since(before) == [("POST", "/choose", "fetch", "1")]
    assert page.evaluate(ACTIVE)[0:2] == ["SECTION", "feedback"]
    feedback = page.locator("#feedback")
    assert feedback.get_attribute("aria-live") == "polite"
    expect(feedback).to_contain_text("You chose: Pay it yourself, again.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Later")
    assert page.title() == "Later: The Shared Flat"
    assert choices_made(tmp_path) == ["pay"]
    page.keyboard.press("Tab")  # from the feedback, Tab reaches the first choice
    assert page.evaluate(ACTIVE)[2].startswith("1. Make a plan for next month.")

    # Undo by keyboard: back at the start, no feedback, so the scene's heading has the focus.
    before = len(requests.seen)
    page.get_by_role("button", name="Take back my last choice").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your last choice was taken back.")).to_be_visible()
    assert requests.since(before) == [("POST", "/undo", "fetch", "1")]
    assert page.evaluate(ACTIVE) == ["H1", "scene-h", "The rent"]
    assert page.url == server.url("/play?note=undone")
    assert choices_made(tmp_path) == []
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)[2].startswith("1. Pay it yourself, again.")
    page.keyboard.press("Enter")
    arrived(page, "Later")
    page.keyboard.press("2")
    arrived(page, "Apart")
    assert page.evaluate(ACTIVE)[0:2] == ["SECTION", "feedback"]
    assert page.title() == "Apart: The Shared Flat"
    expect(page.get_by_role("heading", name="Where to get help").last).to_be_visible()
    assert choices_made(tmp_path) == ["pay", "drop"]
    # Every choice was one request, and no page was loaded after any of them.
    posts = [r for r in requests.seen if r[1] in ("/choose", "/undo")]
    assert all(r[2:] == ("fetch", "1") for r in posts) and len(posts) == 4
    documents = [r for r in requests.seen if r[2] == "document"]
    assert [r[:2] for r in documents] == [("GET", "/"), ("POST", "/join"), ("GET", "/play")]
    begun = [r for r in requests.seen if r[1] == "/begin"]
    assert [r[2:] for r in begun] == [("fetch", "1")]  # the partner page's Begin too
    page.get_by_role("button", name="Play again").click()  # a plain form
    arrived(page, "Your partner in the story")


def test_a_double_click_applies_the_choice_once(serve, new_context, tmp_path):
    server, page, requests = start(serve, new_context)
    join_by_mouse(page, server)
    arrived(page, "The rent")
    before = len(requests.seen)
    page.get_by_role("button", name="1. Pay it yourself, again. (Accept)").dblclick()
    arrived(page, "Later")
    # Two clicks in the same instant, before anything could answer.
    page.evaluate(
        "() => { const b = document.querySelector('#choices button'); b.click(); b.click() }"
    )
    arrived(page, "A way through")
    page.wait_for_load_state("networkidle")
    assert [r[1] for r in requests.since(before)] == ["/choose", "/choose"]
    assert choices_made(tmp_path) == ["pay", "plan"]
    expect(page.get_by_text("That page was out of date")).to_have_count(0)


def test_back_and_reload_show_the_current_scene(serve, new_context, tmp_path):
    server, page, _requests = start(serve, new_context)
    join_by_mouse(page, server)
    arrived(page, "The rent")
    page.get_by_role("button", name="1. Pay it yourself, again. (Accept)").click()
    arrived(page, "Later")
    assert page.url == server.url("/play")
    page.reload()  # a GET of /play: the form is not sent again
    arrived(page, "Later")
    expect(page.get_by_text("You chose: Pay it yourself, again.")).to_be_visible()
    page.go_back()  # the entries before: each shows where the student is now
    arrived(page, "Later")
    assert choices_made(tmp_path) == ["pay"]
    page.get_by_role("button", name="2. Let it drop. (Accept)").click()
    arrived(page, "Apart")
    # Every play form since joining replaced the one entry of /play (the first back went to
    # the start page, which sends a player to /play): back from another page shows it.
    page.goto(server.url("/help"))
    page.go_back()
    arrived(page, "Apart")
    assert choices_made(tmp_path) == ["pay", "drop"]


def test_a_failed_request_sends_the_form_plainly(serve, new_context, tmp_path):
    server, page, requests = start(serve, new_context)
    join_by_mouse(page, server)
    arrived(page, "The rent")

    # The script's request never arrives: the plain form is sent, and applied once.
    def never_arrives(route):
        if route.request.headers.get("x-bop-fetch"):
            route.abort()
        else:
            route.continue_()

    page.route("**/choose", never_arrives)
    before = len(requests.seen)
    page.get_by_role("button", name="1. Pay it yourself, again. (Accept)").click()
    arrived(page, "Later")
    expect(page.get_by_text("You pay. It stings.")).to_be_visible()
    assert [r[1:3] for r in requests.since(before)] == [
        ("/choose", "fetch"),
        ("/choose", "document"),
        ("/play", "document"),
    ]
    assert choices_made(tmp_path) == ["pay"]
    page.unroute("**/choose")

    # The choice is made but its answer is lost: the plain form is out of date and says so.
    def answer_lost(route):
        if route.request.headers.get("x-bop-fetch"):
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.route("**/choose", answer_lost)
    page.get_by_role("button", name="2. Let it drop. (Accept)").click()
    arrived(page, "Apart")
    expect(page.get_by_text("That page was out of date, so nothing was changed.")).to_be_visible()
    assert choices_made(tmp_path) == ["pay", "drop"]


def test_a_page_shown_again_sends_its_choice_once(serve, new_context, tmp_path):
    """A form sent plainly after its script request failed carries the button pressed in a
    hidden field; when the page is shown again from the back-forward cache (its `pageshow`),
    that field must be gone, or the next choice would send the field twice and be refused
    with a 400 (regression)."""
    server, page, _requests = start(serve, new_context)
    join_by_mouse(page, server)
    arrived(page, "The rent")
    bodies = []

    def fetch_fails_and_the_plain_form_goes_nowhere(route):
        if route.request.headers.get("x-bop-fetch"):
            route.abort()
        else:
            bodies.append(route.request.post_data)
            route.fulfill(status=204)  # the browser stays on this page, as if never left

    page.route("**/choose", fetch_fails_and_the_plain_form_goes_nowhere)
    page.get_by_role("button", name="1. Pay it yourself, again. (Accept)").click()
    page.wait_for_function("() => document.querySelector('#choices input[name=choice]')")
    assert len(bodies) == 1 and bodies[0].count("choice=") == 1
    page.unroute("**/choose")
    page.evaluate(
        "() => window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))"
    )
    page.get_by_role("button", name="1. Pay it yourself, again. (Accept)").click()
    arrived(page, "Later")
    expect(page.get_by_text("You pay. It stings.")).to_be_visible()
    assert choices_made(tmp_path) == ["pay"]


def test_the_pages_put_in_place_pass_axe(serve, new_context, axe_script):
    server = serve(FLAT)
    page = new_context(viewport=LAPTOP, bypass_csp=True).new_page()
    page.goto(server.students)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("button", name="Continue").click()
    arrived(page, "Your partner in the story")
    found = {"partner": axe_problems(page, axe_script)}
    page.get_by_role("button", name="Begin the story").click()
    arrived(page, "The rent")
    page.get_by_role("button", name="1. Pay it yourself, again. (Accept)").click()
    arrived(page, "Later")
    found["scene with feedback"] = axe_problems(page, axe_script)
    page.get_by_role("button", name="Take back my last choice").click()
    expect(page.get_by_text("Your last choice was taken back.")).to_be_visible()
    found["scene after undo, with its note"] = axe_problems(page, axe_script)
    page.get_by_role("button", name="2. Ask them to pay today. (Fight for cooperation)").click()
    arrived(page, "Later")
    page.locator("#choices button[data-key='1']").click()  # make a plan
    page.locator(".ending").wait_for()
    page.get_by_text("The chart as a table").click()
    found["ending"] = axe_problems(page, axe_script)
    assert not any(found.values()), found
