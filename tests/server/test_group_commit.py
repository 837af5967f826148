"""Choices made on the event loop are stored by the group committer: those that arrive together
share one transaction, each request is answered only once its choice is committed, a form sent
twice still applies once, and one change that fails does not fail the others."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from engine.server import classplay
from engine.server.classplay import JoinError, Outcome, write_change
from engine.server.database import choices
from engine.story.text import Partner

from .conftest import STORIES

FLAT = STORIES / "server_class.yaml"


def run_apart(coroutine):
    """Run a coroutine to its end on an event loop of its own, in a thread of its own: in the
    whole suite the browser tests' Playwright keeps an event loop running in this thread, where
    `asyncio.run` refuses to start (regression: these tests failed only in the full suite)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def begun_players(play, count: int) -> list:
    for number in range(count):
        player, _ = play.join(f"browser-{number}", None)
        play.note_seen(player)
        play.begin(player, Partner("Kit"))
    return [play.student(f"browser-{number}") for number in range(count)]


def test_choices_arriving_together_share_a_transaction_and_are_all_kept(make_server):
    server = make_server(FLAT)
    play = server.play
    students = begun_players(play, 30)

    async def everyone():
        return await asyncio.gather(
            *(play.choose_async(s.player, 0, "pay", None, s) for s in students)
        )

    outcomes = run_apart(everyone())
    assert [outcome for outcome, _turn in outcomes] == [Outcome.DONE] * 30
    assert play.committer.batches < 30  # one fsync served several choices
    assert play.counts() == (30, 30)
    for student in students:  # every answer's change is on disk, and each cached session too
        assert play.student(f"browser-{student.player.number - 1}").step == 1
        assert play.view(student.player).session.history[-1].choice == "pay"


def test_the_same_form_sent_at_once_applies_once(make_server):
    server = make_server(FLAT)
    play = server.play
    (student,) = begun_players(play, 1)

    async def eight_times():
        return await asyncio.gather(
            *(play.choose_async(student.player, 0, "pay", None, student) for _ in range(8))
        )

    outcomes = sorted(outcome for outcome, _turn in run_apart(eight_times()))
    assert outcomes == [Outcome.DONE] + [Outcome.STALE] * 7
    assert play.counts() == (1, 1)
    assert play.view(student.player).step == 1


def test_a_change_that_fails_fails_alone(make_server, monkeypatch):
    """A change the database refuses with an error (here a choice row that is already there)
    rolls its batch back; the others are then written one by one and kept."""
    server = make_server(FLAT)
    play = server.play
    students = begun_players(play, 4)

    def failing_for_the_second(connection, change):
        if change.made and change.made["playthrough_id"] == students[1].player.current:
            connection.execute(choices.insert(), change.made)  # the row twice: an error
        return write_change(connection, change)

    monkeypatch.setattr(classplay, "write_change", failing_for_the_second)

    async def everyone():
        return await asyncio.gather(
            *(play.choose_async(s.player, 0, "pay", None, s) for s in students),
            return_exceptions=True,
        )

    results = run_apart(everyone())
    assert isinstance(results[1], Exception)
    assert [results[n][0] for n in (0, 2, 3)] == [Outcome.DONE] * 3
    with server.database.engine.connect() as connection:
        kept = connection.execute(select(choices.c.playthrough_id)).scalars().all()
    assert sorted(kept) == sorted(students[n].player.current for n in (0, 2, 3))
    # The failed one stored nothing, and its player can still make the choice.
    monkeypatch.setattr(classplay, "write_change", write_change)
    again = play.student("browser-1")
    assert again.step == 0
    assert run_apart(play.choose_async(again.player, 0, "pay", None, again))[0] == "done"


def test_joins_and_choices_share_a_batch_and_a_refused_join_fails_alone(make_server):
    """A student's other changes (joining, the note, beginning) go through the committer with
    the choices; a join refused inside the transaction (a code no one has) is that request's
    answer, and the batch's other changes are committed without being rolled back and made
    again one by one."""
    server = make_server(FLAT)
    play = server.play
    students = begun_players(play, 3)
    before = play.committer.batches

    async def together():
        return await asyncio.gather(
            *(play.choose_async(s.player, 0, "pay", None, s) for s in students),
            play.stored(play.joining("new-browser", None)),
            play.stored(play.joining("lost-browser", "NO-SUCH")),
            return_exceptions=True,
        )

    *chosen, joined, refused = run_apart(together())
    assert [outcome for outcome, _turn in chosen] == [Outcome.DONE] * 3
    assert joined[1] is False and joined[0].number == 4
    assert isinstance(refused, JoinError) and "No one in this class has that code" in str(refused)
    assert play.committer.batches - before == 1  # one transaction, nothing made again
    assert play.counts() == (4, 3)

    async def note_and_begin():
        player = joined[0]
        await play.stored(play.seeing_note(player))
        return await play.stored(play.beginning(player, Partner("Sam")))

    assert run_apart(note_and_begin()) == Outcome.DONE
    fresh = play.student("new-browser")
    assert fresh.player.seen_note and fresh.step == 0


