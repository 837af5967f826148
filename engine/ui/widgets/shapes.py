"""Shapes drawn the same way wherever they appear: a rounded box (a button, an overlay's card)
and the triangles that say there is more above or below a scrolling area."""

from __future__ import annotations

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
