"""The meter charts on the ending screen: every meter across the playthrough, drawn with pygame.

One small chart a meter, rather than every meter's line crowded in one (they all start near
50): each titled with its label and its first and last value, so the charts read without
colour; a two-sided meter's centre (its `centre`, 50 for the balance of power) is marked
*even*. Axis numbers and titles stay inside the chart's rect; nothing is drawn outside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pygame

from engine.ui.layout import blit_text
from engine.ui.theme import MARKERS, Colour
from engine.ui.widgets.context import DrawingContext

if TYPE_CHECKING:
    from engine.play.session import Session
    from engine.story.model import Meter, Story


def meter_series(session: Session) -> list[dict[str, int]]:
    """The meters before the first choice and after each one, from the session's history."""
    history = session.history
    if not history:
        return [dict(session.meters)]
    first = dict(history[0].meters)
    for change in history[0].changes:
        first[change.meter] = change.old
    return [first, *(dict(turn.meters) for turn in history)]


class MeterChart:
    """Every meter's values across the playthrough (`series`), one small chart a meter, in a
    grid (two columns when each is wide enough): each titled with its label and its first and
    last value, its range on the left, and a two-sided meter's centre marked *even*. Drawn in
    a rect (a `Block.draw` of the ending's document)."""

    min_panel_width = 200  # a column of charts no narrower than this

    def __init__(self, ui: DrawingContext, story: Story, series: list[dict[str, int]]) -> None:
        self.ui = ui
        self.meters = list(story.meters.values())
        self.series = series

    @property
    def font(self) -> pygame.font.Font:
        return self.ui.fonts.get("sans", 0.8)

    def columns(self, width: int) -> int:
        two = (width - self._gap()) // 2 >= max(self.min_panel_width, self.ui.fonts.body * 10)
        return 2 if two and len(self.meters) > 1 else 1

    def _gap(self) -> int:
        return max(12, self.ui.fonts.body)

    def _row_gap(self) -> int:
        return max(6, self.ui.fonts.body // 2)

    def _rows(self, width: int) -> int:
        return max(1, -(-len(self.meters) // self.columns(width)))

    def _title_height(self) -> int:
        return self.font.get_linesize() + 4

    def _axis_height(self) -> int:
        return self.font.get_linesize() + 2

    def _least_plot(self) -> int:
        return self.font.get_linesize() * 2

    def _height(self, rows: int, plot: int) -> int:
        return (
            rows * (self._title_height() + plot)
            + self._axis_height()
            + (rows - 1) * (self._row_gap())
        )

    def height_for(self, width: int) -> int:
        columns = self.columns(width)
        panel_width = (width - self._gap() * (columns - 1)) // columns
        plot = max(self._least_plot(), min(140, round(panel_width * 0.3)))
        return self._height(self._rows(width), plot)

    def least_height(self, width: int) -> int:
        """The least height at which every small chart reads: its title, and a plot two
        labels high (its lowest and highest value; a centre between them), the axis under
        the last row."""
        return self._height(self._rows(width), self._least_plot())

    def _title(self, meter: Meter) -> str:
        first, last = self.series[0], self.series[-1]
        return f"{meter.label}: {first.get(meter.id, 0)} to {last.get(meter.id, 0)}"

    def draw(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        columns, gap, row_gap = self.columns(rect.width), self._gap(), self._row_gap()
        rows = self._rows(rect.width)
        panel_width = (rect.width - gap * (columns - 1)) // columns
        room = rect.height - self._axis_height() - (rows - 1) * row_gap
        panel_height = max(self._title_height() + 4, room // rows)
        for number, meter in enumerate(self.meters):
            row, column = divmod(number, columns)
            panel = pygame.Rect(
                rect.left + column * (panel_width + gap),
                rect.top + row * (panel_height + row_gap),
                panel_width,
                panel_height,
            )
            last_in_column = number + columns >= len(self.meters)
            self._draw_panel(surface, panel, number, meter, rect if last_in_column else None)

    def _draw_panel(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        number: int,
        meter: Meter,
        axis_box: pygame.Rect | None,
    ) -> None:
        """One meter's chart in `rect`; with `axis_box` (the whole chart's rect), the x axis's
        labels under it."""
        ui, theme, cache, log = self.ui, self.ui.theme, self.ui.text_cache, self.ui.text_log
        font = self.font
        colour = theme.series[number % len(theme.series)]
        title = cache.render(font, self._title(meter), theme.text)
        if title.get_width() <= rect.width:
            blit_text(surface, title, rect.topleft, rect, log, "chart legend")
        low, high = meter.minimum, meter.maximum
        ticks = [(low, str(low)), (high, str(high))]
        if meter.centre is not None and low < meter.centre < high:
            ticks.append((meter.centre, str(meter.centre)))
        label_width = max(cache.width(font, text) for _, text in ticks) + 8
        plot = pygame.Rect(
            rect.left + label_width,
            rect.top + self._title_height(),
            max(10, rect.width - label_width - 4),
            max(4, rect.height - self._title_height()),
        )
        pygame.draw.rect(surface, theme.panel, plot)

        def y_of(value: float) -> int:
            return plot.bottom - round(plot.height * (value - low) / max(1, high - low))

        for value, text in ticks:
            y = y_of(value)
            centre = value == meter.centre
            pygame.draw.line(
                surface,
                theme.muted if centre else theme.panel_edge,
                (plot.left, y),
                (plot.right, y),
            )
            label = cache.render(font, text, theme.muted)
            top = max(plot.top, min(y - label.get_height() // 2, plot.bottom - label.get_height()))
            blit_text(surface, label, (rect.left, top), rect, log, "chart axis")
            if centre:
                even = cache.render(font, "even", theme.muted, theme.panel)
                if even.get_height() < plot.height // 2 and even.get_width() < plot.width // 3:
                    position = (plot.right - even.get_width() - 4, y - even.get_height())
                    blit_text(surface, even, position, plot, log, "chart axis")
        steps = max(1, len(self.series) - 1)

        def x_of(index: int) -> int:
            if len(self.series) == 1:
                return plot.centerx
            return plot.left + round(plot.width * index / steps)

        # the x axis, under the last chart of a column: the start and the last choice
        for index in dict.fromkeys((0, len(self.series) - 1)) if axis_box else ():
            text = "start" if index == 0 else f"choice {index}"
            label = cache.render(font, text, theme.muted)
            x = max(
                rect.left, min(x_of(index) - label.get_width() // 2, rect.right - label.get_width())
            )
            if index and x < plot.left + cache.width(font, "start") + 8:
                continue
            blit_text(surface, label, (x, plot.bottom + 2), axis_box, log, "chart axis")
        points = [(x_of(i), y_of(v.get(meter.id, low))) for i, v in enumerate(self.series)]
        width = max(2, ui.fonts.body // 8)
        _polyline(surface, colour, points, width, 0)
        size = max(3, ui.fonts.body // 5)
        marks = points if plot.width >= len(points) * size * 3 else points[-1:]
        for x, y in marks:
            _marker(surface, colour, MARKERS[number % len(MARKERS)], (x, y), size)


def _polyline(
    surface: pygame.Surface,
    colour: Colour,
    points: Sequence[tuple[float, float]],
    width: int,
    dash: int,
) -> None:
    """A line through the points: solid, or dashed every `dash` pixels."""
    if len(points) < 2:
        return
    if not dash:
        pygame.draw.lines(surface, colour, False, points, width)
        return
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        length = math.hypot(x2 - x1, y2 - y1)
        if length == 0:
            continue
        steps = max(1, int(length // dash))
        for step in range(0, steps, 2):
            a, b = step / steps, min(1.0, (step + 1) / steps)
            pygame.draw.line(
                surface,
                colour,
                (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a),
                (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b),
                width,
            )


def _marker(
    surface: pygame.Surface, colour: Colour, shape: str, centre: tuple[int, int], size: int
) -> None:
    """A meter's marker (circle, square, triangle, diamond or cross) at a point."""
    x, y = centre
    if shape == "circle":
        pygame.draw.circle(surface, colour, centre, size)
    elif shape == "square":
        pygame.draw.rect(surface, colour, (x - size, y - size, size * 2, size * 2))
    elif shape == "triangle":
        pygame.draw.polygon(
            surface, colour, [(x, y - size - 1), (x - size - 1, y + size), (x + size + 1, y + size)]
        )
    elif shape == "diamond":
        pygame.draw.polygon(
            surface,
            colour,
            [(x, y - size - 2), (x + size + 2, y), (x, y + size + 2), (x - size - 2, y)],
        )
    else:
        pygame.draw.line(surface, colour, (x - size, y - size), (x + size, y + size), 3)
        pygame.draw.line(surface, colour, (x - size, y + size), (x + size, y - size), 3)
