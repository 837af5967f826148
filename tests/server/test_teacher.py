"""The teacher's pages: signing in, the dashboard, the projector's reveals, the controls and
the downloads (the same report and records as the desktop game's), and what never reaches
them: a student's typed partner name, and codes on the projector."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest

from engine.classroom.records import Record
from engine.classroom.settings import Classroom

from .conftest import ROOT_DIR, STORIES, join

FLAT = STORIES / "server_class.yaml"
TEACHER_PAGES = [
    "/teacher",
    "/teacher/live",
    "/teacher/projector",
    "/teacher/projector/live",
    "/teacher/class-report.html",
    "/teacher/class-report.csv",
    "/teacher/records.zip",
]


def class_with_players(make_server, classroom=None, count=3, partner="Zebedee"):
    server = make_server(FLAT, classroom or Classroom(ask_player="code"))
    students = []
    for number in range(count):
        student = server.student()
        join(student, code=f"Code{number}", partner=partner)
        for _ in range(min(number, 2)):  # players 1, 2, 3 make 0, 1, 2 choices (2 end it)
            student.submit("/choose", button=0)
        students.append(student)
    return server, students


@pytest.mark.parametrize("page", TEACHER_PAGES)
def test_the_teachers_pages_need_the_secret(make_server, page):
    server, _ = class_with_players(make_server)
    stranger = server.student()
    response = stranger.client.get(page)
    assert response.status_code == 403
    assert "Code1" not in response.text and "Player 1" not in response.text
    assert "This page is for the teacher" in response.text


def test_the_secret_link_signs_in_with_a_strict_cookie(make_server):
    server = make_server(FLAT)
    browser = server.student()
    wrong = browser.client.get("/teacher/login?key=guess", follow_redirects=False)
    assert wrong.status_code == 403
    right = browser.client.get(
        "/teacher/login?key=" + server.play.teacher_secret, follow_redirects=False
    )
    assert right.status_code == 303 and right.headers["location"] == "/teacher"
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert server.play.teacher_secret not in cookie  # the cookie is not the secret itself
    assert len(server.play.teacher_secret) >= 22  # at least 128 random bits, URL-safe
    assert browser.client.get("/teacher").status_code == 200


def test_a_password_from_the_classroom_file(make_server):
    server = make_server(FLAT, Classroom(teacher_password="correct horse battery"))
    browser = server.student()
    browser.get("/teacher/login")
    assert browser.response.status_code == 200 and "password" in browser.text
    browser.submit("/teacher/login", password="wrong one")
    assert browser.response.status_code == 403 and "That password is not right." in browser.text
    browser.get("/teacher/login")
    browser.submit("/teacher/login", password="correct horse battery")
    assert browser.response.url.path == "/teacher" and "Class dashboard" in browser.text


def test_the_dashboard_is_anonymous_unless_codes_are_asked_for(make_server):
    server, _ = class_with_players(make_server)
    teacher = server.teacher()
    assert "3 joined, 2 playing, 1 finished; 3 choices made." in teacher.text
    assert "Player 1" in teacher.text and "Code1" not in teacher.text
    teacher.get("/teacher?codes=1")
    assert "Code0" in teacher.text and "Code2" in teacher.text
    assert "Zebedee" not in teacher.response.text
    live = teacher.client.get("/teacher/live")
    assert live.status_code == 200 and "<html" not in live.text and "Player 2" in live.text
    # the share of the class at the first decision: 2 players chose there
    assert "The rent" in teacher.text


def test_the_projector_shows_no_codes_and_hides_results_until_revealed(make_server):
    server, _ = class_with_players(make_server)
    teacher = server.teacher()
    teacher.get("/teacher/projector?codes=1")
    text = teacher.text
    assert "Code" not in text.replace("QR code", "").replace("class code", "")
    assert "The rent" in text and "2 answers" in text
    assert "The results are hidden until you reveal them." in text
    assert "%" not in text
    teacher.submit("/teacher/reveal", key="rent")
    assert teacher.response.url.path == "/teacher/projector"
    assert "%" in teacher.text and "Hide the results" in teacher.text
    teacher.submit("/teacher/reveal", button=0)  # hide again
    assert "%" not in teacher.text
    teacher.post(
        "/teacher/reveal",
        {"csrf": teacher.form("/teacher/reveal").fields["csrf"], "key": "no-such-scene"},
    )
    assert teacher.response.status_code == 400


def test_the_endings_and_meter_ranges_for_the_debrief(make_server):
    server = make_server(FLAT)
    for _ in range(2):
        student = server.student()
        join(student)
        student.submit("/choose", button=0)
        student.submit("/choose", button=0)
    teacher = server.teacher()
    teacher.get("/teacher/projector")
    assert "Apart" not in teacher.text
    teacher.submit("/teacher/reveal", key="endings")
    assert "A way through: 2" in teacher.text
    assert "Trust 57 57 2" in teacher.text  # lowest, highest, players


def test_reset_a_player(make_server):
    server, students = class_with_players(make_server)
    teacher = server.teacher()
    teacher.get("/teacher")
    teacher.submit("/teacher/reset", player="2")
    assert "Reset player 2?" in teacher.text and "is at Later after 1 choice." in teacher.text
    assert [r.status for r in server.play.records()].count("abandoned") == 0  # not yet
    teacher.submit("/teacher/reset")  # confirmed
    assert "3 joined, 1 playing, 1 finished" in teacher.text
    students[1].get("/play")
    assert "Their pronouns" in students[1].text  # begins again
    statuses = sorted(str(record.status) for record in server.play.records())
    assert statuses == ["abandoned", "complete", "in_progress"]
    teacher.post(
        "/teacher/reset", {"csrf": teacher.form("/teacher/reset").fields["csrf"], "player": "99"}
    )
    assert teacher.response.status_code == 404


def test_pause_joining_and_end_the_session(make_server):
    server, students = class_with_players(make_server, count=1)
    teacher = server.teacher()
    teacher.get("/teacher")
    teacher.submit("/teacher/joining")
    assert "Joining is paused" in teacher.text
    teacher.submit("/teacher/joining")
    assert "Joining is open" in teacher.text
    teacher.submit("/teacher/end")  # without the box ticked
    assert teacher.response.status_code == 400
    teacher.get("/teacher")
    teacher.submit("/teacher/end", confirm="yes")
    assert "This session has ended" in teacher.text
    students[0].get("/play")
    assert "Your teacher has ended the session." in students[0].text


def test_the_downloads_hold_no_typed_partner_name(make_server, tmp_path):
    server, _ = class_with_players(make_server, count=4, partner="Zebedee")
    teacher = server.teacher()
    for page in TEACHER_PAGES + ["/teacher?codes=1", "/teacher/class-report.html?names=1"]:
        response = teacher.client.get(page)
        assert response.status_code == 200, page
        assert b"Zebedee" not in response.content, page
    archive = zipfile.ZipFile(io.BytesIO(teacher.client.get("/teacher/records.zip").content))
    for name in archive.namelist():
        assert b"Zebedee" not in archive.read(name)


def test_the_records_download_is_the_desktop_games_format(make_server, tmp_path):
    server, _ = class_with_players(make_server, count=3)
    teacher = server.teacher()
    response = teacher.client.get("/teacher/records.zip")
    assert response.headers["content-type"] == "application/zip"
    assert "attachment" in response.headers["content-disposition"]
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path)
    files = sorted((tmp_path / "records").glob("*.json"))
    assert len(files) == 3
    steps = sorted(len(Record.from_data(json.loads(f.read_text())).steps) for f in files)
    assert steps == [0, 1, 2]
    out = tmp_path / "class.html"
    result = subprocess.run(
        [sys.executable, "main.py", "report", str(tmp_path / "records"), "-o", str(out)],
        cwd=ROOT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "The Shared Flat" in out.read_text()


def test_the_class_report_is_the_report_commands(make_server):
    server, _ = class_with_players(make_server, count=3)
    teacher = server.teacher()
    html = teacher.client.get("/teacher/class-report.html")
    assert "attachment" in html.headers["content-disposition"]
    assert "The Shared Flat" in html.text and "Code1" not in html.text
    named = teacher.client.get("/teacher/class-report.html?names=1")
    assert "Code1" in named.text
    csv = teacher.client.get("/teacher/class-report.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "section,key,label,value,share"


LOOP = """\
title: Round and round
start: ask
responses: {fight: Fight for cooperation, accept: Accept}
scenes:
  ask:
    title: The same question
    text: They say no again.
    choices:
      - {id: again, text: Ask again., response: fight, goto: ask}
      - {id: stop, text: Let it go., response: accept, goto: shrug}
  shrug:
    title: A shrug
    text: Fine.
    choices:
      - {id: tea, text: Make tea., goto: end}
  end:
    text: The end.
    ending: {title: Tea}
