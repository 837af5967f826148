"""Attacks on the class server that once worked: each test is the reproducer of a problem found
by trying to break the server's rules, kept so the problem stays fixed."""

from __future__ import annotations

import contextlib
import sqlite3

from .conftest import STORIES, join

FLAT = STORIES / "server_class.yaml"


def rows(server, query: str) -> list[tuple]:
    with sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True) as connection:
        return connection.execute(query).fetchall()


def test_the_partner_form_sent_again_does_not_throw_away_the_play(make_server):
    """The back button (or a second tab) to the partner page, sent again after a choice, once
    began a new playthrough and set the one in progress aside as reset."""
    server = make_server(FLAT)
    student = server.student()
    student.get("/")
    student.submit("/join")
    student.submit("/note")
    partner_form = dict(student.form("/begin").fields)
    student.submit("/begin")
    student.submit("/choose", button=0)
    student.post("/begin", data=partner_form)
    assert "stale" in str(student.response.url) or "out of date" in student.text
    assert rows(server, "SELECT status, turns FROM playthroughs") == [("playing", 1)]
    assert '<h1 id="scene-h">Later</h1>' in student.response.text


def test_wrong_teacher_links_count_as_wrong_tries(make_server):
    """A wrong key in the teacher link was refused but never counted: the link could be
    guessed without end, though the docs say ten wrong tries make a device wait."""
    server = make_server(FLAT)
    guesser = server.student()
    for number in range(10):
        response = guesser.client.get(f"/teacher/login?key=guess{number}")
        assert response.status_code == 403
    response = guesser.client.get("/teacher/login?key=" + server.play.teacher_secret)
    assert response.status_code == 429
    assert "Too many wrong tries from this device" in response.text


def test_a_cookie_planted_before_joining_does_not_open_the_play(make_server):
    """Session fixation: someone sets bop_sid in a shared browser (its developer tools) to a
    value they know; the next student joins there; the planted value then opened that
    student's play from any device. Joining now gives the browser a new session id."""
    server = make_server(FLAT)
    planted = "planted-by-someone-else"
    victim = server.student()
    victim.client.cookies.set("bop_sid", planted, domain="testserver.local")
    victim.get("/")
    victim.submit("/join")
    victim.submit("/note")
    victim.submit("/begin", partner="Victimpartner")
    assert victim.client.cookies.get("bop_sid") != planted
    assert "Victimpartner" in victim.client.get("/play").text or victim.has_form("/choose")
    attacker = server.student()
    attacker.client.cookies.set("bop_sid", planted, domain="testserver.local")
    page = attacker.client.get("/play", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/"


def test_a_class_holds_at_most_so_many_players(make_server, monkeypatch):
    """Every POST /join from a new cookie made a player, without end: one script could fill
    the database and the teacher's dashboard. A class now holds MAX_PLAYERS; a student
    coming back with their code still can."""
    from engine.server import classplay

    monkeypatch.setattr(classplay, "MAX_PLAYERS", 3)
    server = make_server(FLAT)
    first = server.student()
    join(first)
    code = server.play.player_for(first.client.cookies["bop_sid"]).code
    for _ in range(2):
        join(server.student())
    late = server.student()
    late.get("/")
    late.submit("/join")
    assert late.response.status_code == 400
    assert "This class is full (3 players)" in late.text
    assert server.play.counts()[0] == 3
    again = server.student()
    again.get("/")
    again.submit("/join", code=code)
    assert again.response.status_code == 200 and again.has_form("/choose")


def test_a_choice_racing_a_reset_does_not_bring_the_playthrough_back(make_server):
    """The teacher resets a player while that player's choice is on its way (the player was
    read before the reset, the choice made after): the choice was stored on the playthrough
    set aside, and turned its status back to 'playing', so it counted again on the dashboard
    and in the records as in progress."""
    from engine.server.classplay import Outcome
    from engine.story.text import Partner

    server = make_server(FLAT)
    play = server.play
    player, _ = play.join("browser-1", None)
    play.note_seen(player)
    play.begin(player, Partner("Kit"))
    before_reset = play.player_for("browser-1")
    assert play.reset_player(before_reset.number)
    outcome, _turn = play.choose(before_reset, 0, "pay")
    assert outcome == Outcome.STALE
    assert rows(server, "SELECT status, turns FROM playthroughs") == [("reset", 0)]
    assert play.class_view().choices_made == 0


def test_a_player_plays_again_at_most_so_many_times(make_server, monkeypatch):
    """Play to an ending, Play again, in a loop: every round kept another playthrough (some
    26 KB in the database, 47 KB in memory for the records), without end, from one browser
    that needed no more than to join. A player now has at most MAX_PLAYTHROUGHS."""
    from engine.server import classplay

    monkeypatch.setattr(classplay, "MAX_PLAYTHROUGHS", 2)
    server = make_server(FLAT)
    student = server.student()
    join(student)
    for _ in range(2):
        student.submit("/choose", button=0)
        student.submit("/choose", button=0)
        assert student.has_form("/again")
        student.submit("/again")
        if not student.has_form("/begin"):
            break
        student.submit("/begin")
    assert "as many times as one player may" in student.text
    assert len(rows(server, "SELECT id FROM playthroughs")) == 2
    assert rows(server, "SELECT status FROM playthroughs") == [("ended",), ("ended",)]


def test_a_body_sent_a_byte_at_a_time_is_cut_off(make_server):
    """A slow body (slowloris) holds a connection only so long: then a plain 408. Served by
    uvicorn on a real socket, as `serve` does, with a short limit for the test."""
    import socket
    import threading
    import time

    import uvicorn

    from engine.server.security import Guard

    server = make_server(FLAT)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        Guard(server.app, body_seconds=0.5), log_level="critical", lifespan="off"
    )
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if web.started:
                break
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(
                b"POST /join HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
            )
            started = time.monotonic()
            answer = b""
            for _ in range(40):  # a byte every 0.1 s: 4 s for the whole body
                try:
                    client.sendall(b"a")
                except OSError:
                    break
                time.sleep(0.1)
                client.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    answer += client.recv(65536)
                client.setblocking(True)
                if answer:
                    break
            elapsed = time.monotonic() - started
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"That took too long to arrive" in answer
        assert elapsed < 2.0
    finally:
        web.should_exit = True
        thread.join(timeout=10)
        listener.close()
