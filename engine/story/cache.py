"""The compiled cache: a story that validated before is read back instead of being checked again.

After a story validates without errors, its model and warnings are written as compact JSON to
`.cache/stories/` in the project (git ignores it; `BOP_CACHE_DIR` moves it), named by a hash of
every file's path and content, of the cache format and of the code of `engine.story`. Any edit to
any file, or to the validator, changes the name, so a stale entry is never read (the scenes'
pictures, which are not among those files, are kept in the entry with their sizes and times of
change, and an entry whose pictures changed is checked again); a damaged entry
is ignored and rebuilt. Nothing here is executed or unpickled: conditions are cached as their
checked trees and compiled on first use.

`engine.story.loader.check_story(path, cache=True)` is the way in; this module never builds a
story itself.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict
from pathlib import Path

from engine import paths
from engine.atomic import write_atomic
from engine.story import model
from engine.story.cache_codec import SceneDecoder, SceneEncoder
from engine.story.collector import gc_paused
from engine.story.diagnostics import Diagnostic
from engine.story.files import StoryFiles
from engine.story.text import Partner

CACHE_FORMAT = 7
ENV_VAR = "BOP_CACHE_DIR"
DEFAULT_FOLDER = paths.CACHE
KEEP_ENTRIES = 32


def cache_folder() -> Path:
    """The folder of the cache's entries: `BOP_CACHE_DIR`, or `.cache/stories` in the project."""
    from_env = os.environ.get(ENV_VAR)
    return Path(from_env) if from_env else DEFAULT_FOLDER


def entry_path(files: StoryFiles) -> Path:
    """Where the entry of a story with these files is (or would be) kept."""
    return cache_folder() / f"{cache_key(files)}.json"


def cache_key(files: StoryFiles) -> str:
    """Names an entry by the story's files and by the engine that checked them, so a new
    validator (a new lint, say) never serves an old entry's diagnostics."""
    # A path from the file system may hold bytes that are not UTF-8 (as surrogate escapes).
    digest = hashlib.sha256(
        f"story-cache-{CACHE_FORMAT}\0{files.path}\0".encode("utf-8", "surrogateescape")
    )
    digest.update(engine_fingerprint().encode())
    digest.update(files.content_hash().encode())
    return digest.hexdigest()[:40]


@functools.cache
def engine_fingerprint() -> str:
    """A hash of every module of `engine.story`, whose code decides what a loaded story and its
    diagnostics are; read once per process. A module added to the package is covered without
    anyone keeping a list."""
    digest = hashlib.sha256()
    folder = Path(__file__).resolve().parent
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):  # an unreadable module still counts, by name
            digest.update(path.read_bytes())
    return digest.hexdigest()


# Writing -------------------------------------------------------------------------------------


def write_entry(entry: Path, story: model.Story, diagnostics: list[Diagnostic]) -> None:
    """Write a validated story and its warnings to `entry`; a cache that cannot be written only
    costs speed, so nothing is raised."""
    try:
        with gc_paused():
            body = entry_body(story_to_data(story, diagnostics))
        # The first line is the body's checksum: scenes are decoded only when first played,
        # so damage must be caught when the entry is read, not in the middle of a game.
        checksum = hashlib.sha256(body).hexdigest().encode("ascii")
        write_atomic(entry, checksum + b"\n" + body)
        _prune(entry.parent)
    except (OSError, UnicodeEncodeError):  # a path that is not UTF-8 is not cached
        pass


def story_to_data(story: model.Story, diagnostics: list[Diagnostic]) -> dict:
    """The story as JSON-ready data: the head's fields by name, each scene as a record
    (`cache_codec`), and the tables of the conditions and effects the scenes use."""
    encoder = SceneEncoder()
    scenes = [[scene.id, encoder.record(scene)] for scene in story.scenes.values()]
    invariants = [encoder.invariant(invariant) for invariant in story.invariants]
    source = story.source
    return {
        "format": CACHE_FORMAT,
        "head": {
            "id": story.id,
            "title": story.title,
            "start": story.start,
            "content_note": story.content_note,
            "credits": story.credits,
            "support": story.support,
            "partner": asdict(story.partner),
            "author": story.author,
            "description": story.description,
            "allow_undo": story.allow_undo,
            "invariants": invariants,
            "meters": [asdict(meter) for meter in story.meters.values()],
            "responses": dict(story.responses),
            "flags": dict(story.flags),
            "moods": [[mood.id, list(mood.accent)] for mood in story.moods.values()],
            "source": asdict(source) if source else None,
            "pictures": _pictures(story),
        },
        "conditions": encoder.conditions,
        "effects": encoder.effects,
        "scenes": scenes,
        "diagnostics": [d.to_json() | {"help": d.help} for d in diagnostics],
    }


