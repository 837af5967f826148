"""The pause menu (Esc in play): resume, undo, the story so far, save, load, settings, the title,
quit."""

from __future__ import annotations

from engine.ui.screens.base import MenuScreen
from engine.ui.widgets import Block, Button


class PauseScreen(MenuScreen):
    name = "pause"
    overlay = True
    buttons_in_grid = True

    def blocks(self) -> list[Block]:
        return [Block("Paused", "heading"),
                Block("Your place is autosaved at every scene.", "note", space_before=0.2)]

    def buttons(self) -> list[Button]:
        game = self.app.game
        undo_detail = None
        if not game.undo_available:
            undo_detail = "Undo is turned off for this game."
        undo = [] if game.undo_off_for_class else [  # a class's choice: not even mentioned
            Button("Undo the last choice", self.undo, enabled=game.can_undo,
                   detail=undo_detail, key="undo")]
        return [
            Button("Resume", self.back, key="resume"),
            *undo,
            Button("The story so far", self.history, key="history"),
            Button("Save", self.save, key="save"),
            Button("Load", self.load, key="load"),
            Button("Settings", self.settings, key="settings"),
            Button("Keys and controls", self.keys, key="help"),
            *([Button("Where to get help", self.support, key="support")]
              if game.story.support else []),
            Button("Back to the title", self.to_title, key="title"),
            Button("Quit the game", self.app.quit, key="quit"),
        ]

    def undo(self) -> None:
        from engine.ui.screens.play import start_playing

        self.app.pop()
        play = self.app.find("play")
        if play is not None and self.app.top is play:
            play.undo()
        elif self.app.game.undo() is not None:
            start_playing(self.app)

    def history(self) -> None:
        from engine.ui.screens.history import HistoryScreen

        self.app.replace(HistoryScreen(self.app))

    def save(self) -> None:
        from engine.ui.screens.saves import SavesScreen

        self.app.replace(SavesScreen(self.app, "save"))

    def load(self) -> None:
        from engine.ui.screens.saves import open_load

        self.app.pop()
        open_load(self.app)

    def settings(self) -> None:
        from engine.ui.screens.settings import SettingsScreen

        self.app.replace(SettingsScreen(self.app))

    def keys(self) -> None:
        from engine.ui.screens.help import HelpScreen

        self.app.replace(HelpScreen(self.app))

    def support(self) -> None:
        from engine.ui.screens.help import show_support

        self.app.pop()
        show_support(self.app)

    def to_title(self) -> None:
        from engine.ui.screens.title import back_to_title

        back_to_title(self.app)
