"""What a student's pages ask of the database: a choice and the page after it in a handful of
statements (counted, never timed), and the one query every student's page begins with."""

from __future__ import annotations

from sqlalchemy import event

from engine.story.text import Partner

from .conftest import STORIES, join, step_of

FLAT = STORIES / "server_class.yaml"


class Statements:
    """The statements SQLite runs on the server's connections (BEGIN and COMMIT included)."""

    def __init__(self, database):
        self.seen: list[str] = []
        database.engine.dispose()  # connections opened from now on are traced
        event.listen(database.engine, "connect", self._trace)

    def _trace(self, dbapi_connection, _record) -> None:
        dbapi_connection.set_trace_callback(self.seen.append)

    def during(self, action) -> list[str]:
        self.seen.clear()
        action()
        return list(self.seen)


def test_a_choice_and_the_page_after_it_take_six_statements(make_server):
    server = make_server()
    statements = Statements(server.database)
    student = server.student()
    join(student)
    step = step_of(student)
    form = student.form("/choose")
    data = {**form.fields, "choice": [b for b in form.buttons if not b["disabled"]][0]["value"]}
    response = None

    def choose():
        nonlocal response
        response = student.client.post("/choose", data=data, follow_redirects=False)

    posted = statements.during(choose)
    assert response.status_code == 303 and response.headers["location"] == "/play"
    # One read (the player, the class and the step together), then the transaction.
    assert [s.split()[0] for s in posted] == ["SELECT", "BEGIN", "UPDATE", "INSERT", "COMMIT"]
    assert posted[1] == "BEGIN IMMEDIATE"
    page = statements.during(lambda: student.get("/play"))
    assert [s.split()[0] for s in page] == ["SELECT"]  # the session is the cached one
    assert step_of(student) == step + 1


def test_a_stale_form_is_refused_after_one_read(make_server):
    server = make_server()
    statements = Statements(server.database)
    student = server.student()
    join(student)
    form = student.form("/choose")
    data = {**form.fields, "choice": [b for b in form.buttons if not b["disabled"]][0]["value"]}
    student.client.post("/choose", data=data, follow_redirects=False)
    replayed = statements.during(
        lambda: student.client.post("/choose", data=data, follow_redirects=False)
    )
    assert [s.split()[0] for s in replayed] == ["SELECT"]
    assert student.client.post("/choose", data=data).url.query == b"note=stale"
    assert server.play.counts() == (1, 1)


def test_one_query_reads_the_player_the_class_and_the_step(make_server):
    server = make_server(FLAT)
    play = server.play
    nobody = play.student("no-such-browser")
    assert (nobody.player, nobody.joining_open, nobody.ended, nobody.step) == (
        None,
        True,
        False,
        None,
    )
    assert play.student(None).player is None
    player, _ = play.join("browser-1", None)
    joined = play.student("browser-1")
    assert joined.player == player and joined.step is None
    play.note_seen(player)
    play.begin(player, Partner("Kit"))
    begun = play.student("browser-1")
    assert begun.step == 0 and begun.player.current is not None
    play.choose(begun.player, 0, "pay", student=begun)
    play.end_class()
    after = play.student("browser-1")
    assert (after.step, after.ended, after.joining_open) == (1, True, False)


def test_a_choice_told_a_step_the_database_has_moved_past_is_stale(make_server):
    """The step read with the player is the database's: a form for another step is stale
    without reading more, and a session cached at an older step is never used."""
    server = make_server(FLAT)
    play = server.play
    player, _ = play.join("browser-1", None)
    play.note_seen(player)
    play.begin(player, Partner("Kit"))
    first = play.student("browser-1")
    assert play.choose(first.player, 0, "pay", student=first)[0] == "done"
    assert play.choose(first.player, 0, "pay", student=play.student("browser-1"))[0] == "stale"
    # Told the old step (read before the choice landed), it still finds the form stale.
    assert play.choose(first.player, 0, "pay", student=first)[0] == "stale"
    assert play.counts() == (1, 1)


def test_the_student_query_finds_the_player_by_its_index(make_server):
    """Not by reading every player of the class (what SQLite chose before schema version 2)."""
    server = make_server(FLAT)
    play = server.play
    query = play._student_query.statement.compile(server.database.engine)
    values = [query.params[name] if name != "sid_hash" else "x" for name in query.positiontup]
    with server.database.engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}", tuple(values)).all()
    players_step = [row[-1] for row in plan if " players " in row[-1]]
    assert players_step and "players_by_class_and_sid" in players_step[0], plan
