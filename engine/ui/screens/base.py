"""What screens share: the header line, and `MenuScreen`, a column of text over a list of buttons
(the title, menus, settings, saves and messages are all menu screens); `TwoColumnScreen`, a menu
screen whose text has a second part that stands beside the first in a wide window; and the text
several screens show: a scene's text as blocks, a list of problems, a save's time."""

from __future__ import annotations

from datetime import datetime

import pygame

from engine.story.model import Image
from engine.story.text import Partner, paragraphs
from engine.ui.app import App, Screen
from engine.ui.keybindings import Action, Verb
from engine.ui.layout import blit_text
from engine.ui.pictures import picture_size
from engine.ui.theme import Colour
from engine.ui.widgets import Block, Button, ButtonList, Document
from engine.ui.widgets.shapes import draw_box
from engine.ui.widgets.toolbar import Toolbar


def scene_blocks(text: str, partner: Partner | None, title: str | None = None) -> list[Block]:
    """A scene's text as document blocks: paragraphs, and dialogue with its speaker's name."""
    blocks = [Block(title, "heading")] if title else []
    for paragraph in paragraphs(text, partner):
        if paragraph.speaker:
            blocks.append(
                Block(paragraph.text, "speech", speaker=paragraph.speaker, space_before=0.45)
            )
        else:
            blocks.append(Block(paragraph.text, "body", space_before=0.7))
    return blocks


