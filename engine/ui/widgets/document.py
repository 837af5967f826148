"""`Document`: paragraphs of wrapped text (`Block`s: dialogue with its speaker, drawn blocks such
as the ending's chart) in a scrolling viewport, with an optional typewriter reveal.

A document lays itself out once for a width (on a resize, a new text size or new content) and
keeps its wrapped lines; a line is rendered when it is first drawn and kept in the app's text
cache, so drawing a steady frame only blits, and a scene of any length holds no more rendered
text than the cache allows. A line is drawn only where it fits whole inside the viewport, and
every piece drawn is noted in the frame's `TextLog`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from engine.ui.fonts import TextCache, wrap
from engine.ui.layout import blit_text
from engine.ui.widgets.context import DrawingContext
from engine.ui.widgets.shapes import draw_more_marks
from engine.ui.widgets.styles import STYLES


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
    alt: str | None = None  # a drawn picture's words, read (self-voicing) instead of it


@dataclass
class _Line:
    cache: TextCache
    background: tuple[int, int, int]
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

    @property
    def surface(self) -> pygame.Surface:
        """The line rendered (from the text cache, where it stays while it is drawn)."""
        return self.cache.render(self.font, self.text, self.colour, self.background)


class Document:
    """Wrapped paragraphs in a scrolling viewport, with an optional typewriter reveal."""

    def __init__(self, ui: DrawingContext, blocks: list[Block], what: str = "text") -> None:
        self.ui = ui
        self.blocks = blocks
        self.what = what
        self.lines: list[_Line] = []
        self.drawn: list[tuple[Block, int, int]] = []  # (block, y, start char)
        self.spans: list[tuple[int, int]] = []  # each block's top and bottom (after layout)
        self.height = 0
        self.total_chars = 0
        self.scroll = 0
        self.reveal: float | None = None  # None: all shown
        self.rect = pygame.Rect(0, 0, 0, 0)
        self._width = -1
        self._starts: tuple[int, list[int]] | None = None  # see `revealed_words`

    def layout(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        if rect.width == self._width and self.lines:
            self.clamp()
            return
        self._width = rect.width
        ui, theme = self.ui, self.ui.theme
        self.lines, self.drawn, self.spans = [], [], []
        self._starts = None
        y, chars = 0, 0
        body_line = ui.fonts.line_height(ui.fonts.get("serif"))
        speaker_font = ui.fonts.get(*STYLES["speaker"][:2])
        bg = theme.background
        # The names' column: one for each style, so that a list of terms (the meters, in
        # "ui" style) does not widen the dialogue's column of speakers in the same document.
        widest: dict[str, int] = {}
        for block in self.blocks:
            if block.speaker:
                width = ui.text_cache.width(speaker_font, block.speaker)
                widest[block.style] = max(widest.get(block.style, 0), width)
        columns = {
            style: min(width, rect.width // 4) + ui.fonts.body for style, width in widest.items()
        }
        for index, block in enumerate(self.blocks):
            if index:
                y += round(block.space_before * body_line)
            block_top = y
            if block.draw is not None:
                self.drawn.append((block, y, chars))
                y += block.height
                self.spans.append((block_top, y))
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
                        self.lines.append(
                            _Line(
                                ui.text_cache,
                                bg,
                                text,
                                speaker_font,
                                theme.accent,
                                0,
                                y,
                                chars,
                                height=speaker_font.get_linesize(),
                            )
                        )
                        chars += len(text) + 1
                        y += speaker_font.get_linesize()
            width = max(20, rect.width - indent)
            line_height = ui.fonts.line_height(font)
            label_dy = font.get_ascent() - speaker_font.get_ascent()
            for text in wrap(block.text, font, width, ui.text_cache):
                shown = ui.text_cache.width(font, text) if block.centred else 0
                x = indent + ((width - shown) // 2 if block.centred else 0)
                bar_x = indent // 3 if block.bar else None
                self.lines.append(
                    _Line(
                        ui.text_cache,
                        bg,
                        text,
                        font,
                        colour,
                        x,
                        y,
                        chars,
                        bar_x,
                        label,
                        label_dy,
                        line_height,
                    )
                )
                label = None
                chars += len(text) + 1
                y += line_height
            self.spans.append((block_top, y))
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
        self.scroll_by(
            direction * max(1, self.rect.height - self.ui.fonts.get("serif").get_linesize() * 2)
        )

    def to_end(self) -> None:
        self.scroll = self.max_scroll

    # Typewriter -------------------------------------------------------------------------------

    def revealed_words(self) -> int:
        """How many words the typewriter has begun (a new one is a reason to draw again)."""
        if self.reveal is None:
            return len(self._word_starts())
        return bisect_right(self._word_starts(), int(self.reveal))

    def _word_starts(self) -> list[int]:
        if self._starts is None:
            starts = []
            for line in self.lines:
                previous = " "
                for offset, character in enumerate(line.text):
                    if previous == " " and character != " ":
                        starts.append(line.start + offset)
                    previous = character
            self._starts = (len(self.lines), starts)
        return self._starts[1]

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
                text_surface = self.ui.text_cache.draw(line.font, shown, line.colour)
            if line.bar_x is not None:
                pygame.draw.rect(
                    surface,
                    theme.accent,
                    (rect.left + line.bar_x, y + 2, max(2, self.ui.fonts.body // 7), height - 2),
                )
            if line.label is not None:
                blit_text(
                    surface,
                    line.label,
                    (rect.left, y + line.label_dy),
                    rect,
                    log,
                    f"{self.what} speaker",
                )
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
        draw_more_marks(
            surface,
            self.ui.theme.accent,
            x,
            self.rect.top,
            self.rect.bottom,
            size,
            above=self.scroll > 0,
            below=self.scroll < self.max_scroll,
        )

    def handle_wheel(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL and self.rect.collidepoint(pygame.mouse.get_pos()):
            self.scroll_by(-event.y * self.ui.fonts.get("serif").get_linesize() * 2)
            return True
        return False
