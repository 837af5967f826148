"""Explaining a YAML syntax error where the author made it, in the author's words.

PyYAML stops where its grammar breaks and says so in the grammar's words ("mapping values are not
allowed here", "did not find expected key"), often a line or several after the slip that caused
it. `explain` reads the error's marks, the tokens before them and the source lines around them,
and names the slip an author most likely made, at its place:

- a key with no ':' after it (`text Hello`), or no space after its ':' (`goto:b`);
- a quote never closed, or closed only by the quote of a later text, lines further on;
- text going on after a closing quote (an apostrophe inside single quotes, say);
- a '{' or '[' never closed;
- ': ' inside text that is not in quotes;
- a line indented differently from the lines before it (or the first line of a map, indented
  differently from the lines after it);
- a value that starts with a character YAML reserves, such as the effect %-20.

Whatever it cannot place keeps PyYAML's words, at PyYAML's place.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field

import yaml

QUOTE_PLACEHOLDER_HELP = (
    "text that starts with a placeholder such as {partner} must be in "
    "quotes, as YAML reads '{' as the start of a map: "
    'feedback: "{partner} shrugs."'
)
TAB_HELP = "YAML indents with spaces, never tabs: replace the tab at the start of this line"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Where a syntax error is (0-based, like PyYAML's marks) and what to say about it."""

    line: int
    column: int
    message: str
    help: str | None = None
    length: int = 1


def explain(error: yaml.MarkedYAMLError, text: str, loader: type) -> Explanation:
    """The author's slip behind a YAML error: found by `loader`'s scanner and the text."""
    source = _Source(error, text, loader)
    if source.mark is None:
        return Explanation(0, 0, _pyyaml_words(error))
    for rule in _RULES:
        found = rule(source)
        if found is not None:
            return found
    return _fallback(source)


# The source and what its scanner read before the error ------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # what PyYAML counts as a line break
_KEY_WORD = re.compile(r"[^\s:#,\[\]{}]+")
# A line that holds YAML's structure, not text: a key with its ':', or a list item.
_STRUCTURE = re.compile(r" *(?:-(?: |$)|[\w.-]+:(?: |$))")
# The parser's "did not find expected key" and the like (PyYAML without libyaml: "expected ...").
_BLOCK_END = ("did not find expected", "expected ")
_RESERVED = {"%": "'%'", "@": "'@'", "`": "'`'"}
_EFFECT = re.compile(r"%[+-]?\d+")
_KEY_BEFORE_BRACKET = re.compile(r" *(?:- +)?\w[\w.-]* +(?:\{[^{}]*: |\[)")  # `effects {a: 1}`
_STARTS_WITH_PLACEHOLDER = re.compile(r"(?:^|:|-)\s*\{[\w/' ]*\}\s*\S")


@dataclass(slots=True)
class _Level:
    """A block map or list open in the text: its column and the lines of its entries."""

    kind: str  # "map" or "list"
    column: int
    first_line: int
    last_line: int
    dash_line: int | None = None  # a list written at the map's own column, under its key


@dataclass(slots=True)
class _Scan:
    """What the scanner read before the error: its last tokens, the block levels open at the end
    of the line before it, and a quoted text that ran on over lines of structure (a quote left
    open and closed by a later text's quote)."""

    last: deque = field(default_factory=lambda: deque(maxlen=4))
    levels: list[_Level] = field(default_factory=list)
    runaway: yaml.ScalarToken | None = None


class _Source:
    """The text, the error's place, and (read when a rule asks) the scan before it."""

    def __init__(self, error: yaml.MarkedYAMLError, text: str, loader: type) -> None:
        self.error = error
        self.problem = error.problem or ""
        self.context = error.context or ""
        self.mark = error.problem_mark or error.context_mark
        self.text = text
        self.lines = _LINE_BREAK.split(text)
        self.loader = loader
        self._scan: _Scan | None = None
        self.usual_step: int | None = None  # see `_usual_step`

    def line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def indentation(self, index: int) -> int:
        line = self.line(index)
        return len(line) - len(line.lstrip(" "))

    def content_column(self, index: int) -> int:
        """Where a line's content starts, after its indentation and any '- ' before it."""
        line = self.line(index)
        found = re.match(r" *(?:-(?: +|$))*", line)
        return found.end() if found else 0

    def word(self, index: int, column: int) -> str:
        found = _KEY_WORD.match(self.line(index), column)
        return found.group() if found else ""

    @property
    def scan(self) -> _Scan:
        if self._scan is None:
            self._scan = _read_tokens(self)
        return self._scan


