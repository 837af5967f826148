"""Ordinary problems are exit 1 with one clear line, never exit 2 ("a bug in the game"): output
that cannot be written while a command runs, an output path that is a folder or lies under a
file, a slot number in other digits than 0-9, names that are not text (issue 11, item 8 and
item 5), all through the real command line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT
from .test_cli import TINY, run

BUNDLED = ROOT / "scenes" / "balance_of_power"
FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")


def to_full_device(*args, stdin: str = ""):
    """Run main.py with its standard output on a device that is always full."""
    with open(FULL, "w") as full:
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *map(str, args)],
            input=stdin,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            cwd=ROOT,
            env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        )


def a_record(tmp_path) -> Path:
    transcript = tmp_path / "record.json"
    result = run(
        "play", TINY, "--text", "--choices", "argue,1", "--seed", "1", "--transcript", transcript
    )
    assert result.returncode == 0, result.stderr
    return transcript


@needs_dev_full
@pytest.mark.parametrize(
    "args, stdin",
    [
        # play and validate print far more than the 8 KiB buffer, so the write fails while
        # they run; the others fail when the output is flushed at the end.
        (("play", BUNDLED, "--text", "--seed", "1", "--choices", "1,1,1,1,1,1,1,1"), ""),
        (("play", BUNDLED, "--text", "--seed", "1"), "1\n1\n1\n1\n1\nhistory\nhelp\nquit\n"),
        (("validate", *[TINY] * 400), ""),
        (("playtest", BUNDLED, "--runs", "20", "--json"), ""),
        (("schema",), ""),
        (("--help",), ""),
    ],
    ids=["play-script", "play-typed", "validate", "playtest", "schema", "help"],
)
def test_output_that_cannot_be_written_while_a_command_runs_is_exit_1(tmp_path, args, stdin):
    result = (
        to_full_device(*args, "--saves", tmp_path, stdin=stdin)
        if args[0] == "play"
        else (to_full_device(*args, stdin=stdin))
    )
    assert result.returncode == 1
    assert result.stderr == "error: cannot write the output: No space left on device\n"


def test_schema_to_a_folder_is_exit_1_with_a_message(tmp_path):
    result = run("schema", "-o", tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"error: cannot write {tmp_path}: it is a folder, not a file\n"


def test_schema_under_a_file_is_exit_1_with_a_message(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder", "utf-8")
    for output in (blocker / "story.schema.json", blocker / "deeper" / "story.schema.json"):
        result = run("schema", "-o", output)
        assert result.returncode == 1
        assert result.stderr == (
            f"error: cannot write {output}: {blocker} is a file, not a folder\n"
        )
    assert blocker.read_text("utf-8") == "a file, not a folder"


def test_a_playthrough_report_to_an_unwritable_place_is_exit_1(tmp_path):
    record = a_record(tmp_path)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", "utf-8")
    result = run("report", record, "--playthrough", "-o", blocker / "report.html")
    assert result.returncode == 1
    assert result.stderr.endswith(f"{blocker} is a file, not a folder\n")
    folder = tmp_path / "report.html"
    folder.mkdir()
    result = run("report", record, "--playthrough", "-o", folder)
    assert result.returncode == 1
    assert result.stderr == f"error: cannot write {folder}: it is a folder, not a file\n"


def test_a_screenshot_under_a_file_is_exit_1_with_a_message(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", "utf-8")
    output = blocker / "shot.png"
    result = run("play", TINY, "--screenshot", output, "--saves", tmp_path / "saves")
    assert result.returncode == 1
    assert result.stderr == f"error: cannot write {output}: {blocker} is a file, not a folder\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_writing_into_a_read_only_folder_is_exit_1(tmp_path):
    record = a_record(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for args in (
            ("schema", "-o", locked / "story.schema.json"),
            ("report", record, "--playthrough", "-o", locked / "report.html"),
        ):
            result = run(*args)
            assert result.returncode == 1
            assert "Permission denied" in result.stderr and "internal error" not in result.stderr
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("slot", ["²", "١", "٣", "𝟙", "1²"])
def test_load_with_a_digit_other_than_0_to_9_is_refused_not_a_crash(tmp_path, slot):
    saves = tmp_path / "saves"
    assert run("play", TINY, "--text", "--saves", saves, "--choices", "argue").returncode == 0
    result = run("play", TINY, "--text", "--saves", saves, "--load", slot, "--choices", "1")
    assert result.returncode == 1, result.stderr
    assert f"Could not load: {slot!r} is not a save slot: give a slot number such as 2" in (
        result.stdout
    )
    assert result.stderr == ""


def test_save_and_load_typed_with_other_digits_are_refused(tmp_path):
    saves = tmp_path / "saves"
    typed = "save ²\nsave ١\nload ²\nload 𝟙\nquit\n"
    result = run("play", TINY, "--text", "--seed", "2", "--saves", saves, stdin=typed)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Save in a slot from 1 to 6, for example 'save 2'.") == 2
    assert result.stdout.count("is not a save slot") == 2
    assert not list((saves / "tiny").glob("slot-*"))


def run_with_bytes(*args: bytes):
    return subprocess.run(
        [os.fsencode(sys.executable), os.fsencode(ROOT / "main.py"), *args],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )


@pytest.mark.skipif(os.name != "posix", reason="arguments are bytes on POSIX only")
@pytest.mark.parametrize("flag", [b"--player", b"--partner"])
@pytest.mark.parametrize("value", [b"\xff\xfe", b"Al\xe9x", b"A\x1b[31mB", b"\xe2\x80\xaeevil"])
def test_names_that_are_not_text_are_refused_before_anything_is_saved(tmp_path, flag, value):
    saves, records = os.fsencode(tmp_path / "saves"), os.fsencode(tmp_path / "records")
    common = [b"--saves", saves, b"--records", records, flag, value]
    for mode in (
        [b"--text", b"--choices", b"1"],
        [b"--screenshot", os.fsencode(tmp_path / "x.png")],
    ):
        result = run_with_bytes(b"play", os.fsencode(TINY), *mode, *common)
        assert result.returncode == 1, result.stderr
        message = result.stderr.decode("utf-8", "replace")
        assert message.startswith(f"error: {flag.decode()} cannot be used: it holds ")
        assert "internal error" not in message and message.count("\n") == 1
    assert not (tmp_path / "saves").exists() and not (tmp_path / "records").exists()
