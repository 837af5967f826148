"""The title screen: new game, continue (the latest autosave), load, settings, where to get help
and the credits (when the story has them), quit."""

from __future__ import annotations

from engine.play.saves import AUTOSAVE
from engine.ui import navigation
from engine.ui.app import App
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen, when
from engine.ui.widgets import Block, Button


@register_screen
class TitleScreen(MenuScreen):
    name = "title"
    centre = True
    share = 0.9
    buttons_in_grid = True  # in two columns when one column would hide Quit (720p, a save)
    grid_from = 2

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.button_list.grid_if_needed = True

    def header_text(self) -> str:
        """The class's name, discreetly in the corner, when a classroom is set."""
        name = self.app.game.classroom.name
        return f"Class: {name}" if name else ""

    def hint(self) -> str:
        return "Up/Down move · Enter choose"

    def blocks(self) -> list[Block]:
        story = self.app.game.story
        blocks = [Block(story.title, "title", centred=True)]
        if story.description:
            blocks.append(
                Block(" ".join(story.description.split()), "note", centred=True, space_before=0.5)
            )
        elif story.author:
            blocks.append(Block(f"by {story.author}", "note", centred=True, space_before=0.5))
        return blocks

    def buttons(self) -> list[Button]:
        game = self.app.game
        latest = game.latest()
        detail = None
        if latest is not None:
            where = latest.scene_title or latest.scene or ""
            detail = f"{where} · {when(latest.saved_at)}".strip(" ·")
        return [
            Button("New game", self.new_game, key="new"),
            Button(
                "Continue",
                self.continue_game,
                enabled=latest is not None,
                detail=detail,
                key="continue",
            ),
            Button("Load", self.load, key="load"),
            Button("Settings", self.settings, key="settings"),
            *(
                [Button("Where to get help", self.support, key="support")]
                if game.story.support
                else []
            ),
            *(
                [Button("Credits and further reading", self.credits, key="credits")]
                if game.story.credits
                else []
            ),
            Button("Quit", self.app.quit, key="quit"),
        ]

    def uncovered(self) -> None:
        self.refresh()

    def back(self) -> None:
        """Esc on the title does not quit at once: it moves the focus to Quit."""
        for index, button in enumerate(self.button_list.buttons):
            if button.key == "quit":
                self.button_list.focus = index

    def new_game(self) -> None:
        navigation.begin_new_game(self.app)

    def continue_game(self) -> None:
        self.load_slot(AUTOSAVE)

    def load_slot(self, slot: str) -> None:
        if not navigation.load_slot(self.app, slot):
            self.refresh()

    def load(self) -> None:
        navigation.open_saves(self.app, "load", self._loaded)

    def _loaded(self, slot: str | None) -> None:
        if slot:
            self.load_slot(slot)

    def support(self) -> None:
        navigation.show_support(self.app)

    def credits(self) -> None:
        navigation.open_credits(self.app)

    def settings(self) -> None:
        navigation.open_settings(self.app)
