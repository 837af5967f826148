"""Every field of a save, damaged in every way: loading says why, listing never crashes."""

import copy
import json
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Session, load_story
from engine.atomic import backup_path
from engine.play import saves as saves_module
from engine.play.saves import AUTOSAVE, SaveError, SaveInfo, SaveStore

from ..classroom.test_records_damage import WEIRD, field_paths, set_path
from ..conftest import STORIES


def test_no_damage_to_any_field_of_a_save_escapes_as_anything_but_a_save_error(tmp_path):
    story = load_story(STORIES / "tiny.yaml")
    store = SaveStore(story, tmp_path)
    session = Session(story, seed=4)
    session.choose("argue")
    store.write(1, session)
    record = json.loads(store.path(1).read_text("utf-8"))
    paths = [path for path in field_paths(record) if path and "rng" not in path]
    assert len(paths) > 40
    refused = 0
    for path in paths:
        for weird in WEIRD:
            damaged = copy.deepcopy(record)
            set_path(damaged, path, weird)
            store.path(2).write_text(json.dumps(damaged), "utf-8")
            info = store.info("slot-2")
            assert isinstance(info, SaveInfo)
            assert info.problem is not None or (
                isinstance(info.saved_at, str | None)
                and isinstance(info.turns, int)
                and isinstance(info.scene_title, str | None)
                and isinstance(info.scene, str)
            )
            try:
                loaded, notes = store.read(2)
            except SaveError as problem:
                refused += 1
                assert str(problem)
                continue
            # What loads must be playable: show the scene and its choices, save it again.
            loaded.paragraphs(), loaded.options, loaded.can_undo
            loaded.to_save()
            if loaded.can_undo:
                loaded.undo()
    assert refused > 0


# Deep and huge files (issue 11, item 4): `"[" * 100000` raised a RecursionError that the reader
# did not catch, so `--load autosave` was an internal error and the backup was never tried.

ATTACKS = {
    "unclosed brackets": b"[" * 100_000,
    "closed brackets": b"[" * 100_000 + b"]" * 100_000,
    "nested objects": b'{"a":' * 100_000,
    "nested deeper than any save": b"[" * 200 + b"]" * 200,
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_a_deeply_nested_save_falls_back_to_its_backup(tmp_path, attack):
    story = load_story(STORIES / "tiny.yaml")
    store = SaveStore(story, tmp_path)
    first = Session(story, seed=1)
    store.write(AUTOSAVE, first)
    store.write(AUTOSAVE, Session(story, seed=2))
    store.path(AUTOSAVE).write_bytes(attack)
    loaded, notes = store.read(AUTOSAVE)
    assert loaded.seed == 1 and "previous save was loaded instead" in notes[0]
    assert "is damaged" in notes[0]
    backup_path(store.path(AUTOSAVE)).write_bytes(attack)
    with pytest.raises(SaveError, match="autosave.json is damaged"):
        store.read(AUTOSAVE)
    assert "is damaged" in store.info(AUTOSAVE).problem


def test_a_save_larger_than_any_save_is_refused_without_reading_it(tmp_path):
    story = load_story(STORIES / "tiny.yaml")
    store = SaveStore(story, tmp_path)
    store.write(1, Session(story, seed=1))
    with open(store.path(2), "wb") as file:  # sparse: a gigabyte on no disk space
        file.truncate(1024**3)
    with pytest.raises(SaveError, match="slot-2.json is damaged: it is larger than 4 MiB"):
        store.read(2)
    assert "larger than 4 MiB" in store.info("slot-2").problem


def test_a_playthrough_too_long_to_save_is_not_saved(tmp_path, monkeypatch):
    """What is written can always be read back: a save over the limit is refused whole."""
    story = load_story(STORIES / "tiny.yaml")
    store = SaveStore(story, tmp_path)
    session = Session(story, seed=1)
    store.write(1, session)
    before = store.path(1).read_bytes()
    monkeypatch.setattr(saves_module, "MAX_SAVE_BYTES", len(before) - 1)
    with pytest.raises(SaveError, match="too long to save"):
        store.write(1, session)
    assert store.path(1).read_bytes() == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=12,
)


@given(st.data())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_json_anywhere_in_a_save_is_a_save_error_or_a_playable_session(data):
    story = load_story(STORIES / "tiny.yaml")
    with tempfile.TemporaryDirectory() as folder:
        store = SaveStore(story, folder)
        session = Session(story, seed=4)
        session.choose("argue")
        store.write(1, session)
        record = json.loads(store.path(1).read_text("utf-8"))
        paths = [path for path in field_paths(record) if path]
        damaged = copy.deepcopy(record)
        value = data.draw(json_values)
        if data.draw(st.booleans()):
            damaged = value
        else:
            set_path(damaged, data.draw(st.sampled_from(paths)), value)
        store.path(1).write_text(json.dumps(damaged), "utf-8")
        assert isinstance(store.info("slot-1"), SaveInfo)
        try:
            loaded, _ = store.read(1)
        except SaveError as problem:
            assert str(problem)
            return
        loaded.paragraphs(), loaded.options, loaded.to_save()
