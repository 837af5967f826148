"""What a choice stores: the session's whole state (`Session.to_save`) as JSON, with the turns
of its history encoded once each (`ClassPlay._state_json`) rather than again at every choice.
It must be the same state, whatever the path: choices, undos, a session rebuilt from the
database (whose turns are new objects), two playthroughs side by side."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from engine.classroom.settings import Classroom
from engine.play.flow import Flow
from engine.server.classplay import ClassPlay
from engine.server.database import open_database, playthroughs
from engine.story.text import Partner


def stored_state(play, playthrough: int) -> dict:
    with play.database.engine.connect() as connection:
        state = connection.execute(
            select(playthroughs.c.state).where(playthroughs.c.id == playthrough)
        ).scalar_one()
    return json.loads(state)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**16), undo_every=st.integers(2, 6), rebuild_at=st.integers(0, 12))
def test_the_stored_state_is_the_sessions_whole_state(make_server, seed, undo_every, rebuild_at):
    """Two server processes (each its own caches) take turns at random with two players'
    forms, as a class's requests land on either worker."""
    server = make_server(classroom=Classroom(allow_undo=True))
    first = server.play
    database = open_database(server.database.url)
    second = ClassPlay(database, first.story, first.classroom, class_id=first.class_id)
    try:
        rng = random.Random(seed)
        browsers = []
        for number in range(2):  # two playthroughs side by side: their encodings never mix
            browser = f"browser-{seed}-{number}"
            player, _ = first.join(browser, None)
            first.note_seen(player)
            first.begin(player, Partner("Kit"))
            browsers.append(browser)
        for move in range(40):
            play = rng.choice((first, second))
            player = play.student(browsers[move % 2]).player
            view = play.view(player)
            if view.session.state != Flow.PLAYING:
                continue
            if move == rebuild_at:  # as after a restart: the session read back from the file
                play._forget(view.playthrough)
                view = play.view(player)
            if move % undo_every == undo_every - 1 and view.session.can_undo:
                outcome, _turn = play.undo(player, view.step)
            else:
                choice = rng.choice([option.id for option in view.session.offered()])
                outcome, _turn = play.choose(player, view.step, choice)
            assert outcome == "done"
            after = play.view(player)
            assert stored_state(play, after.playthrough) == after.session.to_save()
    finally:
        database.close()