def _read_tokens(source: _Source) -> _Scan:
    """Scan the text up to the error's place (the scanner stops at its own errors)."""
    mark = source.mark
    scan = _Scan()
    flow = 0
    try:
        for token in yaml.scan(source.text, Loader=source.loader):
            start = token.start_mark
            if (start.line, start.column) >= (mark.line, mark.column):
                break
            scan.last.append(token)
            if start.line < mark.line:
                flow = _follow(token, scan, flow)
            if scan.runaway is None and _runs_over_structure(token, source):
                scan.runaway = token
    except yaml.YAMLError:
        pass
    return scan


_FLOW_OPEN = (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_FLOW_CLOSE = (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _follow(token: yaml.Token, scan: _Scan, flow: int) -> int:
    """Keep the stack of open block levels up to date with one token; returns the flow depth."""
    if isinstance(token, _FLOW_OPEN):
        return flow + 1
    if isinstance(token, _FLOW_CLOSE):
        return max(flow - 1, 0)
    if flow:
        return flow
    levels = scan.levels
    line, column = token.start_mark.line, token.start_mark.column
    top = levels[-1] if levels else None
    if isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken)):
        kind = "map" if isinstance(token, yaml.BlockMappingStartToken) else "list"
        levels.append(_Level(kind, column, line, line))
    elif isinstance(token, yaml.BlockEndToken):
        if levels:
            levels.pop()
    elif top is not None and top.column == column:
        if isinstance(token, yaml.KeyToken) and top.kind == "map":
            top.last_line = line
        elif isinstance(token, yaml.BlockEntryToken):
            if top.kind == "list":
                top.last_line = line
            else:
                top.dash_line = line
    return flow


def _runs_over_structure(token: yaml.Token, source: _Source) -> bool:
    """Whether a quoted text runs on over lines that look like keys or list items, no more
    indented than the line it opened on: a quote left open, closed by a later one."""
    if not isinstance(token, yaml.ScalarToken) or token.style not in ('"', "'"):
        return False
    start, end = token.start_mark.line, token.end_mark.line
    opening = source.content_column(start)
    return any(
        _STRUCTURE.match(source.line(number)) and source.indentation(number) <= opening
        for number in range(start + 1, end + 1)
    )


# The rules, in the order they are tried ---------------------------------------------------------


def _tab(source: _Source) -> Explanation | None:
    line = source.line(source.mark.line)
    indentation = line[: len(line) - len(line.lstrip())]
    if "\t" in indentation:
        return Explanation(
            source.mark.line, indentation.index("\t"), "this line is indented with a tab", TAB_HELP
        )
    if "found character '\\t'" in source.problem:
        return _pyyaml(source, TAB_HELP)
    return None


def _extra_document(source: _Source) -> Explanation | None:
    if "expected a single document" in source.problem:
        return _pyyaml(source, "a story file holds one document: remove the extra '---'")
    return None


def _unclosed_quote(source: _Source) -> Explanation | None:
    """A quote open at the end of the file, or one a later text's quote closed."""
    if "while scanning a quoted scalar" in source.context and source.error.context_mark:
        opening = source.error.context_mark
        return _never_closed(source, opening.line, opening.column)
    runaway = source.scan.runaway
    if runaway is not None:
        return _never_closed(source, runaway.start_mark.line, runaway.start_mark.column)
    return None


def _never_closed(source: _Source, line: int, column: int) -> Explanation:
    quote = source.line(line)[column : column + 1] or '"'
    rest = source.line(line)[column + 1 :].rstrip()
    help = f"end the text with a closing quote ({quote})"
    if rest and quote not in rest:
        help = f"end the text with a closing quote: write {quote}{rest}{quote}"
    return Explanation(line, column, "this quote is never closed", help)


