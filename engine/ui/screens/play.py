"""The play screen: the scene's text in a reading column, the choices under it, the meters beside.

Choices are numbered buttons (number keys, arrows and Enter, hover and click); a locked choice is
drawn disabled with its reason. A choice opens the feedback screen; U undoes, H shows the story so
far, S saves, L loads, Esc pauses.
"""

from __future__ import annotations

import pygame

from engine.text import paragraphs
from engine.ui.app import App, Screen
from engine.ui.meters import MeterPanel
from engine.ui.screens.base import draw_header
from engine.ui.widgets import Block, Button, ButtonList, Document


def scene_blocks(text: str, partner, title: str | None = None) -> list[Block]:
    """A scene's text as document blocks: paragraphs, and dialogue with its speaker's name."""
    blocks = [Block(title, "heading")] if title else []
    for paragraph in paragraphs(text, partner):
        if paragraph.speaker:
            blocks.append(Block(paragraph.text, "speech", speaker=paragraph.speaker,
                                space_before=0.45))
        else:
            blocks.append(Block(paragraph.text, "body", space_before=0.7))
    return blocks


def start_playing(app: App, notes: list[str] | None = None) -> None:
    """Show the game's current session: the play screen, or its ending."""
    from engine.ui.screens.ending import EndingScreen

    session = app.game.session
    app.meter_panel = MeterPanel(app, session.story, session.meters)
    app.reset(EndingScreen(app) if session.ended else PlayScreen(app))
    for note in notes or []:
        app.show_message("Note", note)


def meter_panel(app: App) -> MeterPanel:
    panel = getattr(app, "meter_panel", None)
    if panel is None:
        panel = app.meter_panel = MeterPanel(app, app.game.story, app.game.session.meters)
    return panel


