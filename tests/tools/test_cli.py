"""The command line, run for real in a subprocess: validate, and the terminal player."""

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from engine import Session, load_story
from engine.tools import cli

from ..conftest import ROOT, STORIES

TINY = STORIES / "tiny.yaml"


def run(*args, stdin=None, env=None, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


BROKEN = dedent("""\
    title: Broken
    start: hall
    meters:
      trust: {label: Trust, start: 50}
      beds: {start: 5}
    scenes:
      hall:
        text: Hi
        choices:
          - text: A
            effects: {bed: +5}
            goto: hall
          - text: B
            if: trust > 3 && beds
            goto: nowhere
      lonely:
        text: nobody comes here
        ending: {title: Alone}
    """)


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_validate_prints_diagnostics_like_a_compiler(broken):
    result = run("validate", broken)
    assert result.returncode == 1
    assert result.stdout == dedent(f"""\
        {broken}:11:19: error: unknown meter 'bed' [E021]
           |
        11 |         effects: {{bed: +5}}
           |                   ^^^
           = help: did you mean 'beds'?
        {broken}:14:23: error: in condition: the condition is not valid: invalid syntax [E030]
           |
        14 |         if: trust > 3 && beds
           |                       ^^
           = help: write 'and' instead of '&&'
        {broken}:15:15: error: 'goto' names a missing scene 'nowhere' [E020]
           |
        15 |         goto: nowhere
           |               ^^^^^^^
           = help: add the scene, or point to one that exists
        {broken}:16:3: warning: the ending 'lonely' is never reached [W101]
           |
        16 |   lonely:
           |   ^^^^^^
           = help: no path from the start reaches this ending: link to it or remove it
        {broken}: 3 errors, 1 warning
        """)


def test_validate_json_gives_the_same_records(broken):
    result = run("validate", broken, "--format", "json")
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [(r["line"], r["col"], r["code"], r["severity"]) for r in records] == [
        (11, 19, "E021", "error"),
        (14, 23, "E030", "error"),
        (15, 15, "E020", "error"),
        (16, 3, "W101", "warning"),
    ]
    assert records[0]["help"] == "did you mean 'beds'?"
    assert records[0]["file"] == str(broken)


def test_warnings_pass_unless_strict(tmp_path):
    path = tmp_path / "warn.yaml"
    path.write_text(
        dedent("""\
        title: Warn
        start: hall
        scenes:
          hall: {text: Hi, ending: {title: End}}
          lonely: {text: Lost, ending: {title: Alone}}
        """),
        encoding="utf-8",
    )
    result = run("validate", path)
    assert result.returncode == 0
    assert "warning: the ending 'lonely' is never reached [W101]" in result.stdout
    assert result.stdout.rstrip().endswith(
        "0 errors, 1 warning; 2 scenes, 0 choices, 2 endings, 4 words"
    )
    assert run("validate", path, "--strict").returncode == 1


def test_validate_of_a_clean_story_exits_zero():
    result = run("validate", TINY)
    assert result.returncode == 0 and result.stdout.strip() == (
        f"{TINY}: 0 errors, 0 warnings; 5 scenes, 4 choices, 2 endings, 59 words"
    )


def test_validate_without_the_cache_neither_reads_nor_writes_it(tmp_path):
    cache = tmp_path / "cache"
    without = run("validate", TINY, "--no-cache", env={"BOP_CACHE_DIR": str(cache)})
    assert without.returncode == 0 and not cache.exists()
    with_cache = run("validate", TINY, env={"BOP_CACHE_DIR": str(cache)})
    assert with_cache.stdout == without.stdout and len(list(cache.glob("*.json"))) == 1


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02",
        b"a: [",
        b"- - - - x",
        b"title: !!python/object/apply:os.system [ls]",
        b"{{{{",
        b"scenes: 5",
        b"\xff\xfe\xfd",
    ],
)
def test_garbage_input_never_shows_a_traceback(tmp_path, content):
    path = tmp_path / "garbage.yaml"
    path.write_bytes(content)
    result = run("validate", path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{path}:" in result.stdout


def test_play_with_a_script_shows_choices_feedback_and_changes(tmp_path):
    record = tmp_path / "run.json"
    result = run(
        "play",
        TINY,
        "--text",
        "--seed",
        "1",
        "--choices",
        "argue,1",
        "--transcript",
        record,
        "--saves",
        tmp_path / "saves",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "  1. Let it go.  [Accept]" in out
    assert "  x  Go alone.  [Walk away] (locked: You do not feel secure enough.)" in out
    assert '    Alex: "I just don\'t feel like it."' in out
    assert "They come round." in out and "Trust 50 -> 60 (+10)" in out
    assert "=== Ending: Balance ===" in out
    assert "Your path: 2 choices - Accept 0, Fight for cooperation 1, Walk away 0" in out
    assert "  Fight for cooperation (1): The hall." in out  # the decision, named (issue 14)
    assert (tmp_path / "saves" / "tiny" / "autosave.json").is_file()


def test_the_transcript_matches_a_replay_of_the_same_seed_and_choices(tmp_path):
    record_path = tmp_path / "run.json"
    run(
        "play",
        TINY,
        "--text",
        "--seed",
        "8",
        "--choices",
        "argue,1",
        "--transcript",
        record_path,
        "--saves",
        tmp_path / "s",
    )
    record = json.loads(record_path.read_text("utf-8"))
    session = Session(load_story(TINY), seed=8)
    session.choose("argue")
    session.choose("1")
    assert record["format"] == "balance-of-power-transcript" and record["version"] == 3
    assert record["status"] == "complete" and record["ending_title"] == "Balance"
    assert record["ending_questions"] == ["What shifted?"]
    assert record["meter_labels"] == {"trust": "Trust", "security": "Security"}
    assert record["response_labels"]["walk_away"] == "Walk away"
    assert record["steps"][0]["scene_title"] == "The hall"
    assert record["story"]["id"] == "tiny" and record["seed"] == 8
    assert record["story"]["hash"] == session.story.content_hash
    assert record["complete"] and record["ending"] == session.scene_id
    assert record["meters"] == session.meters
    assert [(s["scene"], s["choice"], s["response"], s["meters"]) for s in record["steps"]] == [
        (t.scene, t.choice, t.response, dict(t.meters)) for t in session.history
    ]
    assert record["steps"][0]["effects"] == {c.meter: c.delta for c in session.history[0].changes}
    assert all(step["seconds"] == 0.0 for step in record["steps"])
    assert record["started"] <= record["finished"]
    # The same seed and choices give the same record, but for the times and the id: each
    # playthrough has its own.
    again_path = tmp_path / "again.json"
    run(
        "play",
        TINY,
        "--text",
        "--seed",
        "8",
        "--choices",
        "argue,1",
        "--transcript",
        again_path,
        "--saves",
        tmp_path / "s",
    )
    again = json.loads(again_path.read_text("utf-8"))
    assert record["id"] != again["id"]
    for key in ("started", "finished", "id"):
        record.pop(key), again.pop(key)
    assert record == again


def test_a_scripted_choice_that_is_not_offered_is_refused(tmp_path):
    result = run("play", TINY, "--text", "--choices", "1,3", "--saves", tmp_path)
    assert result.returncode == 1
    assert (
        "error: the choice '3' is not offered in scene 'kitchen' (offered: 1 '1')" in result.stdout
    )
    result = run("play", TINY, "--text", "--choices", "3", "--saves", tmp_path)
    assert "'3' is not offered in scene 'hall'" in result.stdout  # locked, so not offered


def test_a_script_that_stops_early_says_where(tmp_path):
    result = run("play", TINY, "--text", "--choices", "1", "--saves", tmp_path)
    assert result.returncode == 0
    assert "(stopped after 1 choice; the story goes on from scene 'kitchen')" in result.stdout


def test_interactive_play_with_commands(tmp_path):
    saves = tmp_path / "saves"
    keys = (
        "\n".join(
            [
                "help",
                "nonsense",
                "2",
                "undo",
                "history",
                "1",
                "save 3",
                "history",
                "load",
                "load 3",
                "1",
                "",
            ]
        )
        + "\n"
    )
    result = run("play", TINY, "--text", "--seed", "2", "--saves", saves, stdin=keys)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "undo       take back your last choice" in out
    assert "There is no choice 'nonsense' here." in out
    assert "(undone: Push back.)" in out
    assert "1. The hall: Let it go." in out
    assert "Saved in slot 3." in out and (saves / "tiny" / "slot-3.json").is_file()
    assert "  3: " in out and "1 choice" in out and "Loaded 3." in out
    assert "=== Ending:" in out


def test_quitting_autosaves_and_load_resumes(tmp_path):
    saves = tmp_path / "saves"
    result = run("play", TINY, "--text", "--seed", "2", "--saves", saves, stdin="1\nquit\n")
    assert (
        f"Your place is saved: 'python main.py play {TINY} --text --load autosave "
        f"--saves {saves}' goes on from here." in result.stdout
    )
    resumed = run("play", TINY, "--text", "--load", "autosave", "--choices", "1", "--saves", saves)
    assert resumed.returncode == 0 and "Later, in the kitchen." in resumed.stdout
    assert "=== Ending:" in resumed.stdout


def test_end_of_input_is_a_quit_not_a_crash(tmp_path):
    result = run("play", TINY, "--text", "--saves", tmp_path, stdin="")
    assert result.returncode == 0 and "Goodbye." in result.stdout


def test_loading_a_damaged_save_is_a_message(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "slot-1.json").write_text("{broken", "utf-8")
    result = run("play", TINY, "--text", "--load", "1", "--saves", tmp_path)
    assert (
        result.returncode == 1
        and "Could not load: the save slot-1.json is damaged" in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_a_story_with_errors_is_reported_not_played(broken, tmp_path):
    result = run("play", broken, "--text", "--saves", tmp_path)
    assert result.returncode == 1
    assert "3 errors, 1 warning: the story cannot be played" in result.stderr


def test_partner_name_and_pronouns_from_flags(tmp_path):
    story = tmp_path / "p.yaml"
    story.write_text(
        dedent("""\
        title: P
        start: a
        scenes:
          a:
            text: "{partner} says {they} {are/is} staying in."
            ending: {title: End}
        """),
        encoding="utf-8",
    )
    result = run(
        "play",
        story,
        "--text",
        "--partner",
        "Robin",
        "--pronouns",
        "she",
        "--choices",
        "",
        "--saves",
        tmp_path,
    )
    assert "Robin says she is staying in." in result.stdout


def test_an_internal_fault_is_one_line_and_exit_2(monkeypatch, capsys):
    def broken_run(argv):
        raise RuntimeError("something impossible")

    monkeypatch.setattr(cli, "run", broken_run)
    assert cli.main(["validate", "x"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith("internal error: RuntimeError: something impossible")
    log = err.split("details in ")[1].rstrip(".")
    assert "RuntimeError" in Path(log).read_text("utf-8")
    Path(log).unlink()


def test_a_long_source_line_is_shown_around_the_problem(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(
        "title: T\nstart: a\nscenes:\n  a: {text: '"
        + "word " * 40
        + "', choices: [{text: x, goto: nowhere}]}\n",
        encoding="utf-8",
    )
    shown = run("validate", path).stdout.splitlines()
    source, caret = shown[2], shown[3]
    assert len(source) < 110 and source.startswith("4 | …") and "goto: nowhere" in source
    assert source[caret.index("^") :].startswith("nowhere")


def test_screenshots_are_png(tmp_path):
    result = run("--screenshot", tmp_path / "x.txt", env={"SDL_VIDEODRIVER": "dummy"})
    assert result.returncode == 2 and "end the file name with .png" in result.stderr


def test_a_classroom_path_that_is_a_folder(tmp_path):
    result = run("play", "--text", "--classroom", tmp_path)
    assert result.returncode == 1 and "must be a file" in result.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_that_cannot_be_written_fails_the_command():
    """A full disk must not pass for success (the tools end without Python's teardown); exit 1,
    as when the output fails while the command runs (tests/tools/test_exit_codes.py)."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "validate", str(TINY)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        )
    assert result.returncode == 1
    assert "cannot write the output" in result.stderr and "Traceback" not in result.stderr


def test_output_cut_short_by_its_reader_is_not_an_error():
    """`python main.py validate ... | head -c 5`: the reader leaving early is fine."""
    many = " ".join([f'"{TINY}"'] * 1500)  # far more output than a pipe holds
    command = f'"{sys.executable}" "{ROOT / "main.py"}" validate {many} | head -c 5'
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout == str(TINY)[:5]
    assert "Exception" not in result.stderr and "Traceback" not in result.stderr
