"""Classroom settings: the file, the flags, and the terminal player honouring them."""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.classroom.settings import Classroom, ClassroomError, load_classroom

from ..conftest import ROOT, STORIES

TINY = STORIES / "tiny.yaml"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_guides_example_file_loads(tmp_path):
    guide = (ROOT / "docs" / "classroom.md").read_text("utf-8")
    example = re.search(r"```yaml\n(.*?)```", guide, re.DOTALL).group(1)
    path = tmp_path / "classroom.yaml"
    path.write_text(example, encoding="utf-8")
    classroom = load_classroom(path)
    assert classroom == Classroom(
        name="Year 10, Tuesday",
        story=None,
        allow_undo=False,
        show_meters=False,
        ask_player="code",
        records=tmp_path / "records",
    )


def test_paths_are_relative_to_the_file(tmp_path):
    path = tmp_path / "class" / "c.yaml"
    path.parent.mkdir()
    path.write_text("story: ../stories/mine.yaml\nrecords: out\n", encoding="utf-8")
    classroom = load_classroom(path)
    assert classroom.story == path.parent / "../stories/mine.yaml"
    assert classroom.records == path.parent / "out"
    assert classroom.ask_player == "none" and classroom.allow_undo is None


@pytest.mark.parametrize(
    "text, line, col, words",
    [
        ("allow_undo: maybe\n", 1, 13, "'allow_undo' must be true or false"),
        ("show_meterz: false\n", 1, 1, "unknown key 'show_meterz'"),
        ("ask_player: email\n", 1, 13, "must be none, name or code"),
        ("name: A\nname: B\n", 2, 1, "appears twice"),
        ("records: [a]\n", 1, 10, "'records' must be text"),
        ("- just a list\n", 1, 1, "must be a map"),
        ("name: !!python/object/apply:os.system [ls]\n", 1, 7, "tag '!!python/object/apply"),
        # Issue 11, item 11: a tag on a plain value was read as the value's text.
        ("name: !!python/name:os.system x\n", 1, 7, "tag '!!python/name:os.system' is not"),
        ("records: !!python/str out\n", 1, 10, "the YAML tag '!!python/str' is not allowed"),
        ("name: !custom x\n", 1, 7, "the YAML tag '!custom' is not allowed"),
        ("!!python/str name: x\n", 1, 1, "the YAML tag '!!python/str' is not allowed"),
        ("--- !!python/object:os.X\nname: x\n", 1, 5, "tag '!!python/object:os.X' is not"),
        ("5: x\n", 1, 1, "a key must be a name, not the number 5"),
        # Issue 11, item 8: a NUL in a path stopped the game with exit 2.
        ('records: "re\\0cords"\n', 1, 10, "holds the control character U+0000 (NUL)"),
        ('story: "st\\0ory.yaml"\n', 1, 8, "holds the control character U+0000 (NUL)"),
        ('name: "\\e[31mred"\n', 1, 7, "holds the control character U+001B (escape)"),
    ],
)
def test_mistakes_are_diagnostics_with_places(tmp_path, text, line, col, words):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClassroomError) as raised:
        load_classroom(path)
    first = raised.value.diagnostics[0]
    assert (first.line, first.col) == (line, col) and words in first.message


def test_plain_tags_are_as_welcome_as_in_a_story(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: !!str Year 10\nallow_undo: !!bool false\n", encoding="utf-8")
    assert load_classroom(path).name == "Year 10" and load_classroom(path).allow_undo is False


def test_a_file_too_large_for_classroom_settings_is_not_read_whole(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("# " + "x" * (64 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(ClassroomError) as raised:
        load_classroom(path)
    assert "larger than 64 KB" in raised.value.diagnostics[0].message


@pytest.mark.parametrize("key", ["records", "story"])
def test_a_nul_in_a_path_is_a_clear_error_with_its_place(tmp_path, key):
    classroom = tmp_path / "c.yaml"
    classroom.write_text(f'name: A class\n{key}: "a\\0b"\n', encoding="utf-8")
    result = run("play", "--text", "--classroom", classroom, "--choices", "1")
    assert result.returncode == 1
    column = len(key) + 3
    assert (
        f"{classroom}:2:{column}: error: '{key}' must be plain text, but it holds the control "
        "character U+0000 (NUL) [E010]"
    ) in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


_classroom_text = st.lists(
    st.sampled_from(
        ["name", "story", "records", "allow_undo", "ask_player", ": ", "!!python/name:x ",
         "!x ", '"\\0"', "\n", "  ", "- ", "[", "]", "{", "}", "&a ", "*a ", "true", "code",
         "<<: ", "~", "5", "é", "\t"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


@given(_classroom_text)
@settings(max_examples=300, deadline=None)
def test_any_classroom_file_loads_or_says_why(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            classroom = load_classroom(path)
        except ClassroomError as problem:
            assert problem.diagnostics
            assert all(d.code and d.message for d in problem.diagnostics)
            return
    assert isinstance(classroom, Classroom)
    for value in (classroom.name, classroom.story, classroom.records):
        assert value is None or "\0" not in str(value)


def test_flags_override_the_file():
    base = Classroom(allow_undo=True, show_meters=True, ask_player="name")
    changed = base.with_overrides(allow_undo=False, show_meters=None, ask_player="code")
    assert (changed.allow_undo, changed.show_meters, changed.ask_player) == (False, True, "code")


def test_the_terminal_player_writes_records_hides_meters_and_refuses_undo(tmp_path):
    classroom = tmp_path / "classroom.yaml"
    classroom.write_text(
        dedent(f"""\
        name: Test class
        story: {TINY}
        allow_undo: false
        show_meters: false
        records: records
        """),
        encoding="utf-8",
    )
    result = run(
        "play",
        "--text",
        "--classroom",
        classroom,
        "--player",
        "C7",
        "--saves",
        tmp_path / "saves",
        stdin="2\nundo\n1\n\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Trust 50/100" not in result.stdout.split("=== Ending")[0]  # hidden during play
    assert "Undo is turned off for this game." in result.stdout
    assert "Final meters: Trust" in result.stdout  # shown at the debrief
    (record_path,) = (tmp_path / "records").glob("tiny-*.json")
    record = json.loads(record_path.read_text("utf-8"))
    assert record["player"] == "C7" and record["classroom"] == "Test class"
    assert record["status"] == "complete" and len(record["steps"]) == 2


def test_an_abandoned_playthrough_is_recorded_too(tmp_path):
    result = run(
        "play",
        TINY,
        "--text",
        "--records",
        tmp_path / "records",
        "--saves",
        tmp_path / "saves",
        stdin="1\nquit\n",
    )
    assert result.returncode == 0
    (record_path,) = (tmp_path / "records").glob("*.json")
    record = json.loads(record_path.read_text("utf-8"))
    assert record["status"] == "abandoned" and len(record["steps"]) == 1
    assert record["player"] is None  # anonymous unless asked


def test_a_broken_classroom_file_is_reported(tmp_path):
    classroom = tmp_path / "c.yaml"
    classroom.write_text("ask_player: everyone\n", encoding="utf-8")
    result = run("play", "--text", "--classroom", classroom)
    assert result.returncode == 1
    assert f"{classroom}:1:13: error: 'ask_player' must be none, name or code" in result.stderr
    assert "Traceback" not in result.stderr
