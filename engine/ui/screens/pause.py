"""The pause menu (Esc in play, on the feedback screen or at the ending): resume, undo, the story so
far, save, load, settings, the keys, where to get help, the title, quit."""

from __future__ import annotations

from engine.ui import navigation
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen
from engine.ui.widgets import Block, Button


@register_screen
class PauseScreen(MenuScreen):
    name = "pause"
    overlay = True
    buttons_in_grid = True

    def blocks(self) -> list[Block]:
        return [
            Block("Paused", "heading"),
            Block("Your place is autosaved at every scene.", "note", space_before=0.2),
        ]

    def buttons(self) -> list[Button]:
        game = self.app.game
        undo_detail = None
        if not game.undo_available:
            undo_detail = "Undo is turned off for this game."
        undo = (
            []
            if game.undo_off_for_class
            else [  # a class's choice: not even mentioned
                Button(
                    "Undo the last choice",
                    self.undo,
                    enabled=game.can_undo,
                    detail=undo_detail,
                    key="undo",
                )
            ]
        )
        return [
            Button("Resume", self.back, key="resume"),
            *undo,
            Button("The story so far", self.history, key="history"),
            Button("Save", self.save, key="save"),
            Button("Load", self.load, key="load"),
            Button("Settings", self.settings, key="settings"),
            Button("Keys and controls", self.keys, key="help"),
            *(
                [Button("Where to get help", self.support, key="support")]
                if game.story.support
                else []
            ),
            Button("Back to the title", self.to_title, key="title"),
            Button("Quit the game", self.app.quit, key="quit"),
        ]

    def undo(self) -> None:
        self.app.pop()
        play = self.app.find("play")
        if play is not None and self.app.top is play:
            play.undo()
        elif self.app.game.undo() is not None:
            navigation.start_playing(self.app)

    def history(self) -> None:
        navigation.open_history(self.app, replace=True)

    def save(self) -> None:
        navigation.open_saves(self.app, "save", replace=True)

    def load(self) -> None:
        self.app.pop()
        navigation.open_load(self.app)

    def settings(self) -> None:
        navigation.open_settings(self.app, replace=True)

    def keys(self) -> None:
        navigation.open_help(self.app, replace=True)

    def support(self) -> None:
        self.app.pop()
        navigation.show_support(self.app)

    def to_title(self) -> None:
        navigation.to_title(self.app)
