"""A student's play through the class server's pages, as a browser without JavaScript sends
it: joining, the content note, the partner, scenes and choices, the ending; every choice in the
database before the next page; resuming after a restart or on another device; stale, replayed
and doubled forms never applying a choice twice."""

from __future__ import annotations

import random
import sqlite3

from engine.classroom.settings import Classroom
from engine.paths import BUNDLED_STORY

from .conftest import STORIES, Browser, join, step_of

FLAT = STORIES / "server_class.yaml"


def choices_in_db(server) -> list[tuple]:
    """The choices as another process would read them from the file, right now."""
    with sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True) as connection:
        return connection.execute(
            "SELECT playthrough_id, number, scene, choice FROM choices ORDER BY id"
        ).fetchall()


def play_to_end(browser: Browser, rng: random.Random, server=None) -> int:
    for made in range(200):
        offered = [b for b in browser.choices() if not b["disabled"]]
        if not offered:
            return made
        browser.submit("/choose", button=rng.randrange(len(offered)))
        assert browser.response.status_code == 200, browser.text
        if server is not None:  # committed before the page after it was sent
            assert len(choices_in_db(server)) == made + 1
    raise AssertionError("the story did not end")


def test_a_whole_story_is_played_through_forms(make_server):
    server = make_server(FLAT)
    student = server.student()
    student.get("/")
    assert "Join the class" in student.text
    student.submit("/join")
    assert "Content note" in student.text and "disagree about money" in student.text
    student.submit("/note")
    assert "Their pronouns" in student.text
    student.submit("/begin", partner="Robin", pronouns="she")
    page = student.response.text
    # The scene: its title as the heading, the partner's name and pronouns filled in, the
    # story's own markup shown as text, dialogue marked up.
    assert '<h1 id="scene-h">The rent</h1>' in page
    assert "Robin has not paid her half &lt;b&gt;again&lt;/b&gt;" in page
    assert '<span class="speaker">Robin:</span>' in page
    buttons = student.choices()
    assert [b["text"] for b in buttons] == [
        "1. Pay it yourself, again. (Accept)",
        "2. Ask her to pay today. (Fight for cooperation)",
        "Move out. (Walk away)",
    ]
    assert [b["disabled"] for b in buttons] == [False, False, True]
    assert "Not open to you now: You do not feel secure enough to leave." in student.text
    assert 'aria-describedby="lock-3"' in page and 'id="lock-3"' in page
    assert '<meter aria-labelledby="ml-1" min="0" max="100" value="50">' in page
    student.submit("/choose", button=0)
    assert "You chose: Pay it yourself, again. (Accept)" in student.text
    assert "You pay. It stings." in student.text
    assert "Trust +2" in student.text and "Security -5" in student.text
    assert 'role="status" aria-live="polite"' in student.response.text
    student.submit("/choose", button=1)  # let it drop: security 30, trust 52 -> apart
    assert "The end" in student.text and "Apart" in student.text
    assert "Sometimes walking away is the answer." in student.text
    assert "Where to get help" in student.text and "Someone to talk to" in student.text
    assert "What made it hard to stay?" in student.text
    assert "Accept 2" in student.text  # the path: how often each response
    # ... and where: the student's own decisions, named by their scenes (issue 14).
    assert "<td>The rent, Later</td>" in student.response.text
    assert "<svg" in student.response.text and "The chart as a table" in student.text
    # The chart needs no inline style, which the CSP would refuse: its key is drawn in colour,
    # its labels in the ink colour.
    assert 'style="' not in student.response.text and 'stroke="#' in student.response.text
    printed = student.client.get("/ending/print")
    assert printed.status_code == 200 and "Apart" in printed.text
    assert "Robin" not in printed.text  # the printed record carries the story's own name
    policy = printed.headers["content-security-policy"]  # its own stylesheet, nothing else
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy
    assert "script" not in policy


def test_every_choice_is_in_the_database_before_the_next_page(make_server):
    server = make_server(BUNDLED_STORY)
    student = server.student()
    join(student)
    made = play_to_end(student, random.Random(5), server)
    assert made > 5
    assert [row[1] for row in choices_in_db(server)] == list(range(1, made + 1))