def picture_block(app: App, image: Image | None, alt: str, width: int, height: int) -> Block | None:
    """A scene's picture as a drawn block at most `width` x `height` (never larger than its own
    pixels, in its proportions), centred; None when there is no picture, no room for one, or
    its file cannot be read now (the scene shows its text alone)."""
    if image is None or width <= 0 or height <= 0:
        return None
    size = picture_size(image, width, height)
    pictures = app.pictures
    if pictures.get(image, size) is None:
        return None

    def draw(surface: pygame.Surface, area: pygame.Rect) -> None:
        picture = pictures.get(image, size)
        if picture is not None:
            surface.blit(picture, (area.left + (area.width - size[0]) // 2, area.top))

    return Block(draw=draw, height=size[1], alt=alt, space_before=0.0)


def problem_blocks(title: str, advice: str, headlines: list[str]) -> list[Block]:
    """A heading, what to do, and the problems one a line (`path:line:col: ...`), at most 200."""
    return [
        Block(title, "title"),
        Block(advice, "body"),
        *(Block(line, "error", space_before=0.4) for line in headlines[:200]),
    ]


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


def draw_header(
    app: App,
    surface: pygame.Surface,
    left: str,
    hint: str = "",
    toolbar: Toolbar | None = None,
    left_colour: Colour | None = None,
) -> None:
    """The top line: where we are at the left, the keys that matter here at the right (or
    the toolbar's buttons, laid out already, which say their keys)."""
    frame, theme, cache = app.frame, app.theme, app.text_cache
    box = frame.header
    font = app.fonts.get("sans", 0.8)
    y = box.top + (box.height - font.get_linesize()) // 2
    room = box.width
    if toolbar is not None:
        room = toolbar.left - box.left - frame.gap * 2
        toolbar.draw(surface)
        hint = ""
    if left:
        text = cache.render(
            font,
            fit_text(app, font, left, room),
            left_colour or theme.muted,
            theme.background,
        )
        blit_text(surface, text, (box.left, y), box, app.text_log, "header")
        room = box.width - text.get_width() - app.frame.gap * 3
    if hint:
        hint_surface = cache.render(font, hint, theme.muted, theme.background)
        if hint_surface.get_width() <= room:
            blit_text(
                surface,
                hint_surface,
                (box.right - hint_surface.get_width(), y),
                box,
                app.text_log,
                "header hint",
            )
    pygame.draw.line(surface, theme.panel_edge, (box.left, box.bottom), (box.right, box.bottom))


def fit_text(app: App, font: pygame.font.Font, text: str, width: int) -> str:
    """The text, cut with an ellipsis if it is wider than `width`."""
    if app.text_cache.width(font, text) <= width:
        return text
    while text and app.text_cache.width(font, text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


class MenuScreen(Screen):
    """A title, some text, and buttons under it, in a centred column (or a card, as an overlay)."""

    centre = False  # place the content a third of the way down when it is short
    share = 1.0  # how much of the window's width the column may take
    button_share = 0.62  # the most of the column's height the buttons take when there is text
    buttons_in_row = False  # side by side when each label fits on one line
    buttons_in_grid = False  # in two columns when there are many
    grid_from = 6  # how many are many

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.document = Document(app, [], what=f"{self.name} text")
        self.button_list = ButtonList(
            app,
            [],
            what=f"{self.name} button",
            horizontal=self.buttons_in_row,
            grid=self.buttons_in_grid,
            grid_from=self.grid_from,
        )
        self.card = pygame.Rect(0, 0, 0, 0)

    # What to show (subclasses) -----------------------------------------------------------------

    def blocks(self) -> list[Block]:
        return []

    def buttons(self) -> list[Button]:
        return []

    def header_text(self) -> str:
        return self.app.game.story.title if self.app.game else "Balance of Power"

    def hint(self) -> str:
        return "Up/Down move · Enter choose · Esc back"

    def back(self) -> None:
        self.app.pop()

    # Layout ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild text and buttons on the next frame (the state they show changed)."""
        self.laid_out_for = None
        self.app.dirty = True

    def content_area(self) -> pygame.Rect:
        frame = self.app.frame
        area = frame.centred_column(self.share)
        if self.overlay:
            pad = round(frame.gap * 1.5)
            width = min(
                area.width, max(420, min(frame.column.width, round(frame.window.width * 0.45)))
            )
            area = pygame.Rect(0, 0, width - 2 * pad, area.height - 2 * pad)
            area.centerx = frame.window.centerx
            area.top = frame.header.bottom + pad
        return area

    def button_columns(self, area: pygame.Rect) -> tuple[int, int]:
        """The left and the width of the buttons (under the text, as wide as it by default)."""
        return area.left, area.width

    def layout(self) -> None:
        scroll = self.document.scroll
        self.document = Document(self.app, self.blocks(), what=f"{self.name} text")
        self.button_list.set_buttons(self.buttons())
        area = self.content_area()
        buttons_left, buttons_width = self.button_columns(area)
        gap = self.app.frame.gap * 2
        self.document.layout(pygame.Rect(area.left, area.top, area.width, area.height))
        has_text = self.document.height > 0
        wanted = self.button_list.measure(buttons_width)
        if has_text:
            placed = self.button_list.placed
            first = min(wanted, placed[0].height) if placed else 0  # at least one button shows
            text_height = min(
                self.document.height,
                max(area.height - wanted - gap, round(area.height * (1 - self.button_share))),
                area.height - gap - first,
            )
            buttons_height = min(wanted, area.height - text_height - gap)
        else:
            text_height, gap = 0, 0
            buttons_height = min(wanted, area.height)
        total = text_height + gap + buttons_height
        top = area.top
        if self.centre and total < area.height:
            top += (area.height - total) // 3
        self.document.layout(pygame.Rect(area.left, top, area.width, text_height))
        self.document.scroll = scroll
        self.document.clamp()
        self.button_list.layout(
            pygame.Rect(buttons_left, top + text_height + gap, buttons_width, buttons_height)
        )
        pad = round(self.app.frame.gap * 1.5)
        self.card = pygame.Rect(area.left - pad, top - pad, area.width + 2 * pad, total + 2 * pad)

    # Input -------------------------------------------------------------------------------------

    def apply(self, action: Action) -> None:
        verb = action.verb
        if verb in (Verb.UP, Verb.DOWN):
            self.button_list.move_in_grid(rows=-1 if verb is Verb.UP else 1)
        elif verb in (Verb.LEFT, Verb.RIGHT):
            step = -1 if verb is Verb.LEFT else 1
            if self.button_list.adjust(step):
                self.refresh()
            elif self.button_list.in_grid:
                self.button_list.move_in_grid(columns=step)
            elif self.button_list.in_row:
                self.button_list.move(step)
        elif verb is Verb.ACTIVATE:
            self.button_list.activate()
        elif verb is Verb.NUMBER:
            self.button_list.pick_number(action.number)
        elif verb is Verb.BACK:
            self.back()
        elif verb in (Verb.PAGE_UP, Verb.PAGE_DOWN):
            self.document.page(-1 if verb is Verb.PAGE_UP else 1)
        elif verb is Verb.HOME:
            self.document.scroll = 0
        elif verb is Verb.END:
            self.document.to_end()

    def handle_mouse(self, event: pygame.event.Event) -> None:
        if not self.button_list.handle_mouse(event):
            self.document.handle_wheel(event)

    # Drawing -----------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        theme = self.app.theme
        if self.overlay:
            draw_box(
                surface,
                self.card,
                theme.background,
                theme.panel_edge,
                1,
                max(6, self.app.frame.gap),
            )
        else:
            draw_header(self.app, surface, self.header_text(), self.hint())
        self.document.draw(surface)
        self.button_list.draw(surface)


class TwoColumnScreen(MenuScreen):
    """A menu screen whose text has two parts: `main_blocks`, and `side_blocks` (the meters'
    meanings), which in a wide window stand in a column of their own beside the first, so
    both show at once, and in a narrow one follow it (`one_column_blocks`). Page Up and Down
    scroll both columns, the wheel the one under the pointer."""

    buttons_in_row = True
    wide_from = 1100  # the narrowest window that has the two columns
    shares = (0.5, 0.55, 0.6)  # the first column's share of the width, to choose from

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.side_document = Document(app, [], what=f"{self.name} side text")
        self.two_columns = False

    def main_blocks(self) -> list[Block]:
        return []

    def side_blocks(self, space_before: float = 1.2) -> list[Block]:
        return []

    def one_column_blocks(self) -> list[Block]:
        return self.main_blocks() + self.side_blocks()

    def blocks(self) -> list[Block]:
        return self.main_blocks() if self.two_columns else self.one_column_blocks()

    def layout(self) -> None:
        frame = self.app.frame
        side = self.side_blocks(space_before=0.0)
        self.two_columns = bool(side) and frame.window.width >= self.wide_from
        if not self.two_columns:
            super().layout()
            return
        width = min(frame.window.width - 2 * frame.margin, round(frame.column.width * 1.9))
        top = frame.header.bottom + frame.gap
        bottom = frame.window.height - max(frame.gap, frame.margin // 2)
        area = pygame.Rect((frame.window.width - width) // 2, top, width, bottom - top)
        gap, space = frame.gap * 3, frame.gap * 2
        self.button_list.set_buttons(self.buttons())
        scroll, side_scroll = self.document.scroll, self.side_document.scroll
        best = None
        main = self.main_blocks()
        for share in self.shares:  # the split that needs the least height
            left_width = round((area.width - gap) * share)
            left = pygame.Rect(area.left, area.top, left_width, area.height)
            right = pygame.Rect(
                area.left + left_width + gap, area.top, area.width - left_width - gap, area.height
            )
            first = Document(self.app, main, what=f"{self.name} text")
            second = Document(self.app, side, what=f"{self.name} side text")
            first.layout(left)
            second.layout(right)
            needed = max(first.height, second.height)
            if best is None or needed < best[0]:
                best = (needed, first, second, left, right)
        _, self.document, self.side_document, left, right = best
        # In a row across both columns; a single button as wide as the first column.
        buttons_width = area.width if len(self.button_list.buttons) > 1 else left.width
        buttons_height = min(self.button_list.measure(buttons_width), area.height // 3)
        text_height = min(
            max(self.document.height, self.side_document.height),
            area.height - buttons_height - space,
        )
        for document, rect, kept in (
            (self.document, left, scroll),
            (self.side_document, right, side_scroll),
        ):
            document.layout(pygame.Rect(rect.left, rect.top, rect.width, text_height))
            document.scroll = kept
            document.clamp()
        self.button_list.layout(
            pygame.Rect(area.left, area.top + text_height + space, buttons_width, buttons_height)
        )

    def apply(self, action: Action) -> None:
        super().apply(action)
        if self.two_columns and action.verb in (Verb.PAGE_UP, Verb.PAGE_DOWN, Verb.HOME, Verb.END):
            side = self.side_document
            if action.verb in (Verb.PAGE_UP, Verb.PAGE_DOWN):
                side.page(-1 if action.verb is Verb.PAGE_UP else 1)
            else:
                side.scroll = 0 if action.verb is Verb.HOME else side.max_scroll

    def handle_mouse(self, event: pygame.event.Event) -> None:
        super().handle_mouse(event)
        if self.two_columns:
            self.side_document.handle_wheel(event)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        if self.two_columns:
            self.side_document.draw(surface)
