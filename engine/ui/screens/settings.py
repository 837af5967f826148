"""Settings: reading (text size, font, line spacing, with a preview line in them), theme, display,
motion and the typewriter, self-voicing, undo, the keys, and, in a section for authors, watching
the story's files for changes; each change is saved at once.

Every setting steps both ways: Left/Right, or a click on its "‹" or "›" (a click elsewhere on it
steps up, as Enter does).
"""

from __future__ import annotations

from engine.ui import navigation
from engine.ui.app import App
from engine.ui.fonts import (
    FONT_DESCRIPTIONS,
    FONT_FAMILIES,
    LINE_SPACINGS,
    TEXT_SIZE_NAMES,
    TEXT_SIZES,
)
from engine.ui.keybindings import Verb
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen
from engine.ui.settings import TYPEWRITER_SPEEDS
from engine.ui.widgets import Block, Button

PREVIEW = "Preview: “Are you coming?” they ask."
SPEED_NAMES = {"slow": "Slow", "medium": "Medium", "fast": "Fast"}


@register_screen
class SettingsScreen(MenuScreen):
    name = "settings"
    button_share = 0.65
    wide_from = 1100  # the narrowest window whose settings stand in two columns

    @property
    def share(self) -> float:  # the column's share of the width: wider for two columns
        return 1.6 if self.wide else 1.0

    def header_text(self) -> str:
        return "Settings"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        # The author's settings are kept out of the way until asked for (or in use).
        self.show_author = app.settings.watch_story
        self.wide = False  # in two columns (see `in_two_columns`)

    def hint(self) -> str:
        return "Up/Down move · Left/Right or Enter change · Esc back"

    def blocks(self) -> list[Block]:
        # The header says "Settings": the preview comes first, so that it shows whole whatever
        # the font, size and spacing.
        return [Block(PREVIEW, "body")]

    def buttons(self) -> list[Button]:
        settings = self.app.settings
        buttons = [
            self.choice("Text size", "text_size", list(TEXT_SIZES), TEXT_SIZE_NAMES),
            self.choice(
                "Font",
                "font",
                list(FONT_FAMILIES),
                {key: name for key, (name, _, _) in FONT_FAMILIES.items()},
                detail=FONT_DESCRIPTIONS[settings.font],
            ),
            self.choice(
                "Line spacing",
                "line_spacing",
                list(LINE_SPACINGS),
                {key: name for key, (name, _) in LINE_SPACINGS.items()},
            ),
            self.switch("Theme", "high_contrast", "High contrast", "Normal", key="theme"),
            self.switch("Display", "fullscreen", "Fullscreen", "Window", key="display"),
            self.switch(
                "Reduced motion",
                "reduced_motion",
                "On",
                "Off",
                detail="No sliding meters and no typewriter." if settings.reduced_motion else None,
            ),
            Button(
                "Text speed",
                None,
                value="Typewriter" if settings.text_speed == "typewriter" else "Instant",
                detail=(
                    "Reduced motion shows the whole text at once."
                    if settings.reduced_motion and settings.text_speed == "typewriter"
                    else "Any key shows all of it at once."
                ),
                on_adjust=lambda _: self.toggle_speed(),
                key="text_speed",
            ),
            self.choice(
                "Typewriter speed", "typewriter_speed", list(TYPEWRITER_SPEEDS), SPEED_NAMES
            ),
            self.switch(
                self.with_keys("Self-voicing", Verb.VOICE),
                "voice",
                "On",
                "Off",
                detail="Reads the screen aloud.",
                key="voice",
            ),
            self.undo_button(),
            Button(
                "Keys",
                lambda: navigation.open_keys(self.app),
                detail="See and change the keys.",
                key="keys",
            ),
        ]
        if self.show_author:
            buttons.append(
                self.switch(
                    "Reload the story when its files change",
                    "watch_story",
                    "On",
                    "Off",
                    detail="For authors: play goes on where it was. F5 reloads at any time.",
                )
            )
        else:
            buttons.append(Button("For authors…", self.open_author_section, key="authors"))
        buttons.append(Button("Back", self.back, key="back"))
        return buttons

    def with_keys(self, label: str, verb: Verb) -> str:
        """A label with the keys that do the same anywhere: 'Self-voicing (V)'."""
        keys = " or ".join(self.app.keymap.key_names(verb))
        return f"{label} ({keys})" if keys else label

    def choice(
        self,
        label: str,
        name: str,
        values: list[str],
        names: dict[str, str],
        detail: str | None = None,
    ) -> Button:
        """A setting with several values, stepped through in order (round at the ends)."""
        current = getattr(self.app.settings, name)

        def step(by: int) -> None:
            index = values.index(getattr(self.app.settings, name))
            self.app.change_settings(**{name: values[(index + by) % len(values)]})

        return Button(label, None, value=names[current], detail=detail, on_adjust=step, key=name)

    def switch(
        self,
        label: str,
        name: str,
        on: str,
        off: str,
        detail: str | None = None,
        key: str = "",
    ) -> Button:
        """A setting that is on or off."""
        return Button(
            label,
            None,
            value=on if getattr(self.app.settings, name) else off,
            detail=detail,
            on_adjust=lambda _: self.toggle(name),
            key=key or name,
        )

    def undo_button(self) -> Button:
        settings, game = self.app.settings, self.app.game
        undo_value = "On" if settings.allow_undo else "Off"
        undo_detail = "A class can turn undo off for everyone on this computer."
        class_says = game.classroom.allow_undo if game is not None else None
        story_forbids = game is not None and not game.story.allow_undo and class_says is None
        if story_forbids:
            undo_detail = "This story does not allow undo."
        fixed = story_forbids or class_says is False
        if class_says is False:
            undo_detail = "Your class has turned undo off."
        return Button(
            "Undo",
            None,
            value=undo_value if not fixed else "Off",
            detail=undo_detail,
            enabled=not fixed,
            on_adjust=lambda _: self.toggle("allow_undo"),
            key="undo",
        )

    def layout(self) -> None:
        self.wide = True  # measured at the two columns' width
        self.wide = self.button_list.two_columns = self.in_two_columns()
        super().layout()

    def in_two_columns(self) -> bool:
        """Two columns of settings in a wide window, when each label and value fit on a line."""
        app = self.app
        if app.frame.window.width < self.wide_from:
            return False
        buttons = self.button_list
        cell = (self.content_area().width - buttons.spacing) // 2
        font = app.fonts.get("sans", 0.95)
        pad = buttons.padding
        for button in self.buttons():
            needed = app.text_cache.width(font, button.label) + pad * 5
            if button.value is not None:
                # as ButtonList places it: beside the label only within half the button
                value = app.text_cache.width(font, button.value) + pad * 3 + font.get_height() * 2
                if value > cell // 2:
                    return False
                needed += value
            if needed > cell:
                return False
        return True

    def open_author_section(self) -> None:
        self.show_author = True
        self.refresh()
        self.button_list.set_buttons(self.buttons(), keep_focus=False)
        for index, button in enumerate(self.button_list.buttons):
            if button.key == "watch_story":
                self.button_list.focus = index

    def toggle(self, name: str) -> None:
        self.app.change_settings(**{name: not getattr(self.app.settings, name)})

    def toggle_speed(self) -> None:
        speed = "instant" if self.app.settings.text_speed == "typewriter" else "typewriter"
        self.app.change_settings(text_speed=speed)
