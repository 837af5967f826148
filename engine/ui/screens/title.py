"""The title screen: new game, continue (the latest autosave), load, settings, quit."""

from __future__ import annotations

from datetime import datetime

from engine.play.saves import AUTOSAVE, SaveError
from engine.ui.screens.base import MenuScreen
from engine.ui.widgets import Block, Button


class TitleScreen(MenuScreen):
    name = "title"
    centre = True
    share = 0.9

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
            blocks.append(Block(" ".join(story.description.split()), "note", centred=True,
                                space_before=0.5))
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
            Button("Continue", self.continue_game, enabled=latest is not None, detail=detail,
                   key="continue"),
            Button("Load", self.load, key="load"),
            Button("Settings", self.settings, key="settings"),
            *([Button("Where to get help", self.support, key="support")]
              if game.story.support else []),
            *([Button("Credits and further reading", self.credits, key="credits")]
              if game.story.credits else []),
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
        from engine.ui.screens.setup import begin_new_game

        begin_new_game(self.app)

    def continue_game(self) -> None:
        self.load_slot(AUTOSAVE)

    def load_slot(self, slot: str) -> None:
        from engine.ui.screens.setup import play_on

        try:
            notes = self.app.game.load(slot)
        except SaveError as problem:
            self.app.show_message("Could not load", str(problem))
            self.refresh()
            return
        play_on(self.app, notes)

    def load(self) -> None:
        from engine.ui.screens.saves import SavesScreen

        self.app.push(SavesScreen(self.app, "load"), self._loaded)

    def _loaded(self, slot) -> None:
        if slot:
            self.load_slot(slot)

    def support(self) -> None:
        from engine.ui.screens.help import show_support

        show_support(self.app)

    def credits(self) -> None:
        from engine.ui.screens.help import CreditsScreen

        self.app.push(CreditsScreen(self.app))

    def settings(self) -> None:
        from engine.ui.screens.settings import SettingsScreen

        self.app.push(SettingsScreen(self.app))


def back_to_title(app) -> None:
    """Leave the playthrough (its record is written when it is unfinished) for the title."""
    if app.game is not None:
        app.game.leave()
    app.reset(TitleScreen(app))


def when(saved_at: str | None) -> str:
    """A save's time as a player reads it: '29 Nov 2026, 14:05' in local time."""
    if not saved_at:
        return ""
    try:
        moment = datetime.fromisoformat(saved_at)
    except ValueError:
        return saved_at
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.day} {moment:%b %Y, %H:%M}"
