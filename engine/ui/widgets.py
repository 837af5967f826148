"""Widgets: a scrolling document of wrapped text, a list of buttons, and the meter panel.

Each widget lays itself out once for a rect (on a resize, a new text size or new content) and
keeps the rendered text surfaces, so drawing a steady frame only blits them. Text is drawn only
where it fits whole inside the widget's box, and every piece drawn is noted in the frame's
`TextLog`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame

from engine.ui.fonts import wrap
from engine.ui.layout import blit_text

if TYPE_CHECKING:
    from engine.ui.app import App

# style: (font role, size relative to the body text, theme colour role)
STYLES = {
    "body": ("serif", 1.0, "text"),
    "body_small": ("serif", 0.88, "text"),  # choices, when that is what lets them all show
    "title": ("serif_bold", 1.55, "text"),
    "heading": ("serif_bold", 1.2, "text"),
    "subheading": ("sans_bold", 0.85, "accent"),
    "speaker": ("sans_bold", 0.8, "accent"),
    "speech": ("serif", 1.0, "text"),
    "feedback": ("serif_italic", 1.0, "text"),
    "chosen": ("serif_italic", 0.95, "muted"),
    "note": ("sans", 0.85, "muted"),
    "ui": ("sans", 0.95, "text"),
    "error": ("sans", 0.9, "text"),
}


@dataclass(frozen=True)
class Block:
    """A paragraph (or a drawn thing, `draw`) in a Document."""

    text: str = ""
    style: str = "body"
    indent: float = 0.0  # in body-text sizes
    space_before: float = 0.6  # in body line heights
    bar: bool = False  # a rule down the left (dialogue)
    draw: Callable[[pygame.Surface, pygame.Rect], None] | None = None
    height: int = 0  # for a drawn block
    centred: bool = False
    speaker: str | None = None  # dialogue: the speaker's name, in a column left of the line
    # (or a term before its meaning: the blocks of one style share one column of names)


@dataclass
class _Line:
    surface: pygame.Surface
    text: str
    font: pygame.font.Font
    colour: tuple[int, int, int]
    x: int
    y: int
    start: int  # characters before this line, for the typewriter
    bar_x: int | None = None
    label: pygame.Surface | None = None  # a speaker's name, beside the first line
    label_dy: int = 0
    height: int = 0


class Document:
    """Wrapped paragraphs in a scrolling viewport, with an optional typewriter reveal."""

    def __init__(self, ui: App, blocks: list[Block], what: str = "text"):
        self.ui = ui
        self.blocks = blocks
        self.what = what
        self.lines: list[_Line] = []
        self.drawn: list[tuple[Block, int, int]] = []  # (block, y, start char)
        self.height = 0
        self.total_chars = 0
        self.scroll = 0
        self.reveal: float | None = None  # None: all shown
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._width = -1

    def layout(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        if rect.width == self._width and self.lines:
            self.clamp()
            return
        self._width = rect.width
        ui, theme = self.ui, self.ui.theme
        self.lines, self.drawn = [], []
        y, chars = 0, 0
        body_line = ui.fonts.get("serif").get_linesize()
        speaker_font = ui.fonts.get(*STYLES["speaker"][:2])
        bg = theme.background
        # The names' column: one for each style, so that a list of terms (the meters, in
        # "ui" style) does not widen the dialogue's column of speakers in the same document.
        widest: dict[str, int] = {}
        for block in self.blocks:
            if block.speaker:
                width = ui.text_cache.width(speaker_font, block.speaker)
                widest[block.style] = max(widest.get(block.style, 0), width)
        columns = {style: min(width, rect.width // 4) + ui.fonts.body
                   for style, width in widest.items()}
        for index, block in enumerate(self.blocks):
            if index:
                y += round(block.space_before * body_line)
            if block.draw is not None:
                self.drawn.append((block, y, chars))
                y += block.height
                continue
            role, scale, colour_role = STYLES[block.style]
            font = ui.fonts.get(role, scale)
            colour = getattr(theme, colour_role)
            indent = round(block.indent * ui.fonts.body)
            label = None
            if block.speaker:
                speaker_column = columns[block.style]
                label_width = ui.text_cache.width(speaker_font, block.speaker)
                if label_width + ui.fonts.body <= speaker_column:
                    indent = speaker_column
                    label = ui.text_cache.render(speaker_font, block.speaker, theme.accent, bg)
                else:  # a name too long for the column: on its own line above
                    for text in wrap(block.speaker, speaker_font, rect.width, ui.text_cache):
                        self.lines.append(_Line(
                            ui.text_cache.render(speaker_font, text, theme.accent, bg), text,
                            speaker_font, theme.accent, 0, y, chars,
                            height=speaker_font.get_linesize()))
                        chars += len(text) + 1
                        y += speaker_font.get_linesize()
            width = max(20, rect.width - indent)
            line_height = font.get_linesize()
            label_dy = font.get_ascent() - speaker_font.get_ascent()
            for text in wrap(block.text, font, width, ui.text_cache):
                surface = ui.text_cache.render(font, text, colour, bg)
                x = indent + ((width - surface.get_width()) // 2 if block.centred else 0)
                bar_x = indent // 3 if block.bar else None
                self.lines.append(_Line(surface, text, font, colour, x, y, chars, bar_x, label,
                                        label_dy, line_height))
                label = None
                chars += len(text) + 1
                y += line_height
        self.height = y
        self.total_chars = chars
        self.clamp()

    # Scrolling --------------------------------------------------------------------------------

    @property
    def max_scroll(self) -> int:
        return max(0, self.height - self.rect.height)

    def clamp(self) -> None:
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    def scroll_by(self, pixels: int) -> None:
        self.scroll += pixels
        self.clamp()

    def page(self, direction: int) -> None:
        self.scroll_by(direction * max(1, self.rect.height - self.ui.fonts.get("serif")
                                       .get_linesize() * 2))

    def to_end(self) -> None:
        self.scroll = self.max_scroll

    # Typewriter -------------------------------------------------------------------------------

    @property
    def revealing(self) -> bool:
        return self.reveal is not None and self.reveal < self.total_chars

    def finish_reveal(self) -> None:
        self.reveal = None

    def revealed_bottom(self) -> int:
        """How far down (from the document's top) the typewriter has written so far."""
        if self.reveal is None:
            return self.height
        bottom = 0
        for line in self.lines:
            if line.start > self.reveal:
                break
            bottom = line.y + line.height
        for block, y, start in self.drawn:
            if start <= self.reveal:
                bottom = max(bottom, y + block.height)
        return bottom

    def update(self, dt: float, chars_per_second: float = 90.0) -> bool:
        if self.reveal is None:
            return False
        self.reveal += dt * chars_per_second
        if self.reveal >= self.total_chars:
            self.reveal = None
            return False
        return True

    # Drawing ----------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        rect, log, theme = self.rect, self.ui.text_log, self.ui.theme
        top, bottom = rect.top - self.scroll, rect.bottom
        view = surface.get_clip()  # lines outside it would be clipped anyway: skip them
        view_top, view_bottom = view.top, view.bottom
        reveal = self.reveal
        for line in self.lines:
            y = top + line.y
            if y < rect.top:
                continue
            height = line.height
            if y + height > bottom or y >= view_bottom:
                break
            if y + height <= view_top:
                continue
            if reveal is not None and line.start >= reveal:
                break
            text_surface = line.surface
            if reveal is not None and line.start + len(line.text) > reveal:
                shown = line.text[: max(0, int(reveal - line.start))]
                text_surface = line.font.render(shown, True, line.colour)
            if line.bar_x is not None:
                pygame.draw.rect(surface, theme.accent, (rect.left + line.bar_x, y + 2,
                                                         max(2, self.ui.fonts.body // 7),
                                                         height - 2))
            if line.label is not None:
                blit_text(surface, line.label, (rect.left, y + line.label_dy), rect, log,
                          f"{self.what} speaker")
            blit_text(surface, text_surface, (rect.left + line.x, y), rect, log, self.what)
        for block, y, start in self.drawn:
            if reveal is not None and start >= reveal:
                continue
            area = pygame.Rect(rect.left, top + y, rect.width, block.height)
            if area.top >= rect.top and area.bottom <= rect.bottom:
                block.draw(surface, area)
            elif area.colliderect(rect):  # partly scrolled into view: drawn cut by the viewport
                previous = surface.get_clip()
                surface.set_clip(rect.clip(previous))
                log.clip = rect
                try:
                    block.draw(surface, area)
                finally:
                    log.clip = None
                    surface.set_clip(previous)
        self._draw_more_marks(surface)

    def _draw_more_marks(self, surface: pygame.Surface) -> None:
        size = max(6, self.ui.fonts.body // 3)
        x = self.rect.right + max(4, size)
        if x + size > self.ui.window.right:
            x = self.rect.right - size
        colour = self.ui.theme.accent
        if self.scroll > 0:
            y = self.rect.top + size
            pygame.draw.polygon(surface, colour, [(x, y - size), (x - size, y + size // 2),
                                                  (x + size, y + size // 2)])
        if self.scroll < self.max_scroll:
            y = self.rect.bottom - size
            pygame.draw.polygon(surface, colour, [(x, y + size), (x - size, y - size // 2),
                                                  (x + size, y - size // 2)])

    def handle_wheel(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(pygame.mouse.get_pos()):
            self.scroll_by(-event.y * self.ui.fonts.get("serif").get_linesize() * 2)
            return True
        return False


@dataclass
class Button:
    """One item of a ButtonList: a choice, a menu entry, a setting or a text field."""

    label: str
    on_activate: Callable[[], None] | None = None
    number: int | None = None  # drawn as a badge, and picked with its number key
    detail: str | None = None  # a second, smaller line: a locked reason, a save's details
    enabled: bool = True
    value: str | None = None  # a setting's value, drawn at the right
    on_adjust: Callable[[int], None] | None = None  # left/right on a setting
    field: bool = False  # an editable text (value is the text)
    key: str = ""  # a stable name for tests
    style: str = "ui"


@dataclass
class _Placed:
    button: Button
    index: int
    height: int
    label_lines: list[tuple[pygame.Surface, int]] = field(default_factory=list)
    detail_lines: list[tuple[pygame.Surface, int]] = field(default_factory=list)
    focus_detail_lines: list[pygame.Surface] = field(default_factory=list)
    focus_label_lines: list[pygame.Surface] = field(default_factory=list)
    value_surface: pygame.Surface | None = None
    focus_value_surface: pygame.Surface | None = None
    detail_x: int | None = None  # a detail on the label's last line, at this x (compact lists)
    badge: pygame.Surface | None = None
    badge_y: int = 0  # on the first line's baseline
    value_y: int = 0
    focus_badge: pygame.Surface | None = None
    rect: pygame.Rect | None = None


class ButtonList:
    """Buttons stacked in a rect; arrows, Tab, numbers, hover and clicks move focus and choose.

    When they do not all fit, a window of them around the focused one is shown, with marks for
    the ones above and below. A `compact` list (the play screen's choices) has less padding and
    puts a short detail (the response, *Accept*) at the right of the label's last line when it
    fits there.
    """

    def __init__(self, ui: App, buttons: list[Button], what: str = "button",
                 horizontal: bool = False, grid: bool = False, grid_from: int = 6,
                 compact: bool = False):
        self.ui = ui
        self.compact = compact
        self.horizontal = horizontal  # in a row, when each fits on one line
        self.grid = grid  # in two columns when there are many and each fits on one line
        self.grid_from = grid_from  # how many are many
        self.in_row = False
        self.in_grid = False
        self.two_columns = False  # in two columns, however many lines each takes (set by hand)
        self.buttons = buttons
        self.what = what
        self.focus = self._first_enabled()
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.placed: list[_Placed] = []
        self.first = 0  # the first button shown
        self.visible: list[_Placed] = []
        self._laid_out_width = -1

    def _first_enabled(self) -> int:
        for index, button in enumerate(self.buttons):
            if button.enabled:
                return index
        return -1

    @property
    def focused(self) -> Button | None:
        return self.buttons[self.focus] if 0 <= self.focus < len(self.buttons) else None

    def set_buttons(self, buttons: list[Button], keep_focus: bool = True) -> None:
        old_key = self.focused.key if keep_focus and self.focused else None
        self.buttons = buttons
        self.focus = self._first_enabled()
        if old_key:
            for index, button in enumerate(buttons):
                if button.key == old_key and button.enabled:
                    self.focus = index
        self._laid_out_width = -1
        if self.rect.width:
            self.layout(self.rect)

    # Layout -----------------------------------------------------------------------------------

    def _row_width(self, width: int) -> int:
        count = max(1, len(self.buttons))
        return (width - self.spacing * (count - 1)) // count

    def _fits_in_row(self, width: int) -> bool:
        if not self.horizontal or len(self.buttons) < 2:
            return False
        self._place(self._row_width(width))
        return all(len(p.label_lines) == 1 and not p.detail_lines for p in self.placed)

    def _fits_in_grid(self, width: int) -> bool:
        if self.two_columns and len(self.buttons) >= 2:
            self._place((width - self.spacing) // 2)
            return True
        if not self.grid or len(self.buttons) < self.grid_from:
            return False
        self._place((width - self.spacing) // 2)
        return all(len(p.label_lines) == 1 and not p.detail_lines for p in self.placed)

    def _grid_rows(self) -> list[int]:
        return [max(p.height for p in self.placed[i:i + 2]) for i in range(0, len(self.placed), 2)]

    def measure(self, width: int) -> int:
        """The height all the buttons need at this width."""
        if self._fits_in_row(width):
            return max(p.height for p in self.placed)
        if self._fits_in_grid(width):
            rows = self._grid_rows()
            return sum(rows) + self.spacing * (len(rows) - 1)
        self._place(width)
        return sum(p.height for p in self.placed) + self.spacing * max(0, len(self.placed) - 1)

    @property
    def spacing(self) -> int:
        return max(5, round(self.ui.fonts.body * (0.3 if self.compact else 0.4)))

    @property
    def padding(self) -> int:
        return max(6, round(self.ui.fonts.body * 0.5))

    @property
    def padding_y(self) -> int:
        """The space above and below a button's text."""
        if self.compact:
            return max(4, round(self.ui.fonts.body * 0.32))
        return self.padding

    def _place(self, width: int) -> None:
        if width == self._laid_out_width:
            return
        self._laid_out_width = width
        ui, theme, cache = self.ui, self.ui.theme, self.ui.text_cache
        pad = self.padding
        self.placed = []
        badge_font = ui.fonts.get("sans_bold", 0.85)
        badge_width = badge_font.size("9")[0] + pad * 2 if any(b.number for b in self.buttons) \
            else 0
        detail_font = ui.fonts.get("sans", 0.8)
        panel, focus = theme.panel, theme.focus_fill
        for button in self.buttons:
            role, scale, _ = STYLES[button.style]
            font = ui.fonts.get(role, scale)
            placed = _Placed(button, len(self.placed), 0)
            value_width = 0
            colour = theme.text if button.enabled else theme.disabled
            if button.value is not None and not button.field:
                value_text = self._value_text(button)
                placed.value_surface = cache.render(font, value_text, colour, panel)
                placed.focus_value_surface = cache.render(font, value_text, theme.focus_text,
                                                          focus)
                value_width = min(placed.value_surface.get_width() + pad * 2, width // 2)
            if button.number is not None:
                placed.badge = cache.render(badge_font, str(button.number), theme.accent, panel)
                placed.focus_badge = cache.render(badge_font, str(button.number),
                                                  theme.focus_text, focus)
            text_left = pad + badge_width
            text_width = max(20, width - text_left - pad - value_width)
            y = self.padding_y
            placed.badge_y = y + max(0, font.get_ascent() - badge_font.get_ascent())
            last_width = 0
            for text in wrap(button.label, font, text_width, cache):
                placed.label_lines.append((cache.render(font, text, colour, panel), y))
                placed.focus_label_lines.append(cache.render(font, text, theme.focus_text,
                                                             focus))
                last_width = placed.label_lines[-1][0].get_width()
                y += font.get_linesize()
            if button.field:
                value_text = button.value or ""
                while value_text and cache.width(font, value_text) > text_width - 4:
                    value_text = "…" + value_text.lstrip("…")[1:]
                placed.value_surface = cache.render(font, value_text, colour, panel)
                placed.focus_value_surface = cache.render(font, value_text, theme.focus_text,
                                                          focus)
                placed.value_y = y
                y += font.get_linesize() + 4
            detail_width = cache.width(detail_font, button.detail) if button.detail else 0
            if (button.detail and self.compact and placed.label_lines and not button.field
                    and last_width + pad * 2 + detail_width <= text_width):
                detail_colour = theme.muted if button.enabled else theme.disabled
                line_y = placed.label_lines[-1][1] + font.get_ascent() - detail_font.get_ascent()
                placed.detail_lines.append((cache.render(detail_font, button.detail,
                                                         detail_colour, panel), line_y))
                placed.focus_detail_lines.append(cache.render(
                    detail_font, button.detail, detail_colour if not button.enabled
                    else theme.focus_text, focus))
                placed.detail_x = width - pad - detail_width
            elif button.detail:
                detail_colour = theme.muted if button.enabled else theme.disabled
                for text in wrap(button.detail, detail_font, text_width, cache):
                    placed.detail_lines.append((cache.render(detail_font, text, detail_colour,
                                                             panel), y))
                    placed.focus_detail_lines.append(cache.render(
                        detail_font, text, detail_colour if not button.enabled
                        else theme.focus_text, focus))
                    y += detail_font.get_linesize()
            placed.height = y + self.padding_y
            self.placed.append(placed)
        self._text_left = text_left if self.buttons else pad

    def _value_text(self, button: Button) -> str:
        if button.field:
            return button.value or ""
        return f"‹ {button.value} ›" if button.on_adjust else button.value

    def layout(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.in_row = self._fits_in_row(rect.width)
        if self.in_row:
            self.first = 0
            cell = self._row_width(rect.width)
            height = max(p.height for p in self.placed)
            self.visible = []
            for index, placed in enumerate(self.placed):
                placed.rect = pygame.Rect(rect.left + index * (cell + self.spacing), rect.top,
                                          cell, height)
                self.visible.append(placed)
            return
        self.in_grid = self._fits_in_grid(rect.width) and (
            self.two_columns or self.measure(rect.width) <= rect.height)
        if self.in_grid:
            self._fits_in_grid(rect.width)
            self.first, self.visible = 0, []
            cell, y = (rect.width - self.spacing) // 2, rect.top
            for row, height in enumerate(self._grid_rows()):
                for placed in self.placed[row * 2: row * 2 + 2]:
                    column = placed.index % 2
                    placed.rect = pygame.Rect(rect.left + column * (cell + self.spacing), y,
                                              cell, height)
                    self.visible.append(placed)
                y += height + self.spacing
            return
        self._place(rect.width)
        self._scroll_to_focus()

    def _scroll_to_focus(self) -> None:
        if not self.placed:
            self.visible = []
            return
        self.first = max(0, min(self.first, len(self.placed) - 1))
        if 0 <= self.focus < self.first:
            self.first = self.focus
        while True:
            self._arrange()
            if self.focus < 0 or self.focus < self.first + len(self.visible) \
                    or self.first >= self.focus:
                break
            self.first += 1

    def _arrange(self) -> None:
        self.visible = []
        y = self.rect.top
        for placed in self.placed[: self.first]:
            placed.rect = None
        for placed in self.placed[self.first:]:
            placed.rect = None
            if y + placed.height > self.rect.bottom and self.visible:
                break
            placed.rect = pygame.Rect(self.rect.left, y, self.rect.width, placed.height)
            self.visible.append(placed)
            y += placed.height + self.spacing
        # shown from the top; when everything below fits, pull the window back up
        while self.first > 0 and self.first + len(self.visible) == len(self.placed):
            before = self.placed[self.first - 1]
            used = sum(p.height + self.spacing for p in self.visible)
            if used + before.height > self.rect.height:
                break
            self.first -= 1
            self._arrange()
            return

    # Input ------------------------------------------------------------------------------------

    def move(self, step: int) -> None:
        if not any(b.enabled for b in self.buttons):
            return
        index = self.focus
        for _ in range(len(self.buttons)):
            index = (index + step) % len(self.buttons)
            if self.buttons[index].enabled:
                break
        self.focus = index
        if not self.in_row and not self.in_grid:
            self._scroll_to_focus()

    def activate(self, index: int | None = None) -> bool:
        index = self.focus if index is None else index
        if not 0 <= index < len(self.buttons):
            return False
        button = self.buttons[index]
        if not button.enabled:
            return False
        self.focus = index
        if button.on_activate:
            button.on_activate()
        elif button.on_adjust:
            button.on_adjust(1)
        return True

    def adjust(self, step: int) -> bool:
        button = self.focused
        if button and button.enabled and button.on_adjust:
            button.on_adjust(step)
            return True
        return False

    def pick_number(self, number: int) -> bool:
        for index, button in enumerate(self.buttons):
            if button.number == number and button.enabled:
                return self.activate(index)
        return False

    def hit(self, position: tuple[int, int]) -> int | None:
        for index, placed in enumerate(self.placed):
            if placed.rect is not None and placed.rect.collidepoint(position):
                return index
        return None

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        """Hover focuses, a left click chooses, the wheel moves through a long list."""
        if event.type == pygame.MOUSEMOTION:
            index = self.hit(event.pos)
            if index is not None and self.buttons[index].enabled and index != self.focus:
                self.focus = index
                return True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            index = self.hit(event.pos)
            if index is not None:
                return self.activate(index)
        elif (event.type == pygame.MOUSEWHEEL and len(self.visible) < len(self.placed)
              and self.rect.collidepoint(pygame.mouse.get_pos())):
            self.move(-1 if event.y > 0 else 1)
            return True
        return False

    # Drawing ----------------------------------------------------------------------------------

    def draw(self, surface: pygame.Surface) -> None:
        theme, log, pad = self.ui.theme, self.ui.text_log, self.padding
        radius = max(4, pad // 2)
        view = surface.get_clip()
        for placed in self.visible:
            rect, button = placed.rect, placed.button
            if not view.colliderect(rect):
                continue
            focused = placed.index == self.focus
            fill = theme.focus_fill if focused else theme.panel
            pygame.draw.rect(surface, fill, rect, border_radius=radius)
            edge = theme.accent if focused else theme.panel_edge
            pygame.draw.rect(surface, edge, rect, width=theme.focus_width if focused else 1,
                             border_radius=radius)
            if placed.badge is not None:
                badge = placed.focus_badge if focused else placed.badge
                blit_text(surface, badge, (rect.left + pad, rect.top + placed.badge_y), rect, log,
                          f"{self.what} number")
            for i, (line, y) in enumerate(placed.label_lines):
                shown = placed.focus_label_lines[i] if focused else line
                blit_text(surface, shown, (rect.left + self._text_left, rect.top + y), rect, log,
                          self.what)
            detail_left = self._text_left if placed.detail_x is None else placed.detail_x
            for i, (line, y) in enumerate(placed.detail_lines):
                shown = placed.focus_detail_lines[i] if focused else line
                blit_text(surface, shown, (rect.left + detail_left, rect.top + y), rect, log,
                          f"{self.what} detail")
            if placed.value_surface is not None:
                value = placed.focus_value_surface if focused else placed.value_surface
                if button.field:
                    position = (rect.left + self._text_left, rect.top + placed.value_y)
                else:
                    position = (max(rect.left + pad, rect.right - pad - value.get_width()),
                                rect.top + self.padding_y)
                blit_text(surface, value, position, rect, log, f"{self.what} value")
                if button.field:
                    base = position[1] + value.get_height()
                    pygame.draw.line(surface, theme.focus_text if focused else theme.muted,
                                     (position[0], base), (rect.right - pad, base), 1)
                if button.field and focused:
                    caret_x = min(position[0] + value.get_width() + 1, rect.right - pad)
                    pygame.draw.line(surface, theme.focus_text, (caret_x, position[1] + 2),
                                     (caret_x, base - 2), 2)
        self._draw_more_marks(surface)

    def _draw_more_marks(self, surface: pygame.Surface) -> None:
        if not self.visible:
            return
        size = max(6, self.ui.fonts.body // 3)
        x = min(self.rect.right + size * 2, self.ui.window.right - size - 2)
        colour = self.ui.theme.accent
        if self.first > 0:
            y = self.rect.top + size
            pygame.draw.polygon(surface, colour, [(x, y - size), (x - size, y + size // 2),
                                                  (x + size, y + size // 2)])
        if self.first + len(self.visible) < len(self.placed):
            y = self.rect.bottom - size
            pygame.draw.polygon(surface, colour, [(x, y + size), (x - size, y - size // 2),
                                                  (x + size, y - size // 2)])
