"""When a record is written: after every choice and every undo (in progress), at an ending
(complete) and when the playthrough is left (abandoned), so a game killed mid-play still leaves
its record (issue 11, item 12)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from engine import load_story
from engine.classroom.game import ClassroomGame
from engine.classroom.records import read_record
from engine.classroom.settings import Classroom

from ..conftest import ROOT
from .test_record_contents import write_story


def the_record(folder):
    (path,) = folder.glob("*.json")
    record, problem = read_record(path)
    assert problem is None, problem
    return record


@pytest.fixture
def game(tmp_path):
    classroom = Classroom(records=tmp_path / "records", allow_undo=True)
    return ClassroomGame(load_story(write_story(tmp_path)), tmp_path / "saves", 1, classroom)


def test_the_record_follows_every_choice_and_undo(game, tmp_path):
    records = tmp_path / "records"
    game.new()
    assert not records.exists()  # no choice yet: nothing to record
    for count, choice in enumerate(("ask", "go_on", "keep_going"), start=1):
        game.choose(choice)
        record = the_record(records)
        assert record.status == "in_progress" and len(record.steps) == count
        assert record.finished is None
    game.undo()
    assert [step.choice for step in the_record(records).steps] == ["ask", "go_on"]
    game.leave()  # a clean quit
    record = the_record(records)
    assert record.status == "abandoned" and record.finished is not None


def test_an_ending_once_written_is_not_replaced_by_a_lesser_record(game, tmp_path):
    game.new()
    game.choose("leave")
    assert the_record(tmp_path / "records").status == "complete"
    game.undo()  # taken back at the ending, then left: the ending reached stays on record
    game.choose("ask")
    game.leave()
    record = the_record(tmp_path / "records")
    assert record.status == "complete" and [s.choice for s in record.steps] == ["leave"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_game_killed_after_three_choices_leaves_their_record(tmp_path):
    story = write_story(tmp_path)
    records = tmp_path / "records"
    player = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "play", str(story), "--text",
         "--records", str(records), "--saves", str(tmp_path / "saves")],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
    )  # fmt: skip
    try:
        player.stdin.write(b"ask\ngo_on\nkeep_going\n")
        player.stdin.flush()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the third choice is on record
            found = list(records.glob("*.json"))
            if found and len(read_record(found[0])[0].steps) == 3:
                break
            time.sleep(0.05)
        player.send_signal(signal.SIGKILL)  # a dead battery: no quit, no clean-up
        assert player.wait(timeout=30) == -signal.SIGKILL
    finally:
        if player.poll() is None:
            player.kill()
    record = the_record(records)
    assert record.status == "in_progress" and record.finished is None
    assert [step.choice for step in record.steps] == ["ask", "go_on", "keep_going"]
    report = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", str(records), "-o",
         str(tmp_path / "class.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert report.returncode == 0, report.stderr
    assert "played,in_progress,in_progress,1,1.0000" in (tmp_path / "class.csv").read_text()