def test_a_restart_loses_nothing_and_the_same_browser_goes_on(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    student.submit("/choose", button=0)
    before = student.response.text
    server.restart()
    again = Browser(server.app)
    again.client.cookies = student.client.cookies
    again.get("/play")
    assert again.response.text == before.replace(
        student.form("/choose").fields["shown"], again.form("/choose").fields["shown"]
    )
    assert step_of(again) == 1


def test_another_device_goes_on_with_the_code(make_server):
    server = make_server(FLAT)
    first = server.student()
    join(first, partner="Robin")
    first.submit("/choose", button=0)
    code = first.text.split("Your code: ")[1].split()[0]
    laptop = server.student()
    join(laptop, code=code.lower())  # any case
    assert "Welcome back: you are where you left off." in laptop.text
    assert "You pay. It stings." in laptop.text and step_of(laptop) == 1
    assert '<h1 id="scene-h">Later</h1>' in laptop.response.text
    # The old device's page is now stale for choosing: it is a different browser, no longer
    # this player's, so it is sent back to join.
    first.get("/play")
    assert "Join the class" in first.text


def test_a_form_sent_twice_applies_the_choice_once(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    form = student.form("/choose")
    data = dict(form.fields, choice="pay")
    student.post("/choose", data)
    assert "You pay. It stings." in student.text
    student.post("/choose", data)  # a double click, a reload of the POST, a replayed request
    assert "That page was out of date, so nothing was changed." in student.text
    assert len(choices_in_db(server)) == 1


def test_the_back_button_and_a_second_tab_show_the_current_scene(make_server):
    server = make_server(FLAT)
    tab_one = server.student()
    join(tab_one)
    tab_two = Browser(server.app)
    tab_two.client.cookies = tab_one.client.cookies
    tab_two.get("/play")
    tab_one.submit("/choose", button=0)  # now at "Later"
    tab_two.submit("/choose", button=1)  # the old page's "Ask them to pay today"
    assert "That page was out of date" in tab_two.text
    assert '<h1 id="scene-h">Later</h1>' in tab_two.response.text
    assert [row[3] for row in choices_in_db(server)] == ["pay"]


def test_a_choice_not_on_offer_changes_nothing(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    data = dict(student.form("/choose").fields, choice="leave")  # locked
    student.post("/choose", data)
    assert "That choice is not on offer here." in student.text
    assert choices_in_db(server) == []


def test_undo_when_the_class_allows_it(make_server):
    server = make_server(FLAT, Classroom(allow_undo=True))
    student = server.student()
    join(student)
    student.submit("/choose", button=0)
    student.submit("/undo")
    assert "Your last choice was taken back." in student.text
    assert '<h1 id="scene-h">The rent</h1>' in student.response.text
    assert choices_in_db(server) == []
    student.submit("/choose", button=1)
    assert [row[1:] for row in choices_in_db(server)] == [(1, "rent", "push")]


def test_no_undo_when_the_class_turns_it_off(make_server):
    server = make_server(FLAT, Classroom(allow_undo=False))
    student = server.student()
    join(student)
    student.submit("/choose", button=0)
    assert not student.has_form("/undo")
    student.post("/undo", {"csrf": student.form("/choose").fields["csrf"], "step": "1"})
    assert "That choice is not on offer here." in student.text
    assert len(choices_in_db(server)) == 1


def test_meters_hidden_until_the_ending(make_server):
    server = make_server(FLAT, Classroom(show_meters=False))
    student = server.student()
    join(student)
    assert "<meter" not in student.response.text
    assert "Your meters are hidden until the end of the story." in student.text
    student.submit("/choose", button=0)
    assert "Trust +2" not in student.text
    student.submit("/choose", button=0)
    assert "Your meters at the end" in student.text and "<meter" in student.response.text


def test_a_class_that_asks_for_a_code(make_server):
    server = make_server(FLAT, Classroom(ask_player="code"))
    student = server.student()
    student.get("/")
    assert "Your player code" in student.text
    student.submit("/join", code="")
    assert student.response.status_code == 400 and "Type your code." in student.text
    student.submit("/join", code="x" * 41)
    assert "at most 40 characters" in student.text
    join(student, code="  Blue  Fox ")
    assert "Your code: Blue Fox" in student.text
    student.submit("/choose", button=0)
    other = server.student()
    join(other, code="blue fox")
    assert "Welcome back" in other.text and step_of(other) == 1


def test_a_class_code_is_needed_to_join(make_server):
    server = make_server(FLAT, class_code="TUESDAY")
    student = server.student()
    student.get("/?class=tuesday")
    assert student.form("/join").fields["class_code"] == "tuesday"
    student.submit("/join", class_code="MONDAY")
    assert "That class code is not right" in student.text
    student.submit("/join", class_code="tuesday")
    assert "Content note" in student.text


def test_joining_paused_and_a_session_ended(make_server):
    server = make_server(FLAT)
    early = server.student()
    join(early)
    code = early.text.split("Your code: ")[1].split()[0]
    server.play.set_joining(False)
    late = server.student()
    late.get("/")
    assert "Joining is paused" in late.text
    late.submit("/join")
    assert "Joining is paused: wait for your teacher" in late.text
    join(late, code=code)  # coming back still works
    assert "Welcome back" in late.text
    data = dict(late.form("/choose").fields, choice="pay")
    server.play.end_class()
    late.post("/choose", data)
    assert "This session has ended" in late.text
    assert choices_in_db(server) == []


def test_play_again_after_an_ending_keeps_the_first_playthrough(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    student.submit("/choose", button=0)
    student.submit("/choose", button=0)
    student.submit("/again")
    assert "Their pronouns" in student.text
    student.submit("/begin", partner="Sam")
    assert '<h1 id="scene-h">The rent</h1>' in student.response.text
    records = server.play.records()
    assert [str(r.status) for r in records] == ["complete", "in_progress"]


def test_help_is_one_link_away(make_server):
    server = make_server(FLAT)
    student = server.student()
    student.get("/help")
    assert "Someone to talk to" in student.text
    assert "someone you trust" in student.text
    assert "<h2>Someone to talk to</h2>" in student.response.text
    assert "<li>A doctor or a school nurse can help too.</li>" in student.response.text


def test_display_preferences_are_kept(make_server):
    server = make_server(FLAT)
    student = server.student()
    join(student)
    student.submit("/preferences", contrast="1", large="1")
    assert 'class="pref-contrast pref-large student"' in student.response.text
    assert student.response.url.path == "/play"


def test_leaving_a_shared_computer(make_server):
    server = make_server(FLAT)
    first = server.student()
    join(first)
    first.submit("/choose", button=0)
    code = first.text.split("Your code: ")[1].split()[0]
    first.submit("/leave")
    assert "You have left this device" in first.text and code in first.text
    first.get("/")  # the next student on this computer starts their own play
    assert "Join the class" in first.text
    join(first)
    assert '<h1 id="scene-h">The rent</h1>' in first.response.text
    assert code not in first.text
    again = server.student()
    join(again, code=code)  # and the first goes on elsewhere
    assert "Welcome back" in again.text and step_of(again) == 1
