"""Settings: text size, theme, fullscreen, text speed, undo, and watching the story's files for
changes (authors); each change is saved at once."""

from __future__ import annotations

from engine.ui.fonts import TEXT_SIZE_NAMES, TEXT_SIZES
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen
from engine.ui.widgets import Block, Button


@register_screen
class SettingsScreen(MenuScreen):
    name = "settings"

    def hint(self) -> str:
        return "Up/Down move · Left/Right or Enter change · Esc back"

    def blocks(self) -> list[Block]:
        return [Block("Settings", "title")]

    def buttons(self) -> list[Button]:
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
        return [
            Button(
                "Text size",
                None,
                value=TEXT_SIZE_NAMES[settings.text_size],
                on_adjust=self.cycle_text_size,
                key="text_size",
            ),
            Button(
                "Theme",
                None,
                value="High contrast" if settings.high_contrast else "Normal",
                on_adjust=lambda _: self.toggle("high_contrast"),
                key="theme",
            ),
            Button(
                "Display",
                None,
                value="Fullscreen" if settings.fullscreen else "Window",
                on_adjust=lambda _: self.toggle("fullscreen"),
                key="display",
            ),
            Button(
                "Text speed",
                None,
                value="Typewriter" if settings.text_speed == "typewriter" else "Instant",
                detail="Any key or click shows the whole text at once.",
                on_adjust=lambda _: self.toggle_speed(),
                key="text_speed",
            ),
            Button(
                "Undo",
                None,
                value=undo_value if not fixed else "Off",
                detail=undo_detail,
                enabled=not fixed,
                on_adjust=lambda _: self.toggle("allow_undo"),
                key="undo",
            ),
            Button(
                "Reload the story when its files change",
                None,
                value="On" if settings.watch_story else "Off",
                detail="For authors: play goes on where it was. F5 reloads at any time.",
                on_adjust=lambda _: self.toggle("watch_story"),
                key="watch_story",
            ),
            Button("Back", self.back, key="back"),
        ]

    def cycle_text_size(self, step: int) -> None:
        names = list(TEXT_SIZES)
        index = names.index(self.app.settings.text_size)
        self.app.change_settings(text_size=names[(index + step) % len(names)])

    def toggle(self, name: str) -> None:
        self.app.change_settings(**{name: not getattr(self.app.settings, name)})

    def toggle_speed(self) -> None:
        speed = "instant" if self.app.settings.text_speed == "typewriter" else "typewriter"
        self.app.change_settings(text_speed=speed)
