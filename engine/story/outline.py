"""Pass 1: compose every file, read the head, and index every scene by id with where it is
defined, so that pass 2 can check each reference against the whole story.

A scene defined twice keeps its first definition; the second is reported (E013) with the place
of the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yaml.nodes import Node, ScalarNode

from engine.story.diagnostics import Diagnostic
from engine.story.files import StoryFiles
from engine.story.head import Head, read_head
from engine.story.nodes import SCENE_ID, NodeReader
from engine.story.yaml_source import parse_yaml


@dataclass(frozen=True, slots=True)
class SceneEntry:
    """A scene as pass 1 found it: the key that names it, its node, and its file's reader."""

    key: ScalarNode
    node: Node
    reader: NodeReader

    def where(self) -> str:
        """`file:line:col` of the scene's id."""
        mark = self.key.start_mark
        return f"{self.reader.file}:{mark.line + 1}:{mark.column + 1}"


class SceneIndex:
    """Every scene of a story by id, in the order of the files and of the scenes in them."""

    def __init__(self) -> None:
        self.entries: dict[str, SceneEntry] = {}

    def add_scenes(self, reader: NodeReader, node: Node) -> None:
        """Index the scenes of one file's `scenes:` map."""
        entries = self.entries
        for key, value in reader.id_map(node, "'scenes'", SCENE_ID, "scene", check_dupes=False):
            scene_id = key.value
            first = entries.get(scene_id)
            if first is not None:
                reader.error(
                    key,
                    "E013",
                    f"the scene '{scene_id}' is defined twice: first at {first.where()}",
                )
                continue
            entries[scene_id] = SceneEntry(key, value, reader)


@dataclass(slots=True)
class Outline:
    """What pass 1 found: the head (None when the head file could not be read as a map), the
    scene index, and the files that could not be read at all."""

    head: Head | None
    index: SceneIndex
    unreadable: list[str] = field(default_factory=list)


def read_outline(files: StoryFiles, diagnostics: list[Diagnostic]) -> Outline:
    """Pass 1 over every file, adding its problems to `diagnostics`."""
    outline = Outline(None, SceneIndex())
    for number, (display, data) in enumerate(files.files):
        parsed = parse_yaml(data, display)
        diagnostics.extend(parsed.problems)
        if parsed.root is None:
            outline.unreadable.append(display)
            continue
        reader = NodeReader(display, diagnostics, data)
        if number == 0:
            fields = reader.mapping(parsed.root, "story", "a story file")
        else:
            fields = reader.mapping(parsed.root, "scenes_file", "a scenes file")
        if fields is None:
            continue
        if number == 0:
            outline.head = read_head(reader, fields, files.story_id)
        if "scenes" in fields:
            outline.index.add_scenes(reader, fields["scenes"][1])
    return outline
