"""Story text: the partner's name and pronouns filled in, paragraphs, and dialogue lines.

An author writes `{partner}` for the name the player chose, pronoun placeholders (`{they}`,
`{them}`, `{their}`, `{theirs}`, `{themself}`, and capitalised `{They}` ...), and `{are/is}` for a
word that depends on the pronouns: the part before the slash for "they", the part after it for
"she" and "he" (`{They} {are/is} late`, `{They} say{/s} no`). `{{` and `}}` write literal braces.

Blank lines separate paragraphs; other line breaks are joined. A paragraph that starts with a
speaker, a colon and an opening quote (`{partner}: "Not tonight."`) is a line of dialogue.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PRONOUN_SETS: dict[str, dict[str, str]] = {
    "they": {
        "they": "they",
        "them": "them",
        "their": "their",
        "theirs": "theirs",
        "themself": "themself",
    },
    "she": {"they": "she", "them": "her", "their": "her", "theirs": "hers", "themself": "herself"},
    "he": {"they": "he", "them": "him", "their": "his", "theirs": "his", "themself": "himself"},
}
DEFAULT_PRONOUNS = "they"
PLACEHOLDERS = ("partner", *PRONOUN_SETS["they"])

# Control characters (C0, DEL and C1) other than the tab and the line break: a story's text may
# not hold them (E019), and the printer of diagnostics never writes them to a terminal.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR"}
_CONTROL_NAMES |= {0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL"}


# Characters that reorder the text around them (bidirectional marks, embeddings, isolates): in a
# name they could make it read as something else.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner


def typed_text_problem(text: str) -> str | None:
    """Why text a player typed (a name, a code) cannot be kept and shown, or None: one check
    for every front end. Control characters, line breaks, reordering marks, other invisible
    formatting characters (a zero-width space would make two names look the same),
    private-use characters and lone surrogates are refused; the joiners U+200C and U+200D,
    which names in many scripts and emoji need, are not."""
    for character in text:
        category = unicodedata.category(character)
        if category == "Cf" and character not in JOINERS and character not in BIDI_CONTROLS:
            return f"it holds an invisible character ({describe_character(character)})"
        if category == "Cs":
            return "it holds bytes that are not text (check the terminal's encoding)"
        if category in ("Cc", "Zl", "Zp") or character in BIDI_CONTROLS:
            return f"it holds a control character ({describe_character(character)})"
        if category == "Co":
            return f"it holds a character that cannot be shown ({describe_character(character)})"
    return None


def describe_character(character: str) -> str:
    """A character as its code point and Unicode name: 'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    name = unicodedata.name(character, None)
    return f"U+{ord(character):04X}" + (f" {name}" if name else "")


def describe_control(character: str) -> str:
    """A control character as an author can look it up: 'U+001B (ESC)'."""
    code = ord(character)
    name = _CONTROL_NAMES.get(code)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_SPEAKER = re.compile(
    r"(?P<speaker>\{partner\}|[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}):\s+"
    r"(?P<line>[\"“‘'].*)\Z",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Partner:
    """Who the player's partner is: a name and a pronoun set ('they', 'she' or 'he')."""

    name: str
    pronouns: str = DEFAULT_PRONOUNS

    def __post_init__(self) -> None:
        if self.pronouns not in PRONOUN_SETS:
            raise ValueError(f"pronouns must be one of {', '.join(PRONOUN_SETS)}")


def check_placeholders(text: str) -> list[tuple[int, int, str]]:
    """Problems with the placeholders in `text`: (0-based offset, length, message)."""
    if "{" not in text and "}" not in text:
        return []
    problems = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            problems.append(
                (
                    match.start(),
                    1,
                    f"a lone '{token}': write '{token * 2}' for a brace, or close the placeholder",
                )
            )
            continue
        name = match.group(1)
        if name.count("/") == 1 or name in KNOWN_PLACEHOLDERS:
            continue
        problems.append((match.start(), len(token), f"unknown placeholder '{token}'"))
    return problems


# The placeholders a text may hold besides {a/b} forms (the editor schema's text pattern too).
KNOWN_PLACEHOLDERS = frozenset([*PLACEHOLDERS, *(name.capitalize() for name in PLACEHOLDERS)])


def render(text: str, partner: Partner | None) -> str:
    """Fill in the placeholders of checked text."""
    if "{" not in text and "}" not in text:
        return text
    return _TOKEN.sub(lambda match: _fill(match, partner), text)


def _fill(match: re.Match, partner: Partner | None) -> str:
    token = match.group(0)
    if token in ("{{", "}}"):
        return token[0]
    name = match.group(1)
    if name is None:
        return token
    pronouns = partner.pronouns if partner else DEFAULT_PRONOUNS
    if "/" in name:
        plural, singular = name.split("/", 1)
        return plural if pronouns == "they" else singular
    if name in ("partner", "Partner"):
        return partner.name if partner else "your partner"
    word = PRONOUN_SETS[pronouns].get(name.lower())
    if word is None:
        return token
    return word.capitalize() if name[:1].isupper() else word


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of scene text; `speaker` is set for a line of dialogue."""

    text: str
    speaker: str | None = None


def paragraphs(text: str, partner: Partner | None = None) -> list[Paragraph]:
    """Split story text into rendered paragraphs, joining the line breaks inside each.

    Dialogue is recognised in the text as written, before the partner's name is filled in, so
    any name the player picks works as a speaker.
    """
    result = []
    for block in re.split(r"\n\s*\n", text.strip()):
        joined = " ".join(line.strip() for line in block.splitlines() if line.strip())
        if not joined:
            continue
        match = _SPEAKER.match(joined)
        if match:
            result.append(
                Paragraph(render(match["line"], partner), render(match["speaker"], partner))
            )
        else:
            result.append(Paragraph(render(joined, partner)))
    return result


@dataclass(frozen=True, slots=True)
class MarkupBlock:
    """A piece of longer prose (credits, help): a heading, a list item or a paragraph."""

    kind: str  # "heading", "item" or "body"
    text: str


_ITEM = re.compile(r"(?:[-*]|\d+[.)])\s+")


def markup_blocks(text: str) -> list[MarkupBlock]:
    """Split prose into blocks: a paragraph starting with '#' is a heading, lines starting with
    '- ' or '1. ' are list items (continued by the lines under them), the rest are paragraphs."""
    blocks: list[MarkupBlock] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("#"):
            blocks.append(MarkupBlock("heading", " ".join(lines).lstrip("#").strip()))
        elif _ITEM.match(lines[0]):
            items: list[str] = []
            for line in lines:
                if _ITEM.match(line) or not items:
                    items.append(line)
                else:
                    items[-1] += " " + line
            blocks.extend(MarkupBlock("item", item) for item in items)
        else:
            blocks.append(MarkupBlock("body", " ".join(lines)))
    return blocks
