"""Starting anywhere (`play --from SCENE --set name=value,...`): the request checked against the
story in plain words, a session begun there with those values, undo going back to it, in the
terminal (the window: tests/ui/test_ui_start_anywhere.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Session
from engine.play.start import StartError, StartRequest
from engine.story.loader import load_story
from tests.conftest import STORIES, run_main

RULES = STORIES / "rules.yaml"
TINY = STORIES / "tiny.yaml"


def test_a_start_resolves_to_its_scene_and_values():
    story = load_story(TINY)
    start = StartRequest("kitchen", "trust=30, met_family=true,security=+5").resolve(story)
    assert start.scene == "kitchen"
    assert dict(start.meters) == {"trust": 30, "security": 5}
    assert dict(start.flags) == {"met_family": True}
    assert StartRequest(None, "trust=0").resolve(story).scene == "hall"  # --set alone


@pytest.mark.parametrize(
    ("scene", "values", "message"),
    [
        ("kitchn", None, "the story has no scene 'kitchn' (did you mean 'kitchen'?)"),
        (None, "trst=5", "'trst' is not a meter or a flag of this story (did you mean 'trust'?)"),
        (None, "zzz=5", "(it has: trust, security, met_family)"),
        (None, "trust=101", "the meter 'trust' goes from 0 to 100, so 101 cannot be set"),
        (None, "trust=-1", "goes from 0 to 100, so -1 cannot be set"),
        (None, "trust=ten", "the meter 'trust' takes a whole number, not 'ten'"),
        (None, "trust=99999999999999", "takes a whole number"),
        (None, "trust=+-5", "the meter 'trust' takes a whole number, not '+-5'"),  # review
        (None, "trust=--5", "takes a whole number"),
        ("x" * 100_000, None, "--from takes a scene id, not 100,000 characters"),
        (None, "met_family=maybe", "the flag 'met_family' is true or false, not 'maybe'"),
        (None, "trust=5,trust=6", "--set gives 'trust' twice"),
        (None, "trust", "--set takes name=value pairs"),
        (None, "=5", "--set takes name=value pairs"),
        (None, "x" * 20_000, "longer than 10,000 characters"),
    ],
)
def test_a_start_that_does_not_fit_says_why(scene, values, message):
    with pytest.raises(StartError) as refused:
        StartRequest(scene, values).resolve(load_story(TINY))
    assert message in str(refused.value)


@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=20)))
@settings(max_examples=200, deadline=None)
def test_any_typed_start_is_resolved_or_refused_never_a_crash(values, scene):
    story = load_story(TINY)
    try:
        start = StartRequest(scene, values).resolve(story)
    except StartError as problem:
        assert str(problem)
    else:
        session = Session(story, seed=1, start=start)
        assert session.scene_id in story.scenes
        for name, value in start.meters.items():
            assert session.meters[name] == value


def test_a_session_begun_there_plays_on_and_undoes_back_to_it():
    story = load_story(RULES)
    start = StartRequest("day3", "self_esteem=5,trust=70").resolve(story)
    session = Session(story, seed=0, start=start)
    assert session.scene_id == "day3" and session.meters == {"self_esteem": 5, "trust": 70}
    session.choose("accept")
    assert session.scene_id == "gave_in" and session.meters["self_esteem"] == 0  # 1 * 2 > 1
    session.undo()
    assert session.scene_id == "day3" and session.meters == {"self_esteem": 5, "trust": 70}
    again, notes = Session.from_save(story, session.to_save())
    assert notes == [] and again.scene_id == "day3" and again.meters == session.meters


def play(*args: str):
    return run_main("play", *args)


def test_the_terminal_starts_there():
    result = play(str(RULES), "--text", "--from", "day3", "--set", "trust=70", "--choices", "walk")
    assert result.returncode == 0, result.stderr
    assert "Day one" not in result.stdout and "Day three. And again." in result.stdout
    assert "Trust 70 -> 65 (-5)" in result.stdout


@pytest.mark.parametrize("text", [["--text"], []])
def test_a_start_that_does_not_fit_is_refused_before_play(text, tmp_path):
    result = play(str(RULES), *text, "--from", "day4", "--screenshot", str(tmp_path / "x.png"))
    if not text:
        assert result.returncode == 1
        assert "error: cannot start there: the story has no scene 'day4'" in result.stderr
        assert not (tmp_path / "x.png").exists()
    result = play(str(RULES), *text, "--from", "day4")
    assert result.returncode == 1
    assert "did you mean 'day3'?" in result.stderr and "Traceback" not in result.stderr
    result = play(str(RULES), *text, "--set", "trust=5", "--load", "autosave")
    assert result.returncode == 2 and "leave out --load" in result.stderr


def test_a_record_of_a_play_begun_elsewhere_starts_from_its_own_meters():
    """Records took the story's starting meters, so a play begun with trust=90 read as +35."""
    from engine.classroom.records import build_record

    story = load_story(RULES)
    start = StartRequest("day3", "trust=90").resolve(story)
    session = Session(story, seed=0, start=start)
    session.choose("walk")
    assert session.start_meters == {"self_esteem": 30, "trust": 90}
    now = datetime.now(UTC)
    record = build_record(session, [None], now, now)
    assert dict(record.start_meters) == {"self_esteem": 30, "trust": 90}


def test_a_class_cannot_start_anywhere(tmp_path):
    classroom = tmp_path / "class.yaml"
    classroom.write_text("name: Year 10\n", "utf-8")
    for extra in (["--classroom", str(classroom)], ["--records", str(tmp_path / "r")]):
        result = play(str(RULES), "--text", "--from", "day3", *extra)
        assert result.returncode == 2 and "leave out --classroom and --records" in result.stderr
