"""Every field of a save, damaged in every way: loading says why, listing never crashes."""

import copy
import json

from engine import Session, load_story
from engine.play.saves import SaveError, SaveInfo, SaveStore

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
