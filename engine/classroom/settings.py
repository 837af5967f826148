"""Classroom settings: the file a teacher hands out, read as safely as a story.

    # classroom.yaml
    name: Year 10, Tuesday
    story: scenes/balance_of_power      # relative to this file; the bundled story by default
    allow_undo: false
    show_meters: false                  # hide the meters until the debrief
    ask_player: code                    # none (anonymous, the default), name or code
    records: records                    # where records are written, relative to this file
    class_code: TUESDAY                 # the class server: a code students type to join
    teacher_password: a long phrase     # the class server: signs the teacher in (8+ characters)

`python main.py --classroom classroom.yaml` opens the game with these settings; command-line
flags override them. The file is read as strictly as a story: plain YAML data only (a tag such
as `!!python/name:...` on any key or value is an error), no control characters in any value
(a NUL in a path would stop the game), at most 64 KB. Problems are diagnostics with
file:line:col, like a story's.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode

from engine.play.game import PlayRules
from engine.safe_read import NOT_THERE, Refused, read_limited
from engine.story.diagnostics import ERROR, Diagnostic, suggest
from engine.story.yaml_source import PLAIN_TAGS, describe_node, parse_yaml

ASK_CHOICES = ("none", "name", "code")
MAX_BYTES = 64 * 1024  # a classroom file is a few lines
FILE_HELP = "give the path of the classroom file, a few lines of YAML (see docs/classroom.md)"
CONTROL_NAMES = {
    "\0": "NUL",
    "\t": "tab",
    "\n": "line break",
    "\r": "carriage return",
    "\x1b": "escape",
}
KEYS = {
    "name": "text",
    "story": "text",
    "allow_undo": "boolean",
    "show_meters": "boolean",
    "ask_player": "text",
    "records": "text",
    "class_code": "text",
    "teacher_password": "text",
}
SECRET_MINIMUM = 8  # characters in a teacher's password
CODE_MOST = 40  # characters in a class code


@dataclass(frozen=True, slots=True)
class Classroom:
    """How a class plays: which story, what players may do, where records go."""

    name: str | None = None
    story: Path | None = None  # None: the bundled story
    allow_undo: bool | None = None  # None: as the story says
    show_meters: bool = True
    ask_player: str = "none"
    records: Path | None = None  # None: no records are written
    class_code: str | None = None  # the class server: typed by students to join
    teacher_password: str | None = None  # the class server: another way in for the teacher

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

    def unreadable(message: str) -> ClassroomError:
        return ClassroomError([Diagnostic(display, 0, 0, ERROR, "E017", message, FILE_HELP)])

    try:
        data = read_limited(path, MAX_BYTES)
    except Refused as refused:
        if refused.too_large:
            raise unreadable(
                f"the classroom settings are larger than {MAX_BYTES // 1024} KB: a "
                "classroom file is a few lines (is this the right file?)"
            ) from None
        if refused.reason == NOT_THERE:
            raise unreadable(f"cannot read the classroom settings: {refused.reason}") from None
        raise unreadable(
            "the classroom settings must be a file (a .yaml file), not a folder or a device"
        ) from None
    except OSError as error:
        raise unreadable(f"cannot read the classroom settings: {error.strerror or error}") from None
    parsed = parse_yaml(data, display)
    if parsed.problems:
        raise ClassroomError(list(parsed.problems))
    problems: list[Diagnostic] = []
    root = parsed.root
    if not isinstance(root, MappingNode):
        if _plain(root, display, problems):
            problems.append(
                Diagnostic(display, 1, 1, ERROR, "E010", "classroom settings must be a map of keys")
            )
        raise ClassroomError(problems)
    if not _plain(root, display, problems):
        raise ClassroomError(problems)
    values: dict[str, object] = {}
    for key, node in root.value:
        name = _key_name(key, display, problems)
        if name is None:
            continue
        mark = key.start_mark
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
        if not _plain(node, display, problems):
            continue
        value = _value(node, KEYS[name])
        vmark = node.start_mark
        at = (display, vmark.line + 1, vmark.column + 1)
        if value is None:
            expected = "true or false" if KEYS[name] == "boolean" else "text"
            problems.append(
                Diagnostic(
                    *at, ERROR, "E010", f"'{name}' must be {expected}, not {describe_node(node)}"
                )
            )
            continue
        control = _control_character(value) if isinstance(value, str) else None
        if control is not None:
            problems.append(
                Diagnostic(
                    *at,
                    ERROR,
                    "E010",
                    f"'{name}' must be plain text, but it holds the control character {control}",
                    "write it without control characters (such as \\0 or \\e in double "
                    "quotes); a file or folder name cannot hold them",
                )
            )
            continue
        if name == "teacher_password" and len(value) < SECRET_MINIMUM:
            problems.append(
                Diagnostic(
                    *at,
                    ERROR,
                    "E010",
                    f"'teacher_password' must be at least {SECRET_MINIMUM} characters long",
                    "anyone on the class's network can try to guess it: use a phrase",
                )
            )
            continue
        if name == "class_code" and not 0 < len(value.strip()) <= CODE_MOST:
            problems.append(
                Diagnostic(
                    *at,
                    ERROR,
                    "E010",
                    f"'class_code' must be 1 to {CODE_MOST} characters",
                    "a short word or a few letters and digits, easy to read off a projector",
                )
            )
            continue
        if name == "ask_player" and value not in ASK_CHOICES:
            problems.append(
                Diagnostic(
                    *at, ERROR, "E010", f"'ask_player' must be none, name or code, not {value!r}"
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
        class_code=values.get("class_code"),
        teacher_password=values.get("teacher_password"),
    )


def _plain(node: Node, display: str, problems: list[Diagnostic]) -> bool:
    """Whether the node is plain YAML data, as a story's must be: any other tag, such as
    `!!python/name:...` or `!custom`, is reported (E005), on keys and values alike."""
    if node.tag in PLAIN_TAGS:
        return True
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    mark = node.start_mark
    problems.append(
        Diagnostic(
            display,
            mark.line + 1,
            mark.column + 1,
            ERROR,
            "E005",
            f"the YAML tag '{tag}' is not allowed",
            "classroom settings are plain data: remove the tag (the part starting with '!')",
            len(tag),
        )
    )
    return False


def _key_name(key: Node, display: str, problems: list[Diagnostic]) -> str | None:
    """A key's name, or None (reported) when the key is not plain text."""
    if not _plain(key, display, problems):
        return None
    mark = key.start_mark
    if not isinstance(key, ScalarNode) or key.tag != "tag:yaml.org,2002:str":
        problems.append(
            Diagnostic(
                display,
                mark.line + 1,
                mark.column + 1,
                ERROR,
                "E010",
                f"a key must be a name, not {describe_node(key)}",
            )
        )
        return None
    return key.value


def _control_character(text: str) -> str | None:
    """The first control character in text, as U+XXXX (and its name when it has a short one)."""
    for char in text:
        if unicodedata.category(char) == "Cc":
            name = CONTROL_NAMES.get(char)
            return f"U+{ord(char):04X}" + (f" ({name})" if name else "")
    return None


def _value(node: Node, kind: str) -> str | bool | None:
    if not isinstance(node, ScalarNode):
        return None
    if kind == "boolean":
        if node.tag != "tag:yaml.org,2002:bool":
            return None
        return SafeConstructor().construct_yaml_bool(node)
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value
