"""What an attack on the merged hardening (issue 11) still broke, each fixed with its reproducer:
a save whose history holds a value of the wrong kind crashed every choice while a record was
written; one long old record stalled the report for minutes; a choice number of thousands of
digits was an internal error; a report's memory had no bound but bytes read; files that are not
records were left out without a word; a note lacked its full stop; playtest ran without end."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from engine import Session, SessionError, load_story
from engine.classroom.records import build_record, without_name, write_record
from engine.classroom.summary import MAX_TOTAL_STEPS, gather

from .conftest import ROOT, STORIES

TINY = STORIES / "tiny.yaml"
NOW = datetime(2026, 11, 30, tzinfo=UTC)


def run(*args, timeout=120):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("outcome", ["0", 1.5, 0.0, [0], {"a": 0}, True])
def test_a_turn_of_the_wrong_kind_in_a_save_is_damage(outcome):
    session = Session(load_story(TINY), seed=3)
    session.choose("argue")
    data = session.to_save()
    data["history"][0]["outcome"] = outcome
    with pytest.raises(SessionError):
        Session.from_save(session.story, data)


def test_a_damaged_autosave_is_replaced_by_its_backup_while_a_record_is_written(tmp_path):
    saves = tmp_path / "saves"
    assert run("play", TINY, "--text", "--saves", saves, "--choices", "argue").returncode == 0
    autosave = saves / "tiny" / "autosave.json"
    data = json.loads(autosave.read_text("utf-8"))
    data["session"]["history"][0]["outcome"] = "0"
    autosave.write_text(json.dumps(data), "utf-8")
    result = run(
        "play", TINY, "--text", "--saves", saves, "--load", "autosave", "--choices", "1",
        "--records", tmp_path / "records",
    )  # fmt: skip
    assert "internal error" not in result.stderr
    assert result.returncode in (0, 1), result.stderr


def test_an_old_records_long_text_is_cleaned_of_the_partners_name_in_linear_time():
    text = "a " * 1_000_000 + "Kim went home."
    cleaned = without_name(text, "a")
    assert cleaned.startswith("Your partner your partner") and cleaned.endswith("Kim went home.")
    # The same on the command line's worth of text, bounded by a generous timeout: the old code
    # took minutes here (each match copied all the text before it).
    probe = (
        "from engine.classroom.records import without_name\n"
        "print(len(without_name('a ' * 2_000_000, 'a')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and int(done.stdout) == len("your partner ") * 2_000_000


def test_a_choice_number_of_thousands_of_digits_is_not_offered():
    digits = "9" * 4301
    result = run("play", TINY, "--text", "--choices", digits)
    assert result.returncode == 1 and "is not offered" in result.stdout + result.stderr
    assert "internal error" not in result.stderr and digits not in result.stdout + result.stderr
    sized = run("play", TINY, "--screenshot", "x.png", "--size", f"{digits}x300")
    assert sized.returncode == 1 and "--size must look like" in sized.stderr


def test_a_report_holds_a_bounded_number_of_choices(tmp_path):
    session = Session(load_story(TINY), seed=4)
    session.choose("argue")
    data = build_record(session, [1.0], NOW, NOW).to_data()
    per_record = MAX_TOTAL_STEPS // 5  # records of a plausible size, more of them than fit
    data["steps"] = data["steps"] * per_record
    for number in range(7):
        data["id"] = f"{number:032x}"
        (tmp_path / f"r{number}.json").write_text(json.dumps(data), "utf-8")
    gathered = gather([str(tmp_path)])
    assert len(gathered.records) == 5
    assert sum("one report holds at most" in line for line in gathered.skipped) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_files_that_are_not_records_are_named_with_why(tmp_path):
    session = Session(load_story(TINY), seed=4)
    session.choose("argue")
    write_record(tmp_path / "good.json", build_record(session, [1.0], NOW, NOW))
    (tmp_path / "folder.json").mkdir()
    os.mkfifo(tmp_path / "pipe.json")
    gathered = gather([str(tmp_path)])
    assert len(gathered.records) == 1
    said = "\n".join(gathered.skipped)
    assert "folder.json: skipped: it is a folder" in said
    assert "pipe.json: skipped: it is not a regular file" in said


def test_the_note_on_a_damaged_save_reads_as_sentences(tmp_path):
    saves = tmp_path / "saves"
    assert run("play", TINY, "--text", "--saves", saves, "--choices", "argue").returncode == 0
    assert run("play", TINY, "--text", "--saves", saves, "--load", "autosave", "--choices",
               "1").returncode == 0  # fmt: skip
    (saves / "tiny" / "autosave.json").write_text("[" * 100, "utf-8")
    result = run("play", TINY, "--text", "--saves", saves, "--load", "autosave", "--choices", "1")
    assert result.returncode == 0, result.stderr
    assert ". The previous save was loaded instead." in result.stdout + result.stderr


def test_playtest_refuses_a_run_count_that_would_not_end():
    result = run("playtest", TINY, "--runs", "999999999999999999999")
    assert result.returncode == 2 and "--runs goes up to" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_pipe_where_a_save_or_the_settings_should_be_is_damage_not_a_hang(tmp_path):
    """The game's own JSON files are read as the story's files are: a pipe is refused unopened
    (opening it blocked the game until killed)."""
    saves = tmp_path / "saves"
    (saves / "tiny").mkdir(parents=True)
    os.mkfifo(saves / "tiny" / "autosave.json")
    os.mkfifo(saves / "settings.json")
    loaded = run("play", TINY, "--text", "--saves", saves, "--load", "autosave", timeout=60)
    assert loaded.returncode == 1 and "not a regular file" in loaded.stdout + loaded.stderr
    probe = (  # in a process of its own: on the old code this blocked for ever
        "from engine.ui.settings import load_settings\n"
        f"settings, problem = load_settings(__import__('pathlib').Path({str(saves)!r}) "
        "/ 'settings.json')\n"
        "print(settings.text_size, problem)"
    )
    read = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert read.returncode == 0 and read.stdout.startswith("medium ") and "damaged" in read.stdout
