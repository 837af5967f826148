"""The play screen: the scene's text in a reading column, the choices under it, the meters beside.

Choices are numbered buttons (number keys, arrows and Enter, hover and click); a locked choice is
drawn disabled with its reason. A choice opens the feedback screen; U undoes, H shows the story so
far, S saves, L loads, Esc pauses.
"""

from __future__ import annotations

import pygame

from engine.play.flow import Flow
from engine.play.session import Session
from engine.ui import navigation
from engine.ui.app import App, Screen
from engine.ui.keybindings import Action, Verb
from engine.ui.layout import blit_text
from engine.ui.pictures import HEIGHT_SHARE
from engine.ui.registry import register_screen
from engine.ui.reload import reload_story
from engine.ui.screens.base import draw_header, fit_text, picture_block, scene_blocks
from engine.ui.theme import Colour
from engine.ui.widgets import Block, Button, ButtonList, Document
from engine.ui.widgets.shapes import draw_more_marks, redraw_within
from engine.ui.widgets.toolbar import Tool, Toolbar

# New choices take no choice for this long once drawn: a click or key meant for what was on
# screen before (a double click on the feedback's Continue) must not choose unseen.
CHOICE_COOL_DOWN = 0.3
PICTURE_LINES = 3  # docked, a picture lower than this many lines is left out