def _unclosed_bracket(source: _Source) -> Explanation | None:
    """A '{' or '[' whose line ends without its closing bracket, followed by keys or items."""
    opening = source.error.context_mark
    if opening is None or not re.search(r"flow (mapping|sequence)", source.context):
        return None
    line = source.line(opening.line)
    bracket = line[opening.column : opening.column + 1]
    closing = {"{": "}", "[": "]"}.get(bracket)
    if closing is None or source.mark.line <= opening.line or closing in line[opening.column :]:
        return None
    problem_line = source.mark.line
    at_structure = _STRUCTURE.match(source.line(problem_line)) or not source.line(
        problem_line
    ).strip(" ")
    if not at_structure or source.indentation(problem_line) > source.indentation(opening.line):
        return None
    return Explanation(
        opening.line,
        opening.column,
        f"this '{bracket}' is never closed",
        f"close it with '{closing}' at the end of the line",
    )


def _reserved_start(source: _Source) -> Explanation | None:
    """A value starting with '%', '@' or '`', which YAML keeps for itself: in quotes it is text."""
    if "cannot start any token" not in source.problem:
        return None
    mark = source.mark
    rest = source.line(mark.line)[mark.column :]
    if rest[:1] not in _RESERVED:
        return None
    effect = _EFFECT.match(rest)
    if effect:
        written = effect.group()
        return Explanation(
            mark.line,
            mark.column,
            f"an effect written {written} must be quoted",
            f'write "{written}"',
            len(written),
        )
    value = re.match(r"[^,\]}#]*", rest).group().rstrip()
    return Explanation(
        mark.line,
        mark.column,
        f"a value cannot start with {_RESERVED[rest[0]]} unless it is in quotes",
        f"write {_quoted(value)}",
        len(value),
    )


def _missing_colon(source: _Source) -> Explanation | None:
    """A key at the start of a line with no ':' after it, read as text until YAML gave up."""
    error = source.error
    if "could not find expected ':'" in source.problem and error.context_mark is not None:
        start = error.context_mark
        return _key_without_colon(source, start.line, start.column)
    mark = source.mark
    if _KEY_BEFORE_BRACKET.match(source.line(mark.line)):  # `effects {trust: +5}`
        return _key_without_colon(source, mark.line, source.content_column(mark.line))
    runs_on = "mapping values are not allowed" in source.problem
    if not runs_on and not source.problem.startswith(_BLOCK_END):
        return None
    scalar = _last_scalar(source)
    if scalar is None or scalar.style or scalar.start_mark.line == mark.line:
        return None
    start = scalar.start_mark
    if start.column != source.content_column(start.line):
        return None  # a value running on, not a key: see `_indentation`
    if not runs_on and source.indentation(mark.line) != start.column:
        return None  # the next key, in the same column, ended the text the key became
    return _key_without_colon(source, start.line, start.column)


def _key_without_colon(source: _Source, line: int, column: int) -> Explanation | None:
    text = source.line(line)[column:]
    key = re.match(r"[^\s#]+", text)
    if key is None:
        return None
    written = _without_comment(text)
    glued = re.match(r"([^\s:#]+):(\S.*)", written)
    if glued:  # `goto:b`: a ':' needs a space after it
        name, value = glued.groups()
        return Explanation(
            line,
            column + len(name),
            f"the ':' after the key '{name}' needs a space after it",
            f"write `{name}: {value}`",
        )
    name = key.group()
    value = written[len(name) :].strip()
    fixed = f"{name}: {value}" if value else f"{name}:"
    return Explanation(
        line, column + len(name), f"missing ':' after the key '{name}'", f"write `{fixed}`"
    )


