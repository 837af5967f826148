"""Draw the bundled story's four chapter pictures, calm and simple, in code: run it again after
changing it, and look at each in the game (docs/ui.md has the screenshot commands).

    python scenes/balance_of_power/pictures/make_pictures.py

Each picture is drawn at twice its size with pygame's plain shapes and scaled down smoothly, so
its edges are soft; the colours are muted, and the same random seed gives the same picture.
The files are written beside this script: lido.png (autumn), window.png (winter), leaves.png
(spring) and street.png (autumn again).
"""

from __future__ import annotations

import math
import os
import random
from pathlib import Path

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402

WIDTH, HEIGHT = 1200, 400  # each picture's size: a band above the scene's text
SCALE = 2  # drawn at twice the size, then scaled down: soft edges
HERE = Path(__file__).resolve().parent

Colour = tuple[int, int, int]


def mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def gradient(surface: pygame.Surface, top: Colour, bottom: Colour, rect: pygame.Rect) -> None:
    for y in range(rect.top, rect.bottom):
        t = (y - rect.top) / max(1, rect.height - 1)
        pygame.draw.line(surface, mix(top, bottom, t), (rect.left, y), (rect.right - 1, y))


def glow(surface: pygame.Surface, colour: Colour, centre: tuple[int, int], radius: int) -> None:
    """A soft halo: circles of falling strength, added to what is there."""
    layer = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    for step in range(24, 0, -1):
        r = radius * step // 24
        alpha = round(6 * (1 - step / 24) + 2)
        pygame.draw.circle(layer, (*colour, alpha), centre, r)
    surface.blit(layer, (0, 0))


