"""Saves: atomic writes with backups, and every way a save file can go wrong."""

import json
import os

import pytest

from engine import Session, load_story
from engine.play import saves as saves_module
from engine.play.saves import AUTOSAVE, SaveError, SaveStore, saves_folder, slot_name

from ..conftest import ROOT, STORIES


@pytest.fixture
def story():
    return load_story(STORIES / "tiny.yaml")


@pytest.fixture
def store(story, tmp_path):
    return SaveStore(story, tmp_path / "saves")


def played(story, seed=4):
    session = Session(story, seed=seed)
    session.choose("argue")
    return session


def test_a_save_round_trips_the_whole_session(story, store):
    session = played(story)
    path = store.write(2, session)
    assert path.name == "slot-2.json" and path.parent.name == story.id
    loaded, notes = store.read(2)
    assert notes == [] and loaded.to_save() == session.to_save()
    record = json.loads(path.read_text("utf-8"))
    assert record["format"] == "balance-of-power-save" and record["version"] == 2
    assert record["story"]["hash"] == story.content_hash
    assert record["summary"]["scene"] == "kitchen"


def test_writing_again_keeps_the_previous_save_as_backup(story, store):
    first = played(story, seed=1)
    store.write(1, first)
    second = played(story, seed=2)
    second.choose("1")
    store.write(1, second)
    backup = json.loads(store.path(1).with_name("slot-1.json.bak").read_text("utf-8"))
    assert backup["session"] == first.to_save()


def test_the_list_shows_autosave_first_and_names_damaged_slots(story, store):
    store.write(10, played(story))
    store.write(2, played(story))
    store.write(AUTOSAVE, played(story))
    store.path(3).write_text("{not json", "utf-8")
    infos = store.list()
    assert [info.slot for info in infos] == ["autosave", "slot-2", "slot-3", "slot-10"]
    assert infos[1].scene == "kitchen" and infos[1].turns == 1 and infos[1].problem is None
    assert "damaged" in infos[2].problem


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b'{"format": "balance-of-power-save", "version": 1, "story"', "not readable JSON"),
        (b"\xff\xfe garbage", "not readable JSON"),
        (b'{"hello": "world"}', "is not a save of this game"),
        (b"[1, 2, 3]", "is not a save of this game"),
        (b'{"format": "balance-of-power-save", "version": 99}', "newer version of the game"),
        (b'{"format": "balance-of-power-save", "version": "1"}', "no valid version"),
        (
            b'{"format": "balance-of-power-save", "version": 1, "story": {"id": "other"}}',
            "belongs to another story",
        ),
        (
            b'{"format": "balance-of-power-save", "version": 1, "story": {"id": "tiny"}, '
            b'"session": {"scene": "hall"}}',
            "its date or summary cannot be read",
        ),
        (
            b'{"format": "balance-of-power-save", "version": 1, "story": {"id": "tiny"}, '
            b'"saved_at": "2026-11-29T10:00:00+00:00", "summary": {"scene": "hall", "turns": 0, '
            b'"meters": {}}, "session": {"scene": "hall"}}',
            "cannot be loaded",
        ),
    ],
)
def test_bad_save_files_give_a_clear_message_and_touch_nothing_else(story, store, content, message):
    store.write(1, played(story))
    good = store.path(1).read_bytes()
    store.path(2).parent.mkdir(parents=True, exist_ok=True)
    store.path(2).write_bytes(content)
    with pytest.raises(SaveError, match=message):
        store.read(2)
    assert store.path(1).read_bytes() == good and store.path(2).read_bytes() == content


def test_a_truncated_save_falls_back_to_its_backup_and_says_so(story, store):
    first = played(story, seed=1)
    store.write(1, first)
    store.write(1, played(story, seed=2))
    data = store.path(1).read_bytes()
    store.path(1).write_bytes(data[: len(data) // 2])
    loaded, notes = store.read(1)
    assert loaded.to_save() == first.to_save()
    assert "previous save was loaded instead" in notes[0]


def test_a_crash_between_write_and_rename_leaves_the_old_save_whole(story, store, monkeypatch):
    store.write(1, played(story, seed=1))
    before = store.path(1).read_bytes()

    def crash(*args):
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(SaveError, match="power cut"):
        store.write(1, played(story, seed=2))
    monkeypatch.undo()
    assert store.path(1).read_bytes() == before
    assert [p.name for p in store.folder.iterdir() if p.name.endswith(".tmp")] == []
    loaded, _ = store.read(1)
    assert loaded.seed == 1


def test_a_leftover_temp_file_from_a_real_crash_is_ignored(story, store):
    store.write(1, played(story))
    (store.folder / ".slot-1.json.abc123.tmp").write_text('{"half": ', "utf-8")
    assert [info.slot for info in store.list()] == ["slot-1"]
    store.read(1)


def test_older_versions_are_migrated(story, store, monkeypatch):
    store.write(1, played(story))
    record = json.loads(store.path(1).read_text("utf-8"))
    # Pretend version 1 had the summary under another name, and migrate it forward.
    record["version"] = 1
    record["overview"] = record.pop("summary")
    store.path(1).write_text(json.dumps(record), "utf-8")

    def upgrade(data):
        data["summary"] = data.pop("overview")
        return data

    monkeypatch.setattr(saves_module, "VERSION", 2)
    monkeypatch.setitem(saves_module.MIGRATIONS, 1, upgrade)
    info = store.info("slot-1")
    assert info.problem is None and info.scene == "kitchen"
    session, _ = store.read(1)
    assert session.scene_id == "kitchen"


def test_a_save_too_old_to_migrate_is_refused(story, store, monkeypatch):
    store.write(1, played(story))
    monkeypatch.setattr(saves_module, "VERSION", 3)
    with pytest.raises(SaveError, match="too old"):
        store.read(1)


def test_slot_names_cannot_escape_the_folder():
    assert slot_name(3) == "slot-3" and slot_name("autosave") == "autosave"
    for bad in ("../evil", "a/b", "", "x" * 41, "dot.dot"):
        with pytest.raises(SaveError):
            slot_name(bad)


def test_the_folder_comes_from_the_flag_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BOP_SAVES_DIR", str(tmp_path / "env"))
    assert saves_folder() == tmp_path / "env"
    assert saves_folder(tmp_path / "flag") == tmp_path / "flag"
    monkeypatch.delenv("BOP_SAVES_DIR")
    assert saves_folder() == ROOT / "saves"


def test_an_unwritable_folder_gives_a_save_error(story, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    with pytest.raises(SaveError, match="could not save"):
        SaveStore(story, blocker).write(1, played(story))
