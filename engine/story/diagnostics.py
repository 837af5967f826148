"""Diagnostics: problems found in a story, as data, rendered like a compiler's.

A `Diagnostic` is a plain record (file, line, column, severity, code, message, help). The loader
collects every problem it finds instead of stopping at the first; the command line renders them as
text (`path:line:col: error: message`, the source line, a caret, `= help: ...`) or as JSON.
Lines and columns are 1-based, as editors count them.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from engine.safe_read import Refused, read_limited
from engine.story.images import IMAGE_BYTES_LIMIT, IMAGE_SIDE_LIMIT
from engine.story.keys import NUMBER_LIMIT
from engine.story.reading import STORY_BYTES_LIMIT
from engine.story.text import CONTROL

ERROR = "error"
WARNING = "warning"

# Every code the loader can report, with the help shown when a diagnostic brings none of its own.
CODES: dict[str, str] = {
    "E001": "fix the YAML syntax at the marked place (indentation, a missing ':', an unclosed "
    "quote)",
    "E002": "save the file as UTF-8 (most editors offer this under 'Save with encoding')",
    "E003": "an empty file defines nothing: add the story's content or delete the file",
    "E004": "a key may appear once per map: merge the two entries or rename one",
    "E005": "stories are plain data: remove the tag (the part starting with '!')",
    "E006": "the file expands to too much data through YAML anchors and aliases ('&' and '*')",
    "E010": "give the value the type the format expects (see docs/authoring.md)",
    "E011": "remove the key or correct its spelling (see docs/authoring.md for every key)",
    "E012": "add the missing key",
    "E013": "each scene id must be unique across all the story's files: rename one of them",
    "E014": "give each choice in a scene its own id",
    "E015": "use letters, digits and '_' (starting with a letter or '_') so conditions can name it",
    "E016": "this engine reads story format 1: update the engine or lower 'format'",
    "E017": "a folder story needs a story.yaml holding its head (title, start, meters ...)",
    "E018": "placeholders are {partner}, {they} {them} {their} {theirs} {themself} (or "
    "capitalised), and {plural/singular} such as {are/is}; write {{ or }} for a brace",
    "E019": "remove it: text may hold tabs and line breaks, but no other control characters "
    "(in double quotes, escapes such as \\0, \\a or \\x1b write them)",
    "E020": "point to a scene that exists, or add the scene",
    "E021": "declare the meter under 'meters:' in the story's head, or correct its name",
    "E022": "declare the flag under 'flags:' in the story's head, or correct its name",
    "E023": "declare the response under 'responses:' in the story's head, or correct its name",
    "E024": "declare the mood under 'moods:' in the story's head, or correct its name",
    "E030": "conditions use names, numbers, comparisons, and/or/not, + - * / and parentheses",
    "E031": "conditions may name meters, flags, true/false and call visited('scene')",
    "E032": "compare numbers with < <= > >= == !=; combine truth values with and/or/not",
    "E040": "an effect is a whole number (+5, -10), '=N' to set, '%+N' or '%-N' for fair math",
    "E041": "a meter needs min < max and a start between them",
    "E042": f"every number in a story lies between {-NUMBER_LIMIT:,} and {NUMBER_LIMIT:,} "
    "(meters' min, max and start; effects; numbers in conditions)",
    "E050": "a scene needs exactly one of 'choices', 'next' or 'ending'",
    "E051": "a choice needs exactly one of 'goto' or 'outcomes'",
    "E052": "the list needs at least one entry",
    "E060": "put the picture's file in the story's folder, or correct its name (relative to the "
    "folder of the file that names it)",
    "E061": "save the picture as a PNG or JPEG (an image editor's 'Export'): a file renamed to "
    ".png is not one",
    "E062": f"make the picture smaller: at most {IMAGE_BYTES_LIMIT // (1024 * 1024)} MB and "
    f"{IMAGE_SIDE_LIMIT}x{IMAGE_SIDE_LIMIT} pixels (a picture above the text needs no more than "
    "about 1600 pixels across)",
    "E063": "name the picture relative to the folder of the file that names it, with '/' between "
    "folders, inside the story's folder: no absolute path, no '..' out of the folder, no link "
    "to a file elsewhere",
    "E064": "describe what the picture shows in a sentence under 'alt': players who cannot see "
    "it read or hear that instead",
    "W100": "no path from the start reaches this scene: link to it or remove it",
    "W101": "no path from the start reaches this ending: link to it or remove it",
    "W102": "end 'next' with an entry that has no 'if'",
    "W103": "give the last outcome no 'if', so one always applies",
    "W104": "give some choice an effect on the meter, or remove it",
    "W105": "test the flag in an 'if', or stop setting it",
    "W106": "set the flag with 'set:' in some choice or outcome",
    "W107": "give the response to a choice, or remove it",
    "W108": "check the condition's numbers against the meters' min and max",
    "W109": "split the text, or move some of it to another scene",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a story, at a place in one of its files."""

    file: str
    line: int  # 1-based; 0 when the problem concerns a whole file
    col: int  # 1-based; 0 when the problem concerns a whole file
    severity: str
    code: str
    message: str
    help: str | None = None
    length: int = 1  # how many characters the caret underlines

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def hint(self) -> str | None:
        """The help to show: this diagnostic's own, else its code's."""
        return self.help if self.help is not None else CODES.get(self.code)

    def location(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"

    def headline(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message} [{self.code}]"

    def to_json(self) -> dict:
        record = asdict(self)
        record["help"] = self.hint
        return record


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean' help for a misspelt name, or None when nothing is close."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sort_key(diagnostic: Diagnostic) -> tuple:
    """Place, then code, then text: a total order, so diagnostics come out the same whatever
    order they were found in."""
    return (
        diagnostic.file,
        diagnostic.line,
        diagnostic.col,
        diagnostic.code,
        diagnostic.message,
        diagnostic.help or "",
        diagnostic.length,
    )


class SourceLines:
    """Reads a file's lines once, for showing the line a diagnostic points at.

    Only a diagnostic with a line (1 or more) makes it read its file, and then only a regular
    file of at most `STORY_BYTES_LIMIT` bytes: the loader gives every file it refuses
    (a pipe, a device, a link out of the story's folder, one too large) a diagnostic at line 0,
    so a refused file is never opened to be shown.
    """

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def line(self, file: str, number: int) -> str | None:
        if number < 1:
            return None
        if file not in self._files:
            try:
                data = read_limited(Path(file), STORY_BYTES_LIMIT)
                self._files[file] = data.decode("utf-8", errors="replace").splitlines()
            except (Refused, OSError):
                self._files[file] = None
        lines = self._files[file]
        if lines is None or number > len(lines):
            return None
        return lines[number - 1]


def render_text(diagnostic: Diagnostic, sources: SourceLines | None = None) -> str:
    """Render one diagnostic as a compiler does: headline, source line, caret, help. Control
    characters (from a file's name, a key's or a line of the file) are never written out: in
    the headline and help they are shown as escapes (\\x1b), in the source line as U+FFFD, so
    the caret stays under its column."""
    out = [_escaped(diagnostic.headline())]
    source = sources.line(diagnostic.file, diagnostic.line) if sources else None
    if source is not None:
        gutter = " " * len(str(diagnostic.line))
        source = CONTROL.sub("�", source.expandtabs(1))
        shown, col = _window(source, max(diagnostic.col, 1))
        out.append(f"{gutter} |")
        out.append(f"{diagnostic.line} | {shown}")
        width = max(1, min(diagnostic.length, len(shown) - col + 1))
        out.append(f"{gutter} | {' ' * (col - 1)}{'^' * width}")
    hint = diagnostic.hint
    if hint:
        pad = " " * len(str(diagnostic.line)) if source is not None else ""
        out.append(f"{pad} = help: {_escaped(hint)}")
    return "\n".join(out)


def _escaped(text: str) -> str:
    return CONTROL.sub(lambda found: f"\\x{ord(found[0]):02x}", text)


SHOWN_WIDTH = 100


def _window(line: str, col: int) -> tuple[str, int]:
    """A long source line cut to about SHOWN_WIDTH characters around `col` (1-based), with '…'
    where it was cut; returns the text and the column within it."""
    if len(line) <= SHOWN_WIDTH:
        return line, col
    start = max(0, min(col - SHOWN_WIDTH // 2, len(line) - SHOWN_WIDTH))
    text = line[start : start + SHOWN_WIDTH]
    if start > 0:
        text, col = "…" + text[1:], col - start
    else:
        col = col - start
    if start + SHOWN_WIDTH < len(line):
        text = text[:-1] + "…"
    return text, col


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """The diagnostics as a JSON list; every control character is written as an escape (JSON
    leaves DEL and C1 as they are, and they can only stand inside strings)."""
    text = json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False)
    return CONTROL.sub(lambda found: f"\\u{ord(found[0]):04x}", text)