def _pictures(story: model.Story) -> list[list]:
    """Each picture's path with its size and time of change, which an entry is read back with
    only while they are the same: a picture is checked when the story is, but its file is not
    among the story's files that name the entry."""
    found = []
    for scene in story.scenes.values():
        if scene.image is not None:
            found.append([scene.image.path, *_stamp(scene.image.path)])
    return found


def _stamp(path: str) -> tuple[int, int]:
    """A file's size and time of change (-1, -1 when it cannot be read)."""
    try:
        info = os.stat(path)
    except OSError:
        return -1, -1
    return info.st_size, info.st_mtime_ns


def entry_body(data: dict) -> bytes:
    """The head as one line of JSON, then each scene as a line of its own (JSON never holds a
    raw line break), so reading the entry makes one bytes object per scene, which the garbage
    collector never scans, and decodes a scene only when it is first used."""
    scenes = data.pop("scenes")
    data["scene_ids"] = [scene_id for scene_id, _ in scenes]
    lines = [json.dumps(data, ensure_ascii=False, separators=(",", ":"))]
    lines += [json.dumps(record, ensure_ascii=False, separators=(",", ":")) for _, record in scenes]
    return "\n".join(lines).encode("utf-8")


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        old.unlink(missing_ok=True)


# Reading -------------------------------------------------------------------------------------


def read_entry(entry: Path, files: StoryFiles) -> tuple[model.Story, list[Diagnostic]] | None:
    """The story and diagnostics kept in `entry` for these files, or None when there is no
    entry or it is damaged, from another cache format or for other files."""
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    checksum, _, body = raw.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode("ascii") != checksum:
        return None  # damaged (or from an older cache format): rebuild it
    try:
        with gc_paused():
            head, *scene_lines = body.split(b"\n")
            data = json.loads(head)
            data["scenes"] = list(zip(data["scene_ids"], scene_lines, strict=True))
            story = story_from_data(data)
            diagnostics = [Diagnostic(**record) for record in data["diagnostics"]]
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # damaged or from another cache format: rebuild it
    if story.content_hash != files.content_hash():
        return None
    for path, size, changed in data["head"]["pictures"]:
        if _stamp(path) != (size, changed):
            return None  # a picture changed or went: check the story again
    return story, diagnostics


class LazyScenes(Mapping):
    """A read-only map of scenes, each decoded from the cache the first time it is used."""

    def __init__(
        self, encoded: dict[str, bytes], decode: Callable[[str, bytes], model.Scene]
    ) -> None:
        self._encoded = encoded
        self._decode = decode
        self._scenes: dict[str, model.Scene] = {}

    def __getitem__(self, scene_id: str) -> model.Scene:
        scene = self._scenes.get(scene_id)
        if scene is None:
            scene = self._scenes[scene_id] = self._decode(scene_id, self._encoded[scene_id])
        return scene

    def __contains__(self, scene_id: object) -> bool:
        return scene_id in self._encoded

    def __iter__(self) -> Iterator[str]:
        return iter(self._encoded)

    def __len__(self) -> int:
        return len(self._encoded)


def story_from_data(data: dict) -> model.Story:
    """The story of `story_to_data`'s data, its scenes still encoded; a malformed entry raises
    ValueError, KeyError, TypeError, IndexError or AttributeError."""
    if data.get("format") != CACHE_FORMAT:
        raise ValueError("another cache format")
    decoder = SceneDecoder(data["conditions"], data["effects"])

    def scene(scene_id: str, encoded: bytes) -> model.Scene:
        return decoder.scene(scene_id, json.loads(encoded))

    scenes = LazyScenes(dict(data["scenes"]), scene)
    head = data["head"]
    source = head["source"]
    return model.Story(
        id=head["id"],
        title=head["title"],
        start=head["start"],
        scenes=scenes,
        meters=model.frozen_map({m["id"]: model.Meter(**m) for m in head["meters"]}),
        responses=model.frozen_map(head["responses"]),
        flags=model.frozen_map(head["flags"]),
        moods=model.frozen_map(
            {name: model.Mood(name, tuple(accent)) for name, accent in head["moods"]}
        ),
        content_note=head["content_note"],
        credits=head["credits"],
        support=head["support"],
        partner=Partner(**head["partner"]),
        author=head["author"],
        description=head["description"],
        allow_undo=head["allow_undo"],
        invariants=tuple(decoder.invariant(record) for record in head["invariants"]),
        source=model.StorySource(source["path"], tuple(source["files"]), source["content_hash"])
        if source
        else None,
    )
