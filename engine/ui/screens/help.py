"""The keys and controls, from the one key table (F1, or from the pause menu)."""

from __future__ import annotations

from engine.ui.keybindings import KEY_BINDINGS, key_names
from engine.ui.screens.base import MenuScreen
from engine.ui.widgets import Block, Button


class HelpScreen(MenuScreen):
    name = "help"
    button_share = 0.2

    def hint(self) -> str:
        return "PgUp/PgDn scroll · Esc back"

    def blocks(self) -> list[Block]:
        blocks = [Block("Keys and controls", "title"),
                  Block("Everything works with the mouse too: point at a button and click it; "
                        "the wheel scrolls.", "note", space_before=0.3),
                  Block("1 to 9: make the choice with that number", "body", space_before=0.8)]
        game = self.app.game
        for verb, (_, what) in KEY_BINDINGS.items():
            if verb == "undo" and game is not None and game.undo_off_for_class:
                continue  # a class turned undo off: not even mentioned
            keys = " or ".join(dict.fromkeys(key_names(verb)))
            blocks.append(Block(f"{keys}: {what}", "body", space_before=0.3))
        return blocks

    def buttons(self) -> list[Button]:
        return [Button("Back", self.back, key="back")]

    def apply(self, action) -> None:
        if action.verb == "help":
            self.back()
        else:
            super().apply(action)


def show_support(app) -> None:
    """The story's where-to-get-help text, as a message."""
    story = app.game.story
    app.show_message("Where to get help", " ".join(app.game.session.render(story.support).split())
                     if app.game.session else " ".join(story.support.split()))