"""


def test_a_decision_counts_each_playthrough_once_and_choices_without_a_response(
    make_server, tmp_path
):
    story = tmp_path / "loop.yaml"
    story.write_text(LOOP)
    server = make_server(story)
    for presses in (3, 0):
        student = server.student()
        join(student)
        for _ in range(presses):
            student.submit("/choose", button=0)  # ask again: the same decision met again
        student.submit("/choose", button=1)
        student.submit("/choose", button=0)
    teacher = server.teacher()
    text = teacher.text
    # Each student's first answer at the decision: one fought, one accepted (the report's way).
    assert "The same question Fight for cooperation 1 (50%) Accept 1 (50%)" in text
    assert "A shrug Make tea. 2 (100%)" in text  # no response: counted under its text
    assert "No response named" not in text
    assert "7 choices made" in text  # 3 + 1 + 1, then 1 + 1: every choice is still counted


def test_wrong_teacher_passwords_and_links_are_throttled(make_server):
    server = make_server(FLAT, Classroom(teacher_password="correct horse battery"))
    guesser = server.student()
    for _ in range(10):
        guesser.get("/teacher/login")
        guesser.submit("/teacher/login", password="wrong guess")
        assert guesser.response.status_code == 403
    guesser.get("/teacher/login")
    guesser.submit("/teacher/login", password="correct horse battery")
    assert guesser.response.status_code == 429  # even the right one, for a while
    assert "Too many wrong tries from this device" in guesser.text
    assert guesser.client.get("/teacher/login?key=x").status_code == 429


def test_class_code_auto_is_kept_for_a_class_that_goes_on(make_server, tmp_path):
    first = make_server(FLAT, class_code="auto", db=tmp_path / "auto.sqlite3")
    code = first.play.join_code
    assert code and len(code) == 6
    first.restart()
    assert first.play.join_code == code
