"""The ending: its title and text, what happened, the path taken (choices, how often each response
was chosen), a chart of every meter across the playthrough, questions to discuss; then the title."""

from __future__ import annotations

import pygame

from engine.ui.chart import MeterChart, meter_series
from engine.ui.screens.base import MenuScreen
from engine.ui.screens.play import scene_blocks
from engine.ui.widgets import Block, Button


def path_summary(session) -> str:
    """'5 choices: Accept 2 · Fight for cooperation 2 · Walk away 1'."""
    counts: dict[str, int] = {}
    for turn in session.history:
        if turn.response:
            counts[turn.response] = counts.get(turn.response, 0) + 1
    total = len(session.history)
    parts = [f"{label} {counts.get(key, 0)}" for key, label in session.story.responses.items()]
    head = f"{total} choice{'s' if total != 1 else ''}"
    return head + (": " + " · ".join(parts) if parts else ".")


class EndingScreen(MenuScreen):
    name = "ending"
    share = 1.0
    button_share = 0.34

    @property
    def session(self):
        return self.app.game.session

    def header_text(self) -> str:
        return f"{self.session.story.title} — the end"

    def hint(self) -> str:
        return "PgUp/PgDn scroll · ↑↓ move · Enter choose"

    def content_area(self) -> pygame.Rect:
        frame = self.app.frame
        width = min(frame.window.width - 2 * frame.margin,
                    max(frame.column.width, round(frame.window.width * 0.6)))
        top = frame.header.bottom + frame.gap
        return pygame.Rect((frame.window.width - width) // 2, top, width,
                           frame.window.height - top - frame.margin)

    def blocks(self) -> list[Block]:
        session, story = self.session, self.session.story
        ending = session.ending
        render = session.render
        blocks = [Block("Ending", "subheading"),
                  Block(render(ending.title) if ending else "The end", "title",
                        space_before=0.2)]
        blocks += scene_blocks(session.scene.text, session.partner)
        if ending and ending.debrief:
            blocks += [Block("What happened", "heading", space_before=1.4),
                       Block(" ".join(render(ending.debrief).split()), "body")]
        if ending and ending.support and story.support:
            blocks.append(Block(" ".join(render(story.support).split()), "note",
                                space_before=1.0))
        blocks += [Block("Your path", "heading", space_before=1.4),
                   Block(path_summary(session), "body")]
        for number, turn in enumerate(session.history, start=1):
            scene = story.scenes.get(turn.scene)
            where = render(scene.title) if scene and scene.title else None
            response = story.responses.get(turn.response) if turn.response else None
            text = f"{number}. " + (f"{where}: " if where else "") + turn.text
            if response:
                text += f" ({response})"
            blocks.append(Block(text, "note", indent=0.5, space_before=0.25))
        if story.meters:
            chart = MeterChart(self.app, story, meter_series(session))
            width = self.content_area().width
            blocks += [Block("The meters across your playthrough", "heading",
                             space_before=1.4),
                       Block(draw=chart.draw, height=chart.height_for(width), space_before=0.6)]
        if ending and ending.questions:
            blocks.append(Block("For discussion", "heading", space_before=1.4))
            for number, question in enumerate(ending.questions, start=1):
                blocks.append(Block(f"{number}. {render(question)}", "body", indent=0.5,
                                    space_before=0.4))
        return blocks

    def buttons(self) -> list[Button]:
        buttons = [Button("Back to the title", self.to_title, key="title")]
        if self.app.game.can_undo:
            buttons.append(Button("Undo the last choice", self.undo, key="undo"))
        buttons.append(Button("The story so far", self.history, key="history"))
        return buttons

    def to_title(self) -> None:
        from engine.ui.screens.title import TitleScreen

        self.app.reset(TitleScreen(self.app))

    def back(self) -> None:
        from engine.ui.screens.pause import PauseScreen

        self.app.push(PauseScreen(self.app))

    def undo(self) -> None:
        from engine.ui.screens.play import start_playing

        if self.app.game.undo() is not None:
            start_playing(self.app)

    def history(self) -> None:
        from engine.ui.screens.history import HistoryScreen

        self.app.push(HistoryScreen(self.app))

    def apply(self, action) -> None:
        verb = action.verb
        if verb == "undo":
            self.undo()
        elif verb == "history":
            self.history()
        else:
            super().apply(action)
