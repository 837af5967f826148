"""The play forms as the page's script sends them (`X-BOP-Fetch: 1`): answered at once with the
page the redirect would lead to, rendered after the change is committed; a replayed form
still applies nothing twice, the CSRF token is still checked, and without the header the
answer is still a redirect (post, redirect, get)."""

from __future__ import annotations

import random

from engine.classroom.settings import Classroom
from engine.paths import BUNDLED_STORY
from engine.server import pages

from .conftest import Browser, join, step_of
from .test_student_play import FLAT, choices_in_db

FETCH = {"X-BOP-Fetch": "1"}


def fetch(browser: Browser, action: str, button: int | None = None, **values: str):
    """Send a form of the page as play.js sends it: the header, and no redirect followed."""
    form = browser.form(action)
    data = dict(form.fields)
    if button is not None:
        pressed = [b for b in form.buttons if not b["disabled"]][button]
        data[pressed["name"]] = pressed["value"]
    data.update(values)
    return browser.post(action, data, headers=FETCH, follow_redirects=False)


def without_time(page: str, browser: Browser) -> str:
    """The page with the time it was shown (a hidden field) taken out."""
    if not browser.has_form("/choose"):
        return page
    return page.replace(browser.form("/choose").fields["shown"], "")


def test_a_choice_sent_by_the_script_is_answered_with_the_next_page(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    response = fetch(student, "/choose", button=0)
    assert response.status_code == 200 and not response.history
    assert response.headers["content-location"] == "/play"
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert '<h1 id="scene-h">Later</h1>' in response.text
    assert "You chose: Pay it yourself, again." in student.text
    assert step_of(student) == 1
    # The page is the one GET /play shows now, the Display form's way back included.
    page = without_time(response.text, student)
    assert 'name="back" value="/play"' in page
    student.get("/play")
    assert without_time(student.response.text, student) == page
    assert [row[1:] for row in choices_in_db(server)] == [(1, "rent", "pay")]


def test_the_choice_is_committed_before_the_page_is_rendered(make_server, monkeypatch):
    server = make_server(BUNDLED_STORY)
    student = server.student()
    join(student)
    seen: list[int] = []
    render = pages.render

    def counting(name, **context):
        if name in ("scene.html", "ending.html"):
            seen.append(len(choices_in_db(server)))  # as another process reads the file
        return render(name, **context)

    monkeypatch.setattr(pages, "render", counting)
    rng = random.Random(3)
    made = 0
    while student.has_form("/choose"):
        offered = [b for b in student.choices() if not b["disabled"]]
        response = fetch(student, "/choose", button=rng.randrange(len(offered)))
        assert response.status_code == 200, student.text
        made += 1
        assert seen[-1] == made
    assert made > 5 and "The end" in student.text
    assert [row[1] for row in choices_in_db(server)] == list(range(1, made + 1))


def test_a_replayed_form_with_the_header_shows_the_current_scene_and_applies_once(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    data = dict(student.form("/choose").fields, choice="pay")
    first = student.post("/choose", data, headers=FETCH, follow_redirects=False)
    assert first.status_code == 200 and "You pay. It stings." in student.text
    again = student.post("/choose", data, headers=FETCH, follow_redirects=False)
    assert again.status_code == 200
    assert again.headers["content-location"] == "/play?note=stale"
    assert "That page was out of date, so nothing was changed." in student.text
    assert '<h1 id="scene-h">Later</h1>' in again.text and step_of(student) == 1
    assert len(choices_in_db(server)) == 1
    # The same form without the header: the redirect, as before, and still only once.
    plain = student.client.post("/choose", data=data, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/play?note=stale"
    assert len(choices_in_db(server)) == 1


def test_a_choice_not_on_offer_with_the_header_changes_nothing(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    response = fetch(student, "/choose", choice="leave")  # locked
    assert response.status_code == 200
    assert "That choice is not on offer here." in student.text
    assert '<h1 id="scene-h">The rent</h1>' in response.text
    assert choices_in_db(server) == []


def test_the_csrf_token_is_still_checked_with_the_header(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    good = student.form("/choose").fields
    for token in (None, "0" * 64):
        data = {"step": good["step"], "choice": "pay"} | ({"csrf": token} if token else {})
        response = student.client.post("/choose", data=data, headers=FETCH, follow_redirects=False)
        assert response.status_code == 403 and "content-location" not in response.headers
    other = server.student()
    join(other)
    response = other.client.post(
        "/choose", data=dict(good, choice="pay"), headers=FETCH, follow_redirects=False
    )
    assert response.status_code == 403
    assert choices_in_db(server) == []


def test_without_the_header_a_choice_is_still_post_redirect_get(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    data = dict(student.form("/choose").fields, choice="pay")
    for header in ({}, {"X-BOP-Fetch": "0"}, {"X-BOP-Fetch": "yes"}):
        response = student.client.post("/choose", data=data, headers=header, follow_redirects=False)
        assert response.status_code == 303 and response.text == ""
        assert "content-location" not in response.headers
    assert response.headers["location"] == "/play?note=stale"  # the first applied, alone
    assert [row[3] for row in choices_in_db(server)] == ["pay"]


def test_the_content_note_and_undo_with_the_header(make_server):
    server = make_server(FLAT, Classroom(allow_undo=True))
    student = server.student()
    student.get("/")
    student.submit("/join")
    response = fetch(student, "/note")
    assert response.status_code == 200 and response.headers["content-location"] == "/play"
    assert "Your partner in the story" in student.text and student.has_form("/begin")
    partner = dict(student.form("/begin").fields)
    response = fetch(student, "/begin")
    assert response.status_code == 200 and response.headers["content-location"] == "/play"
    assert '<h1 id="scene-h">The rent</h1>' in response.text
    # The partner form sent again (another tab): the play is kept, and the page says so.
    again = student.post("/begin", partner, headers=FETCH, follow_redirects=False)
    assert again.headers["content-location"] == "/play?note=stale"
    assert '<h1 id="scene-h">The rent</h1>' in again.text
    fetch(student, "/choose", button=0)
    response = fetch(student, "/undo")
    assert response.status_code == 200
    assert response.headers["content-location"] == "/play?note=undone"
    assert "Your last choice was taken back." in student.text
    assert '<h1 id="scene-h">The rent</h1>' in response.text and step_of(student) == 2
    assert choices_in_db(server) == []
    undo = dict(student.form("/choose").fields)
    response = student.post(
        "/undo", {"csrf": undo["csrf"], "step": "1"}, headers=FETCH, follow_redirects=False
    )
    assert "That page was out of date" in student.text and step_of(student) == 2


def test_a_class_ended_meanwhile_shows_its_page(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    server.play.end_class()
    response = fetch(student, "/choose", button=0)
    assert response.status_code == 200 and response.headers["content-location"] == "/play"
    assert "This session has ended" in student.text
    assert choices_in_db(server) == []
