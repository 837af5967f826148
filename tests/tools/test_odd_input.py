"""Odd but ordinary input found after the hardening: digits that are not ASCII, and a story whose
path holds bytes that are not UTF-8. Each was an internal error (exit 2) before."""

import contextlib
import json
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import load_story
from engine.play.errors import ChoiceNotOffered
from engine.play.session import Session

from ..conftest import ROOT, STORIES

TINY = STORIES / "tiny.yaml"


def run(*args, stdin=None, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=dict(os.environ, SDL_VIDEODRIVER="dummy"),
    )


@pytest.mark.parametrize("token", ["²", "١", "𝟙", "٣"])
def test_a_digit_that_is_not_ascii_is_a_choice_not_offered(token):
    scripted = run("play", TINY, "--text", "--choices", token)
    assert scripted.returncode == 1 and "is not offered" in scripted.stderr + scripted.stdout
    assert "internal error" not in scripted.stderr
    typed = run("play", TINY, "--text", stdin=f"{token}\n")
    assert "internal error" not in typed.stderr


@given(st.text(max_size=12))
def test_any_token_resolves_to_a_choice_or_is_not_offered(token):
    session = Session(load_story(TINY), seed=1)
    with contextlib.suppress(ChoiceNotOffered):
        assert session.resolve(token) in {choice.id for choice in session.offered()}


def test_a_size_in_digits_that_are_not_ascii_is_refused_plainly(tmp_path):
    result = run("play", TINY, "--screenshot", tmp_path / "x.png", "--size", "²x3")
    assert result.returncode == 1 and "--size must look like 1280x720" in result.stderr


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names not in UTF-8")
def test_a_story_whose_path_is_not_utf8_validates_plays_and_reports(tmp_path):
    folder = os.fsencode(tmp_path)
    story = os.path.join(folder, b"caf\xe9.yaml")  # Latin-1, as an old file system may hold
    with open(story, "wb") as file:
        file.write(TINY.read_bytes())
    name = os.fsdecode(story)
    checked = run("validate", name)
    assert checked.returncode == 0, checked.stderr
    assert "caf\\udce9.yaml" in checked.stdout  # printed escaped
    played = run("play", name, "--text", "--choices", "1,1", "--records", tmp_path / "records")
    assert played.returncode == 0, played.stderr
    (record,) = (tmp_path / "records").glob("*.json")
    assert json.loads(record.read_text("utf-8"))["story"]["path"].endswith("caf\ufffd.yaml")
    reported = run("report", tmp_path / "records", "-o", tmp_path / "class.html")
    assert reported.returncode == 0, reported.stderr
