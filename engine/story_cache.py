"""A compiled cache of validated stories, so a story that has not changed loads in a blink.

After a story validates without errors, its model and warnings are written as compact JSON to
`.cache/stories/` in the project (git ignores it; `BOP_CACHE_DIR` moves it), named by a hash of
every file's path and content and of the cache format. Any edit to any file changes the hash, so
a stale entry is never read; a damaged entry is ignored and rebuilt. Nothing here is executed or
unpickled: conditions are cached as their checked trees and compiled on first use.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from engine import model
from engine.atomic import write_atomic
from engine.diagnostics import Diagnostic
from engine.expressions import Condition
from engine.loader import StoryError, StoryFiles, build_story, gc_paused, read_story_files
from engine.text import Partner

CACHE_FORMAT = 5
ENV_VAR = "BOP_CACHE_DIR"
DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / ".cache" / "stories"
KEEP_ENTRIES = 32

_KINDS = {kind: kind for kind in (model.ADD, model.SET, model.FAIR_UP, model.FAIR_DOWN)}


def cache_folder() -> Path:
    from_env = os.environ.get(ENV_VAR)
    return Path(from_env) if from_env else DEFAULT_FOLDER


def check_story_cached(path: str | Path, use_cache: bool = True
                       ) -> tuple[model.Story | None, list[Diagnostic]]:
    """Like `loader.check_story`, reading and writing the compiled cache."""
    files = read_story_files(path)
    if files.problems or not use_cache:
        return build_story(files)
    entry = cache_folder() / f"{cache_key(files)}.json"
    cached = _read_entry(entry, files)
    if cached is not None:
        return cached
    story, diagnostics = build_story(files)
    if story is not None:
        _write_entry(entry, story, diagnostics)
    return story, diagnostics


def load_story_cached(path: str | Path) -> model.Story:
    story, diagnostics = check_story_cached(path)
    if story is None:
        raise StoryError(diagnostics)
    return story


def cache_key(files: StoryFiles) -> str:
    """Names an entry by the story's files and by the engine that checked them, so a new
    validator (a new lint, say) never serves an old entry's diagnostics."""
    digest = hashlib.sha256(f"story-cache-{CACHE_FORMAT}\0{files.path}\0".encode())
    digest.update(engine_fingerprint().encode())
    digest.update(files.content_hash().encode())
    return digest.hexdigest()[:40]


