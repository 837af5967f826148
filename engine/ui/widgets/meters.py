"""The meter panel: each meter as a labelled bar with its number, animating to a new value with
the change (+5, -10) written beside it, so it reads without colour; and `meter_guide`, the
meters' labels with what each means (their `description`), for the screens that explain them."""

from __future__ import annotations

import pygame

from engine.story.model import Meter, Story
from engine.story.text import Partner, render
from engine.ui.layout import blit_text, meter_columns, meter_gap, meter_row_height, meter_spacing
from engine.ui.widgets.context import DrawingContext
from engine.ui.widgets.document import Block
from engine.ui.widgets.shapes import redraw_within

ANIMATION_SECONDS = 0.7


def meter_guide(
    story: Story,
    partner: Partner | None = None,
    heading: str = "How to read the meters",
    space_before: float = 1.2,
) -> list[Block]:
    """The meters' labels, each with its description, under a heading; nothing when no meter
    has a description. Placeholders in the descriptions are filled in for `partner`."""
    meters = list(story.meters.values())
    if not any(meter.description for meter in meters):
        return []
    ranges = {(meter.minimum, meter.maximum) for meter in meters}
    intro = "The meters follow what your choices do"
    if len(ranges) == 1:
        low, high = next(iter(ranges))
        intro += f"; each runs from {low} to {high}"
    blocks = [
        Block(heading, "heading", space_before=space_before),
        Block(intro + ".", "ui", space_before=0.3),
    ]
    for meter in meters:
        text = " ".join(render(meter.description or "", partner).split())
        if len(ranges) > 1:
            text = (text + " " if text else "") + f"(From {meter.minimum} to {meter.maximum}.)"
        blocks.append(Block(text or "—", "ui", speaker=meter.label, space_before=0.45))
    return blocks


def two_sided(meter: Meter) -> bool:
    """Whether a meter is a scale with two sides (who holds the power), drawn from its centre,
    its changes neither good nor bad."""
    return meter.centre is not None and meter.minimum < meter.centre < meter.maximum


def arrow(delta: int) -> str:
    """A two-sided meter's change: which way it moved along its bar (→3, ←5)."""
    return f"→{delta}" if delta > 0 else f"←{-delta}"


def signed(delta: int) -> str:
    """+5, –10 (an en dash: the fonts have no minus sign), ±0."""
    if delta > 0:
        return f"+{delta}"
    if delta < 0:
        return f"–{-delta}"
    return "±0"