@register_screen
class PlayScreen(Screen):
    name = "play"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.notice: str | None = None  # over the text (a reload's notes)
        self.undo_notice: str | None = None  # in the header, so that nothing moves
        self.toolbar = Toolbar(app)
        self.document = Document(app, [], what="scene text")
        self.choices = ButtonList(app, [], what="choice", compact=True)
        self.scene_key = None
        self.scroll = 0
        self.viewport = pygame.Rect(0, 0, 0, 0)  # the reading column: the text and the choices
        self.text_view = pygame.Rect(0, 0, 0, 0)  # where the text shows (all of it, or above)
        self.band = pygame.Rect(0, 0, 0, 0)  # between the text and docked choices
        # Docked, a scene's last paragraph (most often the question the choices answer) stays
        # in view just above the choices, while the text before it scrolls: `pinned` is where
        # it shows, `split` where it starts in the document (0: nothing pinned).
        self.pinned = pygame.Rect(0, 0, 0, 0)
        self.split = 0
        self.rest_height = 0  # the height of the text before it
        self.mode = "together"  # or "docked", or "scroll_all": see `layout`
        self.choice_style = "body"  # or "body_small", when that lets every choice show
        self.choices_height = 0
        self._fades: dict[tuple[int, int, bool, Colour], pygame.Surface] = {}  # see `fade`
        self.choices_drawn_at: float | None = None  # when this scene's choices were first drawn
        self.words_drawn = -1  # the typewriter's words on screen (it draws once a word)
        self.start_reveal()

    @property
    def session(self) -> Session:
        return self.app.game.session

    @property
    def mood(self) -> Colour | None:
        """The accent of the scene's mood, or None (`App.theme` applies it)."""
        session = self.session
        mood = session.story.moods.get(session.scene.mood) if session.scene.mood else None
        return mood.accent if mood is not None else None

    def start_reveal(self) -> None:
        """Write the scene anew with the typewriter, when the settings ask for it."""
        self.document.reveal = 0.0 if self.app.settings.typewriter else None
        self.choices_drawn_at = None

    @property
    def choices_ready(self) -> bool:
        """Whether the choices may be chosen: drawn on screen, and long enough ago that the
        input is meant for them (CHOICE_COOL_DOWN)."""
        drawn = self.choices_drawn_at
        return drawn is not None and self.app.now() - drawn >= CHOICE_COOL_DOWN

    def press_token(self) -> object:
        """A click pressed before the choices were drawn does not choose when released."""
        return (self.scene_key, self.choices_drawn_at is not None)

    # Content -----------------------------------------------------------------------------------

    def blocks(self, with_title: bool = True, picture_height: int | None = None) -> list[Block]:
        """The scene's blocks: its picture (at most `picture_height` high: by default
        HEIGHT_SHARE of the column), its title (unless `with_title` is off) and its text."""
        session = self.session
        blocks = []
        if self.notice:
            blocks.append(Block(self.notice, "note"))
        if session.state == Flow.STUCK:
            return blocks + [
                Block("The story cannot go on", "heading"),
                Block(
                    f"{session.fault}. This is a fault in the story, not in anything you did; "
                    "please tell its author.",
                    "body",
                ),
            ]
        scene = session.scene
        title = session.render(scene.title) if scene.title and with_title else None
        if scene.image is not None:
            column = self.app.frame.column
            if picture_height is None:
                picture_height = round(column.height * HEIGHT_SHARE)
            alt = session.render(scene.image.alt)
            picture = picture_block(self.app, scene.image, alt, column.width, picture_height)
            if picture is not None:
                blocks.append(picture)
        return blocks + scene_blocks(scene.text, session.partner, title)

    def buttons(self) -> list[Button]:
        session, game = self.session, self.app.game
        if session.state == Flow.STUCK:
            undo = (
                []
                if game.undo_off_for_class
                else [Button("Undo the last choice", self.undo, enabled=game.can_undo, key="undo")]
            )
            return [*undo, Button("Back to the title", self.to_title, key="title")]
        responses = session.story.responses
        buttons = []
        for option in session.options:
            label = session.render(option.text)
            response = responses.get(option.choice.response) if option.choice.response else None
            if option.offered:
                buttons.append(
                    Button(
                        label,
                        lambda cid=option.id: self.choose(cid),
                        number=option.number,
                        detail=response,
                        style=self.choice_style,
                        key=f"choice:{option.id}",
                    )
                )
            else:
                reason = session.render(option.locked_reason or "")
                detail = f"Locked: {reason}" if reason else "Locked"
                buttons.append(
                    Button(
                        label,
                        None,
                        enabled=False,
                        detail=detail,
                        style=self.choice_style,
                        key=f"locked:{option.id}",
                    )
                )
        return buttons

    def refresh(self) -> None:
        self.laid_out_for = None
        self.app.dirty = True

    def layout(self) -> None:
        """The scene's text, then its choices, in the reading column.

        Three ways, the first that works: the text and the choices together when both fit; else
        the choices docked at the bottom of the column with the text scrolling above them
        (wheel, PgUp/PgDn, Home/End), so every choice is in view however long the scene; and
        only when the choices alone do not fit (with a line of text), the column scrolling as
        one, keeping the focused choice in view."""
        app, frame = self.app, self.app.frame
        key = (self.session.scene_id, len(self.session.history), self.session.state)
        if key != self.scene_key:
            self.scroll = 0
            self.choices_drawn_at = None
        reveal = self.document.reveal
        self.scene_key = key
        self.document = Document(app, self.blocks(), what="scene text")
        self.document.reveal = reveal
        self.choices.set_buttons(self.buttons(), keep_focus=False)
        app.meter_panel.layout(frame.meters, frame.meters_at_side)
        self.toolbar.layout(*play_tools(self))
        column = frame.column
        bottom = frame.window.bottom - max(8, frame.gap * 2 // 3)  # a narrow margin: room
        self.viewport = pygame.Rect(
            column.left, column.top, column.width, max(0, bottom - column.top)
        )
        self.document.layout(self.viewport)  # measures the text at the column's width
        self.mode, two_columns = self.arrangement()
        self.choices.two_columns = two_columns
        self.choices_height = self.choices.measure(self.viewport.width)
        band = self.band_height
        if self.mode == "docked":
            choices_top = self.viewport.bottom - self.choices_height
            self.text_view = pygame.Rect(
                self.viewport.left,
                self.viewport.top,
                self.viewport.width,
                choices_top - band - self.viewport.top,
            )
            self.band = pygame.Rect(
                self.viewport.left, self.text_view.bottom, self.viewport.width, band
            )
            small = self.text_view.height < frame.line_height * 6 and self.session.scene.title
            # Docked, the picture takes at most a third of the text's view, and none when that
            # would be a sliver (PICTURE_LINES lines): the text comes first.
            room = self.text_view.height // 3
            if room < frame.line_height * PICTURE_LINES:
                room = 0
            if small or (self.session.scene.image is not None and self.has_picture_over(room)):
                # A small window onto the text: the header names the scene, so the text
                # starts at once rather than with its title again.
                self.document = Document(
                    app, self.blocks(with_title=not small, picture_height=room), what="scene text"
                )
                self.document.reveal = reveal
                self.document.layout(self.text_view)
        else:
            self.text_view = pygame.Rect(self.viewport)
            self.band = pygame.Rect(self.viewport.left, self.viewport.top, 0, 0)
        self.pin_last_paragraph()
        self.place_content()

    def has_picture_over(self, height: int) -> bool:
        """Whether the document shows a picture higher than `height`."""
        return any(block.alt and block.height > height for block in self.document.blocks)

    def pin_last_paragraph(self) -> None:
        """Docked, with more text than its view shows: keep the scene's last paragraph in view
        just above the choices (the text before it scrolls above the band), when that leaves
        the rest at least two lines."""
        self.pinned, self.split, self.rest_height = pygame.Rect(0, 0, 0, 0), 0, 0
        document, view = self.document, self.text_view
        if not self.docked or document.height <= view.height or len(document.spans) < 2:
            return
        last = document.blocks[-1]
        if last.draw is not None or last.style not in ("body", "speech"):
            return
        top, bottom = document.spans[-1]
        rest = document.spans[-2][1]
        gap = max(4, self.app.frame.gap // 2)
        room = view.height - (bottom - top) - self.band_height - gap * 2
        if room < self.app.frame.line_height * 2:
            return
        self.split, self.rest_height = top, rest
        choices_top = self.viewport.bottom - self.choices_height
        self.pinned = pygame.Rect(
            view.left, choices_top - gap - (bottom - top), view.width, bottom - top
        )
        self.band = pygame.Rect(
            view.left, self.pinned.top - gap - self.band_height, view.width, self.band_height
        )
        self.text_view = pygame.Rect(view.left, view.top, view.width, self.band.top - view.top)

    def arrangement(self) -> tuple[str, bool]:
        """How to show the text and the choices: together, docked or scroll_all (see `layout`).

        The choices are docked whenever they fit with a line of text above them, however
        little room that leaves the text (which scrolls): every choice in sight matters more.
        When one column of choices at the body text's size would leave less than four lines
        for the text, the choices may stand in two columns, or in a slightly smaller type, or
        both: whichever leaves the text the most room. Returns the way, and whether the choices
        stand in two columns; `choice_style` is left set to their type."""
        frame, width, height = self.app.frame, self.viewport.width, self.viewport.height
        choices, band, line = self.choices, self.band_height, frame.line_height
        one = self.measure_choices(False, "body")
        if self.document.height + band + one <= height:
            return "together", False
        best = (height - band - one, False, "body")
        if best[0] < line * 4:
            candidates = [(True, "body"), (False, "body_small"), (True, "body_small")]
            for two_columns, style in candidates:
                if two_columns and (len(choices.buttons) < 2 or width < self.two_column_width):
                    continue
                room = height - band - self.measure_choices(two_columns, style)
                if room > best[0] and best[0] < line * 4:
                    best = (room, two_columns, style)
        room, two_columns, style = best
        if room < line:  # not even a line of text beside every choice: scroll them together
            room, two_columns, style = height - band - one, False, "body"
        self.measure_choices(two_columns, style)
        return ("docked" if room >= line else "scroll_all"), two_columns

    def measure_choices(self, two_columns: bool, style: str) -> int:
        """The height of the choices in one or two columns, in this type."""
        if style != self.choice_style:
            self.choice_style = style
            self.choices.set_buttons(self.buttons(), keep_focus=False)
        self.choices.two_columns = two_columns
        return self.choices.measure(self.viewport.width)

    @property
    def two_column_width(self) -> int:
        """The narrowest column whose choices may stand in two columns: about 26 characters of
        text in each."""
        body = self.app.fonts.get("serif")
        character = body.size("the quick brown fox jumps over a lazy dog, then rests.")[0] / 54
        return round(character * 26 * 2 + self.app.fonts.body * 6)

    @property
    def band_height(self) -> int:
        """The space between the text and the choices (where the cue for more text goes)."""
        return self.cue_font.get_linesize() + 4

    @property
    def cue_font(self) -> pygame.font.Font:
        return self.app.fonts.get("sans", 0.75)

    @property
    def docked(self) -> bool:
        return self.mode == "docked"

    @property
    def content_height(self) -> int:
        """The height of what scrolls: the text alone when the choices are docked (without
        its last paragraph, when that is pinned above them)."""
        if self.docked:
            return self.rest_height if self.split else self.document.height
        return self.document.height + self.band_height + self.choices_height

    @property
    def max_scroll(self) -> int:
        return max(0, self.content_height - self.text_view.height)

    def place_content(self) -> None:
        """Put the text and the choices where the scroll position says."""
        self.scroll = max(0, min(self.scroll, self.max_scroll))
        view = self.text_view
        top = view.top - self.scroll
        self.document.layout(pygame.Rect(view.left, top, view.width, self.document.height))
        if self.docked:
            choices_top = self.viewport.bottom - self.choices_height
        else:
            choices_top = top + self.document.height + self.band_height
        self.choices.layout(
            pygame.Rect(self.viewport.left, choices_top, self.viewport.width, self.choices_height)
        )

    def scroll_by(self, pixels: int) -> None:
        self.scroll += pixels
        self.place_content()

    def show_focused(self) -> None:
        """Scroll so that the focused choice is in view (when the choices scroll at all)."""
        if self.docked:
            return
        focused = next((p for p in self.choices.placed if p.index == self.choices.focus), None)
        if focused is None or focused.rect is None:
            return
        if focused.rect.bottom > self.viewport.bottom:
            self.scroll_by(focused.rect.bottom - self.viewport.bottom)
        elif focused.rect.top < self.viewport.top:
            self.scroll_by(focused.rect.top - self.viewport.top)

    def follow_reveal(self) -> None:
        """Keep the line the typewriter is writing in view."""
        written = min(self.document.revealed_bottom(), self.content_height) - self.scroll
        if written > self.text_view.height:
            self.scroll_by(written - self.text_view.height)

    def uncovered(self) -> None:
        if self.scene_key != (self.session.scene_id, len(self.session.history), self.session.state):
            self.start_reveal()
        self.refresh()

    # Actions -----------------------------------------------------------------------------------

    def choose(self, choice_id: str) -> None:
        game = self.app.game
        panel = self.app.meter_panel
        turn, problem = game.choose(choice_id)
        panel.set_values(turn.meters, {c.meter: c.delta for c in turn.changes if c.delta})
        self.notice = self.undo_notice = None
        self.start_reveal()
        if turn.feedback or (turn.changes and game.show_meters):
            navigation.show_feedback(self.app, turn)
        else:
            navigation.after_feedback(self.app)
        self.refresh()
        if problem:
            self.app.show_message("Autosave", problem)

    def undo(self) -> None:
        game = self.app.game
        if game.undo_off_for_class:
            return  # the class turned undo off: the key does nothing
        if not game.undo_available:
            self.undo_notice = "Undo is turned off for this game."
            self.refresh()
            return
        turn = game.undo()
        if turn is None:
            self.undo_notice = "There is no choice to take back."
        else:
            stop = "" if turn.text.rstrip().endswith((".", "!", "?", "…")) else "."
            self.undo_notice = f"You took back “{turn.text}”{stop}"
            self.notice = None
            # The meters go back to where they were, with no change beside them: a reversal
            # is not a fresh gain or loss.
            self.app.meter_panel.set_values(game.session.meters, {})
        self.refresh()

    def to_title(self) -> None:
        navigation.to_title(self.app)

    def apply(self, action: Action) -> None:
        if self.document.revealing:
            self.document.finish_reveal()  # any key shows the whole text first
            return
        verb = action.verb
        if verb in (Verb.NUMBER, Verb.ACTIVATE) and not self.choices_ready:
            return  # choices not yet drawn, or only just: the key was not meant for them
        if verb is Verb.NUMBER:
            self.choices.pick_number(action.number)
        elif verb in (Verb.UP, Verb.DOWN):
            self.choices.move_in_grid(rows=-1 if verb is Verb.UP else 1)
            self.show_focused()
        elif verb in (Verb.LEFT, Verb.RIGHT) and self.choices.in_grid:
            self.choices.move_in_grid(columns=-1 if verb is Verb.LEFT else 1)
        elif verb is Verb.ACTIVATE:
            self.choices.activate()
        elif verb is Verb.UNDO:
            self.undo()
        elif verb is Verb.BACK:
            navigation.open_pause(self.app)
        elif verb is Verb.HISTORY:
            navigation.open_history(self.app)
        elif verb is Verb.SAVE:
            navigation.open_saves(self.app, "save")
        elif verb is Verb.LOAD:
            navigation.open_load(self.app)
        elif verb is Verb.SETTINGS:
            navigation.open_settings(self.app)
        elif verb in (Verb.PAGE_UP, Verb.PAGE_DOWN):
            page = max(
                self.app.frame.line_height, self.text_view.height - self.app.frame.line_height * 2
            )
            self.scroll_by(page if verb is Verb.PAGE_DOWN else -page)
        elif verb is Verb.HOME:
            self.scroll_by(-self.scroll)
        elif verb is Verb.END:
            self.scroll_by(self.max_scroll)

    def handle_mouse(self, event: pygame.event.Event) -> None:
        if self.toolbar.handle_mouse(event):
            return
        if event.type == pygame.MOUSEBUTTONUP and event.button == 3:
            navigation.open_pause(self.app)  # a right click: the menu
            return
        if self.document.revealing:
            if event.type == pygame.MOUSEBUTTONDOWN:
                self.document.finish_reveal()
            return
        if event.type == pygame.MOUSEWHEEL:
            self.scroll_by(-event.y * self.app.frame.line_height * 2)
            return
        if hasattr(event, "pos") and not self.viewport.collidepoint(event.pos):
            return
        if event.type == pygame.MOUSEBUTTONUP and not self.choices_ready:
            self.choices.pressed = None
            return  # see CHOICE_COOL_DOWN
        self.choices.handle_mouse(event)

    def update(self, dt: float) -> bool:
        if self.app.story_changed():  # the setting "reload the story when its files change"
            reload_story(self.app)
            return True
        moving = self.app.meter_panel.update(dt) if self.app.game.show_meters else False
        was_revealing = self.document.revealing
        revealing = self.document.update(dt, self.app.settings.characters_per_second)
        if revealing:
            self.follow_reveal()
        elif was_revealing:
            self.app.dirty = True  # the last of the text, and the choices, are still to draw
        if not self.document.revealing:
            self.app.game.choices_shown()  # the time for this decision starts
        return revealing or moving

    # Drawing -----------------------------------------------------------------------------------

    def draw_changes(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        """While the typewriter writes, the text once a word (not every frame); while the
        meters slide, the meter panel alone."""
        rects = []
        if self.app.game.show_meters and self.app.meter_panel.animating:
            rects.append(self.app.meter_panel.draw_alone(surface))
            rects = [rect for rect in rects if rect is not None]
        words = self.document.revealed_words()
        if self.document.revealing and words != self.words_drawn:
            rects.append(self.draw_text_alone(surface))
        return rects

    def draw_text_alone(self, surface: pygame.Surface) -> pygame.Rect:
        """The reading column's text (and what goes with it: the fades, the marks, the rule)
        drawn again over its own background; the rect it covers."""
        size = max(6, self.app.fonts.body // 3)
        right = min(self.text_view.right + size * 3, self.app.window.right)
        area = pygame.Rect(
            self.viewport.left, self.viewport.top, right - self.viewport.left, self.viewport.height
        ).clip(self.app.window)
        return redraw_within(surface, area, self.app.theme.background, self.draw_text)

    def draw(self, surface: pygame.Surface) -> None:
        session = self.session
        where = session.story.title
        if session.scene.title:
            where += " — " + session.render(session.scene.title)
        if self.undo_notice:
            draw_header(
                self.app,
                surface,
                self.undo_notice,
                toolbar=self.toolbar,
                left_colour=self.app.theme.accent,
            )
        else:
            draw_header(self.app, surface, where, toolbar=self.toolbar)
        if self.app.game.show_meters:
            self.app.meter_panel.draw(surface)
        self.draw_text(surface)

    def draw_text(self, surface: pygame.Surface) -> None:
        """The text, the choices once it is written, the fades, the marks and the rule."""
        self.words_drawn = self.document.revealed_words()
        log = self.app.text_log
        previous = surface.get_clip()
        try:
            surface.set_clip(self.text_view.clip(previous))
            log.clip = self.text_view
            self.document.draw(surface)
            if self.split:
                self.draw_pinned(surface, previous)
            surface.set_clip(self.viewport.clip(previous))
            log.clip = self.viewport
            if not self.document.revealing:
                self.choices.draw(surface)
                if self.choices_drawn_at is None:
                    self.choices_drawn_at = self.app.now()
                    self.app.hold_quiet(CHOICE_COOL_DOWN)
        finally:
            log.clip = None
            surface.set_clip(previous)
        self.draw_fades(surface)
        self.draw_more_marks(surface)
        if self.docked:
            self.draw_band(surface)

    def draw_pinned(self, surface: pygame.Surface, within: pygame.Rect) -> None:
        """The last paragraph, in its place above the docked choices."""
        document, pinned = self.document, self.pinned
        surface.set_clip(pinned.clip(within))
        self.app.text_log.clip = pinned
        placed = document.rect
        document.rect = pygame.Rect(
            pinned.left, pinned.top - self.split, pinned.width, document.height
        )
        try:
            document.draw(surface)
        finally:
            document.rect = placed

    @property
    def more_below(self) -> bool:
        """Whether text is hidden below the view (not counting what the typewriter has still
        to write)."""
        return self.scroll < self.max_scroll and not self.document.revealing

    def draw_band(self, surface: pygame.Surface) -> None:
        """The rule between the text and the docked choices, saying when more text is below."""
        app, theme, band = self.app, self.app.theme, self.band
        y = band.centery
        label = None
        if self.more_below:
            font = self.cue_font
            cue = (
                "More text: scroll or Page Down"
                if self.split
                else "More text below: scroll or Page Down"
            )
            text = fit_text(app, font, cue, band.width // 2)
            label = app.text_cache.render(font, text, theme.accent, theme.background)
        if label is None or label.get_height() > band.height:
            pygame.draw.line(surface, theme.panel_edge, (band.left, y), (band.right, y))
            return
        size = max(4, app.fonts.body // 4)
        room = label.get_width() + size * 12
        left = band.centerx - room // 2
        right = left + room
        pygame.draw.line(surface, theme.panel_edge, (band.left, y), (left, y))
        pygame.draw.line(surface, theme.panel_edge, (right, y), (band.right, y))
        for x in (left + size * 2, right - size * 2):
            pygame.draw.polygon(
                surface,
                theme.accent,
                [(x - size, y - size // 2), (x + size, y - size // 2), (x, y + size)],
            )
        position = (left + size * 6, band.top + (band.height - label.get_height()) // 2)
        blit_text(surface, label, position, band, app.text_log, "more text cue")

    def draw_fades(self, surface: pygame.Surface) -> None:
        """The text fades out at an edge of its view where more of it is hidden."""
        view = self.text_view
        height = min(self.app.frame.line_height, view.height // 3)
        if height <= 0:
            return
        if self.scroll > 0:
            surface.blit(self.fade(view.width, height, downwards=True), view.topleft)
        if self.more_below:
            surface.blit(
                self.fade(view.width, height, downwards=False), (view.left, view.bottom - height)
            )

    def fade(self, width: int, height: int, downwards: bool) -> pygame.Surface:
        """A strip of the background colour going from opaque to clear (cached)."""
        key = (width, height, downwards, self.app.theme.background)
        cache = self._fades
        if key not in cache:
            strip = pygame.Surface((width, height), pygame.SRCALPHA)
            red, green, blue = self.app.theme.background
            for row in range(height):
                share = row / max(1, height - 1)
                alpha = round(255 * ((1 - share) if downwards else share))
                pygame.draw.line(strip, (red, green, blue, alpha), (0, row), (width - 1, row))
            cache[key] = strip
        return cache[key]

    def draw_more_marks(self, surface: pygame.Surface) -> None:
        """Small triangles at the column's edge when there is more above or below."""
        view = self.text_view
        size = max(6, self.app.fonts.body // 3)
        draw_more_marks(
            surface,
            self.app.theme.accent,
            min(view.right + size * 2, self.app.window.right - size - 2),
            view.top,
            view.bottom,
            size,
            above=self.scroll > 0,
            below=self.more_below and not self.docked,
        )  # docked: the band says so


def play_tools(play: PlayScreen) -> tuple[list[Tool], list[str]]:
    """The play screen's header buttons, and their keys from the most needed: the menu (which
    holds all the rest), undo, the story so far, save, load, settings."""
    app = play.app
    tools = []
    if not app.game.undo_off_for_class:
        tools.append(Tool("Undo", "U", play.undo, "undo"))
    tools += [
        Tool("History", "H", lambda: navigation.open_history(app), "history"),
        Tool("Save", "S", lambda: navigation.open_saves(app, "save"), "save"),
        Tool("Load", "L", lambda: navigation.open_load(app), "load"),
        Tool("Settings", "F2", lambda: navigation.open_settings(app), "settings"),
        Tool("Menu", "Esc", lambda: navigation.open_pause(app), "menu"),
    ]
    need = ["menu", "undo", "history", "save", "load", "settings"]
    return tools, [key for key in need if any(tool.key == key for tool in tools)]
