"""Typed readers over the YAML nodes of one file: text, whole numbers, numbers, true/false, maps
checked against the format's keys, id maps, lists, and tags that are not plain data.

A `NodeReader` is made for one file and reports every wrong value as a `Diagnostic` in that file,
at the value's line and column, then returns None (or an empty result) so reading goes on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from itertools import pairwise

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.story import keys
from engine.story.conditions import RESERVED, shorten
from engine.story.diagnostics import ERROR, Diagnostic, suggest
from engine.story.text import CONTROL, PLACEHOLDERS, check_placeholders, describe_control
from engine.story.yaml_errors import QUOTE_PLACEHOLDER_HELP
from engine.story.yaml_source import PLAIN_TAGS, describe_node, parse_yaml

IDENTIFIER = re.compile(keys.IDENTIFIER_PATTERN + r"\Z")  # meters, flags, responses
SCENE_ID = re.compile(keys.ID_PATTERN + r"\Z")  # scenes, choices, the story
ID_HELP = "use letters, digits, '_', '-' and '.' (no spaces)"

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_SCALARS = yaml.constructor.SafeConstructor()
_KEY_BEFORE_BRACKET = re.compile(r"(\w+) +([{\[])")  # `effects {trust`, from `effects {trust: +5}`
_SHORT_NUMBER = 20  # a number written longer than this that Python cannot read is too large
_ITEM_KEYS = 16  # how many keys ahead a list item's missing '- ' is looked for (an item has fewer)

Fields = dict[str, tuple[ScalarNode, Node]]  # a map's keys by name: (key node, value node)


class NodeReader:
    """Reads the nodes of one file, adding a diagnostic in that file for each wrong value."""

    __slots__ = ("file", "diagnostics", "_data", "_lines", "_list_items")

    def __init__(self, file: str, diagnostics: list[Diagnostic], data: bytes = b"") -> None:
        self.file = file  # the display path every diagnostic names
        self.diagnostics = diagnostics  # where diagnostics go (shared by a story's readers)
        self._data = data  # the file's content, to find a placeholder's column in its lines
        self._lines: list[str] | None = None
        self._list_items: set[int] = set()  # the ids of the maps read as items of a list

    # Reporting ---------------------------------------------------------------------------------

    def error(
        self,
        node: Node | None,
        code: str,
        message: str,
        help: str | None = None,
        length: int | None = None,
        severity: str = ERROR,
    ) -> None:
        """Report a problem at `node` (the whole node on its line unless `length` is given), or
        at the file itself when `node` is None."""
        if node is None:
            self.diagnostics.append(Diagnostic(self.file, 0, 0, severity, code, message, help))
            return
        mark = node.start_mark
        if length is None:
            end = node.end_mark
            length = end.column - mark.column if end.line == mark.line else 1
        self.diagnostics.append(
            Diagnostic(
                self.file,
                mark.line + 1,
                mark.column + 1,
                severity,
                code,
                message,
                help,
                max(length, 1),
            )
        )

    def error_at(
        self,
        line: int,
        column: int,
        code: str,
        message: str,
        help: str | None = None,
        length: int = 1,
    ) -> None:
        """Report an error at a 1-based line and column of this file."""
        self.diagnostics.append(
            Diagnostic(self.file, line, column, ERROR, code, message, help, length)
        )

    def wrong_type(self, node: Node, expected: str, what: str) -> None:
        self.error(node, "E010", f"{what} must be {expected}, not {describe_node(node)}")

    def plain(self, node: Node) -> bool:
        """Whether the node's tag is plain YAML data; any other tag (such as !!python/object)
        is reported."""
        if node.tag in PLAIN_TAGS:
            return True
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.error(node, "E005", f"the YAML tag '{tag}' is not allowed", length=len(tag))
        return False

    # Maps and lists ----------------------------------------------------------------------------

    def mapping(self, node: Node, kind: str, what: str) -> Fields | None:
        """Read a map of one of the format's objects (`keys.OBJECTS[kind]`): check key types,
        duplicates, unknown and missing keys."""
        if not isinstance(node, MappingNode):
            if self.plain(node):
                self.wrong_type(node, "a map", what)
            return None
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return None
        allowed = keys.KEY_NAMES[kind]
        fields: Fields = {}
        for key, value in node.value:
            if key.__class__ is ScalarNode and key.tag == STR_TAG:
                name = key.value  # the usual key, checked quickly
            else:
                name = self.key_name(key)
                if name is None:
                    continue
            if name in fields:
                self.duplicate(key, fields[name][0], id(node) in self._list_items)
            elif name not in allowed:
                recovered = self.unknown_key(key, name, kind, what)
                if recovered is not None and recovered[0] not in fields:
                    fields[recovered[0]] = (key, recovered[1])
            else:
                fields[name] = (key, value)
        for name in keys.REQUIRED[kind]:
            if name not in fields:
                code = keys.MISSING_CODES.get((kind, name), "E012")
                self.error(node, code, f"{what} has no '{name}'", length=1)
        return fields

    def unknown_key(
        self, key: ScalarNode, name: str, kind: str, what: str
    ) -> tuple[str, Node] | None:
        """Report a key the format does not have. `effects {trust: +5}` is a known key whose ':'
        is missing (YAML read `effects {trust` as the key): that is reported as such (E001), and
        the key with the value meant for it is returned, read from the line, when it can be."""
        allowed = keys.KEY_NAMES[kind]
        glued = _KEY_BEFORE_BRACKET.match(name)
        if glued is None or glued.group(1) not in allowed or key.style:
            self.error(
                key,
                "E011",
                f"unknown key '{name}' in {what}",
                suggest(name, allowed) or _unknown_key_help(name, kind),
            )
            return None
        word, mark = glued.group(1), key.start_mark
        lines = self._source_lines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        bracket = mark.column + glued.start(2)
        value = line[bracket:].split(" #", 1)[0].rstrip()
        self.error_at(
            mark.line + 1,
            mark.column + len(word) + 1,
            "E001",
            f"missing ':' after the key '{word}'",
            f"write `{word}: {value}`",
        )
        # The value alone, where it stands in the file, so that its marks are the file's own.
        placed = "\n" * mark.line + " " * bracket + value
        root = parse_yaml(placed.encode("utf-8"), self.file).root
        return None if root is None else (word, root)

    def id_map(
        self, node: Node, what: str, pattern: re.Pattern | None, kind: str, check_dupes: bool = True
    ) -> Iterator[tuple[ScalarNode, Node]]:
        """Yield the (key, value) pairs of an id -> value map whose ids are good: matching
        `pattern` (when given), not reserved words (for `IDENTIFIER`), not repeated (unless
        `check_dupes` is off, for a caller that checks repeats itself)."""
        if not isinstance(node, MappingNode):
            if self.plain(node) and not is_null(node):
                self.wrong_type(node, "a map", what)
            return
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return
        seen: dict[str, ScalarNode] = {}
        for key, value in node.value:
            name = self.key_name(key)
            if name is None:
                continue
            if name in seen and check_dupes:
                self.duplicate(key, seen[name])
                continue
            seen[name] = key
            if pattern is not None and not pattern.match(name):
                self.bad_id(key, name, kind, pattern)
                continue
            if pattern is IDENTIFIER and name in RESERVED:
                self.error(key, "E015", f"'{name}' is a reserved word and cannot name a {kind}")
                continue
            yield key, value

    def bad_id(self, node: Node, name: str, kind: str, pattern: re.Pattern) -> None:
        help = None if pattern is IDENTIFIER else ID_HELP
        self.error(node, "E015", f"'{name}' cannot be a {kind} id", help)

    def key_name(self, key: Node) -> str | None:
        """A map key's name, or None (reported) when the key is not a plain, non-empty name."""
        if not isinstance(key, ScalarNode):
            self.error(key, "E010", f"a key must be a name, not {describe_node(key)}")
            return None
        if key.tag == _MERGE_TAG:
            self.error(
                key,
                "E011",
                "YAML merge keys ('<<') are not supported",
                "write the keys out in full",
            )
            return None
        if key.tag not in PLAIN_TAGS and not self.plain(key):
            return None
        if key.tag == NULL_TAG and key.value in _NULLS:
            self.error(key, "E010", "a key is empty")
            return None
        return key.value

    def duplicate(self, key: ScalarNode, first: ScalarNode, in_list_item: bool = False) -> None:
        help = None
        if in_list_item:
            help = (
                "a key may appear once in an item: remove one, or, if this line starts another "
                f"item, write `- {self._written(key) or key.value}`"
            )
        self.error(
            key,
            "E004",
            f"the key '{key.value}' appears twice in this map (first at line "
            f"{first.start_mark.line + 1})",
            help,
        )

    def sequence(self, node: Node, what: str, allow_empty: bool = False) -> list[Node]:
        """The items of a list (none when the node is not one, reported)."""
        if not isinstance(node, SequenceNode):
            if isinstance(node, MappingNode) and not node.flow_style and node.value:
                first = node.value[0][0]
                self.error(
                    node,
                    "E010",
                    f"{what} must be a list, not a map",
                    f"start each item of a list with '- ': write `- {self._written(first)}`",
                    length=1,
                )
            elif self.plain(node):
                self.wrong_type(node, "a list", what)
            return []
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return []
        if not node.value and not allow_empty:
            self.error(node, "E052", f"{what} is an empty list")
        return self._items(node.value)

    def _items(self, items: list[Node]) -> list[Node]:
        """A list's items, with each map that holds several items (their '- ' missing, so YAML
        read them as one map with repeated keys) split into its items, and reported."""
        split: list[Node] | None = None
        for index, item in enumerate(items):
            parts = None
            if item.__class__ is MappingNode:
                self._list_items.add(id(item))
                parts = self._missing_dashes(item)
            if parts is not None and split is None:
                split = list(items[:index])
            if split is not None:
                split.extend(parts or (item,))
        return items if split is None else split

    def _missing_dashes(self, item: MappingNode) -> list[MappingNode] | None:
        """The items of a list item's map that holds more than one item, their '- ' missing:
        each starts at a key the item already has, when that key is the item's first key or
        more than one key comes again (one key written twice is left to be reported as such,
        E004). Each missing '- ' is reported (E001)."""
        pairs = item.value
        if item.flow_style or len(pairs) < 2:
            return None
        names = [key.value if key.__class__ is ScalarNode else None for key, _ in pairs]
        starts: list[int] = []
        start, group = 0, set()  # the item being read: where it starts, its keys
        for index, name in enumerate(names):
            if name is not None and name in group:
                again = {later for later in names[index : index + _ITEM_KEYS] if later in group}
                if name == names[start] or len(again) > 1:
                    self._missing_dash(pairs[index][0], pairs[start][0])
                    starts.append(index)
                    start, group = index, set()
            group.add(name)
        if not starts:
            return None
        bounds = [0, *starts, len(pairs)]
        parts = [
            MappingNode(
                item.tag, pairs[start:end], pairs[start][0].start_mark, pairs[end - 1][1].end_mark
            )
            for start, end in pairwise(bounds)
        ]
        self._list_items.update(id(part) for part in parts)
        return parts

    def _missing_dash(self, key: ScalarNode, first: ScalarNode) -> None:
        item = self._written(key) or f"{key.value}: ..."
        self.error(
            key,
            "E001",
            "a list item needs '- ' before it",
            f"write `- {item}`, like the item on line {first.start_mark.line + 1}",
        )

    # Scalars -----------------------------------------------------------------------------------

    def text(self, node: Node, what: str) -> str | None:
        """Non-empty text, with its placeholders checked."""
        if not isinstance(node, ScalarNode):
            if _is_placeholder_map(node):
                self.error(
                    node,
                    "E010",
                    f"{what} must be text, but YAML read it as a map",
                    QUOTE_PLACEHOLDER_HELP,
                )
            elif self.plain(node):
                self.wrong_type(node, "text", what)
            return None
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return None
        if is_null(node):
            self.error(node, "E010", f"{what} is empty", length=1)
            return None
        value = node.value
        control = CONTROL.search(value)
        if control is not None:
            self._control_problem(node, what, value, control.start())
        if "{" in value or "}" in value:
            for offset, length, message in check_placeholders(value):
                self._placeholder_problem(node, value[offset : offset + length], message, length)
        return value

    def text_field(self, fields: Fields, name: str, what: str) -> str | None:
        """The text under `name`, or None when the key is absent (or the value is wrong)."""
        return self.text(fields[name][1], what) if name in fields else None

    def id_value(self, node: Node, what: str, pattern: re.Pattern) -> str | None:
        """Text that must match an id pattern."""
        value = self.text(node, what)
        if value is not None and not pattern.match(value):
            self.error(node, "E015", f"{what} '{value}' is not a valid id", ID_HELP)
            return None
        return value

    def integer(self, node: Node, what: str) -> int | None:
        """A whole number within the format's bounds (`keys.NUMBER_LIMIT`; E042 beyond them)."""
        if isinstance(node, ScalarNode) and node.tag == INT_TAG:
            try:
                value = _SCALARS.construct_yaml_int(node)
            except (ValueError, yaml.YAMLError):  # Python reads at most 4,300 digits
                value = None
            if value is not None and -keys.NUMBER_LIMIT <= value <= keys.NUMBER_LIMIT:
                return value
            if value is not None or len(node.value) > _SHORT_NUMBER:
                self.out_of_range(node, what)
                return None
        if not isinstance(node, ScalarNode) or self.plain(node):
            self.wrong_type(node, "a whole number", what)
        return None

    def number(self, node: Node, what: str) -> float | None:
        """A finite number, whole or not (E042 for one too large to be a number at all)."""
        if isinstance(node, ScalarNode) and node.tag in (INT_TAG, FLOAT_TAG):
            constructor = (
                _SCALARS.construct_yaml_int
                if node.tag == INT_TAG
                else _SCALARS.construct_yaml_float
            )
            try:
                value = float(constructor(node))
            except (ValueError, OverflowError, yaml.YAMLError):
                value = math.nan if len(node.value) <= _SHORT_NUMBER else math.inf
            if math.isfinite(value):
                return value
            if math.isinf(value):
                self.out_of_range(node, what)
                return None
        if not isinstance(node, ScalarNode) or self.plain(node):
            self.wrong_type(node, "a number", what)
        return None

    def out_of_range(self, node: ScalarNode, what: str) -> None:
        self.error(node, "E042", f"{what} is {shorten(node.value)}, out of range")

    def boolean(self, node: Node, what: str) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == BOOL_TAG:
            return _SCALARS.construct_yaml_bool(node)
        if not isinstance(node, ScalarNode) or self.plain(node):
            self.wrong_type(node, "true or false", what)
        return None

    def _placeholder_problem(self, node: ScalarNode, token: str, message: str, length: int) -> None:
        """Report a bad placeholder where it stands in the file (found by searching its lines,
        since folded and block text do not map offsets to columns)."""
        lines = self._source_lines()
        mark = node.start_mark
        for number in range(mark.line, min(node.end_mark.line + 1, len(lines))):
            column = lines[number].find(token, mark.column if number == mark.line else 0)
            if column >= 0:
                self.error_at(number + 1, column + 1, "E018", message, None, length)
                return
        self.error(node, "E018", message)

    def _control_problem(self, node: ScalarNode, what: str, value: str, index: int) -> None:
        """Report the first control character of a text (E019), at the escape that wrote it when
        the text is in double quotes on one line, else at the text's start; the message says
        what comes before it, so it can be found in longer text."""
        before = value[:index].rsplit("\n", 1)[-1]
        where = f"after '{before[-20:]}'" if before else "at the start of a line"
        message = f"{what} holds the control character {describe_control(value[index])} {where}"
        place = self._escape_place(node, index)
        if place is None:
            self.error(node, "E019", message, length=1)
        else:
            self.error_at(node.start_mark.line + 1, place[0] + 1, "E019", message, None, place[1])

    def _escape_place(self, node: ScalarNode, index: int) -> tuple[int, int] | None:
        """The 0-based column and length in the file of the character at `index` of a text in
        double quotes on one line, whose escapes (\\0, \\x1b, \\u0007 ...) are undone."""
        mark = node.start_mark
        if node.style != '"' or node.end_mark.line != mark.line:
            return None
        lines = self._source_lines()
        if mark.line >= len(lines):
            return None
        line, column = lines[mark.line], mark.column + 1  # just after the opening quote
        for _ in range(index):
            if column >= len(line):
                return None
            column += _escape_length(line, column)
        if column >= len(line):
            return None
        return column, _escape_length(line, column)

    def _written(self, node: Node) -> str:
        """The rest of the line a node starts on, as the file has it (without a comment)."""
        mark = node.start_mark
        lines = self._source_lines()
        written = lines[mark.line][mark.column :] if mark.line < len(lines) else ""
        return written.split(" #", 1)[0].strip()

    def _source_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._data.decode("utf-8-sig", "replace").splitlines()
        return self._lines


def _escape_length(line: str, column: int) -> int:
    """How many characters of double-quoted YAML text, at `column`, write one character."""
    if line[column] != "\\":
        return 1
    return _ESCAPE_LENGTHS.get(line[column + 1 : column + 2], 2)


_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def is_null(node: Node) -> bool:
    """Whether a node is YAML's null (an empty value, `~` or `null`)."""
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG and node.value in _NULLS


def yaml_bool(node: ScalarNode) -> bool:
    """The value of a scalar tagged as a YAML boolean (`true`, `no`, `On` ...)."""
    return _SCALARS.construct_yaml_bool(node)


def _is_placeholder_map(node: Node) -> bool:
    """`text: {partner}` (unquoted) reads as a map {partner: null}: catch that author slip."""
    return (
        isinstance(node, MappingNode)
        and len(node.value) == 1
        and isinstance(node.value[0][0], ScalarNode)
        and is_null(node.value[0][1])
        and node.value[0][0].value.split("/")[0] in {*PLACEHOLDERS, "They", "Their"}
    )


def _unknown_key_help(name: str, kind: str) -> str:
    allowed = ", ".join(sorted(keys.KEY_NAMES[kind]))
    return f"the keys allowed here are: {allowed}"
