"""The story's hash is of its content only: where it lies and how its path is written do not count
(issue 11, item 13: identical stories were reported as "3 different versions")."""

import json
import os
import shutil

from engine.paths import BUNDLED_STORY
from engine.story.files import StoryFiles, read_story_files
from engine.story.loader import load_story

from ..conftest import ROOT, STORIES
from ..tools.test_cli import run


def hash_of(path) -> str:
    return load_story(path).content_hash


def test_the_bundled_story_has_one_hash_however_it_is_named(tmp_path):
    relative = "scenes/balance_of_power"
    names = [
        BUNDLED_STORY,  # what `play` loads with no story given
        os.path.relpath(BUNDLED_STORY),
        os.path.relpath(BUNDLED_STORY) + "/",
        str(BUNDLED_STORY).replace("/scenes/", "/scenes/./"),
    ]
    (tmp_path / "linked").symlink_to(BUNDLED_STORY)
    shutil.copytree(BUNDLED_STORY, tmp_path / "copy" / "another_name")
    names += [tmp_path / "linked", tmp_path / "copy" / "another_name"]
    assert len({hash_of(name) for name in names}) == 1
    assert hash_of(ROOT / relative) == hash_of(BUNDLED_STORY)


def test_a_story_in_one_file_keeps_its_hash_under_another_name(tmp_path):
    copy = tmp_path / "tiny (1).yaml"  # as a browser names a second download
    shutil.copy(STORIES / "tiny.yaml", copy)
    assert hash_of(copy) == hash_of(STORIES / "tiny.yaml")
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert hash_of(copy) != hash_of(STORIES / "tiny.yaml")


def test_what_a_folder_story_holds_counts_and_where_it_lies_does_not(tmp_path):
    folder = tmp_path / "story"
    shutil.copytree(BUNDLED_STORY, folder)
    before = read_story_files(folder).content_hash()
    (folder / "02_winter.yaml").rename(folder / "99_winter.yaml")  # the order of the files
    renamed = read_story_files(folder).content_hash()
    (folder / "99_winter.yaml").rename(folder / "02_winter.yaml")
    assert read_story_files(folder).content_hash() == before
    (folder / "sub").mkdir()
    (folder / "02_winter.yaml").rename(folder / "sub" / "02_winter.yaml")  # where in the folder
    moved = read_story_files(folder).content_hash()
    assert len({before, renamed, moved}) == 3


def test_files_made_in_memory_hash_by_the_names_given():
    one = StoryFiles("a.yaml", "a", [("a.yaml", b"title: x\n")])
    other = StoryFiles("elsewhere/b.yaml", "b", [("elsewhere/b.yaml", b"title: x\n")])
    assert one.content_hash() == other.content_hash()  # a story in one file: its name is ''
    split = StoryFiles("s", "s", [("s/story.yaml", b"x"), ("s/more.yaml", b"y")])
    assert split.name_within("s/more.yaml") == "more.yaml"
    assert split.content_hash() != StoryFiles("s", "s", [("s/story.yaml", b"xy")]).content_hash()


def test_saving_under_one_path_and_loading_under_another_is_the_same_story(tmp_path):
    saves = tmp_path / "saves"
    first = run("play", "--text", "--choices", "1", "--saves", saves)  # the bundled story
    assert first.returncode == 0, first.stderr
    saved = json.loads((saves / "balance_of_power" / "autosave.json").read_text("utf-8"))
    assert saved["session"]["story"]["hash"] == hash_of(BUNDLED_STORY)
    again = run(
        "play",
        "scenes/balance_of_power",
        "--text",
        "--load",
        "autosave",
        "--choices",
        "1",
        "--saves",
        saves,
    )
    assert again.returncode == 0, again.stderr
    assert "The story has changed" not in again.stdout + again.stderr


def test_records_of_one_story_played_under_two_paths_are_one_version(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    shutil.copy(STORIES / "tiny.yaml", folder / "story.yaml")
    records = tmp_path / "records"
    for name, path in (("A", "tiny"), ("B", folder)):
        played = run(
            "play",
            path,
            "--text",
            "--choices",
            "1,1,1",
            "--records",
            records,
            "--player",
            name,
            cwd=tmp_path,
        )
        assert played.returncode == 0, played.stderr
    assert len(list(records.glob("*.json"))) == 2
    report = tmp_path / "report.html"
    result = run("report", records, "-o", report)
    assert result.returncode == 0, result.stderr
    assert "2 records" in result.stdout
    assert "different versions" not in report.read_text("utf-8")
