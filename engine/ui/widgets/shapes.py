"""Shapes drawn the same way wherever they appear: a rounded box (a button, an overlay's card),
the triangles that say there is more above or below a scrolling area, and a part of the screen
drawn again over its background alone (what the loop puts on screen while something moves)."""

from __future__ import annotations

from collections.abc import Callable

import pygame

Colour = tuple[int, int, int]


def draw_box(
    surface: pygame.Surface,
    rect: pygame.Rect,
    fill: Colour,
    edge: Colour,
    edge_width: int,
    radius: int,
) -> None:
    """A box with rounded corners: filled, then outlined `edge_width` pixels wide."""
    pygame.draw.rect(surface, fill, rect, border_radius=radius)
    pygame.draw.rect(surface, edge, rect, width=edge_width, border_radius=radius)


def draw_more_marks(
    surface: pygame.Surface,
    colour: Colour,
    x: int,
    top: int,
    bottom: int,
    size: int,
    above: bool,
    below: bool,
) -> None:
    """A triangle pointing up near `top` when there is more above, and one pointing down near
    `bottom` when there is more below, centred on `x`."""
    if above:
        y = top + size
        pygame.draw.polygon(
            surface, colour, [(x, y - size), (x - size, y + size // 2), (x + size, y + size // 2)]
        )
    if below:
        y = bottom - size
        pygame.draw.polygon(
            surface, colour, [(x, y + size), (x - size, y - size // 2), (x + size, y - size // 2)]
        )


def redraw_within(
    surface: pygame.Surface,
    area: pygame.Rect,
    background: Colour,
    draw: Callable[[pygame.Surface], None],
) -> pygame.Rect:
    """`area` filled with `background` and `draw` run with drawing clipped to it (the clip as
    it was afterwards); returns `area`, the rect to put on screen."""
    previous = surface.get_clip()
    surface.set_clip(area)
    try:
        surface.fill(background, area)
        draw(surface)
    finally:
        surface.set_clip(previous)
    return area
