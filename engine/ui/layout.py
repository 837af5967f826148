"""Layout from the window size: margins, the reading column, the meter panel, the button area.

Nothing on screen has a hard-coded position: every rect comes from `Frame.compute(window, fonts)`,
and a resize or a new text size computes a new frame. `TextLog` is the record of every piece of
text drawn in a frame with the box it belongs in, which tests use to check that no text spills out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from engine.ui.fonts import Fonts, drawable

COLUMN_CHARACTERS = 68  # a comfortable line of story text
METER_SCALE = 0.85  # the meters' text, relative to the body text
SMALL_METER_SCALE = 0.75  # in a narrow window, when that puts the meters in one row


@dataclass(frozen=True)
class Frame:
    """The regions every screen is built from."""

    window: pygame.Rect
    margin: int
    gap: int  # the space between items
    header: pygame.Rect  # the story's title and the scene's title
    column: pygame.Rect  # the reading column (text, then buttons)
    meters: pygame.Rect  # the meter panel: at the side when there is room, else a strip on top
    meters_at_side: bool
    line_height: int
    meter_scale: float = METER_SCALE  # the meters' text size, relative to the body text

    @classmethod
    def compute(
        cls,
        window: tuple[int, int],
        fonts: Fonts,
        meter_count: int = 0,
        meter_labels: tuple[str, ...] = (),
    ) -> Frame:
        width, height = window
        body = fonts.get("serif")
        line_height = fonts.line_height(body)
        average = body.size("the quick brown fox jumps over a lazy dog, then rests.")[0] / 54
        margin = max(16, min(72, round(width * 0.04)))
        gap = max(8, round(line_height * 0.5))
        header_height = fonts.get("sans", 0.9).get_linesize() + gap
        header = pygame.Rect(margin, gap, width - 2 * margin, header_height)
        top = header.bottom + gap
        ideal_column = round(average * COLUMN_CHARACTERS)
        panel_width = max(220, round(fonts.get("sans", 0.85).size("Self-esteem 100 +10")[0] * 1.5))
        side_needed = ideal_column + panel_width + 3 * margin
        if meter_count and width >= side_needed:
            room = width - 3 * margin - panel_width
            column_width = min(ideal_column, room)
            left = margin + max(0, (room - column_width) // 2)
            column = pygame.Rect(left, top, column_width, height - top - margin)
            meters = pygame.Rect(
                width - margin - panel_width, top, panel_width, height - top - margin
            )
            return cls(
                pygame.Rect(0, 0, width, height),
                margin,
                gap,
                header,
                column,
                meters,
                True,
                line_height,
            )
        strip_height, scale = 0, METER_SCALE
        if meter_count:
            per_row = meter_columns(width - 2 * margin, meter_count, fonts, meter_labels)
            if (
                per_row < meter_count
                and meter_columns(
                    width - 2 * margin, meter_count, fonts, meter_labels, SMALL_METER_SCALE
                )
                == meter_count
            ):
                per_row, scale = meter_count, SMALL_METER_SCALE  # one row of smaller meters
            rows = -(-meter_count // per_row)
            strip_height = rows * meter_row_height(fonts, scale)
        meters = pygame.Rect(margin, top, width - 2 * margin, strip_height)
        column_top = meters.bottom + (gap if meter_count else 0)
        column_width = min(ideal_column, width - 2 * margin)
        column = pygame.Rect(
            (width - column_width) // 2, column_top, column_width, height - column_top - margin
        )
        return cls(
            pygame.Rect(0, 0, width, height),
            margin,
            gap,
            header,
            column,
            meters,
            False,
            line_height,
            scale,
        )

    def centred_column(self, share: float = 1.0) -> pygame.Rect:
        """A column under the header, ignoring the meter panel (menus, the title)."""
        width = min(
            self.window.width - 2 * self.margin,
            max(self.column.width, round(self.window.width * 0.5 * share)),
        )
        top = self.header.bottom + self.gap
        return pygame.Rect(
            (self.window.width - width) // 2, top, width, self.window.height - top - self.margin
        )


def meter_cell_width(fonts: Fonts, labels: tuple[str, ...] = (), scale: float = METER_SCALE) -> int:
    """The width a meter needs in a strip: its label, a change (+10) and its number."""
    font, bold = fonts.get("sans", scale), fonts.get("sans_bold", scale)
    label = max(
        (font.size(drawable(text))[0] for text in labels), default=font.size("Self-esteem")[0]
    )
    space = meter_spacing(fonts)
    return label + 5 + bold.size("+10")[0] + space + bold.size("100")[0]  # see MeterPanel.draw


def meter_spacing(fonts: Fonts) -> int:
    """The space between a meter's label, its change and its number."""
    return max(6, fonts.body // 3)


def meter_gap(fonts: Fonts) -> int:
    """The space between two meters."""
    return max(8, fonts.body // 2)


def meter_columns(
    width: int, count: int, fonts: Fonts, labels: tuple[str, ...] = (), scale: float = METER_SCALE
) -> int:
    """How many meters fit side by side in a strip `width` wide."""
    cell, gap = meter_cell_width(fonts, labels, scale), meter_gap(fonts)
    return max(1, min(count, (width + gap) // max(cell + gap, 1)))


def meter_row_height(fonts: Fonts, scale: float = METER_SCALE) -> int:
    """The height of a meter: its label line and its bar."""
    return fonts.get("sans", scale).get_linesize() + max(8, fonts.get("sans").get_linesize() // 2)


class TextLog:
    """Each text drawn in the current frame: (what, text rect, the box it must stay inside)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, pygame.Rect, pygame.Rect]] = []
        self.clip: pygame.Rect | None = None  # set while a drawing is shown cut by a viewport

    def clear(self) -> None:
        self.entries.clear()

    def add(self, what: str, rect: pygame.Rect, box: pygame.Rect) -> None:
        if self.clip is not None:
            if not self.clip.contains(rect):
                return  # a drawing partly scrolled out of sight: its cut labels are not text
            box = self.clip
        self.entries.append((what, rect, box))

    def spills(self, window: pygame.Rect) -> list[str]:
        """Descriptions of every text outside its box, or of a box outside the window."""
        problems = []
        for what, rect, box in self.entries:
            if not box.contains(rect):
                problems.append(f"{what!r} at {tuple(rect)} is outside its box {tuple(box)}")
            elif not window.contains(box):
                problems.append(f"the box {tuple(box)} of {what!r} is outside the window")
        return problems


def blit_text(
    surface: pygame.Surface,
    text_surface: pygame.Surface,
    position: tuple[int, int],
    box: pygame.Rect,
    log: TextLog | None,
    what: str,
) -> pygame.Rect:
    """Draw a rendered text and note it, with its box, in the frame's text log."""
    rect = surface.blit(text_surface, position)
    if log is not None:
        log.add(what, pygame.Rect(position, text_surface.get_size()), box)
    return rect