class PlayScreen(Screen):
    name = "play"

    def __init__(self, app: App):
        super().__init__(app)
        self.notice: str | None = None
        self.document = Document(app, [], what="scene text")
        self.choices = ButtonList(app, [], what="choice")
        self.scene_key = None
        self.scroll = 0
        self.viewport = pygame.Rect(0, 0, 0, 0)
        self.choices_height = 0
        self.start_reveal()

    @property
    def session(self):
        return self.app.game.session

    def start_reveal(self) -> None:
        self.revealing = self.app.settings.text_speed == "typewriter"
        self.document.reveal = 0.0 if self.revealing else None

    # Content -----------------------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        session = self.session
        blocks = []
        if self.notice:
            blocks.append(Block(self.notice, "note"))
        if session.state == "stuck":
            return blocks + [
                Block("The story cannot go on", "heading"),
                Block(f"{session.fault}. This is a fault in the story, not in anything you did; "
                      "please tell its author.", "body"),
            ]
        title = session.render(session.scene.title) if session.scene.title else None
        return blocks + scene_blocks(session.scene.text, session.partner, title)

    def buttons(self) -> list[Button]:
        session, game = self.session, self.app.game
        if session.state == "stuck":
            undo = [] if game.undo_off_for_class else [
                Button("Undo the last choice", self.undo, enabled=game.can_undo, key="undo")]
            return [*undo, Button("Back to the title", self.to_title, key="title")]
        responses = session.story.responses
        buttons = []
        for option in session.options:
            label = session.render(option.text)
            response = responses.get(option.choice.response) if option.choice.response else None
            if option.offered:
                buttons.append(Button(label, lambda cid=option.id: self.choose(cid),
                                      number=option.number, detail=response, style="body",
                                      key=f"choice:{option.id}"))
            else:
                reason = session.render(option.locked_reason or "")
                detail = f"Locked: {reason}" if reason else "Locked"
                buttons.append(Button(label, None, enabled=False, detail=detail, style="body",
                                      key=f"locked:{option.id}"))
        return buttons

    def refresh(self) -> None:
        self.laid_out_for = None
        self.app.dirty = True

    def layout(self) -> None:
        """The scene's text, then its choices, in the reading column; when they do not fit
        together, the column scrolls as one (wheel, PgUp/PgDn; the focused choice is kept in
        view), so the text is never squeezed into a small box."""
        app, frame = self.app, self.app.frame
        key = (self.session.scene_id, len(self.session.history), self.session.state)
        if key != self.scene_key:
            self.scroll = 0
        reveal = self.document.reveal
        self.scene_key = key
        self.document = Document(app, self.blocks(), what="scene text")
        self.document.reveal = reveal
        self.choices.set_buttons(self.buttons(), keep_focus=False)
        meter_panel(app).layout(frame.meters, frame.meters_at_side)
        self.viewport = pygame.Rect(frame.column)
        self.document.layout(self.viewport)  # measures the text at the column's width
        self.choices_height = self.choices.measure(self.viewport.width)
        self.place_content()

    @property
    def content_height(self) -> int:
        return self.document.height + self.app.frame.gap * 2 + self.choices_height

    @property
    def max_scroll(self) -> int:
        return max(0, self.content_height - self.viewport.height)

    def place_content(self) -> None:
        """Put the text and the choices where the scroll position says."""
        self.scroll = max(0, min(self.scroll, self.max_scroll))
        top = self.viewport.top - self.scroll
        self.document.layout(pygame.Rect(self.viewport.left, top, self.viewport.width,
                                         self.document.height))
        choices_top = top + self.document.height + self.app.frame.gap * 2
        self.choices.layout(pygame.Rect(self.viewport.left, choices_top, self.viewport.width,
                                        self.choices_height))

    def scroll_by(self, pixels: int) -> None:
        self.scroll += pixels
        self.place_content()

    def show_focused(self) -> None:
        """Scroll so that the focused choice is in view."""
        focused = next((p for p in self.choices.placed if p.index == self.choices.focus), None)
        if focused is None or focused.rect is None:
            return
        if focused.rect.bottom > self.viewport.bottom:
            self.scroll_by(focused.rect.bottom - self.viewport.bottom)
        elif focused.rect.top < self.viewport.top:
            self.scroll_by(focused.rect.top - self.viewport.top)

    def uncovered(self) -> None:
        if self.scene_key != (self.session.scene_id, len(self.session.history),
                              self.session.state):
            self.start_reveal()
        self.refresh()

    # Actions -----------------------------------------------------------------------------------

    def choose(self, choice_id: str) -> None:
        from engine.ui.screens.feedback import FeedbackScreen, after_feedback

        game = self.app.game
        panel = meter_panel(self.app)
        turn, problem = game.choose(choice_id)
        panel.set_values(turn.meters, {c.meter: c.delta for c in turn.changes if c.delta})
        self.notice = None
        self.start_reveal()
        if turn.feedback or (turn.changes and game.show_meters):
            self.app.push(FeedbackScreen(self.app, turn))
        else:
            after_feedback(self.app)
        self.refresh()
        if problem:
            self.app.show_message("Autosave", problem)

    def undo(self) -> None:
        game = self.app.game
        if game.undo_off_for_class:
            return  # the class turned undo off: the key does nothing
        if not game.undo_available:
            self.notice = "Undo is turned off for this game."
            self.refresh()
            return
        before = dict(game.session.meters)
        turn = game.undo()
        if turn is None:
            self.notice = "There is no choice to take back."
        else:
            self.notice = f"You took back “{turn.text}”."
            after = game.session.meters
            meter_panel(self.app).set_values(after, {key: after[key] - before[key]
                                                     for key in after if after[key] != before[key]})
        self.refresh()

    def to_title(self) -> None:
        from engine.ui.screens.title import back_to_title

        back_to_title(self.app)

    def apply(self, action) -> None:
        if self.document.revealing:
            self.document.finish_reveal()  # any key shows the whole text first
            return
        verb = action.verb
        if verb == "number":
            self.choices.pick_number(action.number)
        elif verb in ("up", "down"):
            self.choices.move(-1 if verb == "up" else 1)
            self.show_focused()
        elif verb == "activate":
            self.choices.activate()
        elif verb == "undo":
            self.undo()
        elif verb == "back":
            from engine.ui.screens.pause import PauseScreen

            self.app.push(PauseScreen(self.app))
        elif verb == "history":
            from engine.ui.screens.history import HistoryScreen

            self.app.push(HistoryScreen(self.app))
        elif verb == "save":
            from engine.ui.screens.saves import SavesScreen

            self.app.push(SavesScreen(self.app, "save"))
        elif verb == "load":
            from engine.ui.screens.saves import open_load

            open_load(self.app)
        elif verb == "settings":
            from engine.ui.screens.settings import SettingsScreen

            self.app.push(SettingsScreen(self.app))
        elif verb in ("page_up", "page_down"):
            page = max(1, self.viewport.height - self.app.frame.line_height * 2)
            self.scroll_by(page if verb == "page_down" else -page)
        elif verb == "home":
            self.scroll_by(-self.scroll)
        elif verb == "end":
            self.scroll_by(self.max_scroll)

    def handle_mouse(self, event: pygame.event.Event) -> None:
        if self.document.revealing:
            if event.type == pygame.MOUSEBUTTONDOWN:
                self.document.finish_reveal()
            return
        if event.type == pygame.MOUSEWHEEL:
            self.scroll_by(-event.y * self.app.frame.line_height * 2)
            return
        if hasattr(event, "pos") and not self.viewport.collidepoint(event.pos):
            return
        self.choices.handle_mouse(event)

    def update(self, dt: float) -> bool:
        if self.app.story_changed():  # the setting "reload the story when its files change"
            from engine.ui.reload import reload_story

            reload_story(self.app)
            return True
        moving = meter_panel(self.app).update(dt) if self.app.game.show_meters else False
        revealing = self.document.update(dt)
        if not self.document.revealing:
            self.app.game.choices_shown()  # the time for this decision starts
        return revealing or moving

    # Drawing -----------------------------------------------------------------------------------

    def hint(self) -> str:
        parts = ["1–9 choose"]
        if self.app.game.undo_available:
            parts.append("U undo")
        parts += ["H history", "Esc menu"]
        return " · ".join(parts)

    def draw(self, surface: pygame.Surface) -> None:
        session = self.session
        where = session.story.title
        if session.scene.title:
            where += " — " + session.render(session.scene.title)
        draw_header(self.app, surface, where, self.hint())
        if self.app.game.show_meters:
            meter_panel(self.app).draw(surface)
        log = self.app.text_log
        previous = surface.get_clip()
        surface.set_clip(self.viewport)
        log.clip = self.viewport
        try:
            self.document.draw(surface)
            if not self.document.revealing:
                self.choices.draw(surface)
        finally:
            log.clip = None
            surface.set_clip(previous)
        self.draw_more_marks(surface)

    def draw_more_marks(self, surface: pygame.Surface) -> None:
        """Small triangles at the column's edge when there is more above or below."""
        size = max(6, self.app.fonts.body // 3)
        x = min(self.viewport.right + size * 2, self.app.window.right - size - 2)
        colour = self.app.theme.accent
        if self.scroll > 0:
            y = self.viewport.top + size
            pygame.draw.polygon(surface, colour, [(x, y - size), (x - size, y + size // 2),
                                                  (x + size, y + size // 2)])
        if self.scroll < self.max_scroll:
            y = self.viewport.bottom - size
            pygame.draw.polygon(surface, colour, [(x, y + size), (x - size, y - size // 2),
                                                  (x + size, y - size // 2)])
