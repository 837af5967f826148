"""A session's random generator in saves: written as its seed's count of draws (save format 2),
read back to the very same state, so a loaded session draws what the unsaved one would; saves
of format 1 (the generator's whole state) still load, and are written short after."""

from __future__ import annotations

import json
import random
from textwrap import dedent

import pytest

from engine import Session, SessionError, load_story
from engine.play.saves import VERSION
from engine.play.snapshot import MAX_DRAWS, draws_from_seed, state_after

LOOP = dedent("""\
    title: Loop
    start: room
    meters:
      luck: {start: 50}
    scenes:
      room:
        text: Toss again?
        choices:
          - id: toss
            text: Toss.
            outcomes:
              - weight: 1
                goto: room
                effects: {luck: +1}
              - weight: 1
                goto: room
                effects: {luck: -1}
          - id: stop
            text: Stop.
            goto: done
      done:
        text: Done.
        ending: {title: Done}
    """)


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, "utf-8")
    return load_story(path)


def tossed(story, times: int, seed: int = 11) -> Session:
    session = Session(story, seed=seed)
    for _ in range(times):
        session.choose("toss")
    return session


def outcomes(session: Session, times: int) -> list[int]:
    return [session.choose("toss").outcome for _ in range(times)]


def test_a_save_keeps_the_generator_as_a_count_and_loads_to_the_same_draws(story):
    session = tossed(story, 7)
    data = json.loads(json.dumps(session.to_save()))
    assert data["rng"] == {"draws": 7} and data["origin"]["rng"] == {"draws": 0}
    loaded, notes = Session.from_save(story, data)
    assert notes == []
    assert loaded.snapshot().rng == session.snapshot().rng
    assert outcomes(loaded, 40) == outcomes(session, 40)


def test_undo_after_a_load_puts_back_the_count_too(story):
    session = tossed(story, 3)
    loaded, _ = Session.from_save(story, json.loads(json.dumps(session.to_save())))
    loaded.undo()
    assert loaded.to_save()["rng"] == {"draws": 2}
    session.undo()
    assert outcomes(loaded, 10) == outcomes(session, 10)


@pytest.mark.parametrize("times", [0, 1, 5, 311, 312, 313, 700])
def test_a_format_1_save_loads_and_is_written_short_after(story, times):
    session = tossed(story, times)
    data = json.loads(json.dumps(session.to_save()))
    for part in (data, data["origin"]):  # as format 1 wrote it: the whole state
        draws = part["rng"]["draws"]
        version, internal, gauss = state_after(session.seed, draws)
        part["rng"] = [version, list(internal), gauss]
    loaded, notes = Session.from_save(story, data)
    assert notes == []
    assert loaded.to_save()["rng"] == {"draws": times}
    assert outcomes(loaded, 20) == outcomes(session, 20)


def test_a_state_no_count_reaches_is_kept_whole(story):
    """A saved state from another generator (a save edited by hand, or a test's) loads, draws
    on from that state, and is written whole again."""
    session = tossed(story, 2)
    data = json.loads(json.dumps(session.to_save()))
    version, internal, gauss = random.Random(999).getstate()
    data["rng"] = [version, list(internal), gauss]
    loaded, _ = Session.from_save(story, data)
    assert loaded.to_save()["rng"] == [version, list(internal), gauss]
    expected = random.Random(999)
    drawn = outcomes(loaded, 30)
    assert drawn == [0 if expected.random() * 2 - 1 < 0 else 1 for _ in range(30)]
    assert isinstance(loaded.to_save()["rng"], list)  # still no count: written whole


@pytest.mark.parametrize(
    "rng",
    [{"draws": -1}, {"draws": MAX_DRAWS + 1}, {"draws": True}, {"draws": 1, "x": 2}, {}],
)
def test_a_damaged_count_is_refused(story, rng):
    data = json.loads(json.dumps(tossed(story, 1).to_save()))
    data["rng"] = rng
    with pytest.raises(SessionError, match="random state is damaged"):
        Session.from_save(story, data)


def test_counts_are_found_across_the_generators_twists():
    for draws in (0, 1, 2, 311, 312, 313, 624, 1000, 2496):
        assert draws_from_seed(5, state_after(5, draws)) == draws
    assert draws_from_seed(5, state_after(6, 3)) is None
    assert draws_from_seed(5, state_after(5, 2497)) is None  # beyond the search: kept whole


def test_the_save_format_says_it_changed():
    assert VERSION == 2


def test_a_save_of_the_bundled_story_is_small(tmp_path):
    """The generator's 625 numbers, twice, were about 15 KB of each 20 KB save."""
    from engine.paths import BUNDLED_STORY

    story = load_story(BUNDLED_STORY)
    session = Session(story, seed=3)
    session.choose(session.offered()[0].id)
    assert len(json.dumps(session.to_save())) < 6000
