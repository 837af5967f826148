"""The playthrough kept beside a save (`<slot>.playthrough.json`), read back however it was
damaged: never an exception, never a time that is not a finite number of seconds."""

import copy
import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Session, load_story
from engine.classroom.playthrough import (
    PLAYER_LIMIT,
    Playthrough,
    read_sidecar,
    sidecar_path,
    write_sidecar,
)

from ..conftest import STORIES
from .test_records_damage import field_paths, set_path

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats()
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


def saved_playthrough(folder):
    story = load_story(STORIES / "tiny.yaml")
    session = Session(story, seed=9)
    session.choose("argue")
    playthrough = Playthrough.begin(session, "A1")
    playthrough.seconds = [2.5]
    save = folder / "autosave.json"
    write_sidecar(save, playthrough)
    return session, save


def check(playthrough, session):
    if playthrough is None:
        return
    assert len(playthrough.seconds) == len(session.history)
    assert all(s is None or (math.isfinite(s) and s >= 0) for s in playthrough.seconds)
    assert playthrough.player is None or isinstance(playthrough.player, str)
    record = playthrough.record(session, "Class")
    assert record.steps[0].seconds is None or math.isfinite(record.steps[0].seconds)


@given(st.data())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_json_anywhere_in_the_playthrough_file_never_raises(data):
    with tempfile.TemporaryDirectory() as name:
        session, save = saved_playthrough(Path(name))
        original = json.loads(sidecar_path(save).read_text("utf-8"))
        damaged = copy.deepcopy(original)
        paths = [path for path in field_paths(original) if path]
        value = data.draw(json_values)
        if data.draw(st.booleans()):
            damaged = value
        else:
            set_path(damaged, data.draw(st.sampled_from(paths)), value)
        sidecar_path(save).write_text(json.dumps(damaged), "utf-8")
        check(read_sidecar(save, session), session)


@pytest.mark.parametrize(
    "seconds", [10**400, float("inf"), float("nan"), -1, True, "3", [1.0], 1e308 * 10]
)
def test_a_time_that_is_not_a_finite_number_of_seconds_is_unknown(tmp_path, seconds):
    """An integer too large for a float raised OverflowError out of the reader."""
    session, save = saved_playthrough(tmp_path)
    data = json.loads(sidecar_path(save).read_text("utf-8"))
    data["seconds"] = [seconds]
    sidecar_path(save).write_text(json.dumps(data), "utf-8")
    playthrough = read_sidecar(save, session)
    assert playthrough is not None and playthrough.seconds == [None]
    assert playthrough.player == "A1"


def test_a_deeply_nested_or_huge_playthrough_file_is_ignored(tmp_path):
    session, save = saved_playthrough(tmp_path)
    assert read_sidecar(save, session).seconds == [2.5]
    sidecar_path(save).write_text("[" * 100_000, "utf-8")
    assert read_sidecar(save, session) is None
    with open(sidecar_path(save), "wb") as file:
        file.truncate(1024**3)  # sparse: a gigabyte on no disk space
    assert read_sidecar(save, session) is None


def test_a_saved_player_name_is_cut_and_cleaned_as_the_game_takes_names():
    session = Session(load_story(STORIES / "tiny.yaml"), seed=3)
    data = Playthrough.begin(session, "x").to_data()
    data["player"] = "A\x1b[31m" + "b" * 500 + "\0"
    player = Playthrough.from_data(data, session).player
    assert player is not None and len(player) == PLAYER_LIMIT and player.isprintable()
    data["player"] = "\x00\x07"
    assert Playthrough.from_data(data, session).player is None
