"""Reading a story's files: pipes, devices and links out of the folder are refused and never opened,
not even to show a source line, and a story's size is bounded (issue 11, item 2)."""

import os
import tempfile
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.story import files
from engine.story.diagnostics import Diagnostic, SourceLines, render_text
from engine.story.files import read_story_files
from engine.story.loader import check_story
from engine.story.reading import STORY_BYTES_LIMIT

from ..tools.test_cli import run

HEAD = dedent("""\
    title: Folder
    start: a
    scenes:
      a:
        text: Hello.
        ending: {title: End}
    """)
SECRET = "secret-first-line: do not show me\n"


def story_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_text(HEAD, encoding="utf-8")
    return folder


def only_e017(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert [d.code for d in diagnostics] == ["E017"], [d.headline() for d in diagnostics]
    assert diagnostics[0].line == 0  # a whole-file problem: no source line is ever shown
    return diagnostics[0]


@pytest.mark.parametrize("command", ["validate", "play", "map"])
def test_a_pipe_in_a_story_folder_is_refused_by_every_command(tmp_path, command):
    # Before: the loader refused pipe.yaml, then the error printer opened it to show its
    # line, and waited for a writer forever.
    folder = story_folder(tmp_path)
    os.mkfifo(folder / "pipe.yaml")
    extra = {"play": ["--text"], "map": ["-o", tmp_path / "map.svg"]}.get(command, [])
    result = run(command, folder, *extra, stdin="")
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert "pipe.yaml: error: cannot read the file: it is not a regular file" in output
    assert "Traceback" not in output and "internal error" not in output


def test_a_link_to_dev_zero_is_refused_without_reading_it(tmp_path):
    # Before: the printer read /dev/zero through zero.yaml until memory ran out.
    folder = story_folder(tmp_path)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    result = run("validate", "--no-cache", folder)
    assert result.returncode == 1, result.stderr
    assert "zero.yaml: error: cannot read the file: it is a link that leads outside" in (
        result.stdout
    )
    assert "copy the file into the story's folder" in result.stdout


@pytest.mark.parametrize("command", ["validate", "play", "map"])
def test_a_link_out_of_the_folder_never_shows_what_it_points_to(tmp_path, command):
    # Before: passwd.yaml -> /etc/passwd was read, and its first line echoed in an error.
    outside = tmp_path / "private.txt"
    outside.write_text(SECRET, encoding="utf-8")
    folder = story_folder(tmp_path)
    (folder / "passwd.yaml").symlink_to(outside)
    (folder / "environ.yaml").symlink_to("/proc/self/environ")
    extra = {"play": ["--text"], "map": ["-o", tmp_path / "map.svg"]}.get(command, [])
    result = run(command, folder, *extra, stdin="")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "secret-first-line" not in output and "PATH=" not in output
    assert output.count("it is a link that leads outside the story folder") == 2


def test_a_link_within_the_folder_is_followed(tmp_path):
    folder = story_folder(tmp_path)
    (folder / "parts").mkdir()
    (folder / "parts" / "more.txt").write_text(
        "scenes:\n  b:\n    text: B.\n    ending: {title: B}\n", encoding="utf-8"
    )
    (folder / "more.yaml").symlink_to(Path("parts") / "more.txt")
    story, diagnostics = check_story(folder)
    assert story is not None, [d.headline() for d in diagnostics]
    assert set(story.scenes) == {"a", "b"}


def test_a_head_that_leaves_the_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(HEAD, encoding="utf-8")
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").symlink_to(outside)
    _, diagnostics = check_story(folder)
    error = only_e017(diagnostics)
    assert error.file == str(folder / "story.yaml")
    assert "leads outside the story folder" in error.message


def test_a_story_named_through_a_linked_folder_reads_its_own_files(tmp_path):
    folder = story_folder(tmp_path)
    (tmp_path / "alias").symlink_to(folder)
    story, diagnostics = check_story(tmp_path / "alias")
    assert story is not None, [d.headline() for d in diagnostics]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:  # sparse: no disk is used, and the loader must not read it
        handle.truncate(STORY_BYTES_LIMIT + 1)
    _, diagnostics = check_story(big)
    error = only_e017(diagnostics)
    assert error.message == "the file holds more than 16 MB, the most a story may hold"


def test_files_that_together_exceed_the_limit_are_refused(tmp_path):
    folder = story_folder(tmp_path)
    for name in ("a.yaml", "b.yaml"):
        with (folder / name).open("wb") as handle:
            handle.truncate(STORY_BYTES_LIMIT // 2)
    found = read_story_files(folder)
    assert [display for display, _ in found.files] == [
        str(folder / n) for n in ("story.yaml", "a.yaml")
    ]
    error = only_e017(found.problems)
    assert error.file == str(folder / "b.yaml")
    assert error.message == (
        "with this file, the story's files hold more than 16 MB, the most a story may hold"
    )


def test_the_walk_of_a_folder_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FOLDER_ENTRIES", 20)
    folder = story_folder(tmp_path)
    for number in range(30):
        (folder / f"note{number}.txt").write_text("not a story file")
    found = read_story_files(folder)
    error = only_e017(found.problems)
    assert error.message == "the story folder holds more than 20 files and folders"


def test_hidden_folders_and_linked_folders_are_not_walked(tmp_path):
    folder = story_folder(tmp_path)
    (folder / ".git").mkdir()
    (folder / ".git" / "x.yaml").write_text("not: [valid")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "y.yaml").write_text("not: [valid")
    (folder / "linked").symlink_to(elsewhere)
    (folder / "loop").symlink_to(folder)
    found = read_story_files(folder)
    assert not found.problems
    assert [display for display, _ in found.files] == [str(folder / "story.yaml")]


def test_the_printer_never_opens_a_file_for_a_whole_file_problem(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    sources = SourceLines()
    diagnostic = Diagnostic(str(fifo), 0, 0, "error", "E017", "refused")
    assert render_text(diagnostic, sources).startswith(f"{fifo}: error: refused [E017]")
    # Even asked for a line, the printer opens only regular files of a story's size.
    assert sources.line(str(fifo), 1) is None
    assert sources.line("/dev/zero", 1) is None
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(STORY_BYTES_LIMIT + 1)
    assert sources.line(str(big), 1) is None


KINDS = ["yaml", "pipe", "inside", "outside", "dangling", "folder", "device"]


@given(st.lists(st.sampled_from(KINDS), max_size=8))
@settings(max_examples=60, deadline=None)
def test_whatever_a_folder_holds_nothing_outside_is_read(kinds):
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(temporary)
        (base / "outside.yaml").write_text(SECRET, encoding="utf-8")
        folder = story_folder(base)
        for number, kind in enumerate(kinds):
            entry = folder / f"e{number}.yaml"
            if kind == "yaml":
                entry.write_text(f"scenes:\n  s{number}: {{text: x, ending: {{title: t}}}}\n")
            elif kind == "pipe":
                os.mkfifo(entry)
            elif kind == "inside":
                entry.symlink_to(folder / "story.yaml")
            elif kind == "outside":
                entry.symlink_to(base / "outside.yaml")
            elif kind == "dangling":
                entry.symlink_to(base / "nowhere.yaml")
            elif kind == "folder":
                entry.mkdir()
            else:
                entry.symlink_to("/dev/null")
        found = read_story_files(folder)
        assert all(SECRET.encode() not in data for _, data in found.files)
        refused = {"pipe", "outside", "dangling", "device"}
        assert len(found.problems) == sum(kind in refused for kind in kinds)
        assert all(p.code == "E017" and p.line == 0 for p in found.problems)
        story, diagnostics = check_story(folder)
        assert (story is None) == any(d.is_error for d in diagnostics)


def test_a_head_that_is_a_folder_says_so(tmp_path):
    folder = tmp_path / "story"
    (folder / "story.yaml").mkdir(parents=True)
    _, diagnostics = check_story(folder)
    error = only_e017(diagnostics)
    assert error.message == "cannot read the file: it is a folder"
    assert (
        error.hint == "a story's story.yaml is a file holding its head (title, start, meters ...)"
    )
