"""The meter chart on the ending screen: every meter across the playthrough, drawn with pygame.

Each meter has its own colour, marker and dash pattern and is named in the legend with its first
and last value, so the chart reads without colour. Axis numbers and the legend stay inside the
chart's rect; nothing is drawn outside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pygame

from engine.ui.layout import blit_text
from engine.ui.theme import DASHES, MARKERS, Colour
from engine.ui.widgets.context import DrawingContext

if TYPE_CHECKING:
    from engine.play.session import Session
    from engine.story.model import Story


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
    """Every meter's values across the playthrough (`series`), with a legend; drawn in a rect
    (a `Block.draw` of the ending's document)."""

    def __init__(self, ui: DrawingContext, story: Story, series: list[dict[str, int]]) -> None:
        self.ui = ui
        self.meters = list(story.meters.values())
        self.series = series

    def height_for(self, width: int) -> int:
        legend = self._legend_rows(width) * self._legend_line()
        return max(self.least_height(width), max(180, min(420, round(width * 0.42))) + legend)

    def least_height(self, width: int) -> int:
        """The least height at which the chart reads: its legend and the axis labels under the
        plot, and a plot four axis labels high (its three labels, 0, 50 and 100, apart)."""
        line = self.ui.fonts.get("sans", 0.8).get_linesize()
        return self._legend_rows(width) * self._legend_line() + line * 2 + line * 4

    def _legend_line(self) -> int:
        return self.ui.fonts.get("sans", 0.8).get_linesize() + 4

    def _legend_entries(self) -> list[str]:
        first, last = self.series[0], self.series[-1]
        return [f"{m.label} {first.get(m.id, 0)} to {last.get(m.id, 0)}" for m in self.meters]

    def _legend_rows(self, width: int) -> int:
        font = self.ui.fonts.get("sans", 0.8)
        sample = self._sample_width()
        rows, x = 1, 0
        for text in self._legend_entries():
            item = sample + self.ui.text_cache.width(font, text) + sample
            if x and x + item > width:
                rows, x = rows + 1, 0
            x += item
        return rows

    def _sample_width(self) -> int:
        return max(28, self.ui.fonts.body * 2)

    def draw(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        ui, theme, cache, log = self.ui, self.ui.theme, self.ui.text_cache, self.ui.text_log
        font = ui.fonts.get("sans", 0.8)
        legend_height = self._legend_rows(rect.width) * self._legend_line()
        low = min((m.minimum for m in self.meters), default=0)
        high = max((m.maximum for m in self.meters), default=100)
        if high <= low:
            high = low + 1
        labels = [str(low), str((low + high) // 2), str(high)]
        label_width = max(font.size(text)[0] for text in labels) + 8
        line = font.get_linesize()
        plot = pygame.Rect(
            rect.left + label_width,
            rect.top + line // 2,
            rect.width - label_width - 8,
            rect.height - legend_height - line * 2,
        )
        pygame.draw.rect(surface, theme.panel, plot)
        for fraction, text in zip((0.0, 0.5, 1.0), labels, strict=False):
            y = plot.bottom - round(plot.height * fraction)
            pygame.draw.line(surface, theme.panel_edge, (plot.left, y), (plot.right, y))
            label = cache.render(font, text, theme.muted)
            blit_text(
                surface, label, (rect.left, y - label.get_height() // 2), rect, log, "chart axis"
            )
        steps = max(1, len(self.series) - 1)

        def point(index: int, value: int) -> tuple[int, int]:
            x = (
                plot.left + round(plot.width * index / steps)
                if len(self.series) > 1
                else plot.centerx
            )
            y = plot.bottom - round(plot.height * (value - low) / (high - low))
            return x, y

        # the x axis: the start and choices, labelled sparsely enough to stay readable
        every = max(1, math.ceil(len(self.series) * font.size("88")[0] * 2.2 / plot.width))
        for index in range(len(self.series)):
            if index % every and index != len(self.series) - 1:
                continue
            text = "start" if index == 0 else str(index)
            label = cache.render(font, text, theme.muted)
            x = point(index, low)[0] - label.get_width() // 2
            x = max(rect.left, min(x, rect.right - label.get_width()))
            blit_text(surface, label, (x, plot.bottom + 2), rect, log, "chart axis")
        caption = cache.render(font, "choices", theme.muted)
        if caption.get_width() < plot.width // 3:
            blit_text(
                surface,
                caption,
                (plot.right - caption.get_width(), plot.bottom + 2 + line),
                rect,
                log,
                "chart axis",
            )
        for number, meter in enumerate(self.meters):
            colour = theme.series[number % len(theme.series)]
            points = [point(i, values.get(meter.id, low)) for i, values in enumerate(self.series)]
            width = max(2, ui.fonts.body // 8)
            _polyline(surface, colour, points, width, DASHES[number % len(DASHES)])
            size = max(4, ui.fonts.body // 4)
            for x, y in points:
                _marker(surface, colour, MARKERS[number % len(MARKERS)], (x, y), size)
        self._draw_legend(surface, rect, rect.bottom - legend_height)

    def _draw_legend(self, surface: pygame.Surface, rect: pygame.Rect, top: int) -> None:
        ui, theme = self.ui, self.ui.theme
        font = ui.fonts.get("sans", 0.8)
        sample = self._sample_width()
        x, y = rect.left, top
        size = max(4, ui.fonts.body // 4)
        for number, text in enumerate(self._legend_entries()):
            label = ui.text_cache.render(font, text, theme.text)
            item = sample + label.get_width() + sample
            if x > rect.left and x + item > rect.right:
                x, y = rect.left, y + self._legend_line()
            colour = theme.series[number % len(theme.series)]
            middle = y + label.get_height() // 2
            _polyline(
                surface,
                colour,
                [(x, middle), (x + sample - 6, middle)],
                3,
                DASHES[number % len(DASHES)],
            )
            _marker(
                surface,
                colour,
                MARKERS[number % len(MARKERS)],
                (x + (sample - 6) // 2, middle),
                size,
            )
            blit_text(surface, label, (x + sample, y), rect, ui.text_log, "chart legend")
            x += item


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