def _colon_in_text(source: _Source) -> Explanation | None:
    """`text: He said: hi`: YAML reads ': ' as the end of a key, so the text needs quotes."""
    if "mapping values are not allowed" not in source.problem:
        return None
    mark = source.mark
    line = source.line(mark.line)
    scalar = _last_scalar(source)
    if scalar is not None and scalar.start_mark.line == mark.line:
        start = scalar.start_mark.column
        value = _without_comment(line[start:])
        before = line[:start].strip()
        help = f"write `{before} {_quoted(value)}`" if before else f"write {_quoted(value)}"
    elif _runs_on_as_key(source):
        return None  # a key on a line of its own: see `_indentation`
    else:
        help = "put the whole text in quotes"
    return Explanation(
        mark.line, mark.column, "a ': ' inside text needs the whole text in quotes", help
    )


def _runs_on_as_key(source: _Source) -> bool:
    """Whether the error's line is a key of its own (`ending: ...`) that YAML read as more of
    the text on the line before."""
    line = source.mark.line
    start = source.content_column(line)
    key_end = start + len(source.word(line, start))
    return key_end == source.mark.column and bool(_STRUCTURE.match(source.line(line)))


def _after_value(source: _Source) -> Explanation | None:
    """More on a line after its value has ended: after a closing quote (`'Don't go'`, `"Hi" she
    said`) or a closing bracket (`{trust: +5} more`)."""
    mark = source.mark
    if not source.problem.startswith(_BLOCK_END) or mark.column <= source.content_column(mark.line):
        return None
    scan = source.scan
    value = scan.last[-1] if scan.last else None
    if value is None or value.start_mark.line != mark.line or value.end_mark.line != mark.line:
        return None
    if isinstance(value, _FLOW_CLOSE):
        bracket = source.line(mark.line)[value.start_mark.column]
        return Explanation(
            mark.line,
            mark.column,
            f"the line goes on after the closing '{bracket}'",
            f"remove what follows '{bracket}', or move it to a line of its own",
        )
    if isinstance(value, yaml.ScalarToken) and value.style in ('"', "'"):
        return _after_closing_quote(source, value)
    return None


def _after_closing_quote(source: _Source, quoted: yaml.ScalarToken) -> Explanation:
    mark = source.mark
    line = source.line(mark.line)
    start, end = quoted.start_mark.column, quoted.end_mark.column
    before, written = line[:start], line[start:]
    if before.count("{") + before.count("[") > before.count("}") + before.count("]"):
        stop = re.search(r"[,}\]]", line[end:])  # in a flow map or list, up to its next entry
        written = line[start : end + stop.start()] if stop else written
    whole = _without_comment(written)
    inner = whole[1:-1] if whole.endswith(whole[0]) and len(whole) > 1 else whole[1:]
    if quoted.style == "'" and line[end : end + 1].isalnum():
        return Explanation(
            mark.line,
            end - 1,
            "this apostrophe ends the text in single quotes",
            f"write {_quoted(inner)} (in single quotes, an apostrophe is written twice: '')",
        )
    return Explanation(
        mark.line,
        mark.column,
        "the text goes on after its closing quote",
        f"put the whole text in quotes: {_quoted(whole)}",
    )


def _item_after_key(source: _Source) -> Explanation | None:
    """`choices: - text: a`: a list item after a key, on the key's line."""
    if "sequence entries are not allowed" not in source.problem:
        return None
    mark = source.mark
    line = source.line(mark.line)
    key = source.word(mark.line, source.content_column(mark.line))
    if not line[: mark.column].rstrip().endswith(":") or not key:
        return None
    item = _without_comment(line[mark.column :])
    return Explanation(
        mark.line,
        mark.column,
        "a list item must start on a line of its own",
        f"put `{item}` on the next line, indented under '{key}'",
    )


def _placeholder(source: _Source) -> Explanation | None:
    """`feedback: {partner} shrugs.`: YAML reads text that starts with '{' as a map."""
    mark = source.mark
    line = source.line(mark.line)
    if mark.column > source.content_column(mark.line) and _STARTS_WITH_PLACEHOLDER.search(line):
        return _pyyaml(source, QUOTE_PLACEHOLDER_HELP)
    return None


def _indentation(source: _Source) -> Explanation | None:
    """A line whose indentation matches no map or list open above it."""
    mark = source.mark
    if "mapping values are not allowed" in source.problem:
        at_start = _runs_on_as_key(source)
    else:
        at_start = source.problem.startswith(_BLOCK_END)
        at_start = at_start and mark.column == source.indentation(mark.line)
    return _misaligned(source, mark.line) if at_start else None


