"""Reading one YAML file into a node tree with source marks, safely.

Files are decoded as strict UTF-8 and composed (not constructed) with PyYAML's C safe loader when
it is available, so every value keeps its line and column and nothing in the file is ever turned
into a Python object by a tag. Tags outside plain YAML data, and anchors that expand into too much
data (an "alias bomb"), are reported by `nodes.NodeReader` and `check_alias_expansion`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.story.diagnostics import ERROR, Diagnostic
from engine.story.text import CONTROL, describe_control
from engine.story.yaml_errors import explain

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_MAP_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


class Loader(_BaseLoader):
    """The safe loader, with implicit tag resolution remembered per distinct scalar.

    PyYAML resolves every plain scalar's tag in Python with a list of regular expressions; a
    story repeats the same keys and short values thousands of times, so each distinct value is
    resolved once. Path resolvers are never used by the safe loader, so their hooks are skipped and
    quoted scalars, maps and lists get their default tags at once.
    """

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self._resolved: dict[str, str] = {}

    def descend_resolver(self, current_node: Node | None, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR_TAG  # quoted or block text: always a string
            tag = self._resolved.get(value)
            if tag is None:
                tag = self._resolved[value] = super().resolve(kind, value, implicit)
            return tag
        return _MAP_TAG if kind is MappingNode else _SEQ_TAG


# What an alias may add on top of the nodes a file really holds before we call it a bomb.
MAX_ALIAS_EXPANSION = 200_000
# How deeply collections may nest. libyaml's composer recurses in C and crashes the process on
# documents nested tens of thousands deep, so depth is checked before composing.
MAX_DEPTH = 200
_LINE_PREFIX = re.compile(r"^[ \t?-]*", re.MULTILINE)
_FLAT_FLOW = re.compile(r"\{[^{}\[\]\n]*\}|\[[^{}\[\]\n]*\]")

PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A composed file: its root node (None when empty) or the problems that stopped it."""

    root: Node | None
    problems: tuple[Diagnostic, ...] = ()


def parse_yaml(data: bytes, display: str) -> Parsed:
    """Decode and compose one file. Problems come back as diagnostics, never as exceptions."""
    text, problem = decode_utf8(data, display)
    if problem:
        return Parsed(None, (problem,))
    too_deep = check_depth(text, display)
    if too_deep:
        return Parsed(None, (too_deep,))
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        return Parsed(None, (_yaml_error(error, display, text),))
    except yaml.reader.ReaderError as error:
        return Parsed(None, (_reader_error(error, display, text),))
    except yaml.YAMLError as error:
        return Parsed(None, (Diagnostic(display, 1, 1, ERROR, "E001", f"invalid YAML: {error}"),))
    except RecursionError:
        return Parsed(
            None,
            (Diagnostic(display, 1, 1, ERROR, "E001", "the YAML is nested too deeply to read"),),
        )
    if root is None:
        return Parsed(
            None,
            (
                Diagnostic(
                    display, 0, 0, ERROR, "E003", "the file is empty (or holds only comments)"
                ),
            ),
        )
    if "&" in text:  # anchors are rare; only then can aliases multiply the data
        bomb = check_alias_expansion(root, display)
        if bomb:
            return Parsed(None, (bomb,))
    return Parsed(root)


def decode_utf8(data: bytes, display: str) -> tuple[str, Diagnostic | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        byte = data[error.start : error.start + 1].hex()
        return "", Diagnostic(
            display,
            line,
            col,
            ERROR,
            "E002",
            f"the file is not valid UTF-8 (byte 0x{byte} at this place)",
        )


def check_depth(text: str, display: str) -> Diagnostic | None:
    """Report a document nested more than MAX_DEPTH deep, without composing it.

    Nesting needs an opening bracket or a character of indentation (or '- ', '? ') per level, so
    a cheap upper bound rules out almost every real file; only the rest have their events counted.
    """
    prefix = max((len(m) for m in _LINE_PREFIX.findall(text)), default=0)
    brackets = text.count("[") + text.count("{")
    # Flow collections that open and close on one line with nothing nested, such as
    # `effects: {trust: +5}`, add one level at most: strip them, a level at a time.
    levels = 0
    remaining = text
    while prefix + levels + brackets > MAX_DEPTH and levels < 3 and brackets:
        remaining = _FLAT_FLOW.sub("", remaining)
        levels += 1
        brackets = remaining.count("[") + remaining.count("{")
    if prefix + levels + brackets <= MAX_DEPTH:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, _OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return Diagnostic(
                        display,
                        mark.line + 1,
                        mark.column + 1,
                        ERROR,
                        "E001",
                        f"the YAML nests more than {MAX_DEPTH} levels deep",
                        "a story never needs this much nesting",
                    )
            elif isinstance(event, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        return None  # composing will report the syntax error with its place
    return None


_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _yaml_error(error: yaml.MarkedYAMLError, display: str, text: str) -> Diagnostic:
    """A syntax error at the place the author most likely made it (`yaml_errors.explain`)."""
    found = explain(error, text, Loader)
    return Diagnostic(
        display,
        found.line + 1,
        found.column + 1,
        ERROR,
        "E001",
        found.message,
        found.help,
        found.length,
    )


def _reader_error(error: yaml.reader.ReaderError, display: str, text: str) -> Diagnostic:
    """A character YAML does not allow anywhere in a file (a control character, U+FFFE ...), at
    its place: the first one in the text, since reading stops there (the C reader counts bytes,
    the Python one characters, so the place is found again by the character itself)."""
    code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1])
    character = chr(code)
    index = text.find(character)
    line, column = 1, 1
    if index >= 0:
        lines = (text[:index] + "x").splitlines()  # counted as the printer counts lines
        line, column = len(lines), len(lines[-1])
    if CONTROL.match(character):
        message = f"the file holds the control character {describe_control(character)}"
        return Diagnostic(display, line, column, ERROR, "E019", message)
    message = f"the file holds the character U+{code:04X}, which YAML does not allow"
    return Diagnostic(display, line, column, ERROR, "E001", message, "remove the character")


def check_alias_expansion(root: Node, display: str) -> Diagnostic | None:
    """Report a document whose aliases expand it far beyond its real size."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    unique = 0
    # Iterative post-order walk over the node graph, each node sized once.
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        mark = node.start_mark
        if not children_done and key in open_nodes:
            return Diagnostic(
                display,
                mark.line + 1,
                mark.column + 1,
                ERROR,
                "E006",
                "a YAML alias refers to a value that contains it (a loop)",
            )
        children = _children(node)
        if children_done or not children:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            unique += 1
            if sizes[key] > unique + MAX_ALIAS_EXPANSION:
                return Diagnostic(
                    display,
                    mark.line + 1,
                    mark.column + 1,
                    ERROR,
                    "E006",
                    "YAML aliases expand this document to over "
                    f"{MAX_ALIAS_EXPANSION:,} values (an alias bomb?)",
                )
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return None


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def describe_node(node: Node) -> str:
    """How a node reads to an author: 'a map', 'a list', 'the text \"x\"'."""
    if isinstance(node, MappingNode):
        return "a map"
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, ScalarNode):
        kind = node.tag.rsplit(":", 1)[-1]
        if kind == "null":
            return "nothing"
        value = node.value if len(node.value) <= 30 else node.value[:27] + "..."
        names = {
            "str": "the text",
            "int": "the number",
            "float": "the number",
            "bool": "the value",
            "timestamp": "the date",
        }
        return (
            f"{names.get(kind, 'the value')} {value!r}"
            if kind == "str"
            else f"{names.get(kind, 'the value')} {value}"
        )
    return "a value"
