"""Classroom settings: the file a teacher hands out, read as safely as a story.

    # classroom.yaml
    name: Year 10, Tuesday
    story: scenes/balance_of_power      # relative to this file; the bundled story by default
    allow_undo: false
    show_meters: false                  # hide the meters until the debrief
    ask_player: code                    # none (anonymous, the default), name or code
    records: records                    # where records are written, relative to this file

`python main.py --classroom classroom.yaml` opens the game with these settings; command-line
flags override them. Problems are diagnostics with file:line:col, like a story's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode

from engine.play.game import PlayRules
from engine.story.diagnostics import ERROR, Diagnostic, suggest
from engine.story.yaml_source import describe_node, parse_yaml

ASK_CHOICES = ("none", "name", "code")
KEYS = {
    "name": "text",
    "story": "text",
    "allow_undo": "boolean",
    "show_meters": "boolean",
    "ask_player": "text",
    "records": "text",
}


@dataclass(frozen=True, slots=True)
class Classroom:
    """How a class plays: which story, what players may do, where records go."""

    name: str | None = None
    story: Path | None = None  # None: the bundled story
    allow_undo: bool | None = None  # None: as the story says
    show_meters: bool = True
    ask_player: str = "none"
    records: Path | None = None  # None: no records are written

    def with_overrides(self, **changes: object) -> Classroom:
        """These settings with every non-None change applied (command-line flags)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def rules(self) -> PlayRules:
        """The rules the class plays by: undo on or off, meters shown or kept for the end."""
        return PlayRules(self.allow_undo, self.show_meters)


class ClassroomError(Exception):
    """A classroom file that cannot be used; `diagnostics` says every reason, with places."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__(diagnostics[0].headline() if diagnostics else "bad classroom settings")


def load_classroom(path: str | Path) -> Classroom:
    """Read a classroom file; raises ClassroomError with every problem found."""
    path = Path(path)
    display = str(path)
    if path.exists() and not path.is_file():
        raise ClassroomError(
            [
                Diagnostic(
                    display,
                    0,
                    0,
                    ERROR,
                    "E017",
                    "the classroom settings must be a file (a .yaml "
                    "file), not a folder or a device",
                )
            ]
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ClassroomError(
            [
                Diagnostic(
                    display,
                    0,
                    0,
                    ERROR,
                    "E017",
                    f"cannot read the classroom settings: {error.strerror or error}",
                )
            ]
        ) from None
    parsed = parse_yaml(data, display)
    if parsed.problems:
        raise ClassroomError(list(parsed.problems))
    problems: list[Diagnostic] = []
    root = parsed.root
    if not isinstance(root, MappingNode):
        raise ClassroomError(
            [Diagnostic(display, 1, 1, ERROR, "E010", "classroom settings must be a map of keys")]
        )
    values: dict[str, object] = {}
    for key, node in root.value:
        mark = key.start_mark
        name = key.value if isinstance(key, ScalarNode) else "?"
        where = (display, mark.line + 1, mark.column + 1)
        if name in values:
            problems.append(Diagnostic(*where, ERROR, "E004", f"the key '{name}' appears twice"))
            continue
        if name not in KEYS:
            problems.append(
                Diagnostic(
                    *where,
                    ERROR,
                    "E011",
                    f"unknown key '{name}'",
                    suggest(name, KEYS) or "the keys are: " + ", ".join(KEYS),
                    len(name),
                )
            )
            continue
        value = _value(node, KEYS[name])
        if value is None:
            vmark = node.start_mark
            expected = "true or false" if KEYS[name] == "boolean" else "text"
            problems.append(
                Diagnostic(
                    display,
                    vmark.line + 1,
                    vmark.column + 1,
                    ERROR,
                    "E010",
                    f"'{name}' must be {expected}, not {describe_node(node)}",
                )
            )
            continue
        if name == "ask_player" and value not in ASK_CHOICES:
            vmark = node.start_mark
            problems.append(
                Diagnostic(
                    display,
                    vmark.line + 1,
                    vmark.column + 1,
                    ERROR,
                    "E010",
                    f"'ask_player' must be none, name or code, not {value!r}",
                )
            )
            continue
        values[name] = value
    if problems:
        raise ClassroomError(problems)
    base = path.resolve().parent
    return Classroom(
        name=values.get("name"),
        story=base / values["story"] if "story" in values else None,
        allow_undo=values.get("allow_undo"),
        show_meters=values.get("show_meters", True),
        ask_player=values.get("ask_player", "none"),
        records=base / values.get("records", "records"),
    )


def _value(node, kind: str):
    if not isinstance(node, ScalarNode) or not node.tag.startswith("tag:yaml.org,2002:"):
        return None
    if kind == "boolean":
        if node.tag != "tag:yaml.org,2002:bool":
            return None
        return SafeConstructor().construct_yaml_bool(node)
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value
