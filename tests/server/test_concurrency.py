"""Many requests at once: the same form sent from several threads applies once; many students
choosing at the same moment each get every choice kept."""

from __future__ import annotations

import threading

from engine.server.classplay import Outcome
from engine.story.text import Partner

from .conftest import STORIES

FLAT = STORIES / "server_class.yaml"


def test_the_same_form_from_eight_threads_applies_once(make_server):
    server = make_server(FLAT)
    play = server.play
    player, _ = play.join("browser-1", None)
    play.note_seen(player)
    assert play.begin(player, Partner("Kit")) == Outcome.DONE
    player = play.player_for("browser-1")
    outcomes = []
    start = threading.Barrier(8)

    def send():
        start.wait()
        outcomes.append(play.choose(player, 0, "pay")[0])

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [Outcome.DONE] + [Outcome.STALE] * 7
    assert play.counts() == (1, 1)
    assert play.view(player).step == 1


def test_forty_students_choosing_at_once_keep_every_choice(make_server):
    server = make_server(FLAT)
    play = server.play
    players = []
    for number in range(40):
        player, _ = play.join(f"browser-{number}", None)
        play.note_seen(player)
        play.begin(player, Partner("Kit"))
        players.append(play.player_for(f"browser-{number}"))
    start = threading.Barrier(len(players))
    failures = []

    def student(player):
        start.wait()
        for step, choice in enumerate(("pay", "plan")):
            outcome, _ = play.choose(player, step, choice)
            if outcome != Outcome.DONE:
                failures.append(outcome)

    threads = [threading.Thread(target=student, args=(p,)) for p in players]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert play.counts() == (40, 80)
    assert [ending[1:] for ending in play.class_view().endings] == [("A way through", 40)]