class MeterPanel:
    """The story's meters, drawn in a rect: a column at the side, or a grid strip on top."""

    def __init__(self, ui: DrawingContext, story: Story, values: dict[str, int]) -> None:
        self.ui = ui
        self.meters = list(story.meters.values())
        self.target = dict(values)
        self.shown = {key: float(value) for key, value in values.items()}
        self.start = dict(self.shown)
        self.deltas: dict[str, int] = {}
        self.elapsed = ANIMATION_SECONDS
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.cells: list[pygame.Rect] = []
        self.drawn: tuple[tuple[int, int], ...] | None = None  # see `draw_alone`

    def set_values(
        self, values: dict[str, int], deltas: dict[str, int] | None = None, animate: bool = True
    ) -> None:
        """Move to new values; `deltas` are the changes to write beside the bars."""
        self.start = dict(self.shown)
        self.target = dict(values)
        self.deltas = {k: v for k, v in (deltas or {}).items()}
        self.elapsed = 0.0 if animate else ANIMATION_SECONDS
        if not animate:
            self.shown = {key: float(value) for key, value in values.items()}

    @property
    def animating(self) -> bool:
        return self.elapsed < ANIMATION_SECONDS

    def update(self, dt: float) -> bool:
        if not self.animating:
            return False
        self.elapsed = min(ANIMATION_SECONDS, self.elapsed + dt)
        t = self.elapsed / ANIMATION_SECONDS
        ease = 1 - (1 - t) ** 3
        for key, goal in self.target.items():
            begin = self.start.get(key, goal)
            self.shown[key] = begin + (goal - begin) * ease
        return self.animating

    def finish(self) -> None:
        self.elapsed = ANIMATION_SECONDS
        self.shown = {key: float(value) for key, value in self.target.items()}

    @property
    def scale(self) -> float:
        """The meters' text size: smaller in a narrow window's strip (see `Frame`)."""
        return self.ui.frame.meter_scale

    def layout(self, rect: pygame.Rect, at_side: bool) -> None:
        self.rect = pygame.Rect(rect)
        self.cells = []
        count = len(self.meters)
        if not count or rect.width <= 0:
            return
        scale = self.scale
        row = meter_row_height(self.ui.fonts, scale)
        gap = meter_gap(self.ui.fonts)
        if at_side:
            height = row + gap
            for index in range(count):
                self.cells.append(
                    pygame.Rect(rect.left, rect.top + index * (height + gap), rect.width, height)
                )
            return
        per_row = meter_columns(
            rect.width, count, self.ui.fonts, tuple(meter.label for meter in self.meters), scale
        )
        cell_width = (rect.width - gap * (per_row - 1)) // per_row
        for index in range(count):
            column, line = index % per_row, index // per_row
            self.cells.append(
                pygame.Rect(
                    rect.left + column * (cell_width + gap),
                    rect.top + line * row,
                    cell_width,
                    row - gap // 2,
                )
            )

    def _draw_centre(
        self, surface: pygame.Surface, track: pygame.Rect, x: int, left: int, right: int
    ) -> None:
        """A two-sided meter's centre: a mark across the bar, and *even* over it when it fits
        between the label and the number."""
        ui, theme = self.ui, self.ui.theme
        pygame.draw.line(surface, theme.text, (x, track.top - 3), (x, track.bottom + 2), 2)
        font = ui.fonts.get("sans", self.scale * 0.8)
        even = ui.text_cache.render(font, "even", theme.muted, theme.background)
        left_edge = x - even.get_width() // 2
        top = track.top - 3 - even.get_height()
        if left_edge > left + 6 and left_edge + even.get_width() < right - 6 and top >= 0:
            box = pygame.Rect(left_edge, top, even.get_width(), even.get_height())
            blit_text(surface, even, box.topleft, box, ui.text_log, "meter centre")

    def appearance(self) -> tuple[tuple[int, int], ...]:
        """What the panel shows that an animation changes: each meter's number and the
        width of its bar's fill in pixels."""
        shown = []
        for meter, cell in zip(self.meters, self.cells, strict=False):
            value = self.shown.get(meter.id, meter.minimum)
            share = (value - meter.minimum) / max(1, meter.maximum - meter.minimum)
            shown.append((round(value), round(cell.width * share)))
        return tuple(shown)

    def draw_alone(self, surface: pygame.Surface) -> pygame.Rect | None:
        """The panel drawn again over its own background, nothing else (while the meters
        slide: see `Screen.draw_changes`), when what it shows changed since it was last drawn;
        the rect it covers (None: nothing to draw)."""
        if self.appearance() == self.drawn:
            return None
        area = self.rect.inflate(8, 8).clip(self.ui.window)
        return redraw_within(surface, area, self.ui.theme.background, self.draw)

    def draw(self, surface: pygame.Surface) -> None:
        self.drawn = self.appearance()
        ui, theme, log = self.ui, self.ui.theme, self.ui.text_log
        font = ui.fonts.get("sans", self.scale)
        bold = ui.fonts.get("sans_bold", self.scale)
        cache = ui.text_cache
        for index, (meter, cell) in enumerate(zip(self.meters, self.cells, strict=False)):
            if cell.bottom > self.ui.window.bottom:
                break
            value = self.shown.get(meter.id, meter.minimum)
            bg = theme.background
            number = cache.render(bold, str(round(value)), theme.text, bg)
            x_right = cell.right - number.get_width()
            blit_text(surface, number, (x_right, cell.top), cell, log, "meter value")
            delta = self.deltas.get(meter.id)
            sides = two_sided(meter)
            if delta:
                if sides:  # neither good nor bad: which way it moved
                    mark = cache.render(bold, arrow(delta), theme.text, bg)
                else:
                    colour = theme.good if delta > 0 else theme.bad
                    mark = cache.render(bold, signed(delta), colour, bg)
                x_right -= mark.get_width() + meter_spacing(ui.fonts)
                blit_text(surface, mark, (x_right, cell.top), cell, log, "meter change")
            label = cache.render(font, meter.label, theme.text, bg)
            label_right = cell.left
            if cell.left + label.get_width() < x_right - 4:
                blit_text(surface, label, (cell.left, cell.top), cell, log, "meter label")
                label_right = cell.left + label.get_width()
            bar_top = cell.top + font.get_linesize() + 2
            bar_height = max(6, ui.fonts.body // 3)
            track = pygame.Rect(cell.left, bar_top, cell.width, bar_height)
            if track.bottom > cell.bottom:
                track.bottom = cell.bottom
            pygame.draw.rect(surface, theme.bar_track, track, border_radius=bar_height // 2)
            span = max(1, meter.maximum - meter.minimum)
            share = max(0.0, min(1.0, (value - meter.minimum) / span))
            fill = track.copy()
            fill.width = round(track.width * share)
            colour = theme.series[index % len(theme.series)]
            if sides:  # from the centre to the value, either way
                centre_x = track.left + round(track.width * (meter.centre - meter.minimum) / span)
                fill.left, fill.width = (
                    sorted((centre_x, fill.right))[0],
                    abs(fill.right - centre_x),
                )
            if fill.width > 0:
                pygame.draw.rect(surface, colour, fill, border_radius=bar_height // 2)
            pygame.draw.rect(
                surface, theme.panel_edge, track, width=1, border_radius=bar_height // 2
            )
            if sides:
                self._draw_centre(surface, track, centre_x, label_right, x_right)
