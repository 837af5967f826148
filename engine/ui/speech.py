"""What self-voicing says: a screen's state turned into words, as plain data in and a string out.

A screen is read as its text (paragraphs, dialogue with its speaker) and then the item that has
the focus; when only the focus moves, only the item is read. An item says what kind of thing it
is where that matters: a choice its number, text and response (or that it is locked, and why),
a setting its value and that Left and Right change it, a text field what is typed in it. Signs
that read badly aloud (`+5`, `–10`, `‹ Medium ›`) become words. Nothing here draws or speaks:
`engine/ui/voice.py` speaks, and `App` decides when (tests read these functions directly).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLUS = re.compile(r"(?<![\w)])\+(\d)")
_MINUS = re.compile(r"(?<![\w)])[–−-](\d)")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a screen's text; `speaker` for a line of dialogue."""

    text: str
    speaker: str | None = None


@dataclass(frozen=True)
class Item:
    """The focused item of a screen: a choice, a menu entry, a setting or a text field."""

    label: str
    kind: str = "button"  # "choice", "button", "setting" or "field"
    number: int | None = None
    detail: str | None = None  # a choice's response, a locked reason, a save's details
    value: str | None = None  # a setting's value, a field's text
    enabled: bool = True


def spoken(text: str) -> str:
    """Text as it should be heard: signs read as words, space made even."""
    text = _PLUS.sub(r"plus \1", text)
    text = _MINUS.sub(r"minus \1", text)
    text = text.replace("±0", "no change").replace("·", ",").replace("‹", "").replace("›", "")
    text = text.replace("…", ".")
    return " ".join(text.split())


def sentence(text: str) -> str:
    """The text ended with a full stop, unless it ends in punctuation already."""
    text = text.strip()
    if text and text[-1] not in ".!?:;”\"'’":
        text += "."
    return text


def picture_words(alt: str) -> str:
    """What to say for a picture: "Picture:" and its alternative text."""
    return f"Picture: {sentence(alt)}"


def item_words(item: Item) -> str:
    """What to say for the focused item."""
    label = sentence(item.label)
    if item.kind == "choice":
        if not item.enabled:
            reason = (item.detail or "Locked").removeprefix("Locked:").strip()
            return spoken(f"Locked choice: {label} Locked: {sentence(reason)}")
        number = f"Choice {item.number}: " if item.number is not None else "Choice: "
        response = f" Response: {sentence(item.detail)}" if item.detail else ""
        return spoken(number + label + response)
    if item.kind == "setting":
        value = f" {sentence(item.value)}" if item.value else ""
        detail = f" {sentence(item.detail)}" if item.detail else ""
        how = " Left and Right change it." if item.enabled else " It cannot be changed here."
        return spoken(f"{item.label}:{value}{how}{detail}")
    if item.kind == "field":
        typed = item.value or "empty"
        return spoken(f"{item.label}, text field: {sentence(typed)} Type, then press Enter.")
    detail = f" {sentence(item.detail)}" if item.detail else ""
    state = "" if item.enabled else " Not available."
    return spoken(f"{label}{detail}{state}")


def paragraph_words(paragraph: Paragraph) -> str:
    if paragraph.speaker:
        return f"{paragraph.speaker}: {sentence(paragraph.text)}"
    return sentence(paragraph.text)


def screen_words(
    paragraphs: list[Paragraph],
    focused: Item | None = None,
    choices: int = 0,
    locked: tuple[Item, ...] = (),
) -> str:
    """What to say when a screen appears (or its text changes): its text, then, for a scene, how
    many choices there are and each locked one with its reason (the focus never rests on a
    locked choice), then the focused item."""
    parts = [paragraph_words(p) for p in paragraphs if p.text.strip()]
    if choices:
        parts.append(f"{choices} choice{'s' if choices != 1 else ''}.")
    parts.extend(item_words(item) for item in locked)
    if focused is not None:
        parts.append(item_words(focused))
    return spoken(" ".join(parts))
