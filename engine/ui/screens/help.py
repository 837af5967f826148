"""Reading screens: the keys and controls (F1, from the one key table, with what the meters
mean) and the story's credits."""

from __future__ import annotations

import re

from engine.story.text import markup_blocks
from engine.ui.keybindings import KEY_BINDINGS, Action, Verb
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen, TwoColumnScreen
from engine.ui.widgets import Block, Button
from engine.ui.widgets.meters import meter_guide


@register_screen
class HelpScreen(TwoColumnScreen):
    """The keys (from the one key table), and what the meters mean beside them (in a narrow
    window, after them)."""

    name = "help"
    button_share = 0.2

    def hint(self) -> str:
        return "PgUp/PgDn scroll · Esc back"

    def main_blocks(self) -> list[Block]:
        below = (
            " What the meters mean is at the end (End)."
            if not self.two_columns and self.side_blocks()
            else ""
        )
        blocks = [
            Block("Keys and controls", "title"),
            Block(
                "Everything works with the mouse too: point at a button and click it; "
                "the wheel scrolls." + below,
                "note",
                space_before=0.3,
            ),
            Block("1 to 9: make the choice with that number", "body", space_before=0.8),
        ]
        game = self.app.game
        for verb, (_, what) in KEY_BINDINGS.items():
            if verb is Verb.UNDO and game is not None and game.undo_off_for_class:
                continue  # a class turned undo off: not even mentioned
            keys = " or ".join(dict.fromkeys(self.app.keymap.key_names(verb))) or "No key"
            blocks.append(Block(f"{keys}: {what}", "body", space_before=0.3))
        return blocks

    def side_blocks(self, space_before: float = 1.2) -> list[Block]:
        game = self.app.game
        if game is None or not self.meters_shown:
            return []
        session = game.session
        return meter_guide(
            game.story,
            session.partner if session else None,
            heading="The meters",
            space_before=space_before,
        )

    @property
    def meters_shown(self) -> bool:
        """Whether the meters may be explained here: not while a class keeps them hidden during
        play (they are revealed at the ending)."""
        game = self.app.game
        return game.show_meters or (
            game.session is not None and game.session.ended and self.app.find("ending") is not None
        )

    def buttons(self) -> list[Button]:
        return [Button("Back", self.back, key="back")]

    def apply(self, action: Action) -> None:
        if action.verb is Verb.HELP:
            self.back()
        else:
            super().apply(action)


@register_screen
class CreditsScreen(MenuScreen):
    """The story's credits and further reading, scrolling like any long text."""

    name = "credits"
    button_share = 0.2

    def hint(self) -> str:
        return "PgUp/PgDn scroll · Esc back"

    def blocks(self) -> list[Block]:
        blocks = [Block("Credits and further reading", "title")]
        for block in markup_blocks(self.app.game.story.credits or ""):
            if block.kind == "heading":
                blocks.append(Block(block.text, "heading", space_before=1.0))
            elif block.kind == "item":
                blocks.append(
                    Block("• " + _ITEM_MARK.sub("", block.text, count=1), "body", space_before=0.35)
                )
            else:
                blocks.append(Block(block.text, "body", space_before=0.6))
        return blocks

    def buttons(self) -> list[Button]:
        return [Button("Back", self.back, key="back")]


_ITEM_MARK = re.compile(r"^[-*]\s+")