def _misaligned(source: _Source, number: int) -> Explanation | None:
    """Name the line out of line: this one, unless it is the first line of a map that stands
    apart from the indentation the rest of the file uses (then that first line)."""
    column = source.indentation(number)
    is_item = source.line(number)[column : column + 1] == "-"
    block_text = _last_block_text(source)
    if is_item:
        found = _first_item_without_dash(source, number)
    elif block_text is not None:
        found = _text_misaligned(source, block_text, number)
    else:
        found = _later_item_without_dash(source, number)
    if found is not None:
        return found
    levels = source.scan.levels
    fitting = [level for level in levels if _holds_items(level) == is_item] or levels
    if not fitting:
        return None
    nearest = min(fitting, key=lambda level: (abs(level.column - column), -level.column))
    if nearest.column == column:
        return None
    apart = _stands_apart(source, nearest, number)
    if apart is not None:
        return apart
    if is_item and _holds_items(nearest):
        line = nearest.last_line if nearest.kind == "list" else nearest.dash_line
        like = f"the '-' on line {line + 1}"
        word = "-"
    else:
        line = nearest.last_line
        like = f"'{source.word(line, nearest.column)}' on line {line + 1}"
        word = source.word(number, column)
    return Explanation(
        number,
        column,
        "this line is indented differently from the lines before it",
        f"{_indent('it', nearest.column)}, like {like}",
        max(len(word), 1),
    )


def _holds_items(level: _Level) -> bool:
    return level.kind == "list" or level.dash_line is not None


def _stands_apart(source: _Source, level: _Level, number: int) -> Explanation | None:
    """The first line of a map (with the list item it may open), when it alone is out of line:
    indented from its parent map by a step the file uses nowhere else, where the line `number`
    after it keeps the usual step."""
    if level.first_line != level.last_line:
        return None
    levels = source.scan.levels
    outer = next(i for i, open_level in enumerate(levels) if open_level is level)
    while outer > 0 and levels[outer - 1].first_line == level.first_line:
        outer -= 1  # the list whose first item opens on the same line
    first = levels[outer]
    target = first.column + source.indentation(number) - level.column  # where `number` fits
    if outer == 0:
        fits = first.column > 0 and target == 0
    else:
        parent, usual = levels[outer - 1], _usual_step(source)
        fits = (
            parent.kind == "map"
            and target - parent.column == usual
            and first.column - parent.column != usual
        )
    if not fits:
        return None
    word = source.word(level.first_line, level.column)
    after = f"'{source.word(number, source.indentation(number))}' on line {number + 1}"
    if level.kind == "list":
        help = f"{_indent('it', target)}, like the '-' on line {number + 1}"
    elif first is level:
        help = f"{_indent(repr(word), target)}, like {after}"
    else:
        help = f"{_indent('it', target)}, so that '{word}' lines up with {after}"
    return Explanation(
        level.first_line,
        first.column,
        "this line is indented differently from the lines after it",
        help,
        max(len(source.word(level.first_line, first.column)), 1),
    )


def _usual_step(source: _Source) -> int:
    """How far the file indents a line under the line before it, most often (2 when no line
    is indented): read from the whole text, so that one line out of line does not count."""
    if source.usual_step is None:
        steps: Counter = Counter()
        previous = None
        for line in source.lines:
            content = line.lstrip(" ")
            if not content or content.startswith("#"):
                continue
            indentation = len(line) - len(content)
            if previous is not None and indentation > previous:
                steps[indentation - previous] += 1
            previous = indentation
        source.usual_step = steps.most_common(1)[0][0] if steps else 2
    return source.usual_step


