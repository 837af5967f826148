"""Text for story maps: one-line labels, shortened with an ellipsis, and their estimated width.

The SVG map is drawn without a font at hand, so widths are estimated from Helvetica's advance
widths, widened a little for the sans-serif fonts a viewer may use instead (Arial, Liberation,
DejaVu, Noto). Wide characters (CJK, emoji) count as a full em and a quarter.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS = "…"
SAFETY = 1.08  # fonts a viewer falls back to run wider than Helvetica
BOLD = 1.07

# Helvetica advance widths in thousandths of an em, for the printable ASCII characters.
_ASCII_WIDTHS = (
    278,
    278,
    355,
    556,
    556,
    889,
    667,
    191,
    333,
    333,
    389,
    584,
    278,
    333,
    278,
    278,  # space ... /
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    278,
    278,
    584,
    584,
    584,
    556,  # 0 ... ?
    1015,
    667,
    667,
    722,
    722,
    667,
    611,
    778,
    722,
    278,
    500,
    667,
    556,
    833,
    722,
    778,  # @ ... O
    667,
    778,
    722,
    667,
    611,
    722,
    667,
    944,
    667,
    667,
    611,
    278,
    278,
    278,
    469,
    556,  # P ... _
    333,
    556,
    556,
    500,
    556,
    556,
    278,
    556,
    556,
    222,
    222,
    500,
    222,
    833,
    556,
    556,  # ` ... o
    556,
    556,
    333,
    500,
    278,
    556,
    500,
    722,
    500,
    500,
    500,
    334,
    260,
    334,
    584,  # p ... ~
)
_OTHER = 600
_WIDE = 1250

# Characters XML 1.0 does not allow, and other control characters, none of which a label needs.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """The text on one line: runs of white space made one space, control characters dropped."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # the usual case, quickly
    return _SPACE.sub(" ", _CONTROL.sub("", text)).strip()


def char_width(char: str) -> float:
    """A character's advance in ems (approximate)."""
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII_WIDTHS[code - 32] / 1000
    if unicodedata.combining(char) or code in (0x200D, 0xFE0F):  # joiners, emoji variation
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F") or code >= 0x1F000:
        return _WIDE / 1000
    return _OTHER / 1000


class _Widths(dict):
    """Each character's width in ems, worked out once."""

    def __missing__(self, char: str) -> float:
        width = self[char] = char_width(char)
        return width


_WIDTHS = _Widths()


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The estimated width of `text` in pixels at font size `size`."""
    ems = sum(map(_WIDTHS.__getitem__, text))
    return ems * size * SAFETY * (BOLD if bold else 1.0)


def fit(text: str, size: float, max_width: float, bold: bool = False) -> str:
    """`text` on one line, cut with an ellipsis (at a word if one is near) to fit `max_width`."""
    text = one_line(text)
    if text_width(text, size, bold) <= max_width:
        return text
    room = max_width - text_width(ELLIPSIS, size, bold)
    scale = size * SAFETY * (BOLD if bold else 1.0)
    used = 0.0
    end = 0
    for end, char in enumerate(text):  # noqa: B007 - `end` is the cut after the loop
        used += _WIDTHS[char] * scale
        if used > room:
            break
    cut = text[:end]
    space = cut.rfind(" ")
    if space >= len(cut) * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + ELLIPSIS


def shorten(text: str, max_chars: int) -> str:
    """`text` on one line, at most `max_chars` characters, cut with an ellipsis at a word."""
    text = one_line(text)
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space >= len(cut) * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + ELLIPSIS


def count(number: int, word: str) -> str:
    """`3 scenes`, `1 scene`: a number and a word, plural when it is not one."""
    return f"{number} {word}" + ("" if number == 1 else "s")
