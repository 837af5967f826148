"""The compiled story cache: the same story, faster, never stale, never trusted blindly."""

import hashlib
import json
import os
import subprocess
import sys

import pytest

from engine.story.cache import cache_folder
from engine.story.loader import check_story, load_story

from ..conftest import ROOT, STORIES


def copy_tiny(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_bytes((STORIES / "tiny.yaml").read_bytes())
    return path


def entries():
    return sorted(cache_folder().glob("*.json")) if cache_folder().is_dir() else []


def test_a_warm_load_gives_the_same_story_as_a_cold_one(tmp_path):
    path = copy_tiny(tmp_path)
    cold, cold_diagnostics = check_story(path, cache=True)
    assert len(entries()) == 1
    warm, warm_diagnostics = check_story(path, cache=True)
    fresh, fresh_diagnostics = check_story(path)
    assert warm == cold == fresh
    assert warm_diagnostics == cold_diagnostics == fresh_diagnostics
    assert (
        warm.scenes["hall"]
        .choices[1]
        .outcomes[0]
        .condition.test({"trust": 60, "security": 0}, {"met_family": False}, {})
    )


def test_warnings_come_back_from_the_cache(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(
        "title: W\nstart: a\nscenes:\n  a: {text: A, ending: {title: E}}\n"
        "  b: {text: B, ending: {title: F}}\n",
        encoding="utf-8",
    )
    _, first = check_story(path, cache=True)
    _, second = check_story(path, cache=True)
    assert [d.code for d in first] == [d.code for d in second] == ["W101"]
    assert first == second


def test_any_edit_invalidates_the_entry(tmp_path):
    path = copy_tiny(tmp_path)
    load_story(path, cache=True)
    path.write_text(
        path.read_text("utf-8").replace("It works out.", "It works out well."), encoding="utf-8"
    )
    story = load_story(path, cache=True)
    assert story.scenes["good_end"].text == "It works out well."
    assert len(entries()) == 2


def test_a_story_with_errors_is_never_cached(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("title: B\nstart: nowhere\nscenes: {}\n", encoding="utf-8")
    story, diagnostics = check_story(path, cache=True)
    assert story is None and diagnostics and entries() == []


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"format": 2}',
        b"[]",
        b'{"format": 2, "head": {}, "scenes": [], "conditions": []}',
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(tmp_path, damage):
    path = copy_tiny(tmp_path)
    load_story(path, cache=True)
    (entry,) = entries()
    entry.write_bytes(damage)
    story = load_story(path, cache=True)
    assert story.title == "Tiny"
    assert json.loads(entry.read_bytes().split(b"\n")[1])["head"]["title"] == "Tiny"


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("BOP_CACHE_DIR", str(blocker / "cache"))
    assert load_story(copy_tiny(tmp_path), cache=True).title == "Tiny"


def test_the_project_cache_folder_is_ignored_by_git():
    root = STORIES.parent.parent
    assert ".cache/" in (root / ".gitignore").read_text("utf-8").split()
    os.environ.pop("BOP_CACHE_DIR", None)
    assert cache_folder() == root / ".cache" / "stories"


def test_a_new_engine_never_serves_an_old_entry(tmp_path, monkeypatch):
    from engine.story import cache as story_cache

    path = copy_tiny(tmp_path)
    load_story(path, cache=True)
    monkeypatch.setattr(story_cache, "engine_fingerprint", lambda: "a changed validator")
    load_story(path, cache=True)
    assert len(entries()) == 2  # rebuilt under the new engine's key, not read from the old one


def test_one_damaged_scene_in_an_entry_is_caught_when_the_entry_is_read(tmp_path):
    path = copy_tiny(tmp_path)
    load_story(path, cache=True)
    (entry,) = entries()
    raw = entry.read_bytes()
    entry.write_bytes(raw.replace(b"Later, in the kitchen.", b"Later, in the kitchen!"))
    story = load_story(path, cache=True)  # rebuilt from the files, not the damaged entry
    assert story.scenes["kitchen"].text == "Later, in the kitchen."


def test_the_map_command_leaves_a_complete_entry(tmp_path):
    """`map` writes the compiled cache's entry; the next load is served from it."""
    path = copy_tiny(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "map", str(path), "-o", str(tmp_path / "map.svg")],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {"BOP_CACHE_DIR": str(cache_folder())},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "map.svg").read_text().rstrip().endswith("</svg>")
    [entry] = entries()
    checksum, _, body = entry.read_bytes().partition(b"\n")
    assert hashlib.sha256(body).hexdigest().encode() == checksum
    before = entry.stat().st_mtime_ns
    story, _ = check_story(path, cache=True)
    assert story == check_story(path)[0] and entry.stat().st_mtime_ns == before


def test_an_entry_keeps_each_scene_as_a_record_keyed_by_field_name(tmp_path):
    path = copy_tiny(tmp_path)
    load_story(path, cache=True)
    (entry,) = entries()
    _, head, *scene_lines = entry.read_bytes().split(b"\n")
    data = json.loads(head)
    scenes = dict(zip(data["scene_ids"], map(json.loads, scene_lines), strict=True))
    hall = scenes["hall"]
    assert hall["kind"] == "choices" and hall["title"] == "The hall"
    assert hall["place"] == {"file": str(path), "line": 13, "col": 3}
    first, argue, alone = hall["choices"]
    assert sorted(first) == ["effects", "feedback", "goto", "id", "response", "text"]
    assert (first["id"], first["goto"], first["response"]) == ("1", "kitchen", "accept")
    assert [data["effects"][index] for index in first["effects"]] == [
        {"meter": "trust", "kind": "add", "amount": 5},
        {"meter": "security", "kind": "fair_down", "amount": 10},
    ]
    assert argue["outcomes"][0]["weight"] == 2 and "weight" not in argue["outcomes"][1]
    assert data["conditions"][alone["condition"]][0] == "security > 60"
    assert scenes["router"]["routes"][-1] == {"goto": "bad_end"}
    assert data["head"]["meters"][0] == {
        "id": "trust",
        "label": "Trust",
        "start": 50,
        "minimum": 0,
        "maximum": 100,
        "description": None,
        "centre": None,
    }


def test_the_cache_never_imports_the_loader_that_drives_it():
    import ast

    source = (ROOT / "engine" / "story" / "cache.py").read_text("utf-8")
    imported = {
        node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)
    }
    imported |= {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert "engine.story" in imported and not any("loader" in name for name in imported)