def lido() -> pygame.Surface:
    """A lido at night: a pale film screen beyond the water, rows of people under blankets."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    s = pygame.Surface((w, h))
    gradient(s, (14, 18, 38), (36, 40, 66), pygame.Rect(0, 0, w, h * 6 // 10))
    rng = random.Random(1)
    for _ in range(70):
        x, y = rng.randrange(w), rng.randrange(h * 5 // 10)
        pygame.draw.circle(s, mix((36, 40, 66), (220, 220, 235), rng.random() * 0.6), (x, y), 2)
    water = pygame.Rect(0, h * 6 // 10, w, h * 4 // 10)
    gradient(s, (30, 52, 70), (18, 30, 44), water)
    screen = pygame.Rect(w * 30 // 100, h * 14 // 100, w * 40 // 100, h * 34 // 100)
    glow(s, (200, 210, 230), screen.center, screen.width * 7 // 10)
    pygame.draw.rect(s, (206, 212, 222), screen, border_radius=6)
    pygame.draw.rect(s, (232, 196, 150), screen.inflate(-screen.width // 3, -screen.height // 2))
    for leg in (screen.left + 40, screen.right - 40):
        pygame.draw.line(s, (20, 24, 40), (leg, screen.bottom), (leg, h * 6 // 10), 10)
    reflection = pygame.Rect(screen.left, water.top + 10, screen.width, screen.height // 2)
    for i in range(0, reflection.height, 12):  # the screen broken up on the water
        shade = mix((120, 140, 165), (30, 52, 70), i / reflection.height)
        pygame.draw.line(
            s,
            shade,
            (reflection.left + rng.randrange(60), reflection.top + i),
            (reflection.right - rng.randrange(60), reflection.top + i),
            4,
        )
    blankets = [(92, 64, 72), (70, 84, 110), (110, 86, 66), (64, 92, 88)]
    for row, (base, size) in enumerate(((h * 88 // 100, 70), (h * 100 // 100, 92))):
        x = -size // 2 + row * size // 2
        while x < w + size:
            colour = mix(blankets[rng.randrange(len(blankets))], (10, 12, 22), 0.45 + row * 0.15)
            body = pygame.Rect(x, base - size, size * 2, size * 2)
            pygame.draw.ellipse(s, colour, body)
            pygame.draw.circle(s, mix(colour, (8, 10, 18), 0.4), (x + size, base - size - 18), 26)
            x += size * 2 + rng.randrange(10, 40)
    return s


def window() -> pygame.Surface:
    """A winter window at dusk: snow falling and on the sill, a mug steaming beside it."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    s = pygame.Surface((w, h))
    s.fill((44, 38, 40))  # the room, in lamplight
    glow(s, (240, 190, 120), (w * 12 // 100, h * 30 // 100), w // 4)
    pane = pygame.Rect(w * 30 // 100, h * 10 // 100, w * 40 // 100, h * 80 // 100)
    gradient(s, (58, 74, 104), (150, 164, 186), pane)
    rng = random.Random(2)
    for _ in range(160):  # falling snow
        x = pane.left + rng.randrange(pane.width)
        y = pane.top + rng.randrange(pane.height)
        pygame.draw.circle(s, (226, 232, 240), (x, y), rng.choice((2, 3, 3, 4)))
    frame = (92, 70, 58)
    pygame.draw.rect(s, frame, pane, 18)
    pygame.draw.line(s, frame, (pane.centerx, pane.top), (pane.centerx, pane.bottom), 14)
    pygame.draw.line(s, frame, (pane.left, pane.centery), (pane.right, pane.centery), 14)
    drift = pygame.Rect(pane.left + 18, pane.bottom - 60, pane.width - 36, 80)
    pygame.draw.ellipse(s, (218, 224, 234), drift)
    sill = pygame.Rect(pane.left - 40, pane.bottom, pane.width + 80, 36)
    pygame.draw.rect(s, (110, 86, 70), sill, border_radius=6)
    mug = pygame.Rect(sill.right - 170, sill.top - 70, 60, 70)  # a mug on the sill
    pygame.draw.rect(s, (196, 120, 96), mug, border_radius=10)
    pygame.draw.circle(s, (196, 120, 96), (mug.right + 6, mug.centery), 20, 8)
    for i in range(3):
        start = (mug.centerx - 16 + i * 16, mug.top - 12)
        pygame.draw.arc(s, (150, 140, 140), (*start, 20, 40), 1.2, 4.6, 3)
    return s


def leaves() -> pygame.Surface:
    """Spring leaves against a pale sky, light coming through them."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    s = pygame.Surface((w, h))
    gradient(s, (186, 208, 214), (226, 232, 212), pygame.Rect(0, 0, w, h))
    glow(s, (255, 250, 220), (w * 70 // 100, h * 20 // 100), w // 3)
    rng = random.Random(3)
    greens = [(92, 140, 84), (120, 168, 96), (150, 190, 110), (78, 120, 78), (170, 204, 132)]
    twigs = [(0, h * 22 // 100, w * 55 // 100, h * 40 // 100), (w, h * 70 // 100, w * 48 // 100, h)]
    for x0, y0, x1, y1 in twigs:
        pygame.draw.line(s, (96, 82, 70), (x0, y0), (x1, y1), 12)
        for _ in range(34):
            t = rng.random()
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            angle = rng.uniform(0, math.tau)
            size = rng.randrange(46, 90)
            tip = (x + math.cos(angle) * size * 2, y + math.sin(angle) * size * 2)
            pygame.draw.line(s, (96, 82, 70), (x, y), tip, 4)
            leaf = pygame.Surface((size * 2, size), pygame.SRCALPHA)
            colour = greens[rng.randrange(len(greens))]
            pygame.draw.ellipse(leaf, (*colour, 235), leaf.get_rect())
            pygame.draw.line(
                leaf,
                (*mix(colour, (40, 70, 40), 0.4), 200),
                (4, size // 2),
                (size * 2 - 4, size // 2),
                3,
            )
            leaf = pygame.transform.rotate(leaf, -math.degrees(angle))
            s.blit(leaf, leaf.get_rect(center=(round(tip[0]), round(tip[1]))))
    return s


def street() -> pygame.Surface:
    """An autumn street at dusk: terraced houses, lit windows, a lamp, leaves on the pavement."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    s = pygame.Surface((w, h))
    gradient(s, (70, 62, 90), (214, 150, 120), pygame.Rect(0, 0, w, h * 7 // 10))
    rng = random.Random(4)
    x = 0
    while x < w:  # a terrace of houses, roofs and chimneys
        width = rng.randrange(220, 320)
        top = h * rng.randrange(26, 36) // 100
        colour = mix((64, 50, 60), (96, 70, 70), rng.random())
        pygame.draw.rect(s, colour, (x, top, width, h))
        pygame.draw.line(s, mix(colour, (30, 24, 34), 0.5), (x, top), (x, h), 4)
        pygame.draw.polygon(
            s,
            mix(colour, (30, 24, 34), 0.4),
            [(x - 10, top), (x + width // 2, top - 70), (x + width + 4, top)],
        )
        pygame.draw.rect(s, mix(colour, (30, 24, 34), 0.3), (x + width - 70, top - 100, 30, 70))
        for row in range(2):
            for col in range(2):
                lit = rng.random() < 0.55
                pane = pygame.Rect(x + 40 + col * (width // 2 - 20), top + 60 + row * 150, 60, 90)
                pygame.draw.rect(s, (240, 196, 120) if lit else (52, 46, 62), pane)
        x += width
    pavement = pygame.Rect(0, h * 82 // 100, w, h * 18 // 100)
    pygame.draw.rect(s, (78, 68, 74), pavement)
    pygame.draw.line(s, (110, 96, 96), (0, pavement.top), (w, pavement.top), 6)
    lamp = (w * 72 // 100, pavement.top)
    glow(s, (255, 214, 150), (lamp[0], lamp[1] - 300), 220)
    pygame.draw.line(s, (40, 34, 44), lamp, (lamp[0], lamp[1] - 290), 12)
    pygame.draw.circle(s, (255, 226, 170), (lamp[0], lamp[1] - 300), 22)
    tree = (w * 22 // 100, pavement.top)  # a street tree, its leaves falling
    pygame.draw.line(s, (46, 34, 36), tree, (tree[0], tree[1] - 380), 22)
    leaf_colours = [(214, 120, 70), (200, 90, 60), (230, 160, 80), (176, 100, 64)]
    canopy = pygame.Surface((w, h), pygame.SRCALPHA)
    for _ in range(700):  # many small leaves, thinning towards the crown's edge
        cx = tree[0] + rng.gauss(0, 110)
        cy = tree[1] - 430 + rng.gauss(0, 60)
        colour = leaf_colours[rng.randrange(4)]
        size = rng.randrange(14, 24)
        pygame.draw.ellipse(canopy, (*colour, 200), (round(cx), round(cy), size, size * 2 // 3))
    s.blit(canopy, (0, 0))
    for _ in range(60):
        x, y = rng.randrange(w), pavement.top + rng.randrange(10, pavement.height - 10)
        pygame.draw.ellipse(s, leaf_colours[rng.randrange(4)], (x, y, 22, 10))
    for _ in range(12):
        x, y = tree[0] + rng.randrange(-300, 500), tree[1] - rng.randrange(40, 300)
        pygame.draw.ellipse(s, leaf_colours[rng.randrange(4)], (x, y, 20, 12))
    return s


PICTURES = {"lido.png": lido, "window.png": window, "leaves.png": leaves, "street.png": street}


def main() -> None:
    pygame.init()
    for name, draw in PICTURES.items():
        picture = pygame.transform.smoothscale(draw(), (WIDTH, HEIGHT))
        pygame.image.save(picture, str(HERE / name))
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