@functools.cache
def engine_fingerprint() -> str:
    """A hash of the engine modules whose code decides what a loaded story and its diagnostics
    are; read once per process (about 150 KB)."""
    digest = hashlib.sha256()
    folder = Path(__file__).resolve().parent
    for name in CHECKING_MODULES:
        try:
            digest.update((folder / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


CHECKING_MODULES = ("diagnostics.py", "expressions.py", "lint.py", "loader.py", "model.py",
                    "schema.py", "story_cache.py", "text.py", "yaml_source.py")


# Writing -------------------------------------------------------------------------------------


def story_to_data(story: model.Story, diagnostics: list[Diagnostic]) -> dict:
    """The story as compact, JSON-ready lists. Conditions are stored once each, by index."""
    conditions: dict[str, int] = {}
    trees: list = []

    def condition(cond: Condition | None):
        if cond is None:
            return None
        index = conditions.get(cond.source)
        if index is None:
            index = conditions[cond.source] = len(trees)
            trees.append([cond.source, cond.tree])
        return index

    def effects(items: tuple[model.Effect, ...]) -> list:
        return [[e.meter, e.kind, e.amount] for e in items]

    def sets(items: tuple[tuple[str, bool], ...]) -> list:
        return [[name, value] for name, value in items]

    scenes = []
    for scene in story.scenes.values():
        place = [scene.place.file, scene.place.line, scene.place.col] if scene.place else None
        body: list = []
        if scene.kind == model.CHOICES:
            body = [[c.id, c.text, c.goto, c.response, condition(c.condition), c.locked,
                     effects(c.effects), sets(c.sets), c.feedback,
                     [[o.goto, o.weight, condition(o.condition), effects(o.effects),
                       sets(o.sets), o.feedback] for o in c.outcomes]]
                    for c in scene.choices]
        elif scene.kind == model.ROUTER:
            body = [[route.goto, condition(route.condition)] for route in scene.routes]
        else:
            ending = scene.ending
            body = [ending.title, ending.debrief, list(ending.questions), ending.support]
        scenes.append([scene.id, [scene.text, scene.kind, scene.title, place, body]])
    source = story.source
    return {
        "format": CACHE_FORMAT,
        "head": {
            "id": story.id, "title": story.title, "start": story.start,
            "content_note": story.content_note, "credits": story.credits,
            "support": story.support,
            "partner": [story.partner.name, story.partner.pronouns],
            "author": story.author, "description": story.description,
            "allow_undo": story.allow_undo,
            "meters": [[m.id, m.label, m.start, m.minimum, m.maximum, m.description]
                       for m in story.meters.values()],
            "responses": dict(story.responses),
            "flags": dict(story.flags),
            "source": [source.path, list(source.files), source.content_hash] if source else None,
        },
        "conditions": trees,
        "scenes": scenes,
        "diagnostics": [d.to_json() | {"help": d.help} for d in diagnostics],
    }


def _write_entry(entry: Path, story: model.Story, diagnostics: list[Diagnostic]) -> None:
    try:
        with gc_paused():
            body = entry_body(story_to_data(story, diagnostics))
        # The first line is the body's checksum: scenes are decoded only when first played,
        # so damage must be caught when the entry is read, not in the middle of a game.
        checksum = hashlib.sha256(body).hexdigest().encode("ascii")
        write_atomic(entry, checksum + b"\n" + body)
        _prune(entry.parent)
    except OSError:
        pass  # a cache that cannot be written only costs speed


def entry_body(data: dict) -> bytes:
    """The head as one line of JSON, then each scene as a line of its own (JSON never holds a
    raw line break), so reading the entry makes one bytes object per scene, which the garbage
    collector never scans, and decodes a scene only when it is first used."""
    scenes = data.pop("scenes")
    data["scene_ids"] = [scene_id for scene_id, _ in scenes]
    lines = [json.dumps(data, ensure_ascii=False, separators=(",", ":"))]
    lines += [json.dumps(record, ensure_ascii=False, separators=(",", ":"))
              for _, record in scenes]
    return "\n".join(lines).encode("utf-8")


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        old.unlink(missing_ok=True)


# Reading -------------------------------------------------------------------------------------


def _read_entry(entry: Path, files: StoryFiles) -> tuple[model.Story, list[Diagnostic]] | None:
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
    return story, diagnostics


class LazyScenes(Mapping):
    """A read-only map of scenes, each decoded from the cache the first time it is used."""

    def __init__(self, encoded: dict[str, bytes],
                 decode: Callable[[str, bytes], model.Scene]):
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
    if data.get("format") != CACHE_FORMAT:
        raise ValueError("another cache format")
    conditions = [Condition(source, tree) for source, tree in data["conditions"]]
    effect_table: dict[tuple, model.Effect] = {}

    def effects(items: list) -> tuple[model.Effect, ...]:
        built = []
        for meter, kind, amount in items:
            key = (meter, kind, amount)
            effect = effect_table.get(key)
            if effect is None:
                effect = effect_table[key] = model.Effect(meter, _KINDS[kind], amount)
            built.append(effect)
        return tuple(built)

    def sets(items: list) -> tuple[tuple[str, bool], ...]:
        return tuple((name, value) for name, value in items)

    def condition(index: int | None) -> Condition | None:
        return None if index is None else conditions[index]

    Choice, Outcome, Scene = model.Choice, model.Outcome, model.Scene

    def scene(scene_id: str, encoded: bytes) -> model.Scene:
        text, kind, title, place, body = json.loads(encoded)
        where = model.Place(*place) if place else None
        if kind == model.CHOICES:
            choices = tuple(
                Choice(cid, ctext, goto, tuple(
                    Outcome(ogoto, weight, condition(ocond), effects(oeff), sets(oset), ofeed)
                    for ogoto, weight, ocond, oeff, oset, ofeed in outcomes
                ), response, condition(cond), locked, effects(eff), sets(flag_sets), feedback)
                for cid, ctext, goto, response, cond, locked, eff, flag_sets, feedback, outcomes
                in body
            )
            return Scene(scene_id, text, model.CHOICES, title, choices=choices, place=where)
        if kind == model.ROUTER:
            routes = tuple(model.Route(goto, condition(cond)) for goto, cond in body)
            return Scene(scene_id, text, model.ROUTER, title, routes=routes, place=where)
        ending = model.Ending(body[0], body[1], tuple(body[2]), body[3])
        return Scene(scene_id, text, model.ENDING, title, ending=ending, place=where)

    scenes = LazyScenes(dict(data["scenes"]), scene)
    head = data["head"]
    source = head["source"]
    return model.Story(
        id=head["id"], title=head["title"], start=head["start"],
        scenes=scenes,
        meters=model.frozen_map({m[0]: model.Meter(*m) for m in head["meters"]}),
        responses=model.frozen_map(head["responses"]),
        flags=model.frozen_map(head["flags"]),
        content_note=head["content_note"], credits=head["credits"], support=head["support"],
        partner=Partner(*head["partner"]), author=head["author"],
        description=head["description"], allow_undo=head["allow_undo"],
        source=model.StorySource(source[0], tuple(source[1]), source[2]) if source else None,
    )
