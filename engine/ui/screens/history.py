"""The story so far: every scene passed, the choice made in it and its feedback, then now."""

from __future__ import annotations

from engine.ui.app import App
from engine.ui.keybindings import Action, Verb
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen, scene_blocks
from engine.ui.widgets import Block, Button


@register_screen
class HistoryScreen(MenuScreen):
    name = "history"
    button_share = 0.2

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.at_end = True

    def hint(self) -> str:
        return "PgUp/PgDn scroll · Esc back"

    def blocks(self) -> list[Block]:
        session = self.app.game.session
        story, render = session.story, session.render
        blocks = [Block("The story so far", "title")]
        if not session.history:
            blocks.append(Block("No choices yet.", "note"))
        for turn in session.history:
            scene = story.scenes.get(turn.scene)
            if scene is not None:
                title = render(scene.title) if scene.title else None
                blocks += scene_blocks(scene.text, session.partner, title)
            blocks.append(Block(f"You chose: {turn.text}", "chosen", space_before=0.8))
            blocks += [
                Block(" ".join(text.split()), "feedback", space_before=0.4)
                for text in turn.feedback
            ]
            blocks.append(Block("", "note", space_before=0.6))
        if session.history:
            title = render(session.scene.title) if session.scene.title else None
            blocks.append(Block("Now", "subheading", space_before=1.0))
            blocks += scene_blocks(session.scene.text, session.partner, title)
        return blocks

    def buttons(self) -> list[Button]:
        return [Button("Back", self.back, key="back")]

    def layout(self) -> None:
        super().layout()
        if self.at_end:
            self.document.to_end()
            self.at_end = False

    def apply(self, action: Action) -> None:
        if action.verb is Verb.HISTORY:
            self.back()
        elif action.verb in (Verb.UP, Verb.DOWN):
            self.document.scroll_by(
                (-1 if action.verb is Verb.UP else 1)
                * self.app.fonts.get("serif").get_linesize()
                * 2
            )
        else:
            super().apply(action)
