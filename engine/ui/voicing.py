"""When self-voicing speaks, and what it reads off a screen: the glue between the screens, the
words (`engine/ui/speech.py`) and the voice (`engine/ui/voice.py`).

After each turn of the loop in which something changed, `SelfVoicing.update` reads the top
screen: its text (its documents' paragraphs) and its focused button. A new screen, or new text on
the same screen (a scene after a choice, a notice), is read whole, the focused item last; a focus
that moved (or a setting's value that changed) reads the item alone. Each new thing said cuts the
last one short, so the voice follows the player and never lags behind. Screens need do nothing:
any screen with a `document` and a `button_list` (or `choices`) is read.
"""

from __future__ import annotations

from typing import Any

from engine.ui.speech import Item, Paragraph, item_words, picture_words, screen_words
from engine.ui.voice import Voice


def screen_paragraphs(screen: Any) -> tuple[Paragraph, ...]:
    """The paragraphs of a screen's text, in reading order: a picture as "Picture:" and its
    alternative text; other drawn blocks (a chart) are left out, their meaning being in the text
    around them."""
    paragraphs = []
    notice = getattr(screen, "undo_notice", None)  # the play screen's, in its header
    if notice:
        paragraphs.append(Paragraph(notice, None))
    for name in ("document", "side_document"):
        document = getattr(screen, name, None)
        for block in getattr(document, "blocks", ()) or ():
            if block.draw is None and block.text:
                paragraphs.append(Paragraph(block.text, block.speaker))
            elif block.alt:
                paragraphs.append(Paragraph(picture_words(block.alt), None))
    return tuple(paragraphs)


def screen_buttons(screen: Any) -> Any:
    """A screen's buttons (a ButtonList), or None."""
    return getattr(screen, "button_list", None) or getattr(screen, "choices", None)


def focused_item(buttons: Any) -> Item | None:
    """The focused button as an Item to read, or None."""
    button = buttons.focused if buttons is not None else None
    if button is None:
        return None
    if buttons.what == "choice":
        kind = "choice"
    elif button.field:
        kind = "field"
    elif button.on_adjust is not None:
        kind = "setting"
    else:
        kind = "button"
    return Item(
        button.label,
        kind,
        number=button.number,
        detail=button.detail,
        value=button.value,
        enabled=button.enabled,
    )


class SelfVoicing:
    """Reads the top screen aloud as it changes, while the setting is on."""

    def __init__(self, voice: Voice | None = None) -> None:
        self._voice = voice
        self._screen_key: tuple | None = None
        self._focus_key: tuple | None = None
        self.prefix = ""  # said before the next screen ("Self-voicing on.")

    @property
    def voice(self) -> Voice:
        """The voice, found the first time it is needed (never while self-voicing is off)."""
        if self._voice is None:
            self._voice = Voice()
        return self._voice

    def turned_on(self) -> None:
        """Read the screen anew at the next update, after saying that self-voicing is on."""
        self._screen_key = self._focus_key = None
        self.prefix = "Self-voicing on."

    def turned_off(self) -> None:
        self.voice.speak("Self-voicing off.")
        self._screen_key = self._focus_key = None

    def update(self, screen: Any) -> None:
        """Say what changed on this screen since the last look (nothing when nothing did)."""
        if screen is None:
            return
        paragraphs = screen_paragraphs(screen)
        buttons = screen_buttons(screen)
        item = focused_item(buttons)
        scene = buttons is not None and buttons.what == "choice"
        choices = len(buttons.buttons) if scene else 0
        locked = tuple(
            Item(b.label, "choice", detail=b.detail, enabled=False)
            for b in (buttons.buttons if scene else ())
            if not b.enabled
        )
        screen_key = (id(screen), paragraphs, choices, locked)
        # A text field's text is left out: typing is not read back letter by letter.
        focus_key = (
            id(buttons),
            getattr(buttons, "focus", None),
            item if item is None or item.kind != "field" else item.label,
        )
        if screen_key != self._screen_key:
            words = screen_words(list(paragraphs), item, choices, locked)
            self.say(" ".join(filter(None, (self.prefix, words))))
            self.prefix = ""
        elif focus_key != self._focus_key and item is not None:
            self.say(item_words(item))
        self._screen_key, self._focus_key = screen_key, focus_key

    def say(self, words: str) -> None:
        self.voice.speak(words)

    def close(self) -> None:
        if self._voice is not None:
            self._voice.close()
