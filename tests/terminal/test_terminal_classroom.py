"""The terminal player in a class, through the real command line (issue 11, item 16): the code a
class asks for is asked for, at a keyboard or through a pipe, and the hint printed on quitting
goes on in the same class, with the same record."""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT
from ..tools.test_cli import TINY, run


def classroom_file(tmp_path: Path, **settings: str) -> Path:
    path = tmp_path / "class" / "classroom.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["name: Class 9B", "ask_player: code", "records: records"]
    lines += [f"{key}: {value}" for key, value in settings.items()]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def records(tmp_path: Path) -> list[dict]:
    folder = tmp_path / "class" / "records"
    return [json.loads(path.read_text("utf-8")) for path in sorted(folder.glob("*.json"))]


def hint_in(output: str) -> list[str]:
    """The command the quit message says goes on from here, ready to run."""
    line = next(line for line in output.splitlines() if "Your place is saved:" in line)
    command = shlex.split(line.split("'", 1)[1].rsplit("' goes on from here", 1)[0])
    assert command[:2] == ["python", "main.py"]
    return command[2:]


def test_a_class_code_typed_through_a_pipe_is_the_code_not_a_choice(tmp_path):
    classroom = classroom_file(tmp_path)
    typed = "AB12\nargue\nquit\n"
    result = run(
        "play", TINY, "--text", "--classroom", classroom, "--saves", tmp_path / "s", stdin=typed
    )
    assert result.returncode == 0, result.stderr
    assert "Your code (from your teacher): " in result.stdout
    assert (
        "There is no choice" not in result.stdout and "note: this class asks" not in result.stdout
    )
    (record,) = records(tmp_path)
    assert record["player"] == "AB12" and record["classroom"] == "Class 9B"
    assert [step["choice"] for step in record["steps"]] == ["argue"]


def test_following_the_quit_hint_goes_on_in_the_same_class_and_record(tmp_path):
    classroom = classroom_file(tmp_path, show_meters="false", allow_undo="false")
    saves = tmp_path / "my saves"  # a space, so the hint must quote it
    first = run(
        "play",
        TINY,
        "--text",
        "--classroom",
        classroom,
        "--saves",
        saves,
        "--seed",
        "5",
        stdin="C3\nargue\nquit\n",
    )
    assert first.returncode == 0, first.stderr
    (record,) = records(tmp_path)
    assert record["status"] == "abandoned" and record["player"] == "C3"
    command = hint_in(first.stdout)
    assert command == [
        "play",
        str(TINY),
        "--text",
        "--load",
        "autosave",
        "--saves",
        str(saves),
        "--classroom",
        str(classroom),
    ]
    again = run(*command, stdin="undo\n1\n")
    assert again.returncode == 0, again.stderr
    assert "Loaded autosave." in again.stdout
    assert "Undo is turned off for this game." in again.stdout  # the class's rules hold
    during_play = again.stdout.split("=== Ending:")[0]
    assert "Trust " not in during_play  # the meters stay hidden until the debrief
    assert "Your code" not in again.stdout  # the code is kept with the save
    (record,) = records(tmp_path)  # the same file, now complete
    assert record["status"] == "complete" and record["player"] == "C3"
    assert [step["choice"] for step in record["steps"]] == ["argue", "1"]


def test_the_hint_repeats_the_flags_that_change_the_class(tmp_path):
    saves = tmp_path / "saves"
    records_folder = tmp_path / "records"
    result = run(
        "play",
        TINY,
        "--text",
        "--saves",
        saves,
        "--records",
        records_folder,
        "--no-undo",
        "--hide-meters",
        "--ask-player",
        "name",
        stdin="Robin\nquit\n",
    )
    assert hint_in(result.stdout) == [
        "play",
        str(TINY),
        "--text",
        "--load",
        "autosave",
        "--saves",
        str(saves),
        "--records",
        str(records_folder),
        "--ask-player",
        "name",
        "--no-undo",
        "--hide-meters",
    ]
    interrupted_hint = run(*hint_in(result.stdout), stdin="")
    assert interrupted_hint.returncode == 0 and "Loaded autosave." in interrupted_hint.stdout


def test_control_characters_typed_as_a_code_are_refused_and_asked_again(tmp_path):
    classroom = classroom_file(tmp_path)
    typed = "A\x00B\n\x1b[31mred\nAB\u202eCD\nD4\nquit\n"
    result = run(
        "play", TINY, "--text", "--classroom", classroom, "--saves", tmp_path / "s", stdin=typed
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("That cannot be used: it holds a control character") == 3
    assert "(U+0000)" in result.stdout and "(U+001B)" in result.stdout
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in result.stdout
    assert result.stdout.count("Your code (from your teacher): ") == 4
    saved = (tmp_path / "s" / "tiny" / "autosave.playthrough.json").read_text("utf-8")
    assert json.loads(saved)["player"] == "D4"


def test_a_line_that_is_not_text_is_a_message_not_a_crash(tmp_path):
    """With strict decoding of standard input (as some terminals have), bytes that are not UTF-8
    raised UnicodeDecodeError out of input(): an internal error."""
    classroom = classroom_file(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "play", str(TINY), "--text"]
        + ["--classroom", str(classroom), "--saves", str(tmp_path / "s")],
        input=b"\xff\xfe\n",
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    out = result.stdout.decode("utf-8")
    assert result.returncode == 0 and result.stderr == b""
    assert out.count("That line could not be read as text; please type it again.") == 1
    assert "Goodbye." in out
