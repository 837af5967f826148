"""After a choice: what was chosen, its feedback, and how each meter moved; then continue.

Continue stands in one place, at the bottom of the reading column, whatever the length of the
feedback, and a click on the feedback's text continues too."""

from __future__ import annotations

import pygame

from engine.play.turns import Turn
from engine.ui import navigation
from engine.ui.app import App, Screen
from engine.ui.keybindings import Action, Verb
from engine.ui.registry import register_screen
from engine.ui.screens.base import draw_header
from engine.ui.widgets import Block, Button, ButtonList, Document
from engine.ui.widgets.meters import signed
from engine.ui.widgets.toolbar import Tool, Toolbar


@register_screen
class FeedbackScreen(Screen):
    name = "feedback"

    def __init__(self, app: App, turn: Turn) -> None:
        super().__init__(app)
        self.turn = turn
        self.document = Document(app, [], what="feedback text")
        self.button_list = ButtonList(app, [], what="feedback button", horizontal=True)
        self.toolbar = Toolbar(app)

    def blocks(self) -> list[Block]:
        turn, story = self.turn, self.app.game.story
        blocks = [Block("You chose", "subheading"), Block(turn.text, "chosen", space_before=0.2)]
        for text in turn.feedback:
            blocks.append(Block(" ".join(text.split()), "feedback", space_before=0.8))
        if turn.fault:
            blocks.append(Block(f"The story cannot go on: {turn.fault}.", "body"))
        if not self.app.game.show_meters:
            return blocks  # the class keeps the meters for the ending
        blocks.append(Block("What changed", "subheading", space_before=1.2))
        if not turn.changes:
            blocks.append(Block("Nothing changed.", "body", space_before=0.2))
        for change in turn.changes:
            meter = story.meters.get(change.meter)
            label = meter.label if meter else change.meter
            moved = f"{label} went from {change.old} to {change.new} ({signed(change.delta)})"
            blocks.append(Block(moved, "body", space_before=0.2))
        return blocks

    def buttons(self) -> list[Button]:
        ended = self.app.game.session.ended
        buttons = [Button("See how it ends" if ended else "Continue", self.go_on, key="continue")]
        if self.app.game.can_undo:
            buttons.append(Button("Take it back", self.undo, key="undo"))
        return buttons

    def layout(self) -> None:
        frame = self.app.frame
        self.document = Document(self.app, self.blocks(), what="feedback text")
        self.button_list.set_buttons(self.buttons())
        self.app.meter_panel.layout(frame.meters, frame.meters_at_side)
        self.toolbar.layout([Tool("Menu", "Esc", self.menu, "menu")], ["menu"])
        column, gap = frame.column, frame.gap * 2
        buttons_height = min(self.button_list.measure(column.width), column.height // 2)
        self.document.layout(column)
        text_height = min(self.document.height, column.height - buttons_height - gap)
        self.document.layout(pygame.Rect(column.left, column.top, column.width, text_height))
        self.button_list.layout(  # in one place, whatever the length of the text
            pygame.Rect(column.left, column.bottom - buttons_height, column.width, buttons_height)
        )

    def go_on(self) -> None:
        navigation.after_feedback(self.app)

    def menu(self) -> None:
        navigation.open_pause(self.app)

    def undo(self) -> None:
        self.app.pop()
        play = self.app.find("play")
        if play is not None:
            play.undo()

    def apply(self, action: Action) -> None:
        verb = action.verb
        if verb is Verb.ACTIVATE:
            self.button_list.activate()
        elif verb in (Verb.UP, Verb.DOWN, Verb.LEFT, Verb.RIGHT):
            self.button_list.move(-1 if verb in (Verb.UP, Verb.LEFT) else 1)
        elif verb is Verb.UNDO:
            if self.app.game.can_undo:
                self.undo()
        elif verb is Verb.BACK:
            navigation.open_pause(self.app)
        elif verb in (Verb.PAGE_UP, Verb.PAGE_DOWN):
            self.document.page(-1 if verb is Verb.PAGE_UP else 1)

    def handle_mouse(self, event: pygame.event.Event) -> None:
        if self.toolbar.handle_mouse(event) or self.button_list.handle_mouse(event):
            return
        if event.type == pygame.MOUSEBUTTONUP and event.button == 3:
            self.menu()  # a right click: the menu
        elif (
            event.type == pygame.MOUSEBUTTONUP
            and event.button == 1
            and self.document.rect.collidepoint(event.pos)
        ):
            self.go_on()  # a click on the text continues
        else:
            self.document.handle_wheel(event)

    def update(self, dt: float) -> bool:
        return self.app.meter_panel.update(dt) if self.app.game.show_meters else False

    def draw_changes(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        """While the meters slide, the meter panel alone."""
        if self.app.game.show_meters and self.app.meter_panel.animating:
            drawn = self.app.meter_panel.draw_alone(surface)
            return [drawn] if drawn is not None else []
        return []

    def draw(self, surface: pygame.Surface) -> None:
        session = self.app.game.session
        draw_header(self.app, surface, session.story.title, toolbar=self.toolbar)
        if self.app.game.show_meters:
            self.app.meter_panel.draw(surface)
        self.document.draw(surface)
        self.button_list.draw(surface)