def test_a_choice_through_the_pages_is_committed_before_the_page_after_it(make_server):
    """The page after a choice, made by a new server on the same file (a restart, or another
    worker), shows the choice: it was on disk when the redirect was sent."""
    from .conftest import join, step_of

    server = make_server()
    student = server.student()
    join(student)
    step = step_of(student)
    student.submit("/choose", button=0)
    assert student.response.url.path == "/play"
    other = make_server(db=server.db_path)
    other_browser = other.student()
    other_browser.client.cookies.update(student.client.cookies)
    other_browser.get("/play")
    assert step_of(other_browser) == step + 1


def test_the_answered_requests_run_before_the_next_batch_takes_the_write_lock(make_server):
    """A request answered goes on to render its page on the event loop; the next batch's
    write lock must not be taken meanwhile, or it is held (and another process kept waiting)
    until the loop gets back to the batch (regression: with the page answered at once, one
    choice in a hundred waited seconds at a class's full load)."""
    server = make_server(FLAT)
    play = server.play
    first, second = begun_players(play, 2)
    play.database.try_turn = lambda: None  # as when another process has the turn
    held: list[bool] = []

    async def answered_then_rendering():
        outcome, _turn = await play.choose_async(first.player, 0, "pay", None, first)
        time.sleep(0.05)  # the page, rendered on the event loop
        held.append(play.database.write_lock.locked())
        return outcome

    async def arriving_meanwhile():
        # Once the first batch holds the turn and has taken the first choice.
        while play.committer._waiting or not play.database.write_lock.locked():
            await asyncio.sleep(0.001)
        outcome, _turn = await play.choose_async(second.player, 0, "pay", None, second)
        return outcome

    async def both():
        return await asyncio.gather(answered_then_rendering(), arriving_meanwhile())

    assert run_apart(both()) == [Outcome.DONE, Outcome.DONE]
    assert play.committer.batches == 2
    assert held == [False]


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX; Windows keeps SQLite's wait")
def test_a_batch_waits_for_the_files_write_turn_among_processes(make_server):
    """The committer's batches take the file's write turn as every other write does, so a
    server process waiting for another's wakes when the turn ends, not in SQLite's busy loop,
    which sleeps in steps of up to 100 ms (regression: only the joins took the turn)."""
    import fcntl

    server = make_server(FLAT)
    play = server.play
    (student,) = begun_players(play, 1)
    other_process = os.open(play.database.lock_path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(other_process, fcntl.LOCK_EX)

        async def choose_while_the_turn_is_held():
            choosing = play.choose_async(student.player, 0, "pay", None, student)
            choice = asyncio.ensure_future(choosing)
            await asyncio.sleep(0.3)
            waited = not choice.done() and play.counts() == (1, 0)
            fcntl.flock(other_process, fcntl.LOCK_UN)  # the other process's turn ends
            outcome, _turn = await asyncio.wait_for(choice, 10)
            return waited, outcome

        assert run_apart(choose_while_the_turn_is_held()) == (True, Outcome.DONE)
        assert play.counts() == (1, 1)
    finally:
        os.close(other_process)


def test_a_batch_made_when_the_turn_is_free_is_made_at_once_on_the_event_loop(make_server):
    """When no one has the write turn, a batch takes it, writes and commits at once, without
    the hops to the committer's thread and back, each of which waited for the busy event
    loop (or the GIL) while the turn was held and the other process kept waiting."""
    server = make_server(FLAT)
    play = server.play
    students = begun_players(play, 5)

    async def everyone():
        return await asyncio.gather(
            *(play.choose_async(s.player, 0, "pay", None, s) for s in students)
        )

    assert [outcome for outcome, _turn in run_apart(everyone())] == [Outcome.DONE] * 5
    assert play.committer._thread is None  # never needed
    assert 1 <= play.committer.batches <= 5 and play.counts() == (5, 5)
    assert not play.database.write_lock.locked()


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX; Windows keeps SQLite's wait")
def test_a_batch_cancelled_while_waiting_for_the_turn_leaves_the_turn_free(make_server):
    """When the event loop is torn down while the committer's thread waits for the write turn,
    the thread still gets the turn once it is free, and must end it: a turn left taken would
    keep every other writer waiting for ever (found by a review)."""
    import fcntl

    server = make_server(FLAT)
    play = server.play
    (student,) = begun_players(play, 1)
    other_process = os.open(play.database.lock_path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(other_process, fcntl.LOCK_EX)

        async def cancelled_while_waiting():
            choice = asyncio.ensure_future(
                play.choose_async(student.player, 0, "pay", None, student)
            )
            await asyncio.sleep(0.2)  # the committer's thread is waiting for the turn
            play.committer._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await choice
            return choice.cancelled()

        assert run_apart(cancelled_while_waiting()) is True
        fcntl.flock(other_process, fcntl.LOCK_UN)  # the other process's turn ends
    finally:
        os.close(other_process)
    deadline = time.monotonic() + 10
    while play.database.write_lock.locked() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not play.database.write_lock.locked()
    with play.database.writing():  # the turn can be had again, across processes too
        pass
    assert play.counts() == (1, 0)  # nothing was written