def _first_item_without_dash(source: _Source, number: int) -> Explanation | None:
    """`choices:` over `  text: Go` ... `- text: Stay`: the first item has no '- ', so YAML
    read it as a map (or a text), and stopped at the second item, which has one."""
    content = source.content_column(number)
    first = None
    parent = number - 1
    while parent >= 0:
        line = source.line(parent)
        if line.strip(" ") and not line.lstrip(" ").startswith("#"):
            indentation = source.indentation(parent)
            if indentation < content:
                break
            if indentation == content:
                first = parent
        parent -= 1
    if (
        first is None
        or parent < 0
        or source.line(first)[content : content + 1] == "-"
        or not _without_comment(source.line(parent)).endswith(":")
        or source.indentation(parent) > source.indentation(number)
    ):
        return None
    item = _without_comment(source.line(first)[content:])
    return Explanation(
        first,
        content,
        "a list item needs '- ' before it",
        f"write `- {item}`, like the item on line {number + 1}",
        max(len(source.word(first, content)), 1),
    )


def _later_item_without_dash(source: _Source, number: int) -> Explanation | None:
    """A line in the column where the items of an open list start their content, after an
    item that is not a map (`- {text: Go}`): an item whose '- ' is missing."""
    column = source.indentation(number)
    for level in source.scan.levels:
        items = level.last_line if level.kind == "list" else level.dash_line
        if items is not None and source.content_column(items) == column > level.column:
            item = _without_comment(source.line(number)[column:])
            return Explanation(
                number,
                column,
                "a list item needs '- ' before it",
                f"write `- {item}`, like the item on line {items + 1}",
                max(len(source.word(number, column)), 1),
            )
    return None


def _last_block_text(source: _Source) -> yaml.ScalarToken | None:
    """The text in a block (after '|' or '>') that ends just before the error, if any."""
    token = _last_scalar(source)
    if token is None or token.style not in ("|", ">"):
        return None
    return token


def _text_misaligned(source: _Source, text: yaml.ScalarToken, number: int) -> Explanation | None:
    """A line of block text indented less than the text's first line (which sets the text's
    indentation) but more than its key: one of the two is out of line."""
    opening = text.start_mark
    key = source.content_column(opening.line)
    if opening.column == key:  # `- >-`: the text is a list item, under its '-'
        key = source.indentation(opening.line)
    first = next(
        (line for line in range(text.start_mark.line + 1, number) if source.line(line).strip(" ")),
        None,
    )
    column = source.indentation(number)
    if first is None or not key < column < source.indentation(first):
        return None
    usual = key + _usual_step(source)
    if column == usual != source.indentation(first):
        return Explanation(
            first,
            source.indentation(first),
            "this line is indented differently from the lines after it",
            f"{_indent('it', column)}, like line {number + 1}: the first line of a text sets "
            "the indentation of the rest",
        )
    return Explanation(
        number,
        column,
        "this line is indented differently from the lines before it",
        f"{_indent('it', source.indentation(first))}, like line {first + 1}, the first line "
        "of its text",
    )


def _indent(what: str, spaces: int) -> str:
    if spaces == 0:
        return f"start {what} at the beginning of the line"
    return f"indent {what} by {spaces} space" + ("" if spaces == 1 else "s")


_RULES = (
    _tab,
    _extra_document,
    _unclosed_quote,
    _unclosed_bracket,
    _reserved_start,
    _missing_colon,
    _colon_in_text,
    _placeholder,
    _after_value,
    _item_after_key,
    _indentation,
)


# Helpers -----------------------------------------------------------------------------------------


def _last_scalar(source: _Source) -> yaml.ScalarToken | None:
    last = source.scan.last
    token = last[-1] if last else None
    return token if isinstance(token, yaml.ScalarToken) else None


def _without_comment(text: str) -> str:
    return re.split(r"\s#", text, maxsplit=1)[0].strip()


def _quoted(value: str) -> str:
    """The text in double quotes, or single ones when it holds a double quote."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _pyyaml_words(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "invalid YAML"
    message = f"invalid YAML: {problem}"
    if error.context and error.context != problem:
        message += f" ({error.context})"
    return message


def _pyyaml(source: _Source, help: str | None) -> Explanation:
    mark = source.mark
    return Explanation(mark.line, mark.column, _pyyaml_words(source.error), help)


def _fallback(source: _Source) -> Explanation:
    help = None
    if "mapping values are not allowed" in source.problem:
        help = "a ':' inside text needs the whole text in quotes"
    return _pyyaml(source, help)
