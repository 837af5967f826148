"""Checks of the whole story once its scenes are built: the start, the head's invariants, every
scene reachable from it, and every meter, flag and response used as declared (lint's usage
warnings)."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from engine.story import lint, model
from engine.story.diagnostics import WARNING
from engine.story.head import Head
from engine.story.outline import SceneIndex
from engine.story.references import References


def check_start(head: Head, references: References) -> str | None:
    """The scene the story starts in, when the head names one that exists (else reported)."""
    return references.scene(head.reader, head.fields, "start", "'start'")


MAX_INVARIANTS = 200  # a story states a handful; each is checked after every turn of a playtest


def read_invariants(head: Head, references: References) -> tuple[model.Invariant, ...]:
    """The head's `invariants`: each a name and a condition (`check`) that must hold after
    every turn, its names checked like any condition's; names are unique."""
    if "invariants" not in head.fields:
        return ()
    reader = head.reader
    items = reader.sequence(head.fields["invariants"][1], "'invariants'", allow_empty=True)
    if len(items) > MAX_INVARIANTS:
        reader.error(
            head.fields["invariants"][0],
            "E010",
            f"the story states {len(items)} invariants; at most {MAX_INVARIANTS} are checked",
            "keep the rules that say what the story is about",
        )
        return ()
    found: dict[str, model.Invariant] = {}
    for item in items:
        fields = reader.mapping(item, "invariant", "an invariant")
        if fields is None:
            continue
        name = reader.text_field(fields, "name", "an invariant's name")
        check = references.condition(reader, fields, "the rule is broken after every turn", "check")
        if name is None or check is None:
            continue
        if name in found:
            reader.error(
                fields["name"][1],
                "E014",
                f"two invariants are named '{name}'",
                "give each rule its own name: reports name the rule that was broken",
            )
            continue
        mark = item.start_mark
        place = model.Place(reader.file, mark.line + 1, mark.column + 1)
        found[name] = model.Invariant(name, check, place)
    return tuple(found.values())


def check_reachable(start: str, scenes: Mapping[str, model.Scene], index: SceneIndex) -> None:
    """Warn about each built scene (W100) or ending (W101) that no path from `start` reaches."""
    reached = {start}
    queue = deque([start])
    while queue:
        scene = scenes.get(queue.popleft())
        if scene is None:
            continue
        for target in scene.targets():
            if target not in reached:
                reached.add(target)
                queue.append(target)
    for scene_id, entry in index.entries.items():
        if scene_id in reached or scene_id not in scenes:
            continue
        if scenes[scene_id].kind == model.ENDING:
            code, message = "W101", f"the ending '{scene_id}' is never reached"
        else:
            code, message = "W100", f"the scene '{scene_id}' is never reached"
        entry.reader.error(entry.key, code, message, severity=WARNING)


def check_usage(head: Head, usage: lint.Usage) -> None:
    """Warnings for declarations that the story never uses as declared."""
    report = head.reader.error
    for name, key in head.declared["meter"].items():
        if name not in usage.meters_changed:
            report(
                key,
                "W104",
                f"nothing changes the meter '{name}': it stays at its start",
                "give some choice an effect on it, or remove it",
                severity=WARNING,
            )
    for name, key in head.declared["flag"].items():
        if name in usage.flags_set and name not in usage.flags_read:
            report(
                key,
                "W105",
                f"the flag '{name}' is set but no condition reads it",
                "test it in an 'if', or stop setting it",
                severity=WARNING,
            )
        elif name in usage.flags_read and name not in usage.flags_set:
            report(
                key,
                "W106",
                f"the flag '{name}' is read but never set: it stays "
                f"{str(head.flags.get(name, False)).lower()}",
                "set it with 'set:' in some choice or outcome",
                severity=WARNING,
            )
    for name, key in head.declared["response"].items():
        if name not in usage.responses_used:
            report(
                key,
                "W107",
                f"no choice has the response '{name}'",
                "give it to a choice, or remove it",
                severity=WARNING,
            )
