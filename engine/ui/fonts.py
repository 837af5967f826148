"""Fonts: the TTFs shipped in assets/fonts, at sizes set by the text-size setting and the window.

Roles, not files, are what screens ask for: `serif` (story text), `serif_italic` (feedback),
`serif_bold` (titles), `sans` (buttons, meters, notes) and `sans_bold` (speakers, labels). A
missing or unreadable font file falls back to pygame's default font, and `notices` says so, so the
game can tell the player instead of crashing. Rendered text is cached (`TextCache`): drawing a
steady frame only blits surfaces made earlier.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame

from engine.paths import ASSETS

FONT_FOLDER = ASSETS / "fonts"
FONT_FILES = {
    "serif": "NotoSerif-Regular.ttf",
    "serif_italic": "NotoSerif-Italic.ttf",
    "serif_bold": "NotoSerif-Bold.ttf",
    "sans": "NotoSans-Regular.ttf",
    "sans_bold": "NotoSans-Bold.ttf",
}
# For text with a character the main fonts lack (arrows, math signs, symbols): DejaVu Sans.
FALLBACK_FILE = "DejaVuSans.ttf"
_PROBE = "\ue000"  # a private-use character no font draws: what a missing glyph looks like

# The body text's size in pixels at a 1280x720 window, for each text-size setting.
TEXT_SIZES = {"small": 18, "medium": 21, "large": 25, "largest": 30}
TEXT_SIZE_NAMES = {"small": "Small", "medium": "Medium", "large": "Large", "largest": "Largest"}


def body_size(text_size: str, window: tuple[int, int]) -> int:
    """The body text size for a setting and a window: larger windows get somewhat larger text."""
    base = TEXT_SIZES.get(text_size, TEXT_SIZES["medium"])
    width, height = window
    scale = min(width / 1280, height / 720)
    scale = max(0.85, min(1.45, scale))
    return max(12, round(base * scale))


class Fonts:
    """Font objects by role and size, loaded once each."""

    def __init__(self, folder: Path = FONT_FOLDER, files: dict[str, str] | None = None) -> None:
        self.folder = Path(folder)
        self.files = dict(files or FONT_FILES)
        self.notices: list[str] = []
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._missing: set[str] = set()
        self._fallbacks: dict[int, pygame.font.Font | None] = {}
        self._sizes: dict[int, int] = {}
        self.body = TEXT_SIZES["medium"]

    def get(self, role: str, scale: float = 1.0) -> pygame.font.Font:
        """The font for a role at `scale` times the body size."""
        size = max(10, round(self.body * scale))
        key = (role, size)
        font = self._fonts.get(key)
        if font is None:
            font = self._fonts[key] = self._load(role, size)
            self._sizes[id(font)] = size
        return font

    def fallback_for(self, font: pygame.font.Font) -> pygame.font.Font | None:
        """The symbol font at the size of `font`, or None when it cannot be loaded."""
        key = id(font)
        if key not in self._fallbacks:
            size = self._sizes.get(key, font.get_height())
            try:
                self._fallbacks[key] = pygame.font.Font(self.folder / FALLBACK_FILE, size)
            except (OSError, pygame.error):
                self._fallbacks[key] = None
        return self._fallbacks[key]

    def _load(self, role: str, size: int) -> pygame.font.Font:
        name = self.files.get(role, self.files.get("serif", ""))
        path = self.folder / name
        if role not in self._missing:
            try:
                return pygame.font.Font(path, size)
            except (OSError, FileNotFoundError, pygame.error) as problem:
                self._missing.add(role)
                self.notices.append(
                    f"The font file {name} could not be loaded ({problem}); "
                    "using a plain font instead."
                )
        font = pygame.font.Font(None, round(size * 1.3))
        if role.endswith("_bold"):
            font.set_bold(True)
        if role.endswith("_italic"):
            font.set_italic(True)
        return font


class TextCache:
    """Rendered text surfaces, kept until they have not been used for a while (LRU)."""

    def __init__(self, capacity: int = 4000, fonts: Fonts | None = None) -> None:
        self.capacity = capacity
        self.fonts = fonts
        self._glyphs: dict[tuple[int, str], bool] = {}
        self._surfaces: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._widths: dict[tuple[int, str], int] = {}
        self.renders = 0  # how many surfaces were made: the benchmark and tests read it

    def render(
        self,
        font: pygame.font.Font,
        text: str,
        colour: tuple[int, int, int],
        background: tuple[int, int, int] | None = None,
    ) -> pygame.Surface:
        """The text drawn in `colour`; on an opaque `background` when given, which blits
        faster than a surface with per-pixel alpha."""
        key = (id(font), text, colour, background)
        surface = self._surfaces.get(key)
        if surface is not None:
            self._surfaces.move_to_end(key)
            return surface
        surface = self.font_for(font, text).render(text, True, colour, background)
        if background is not None and pygame.display.get_surface() is not None:
            surface = surface.convert()
        self.renders += 1
        self._surfaces[key] = surface
        if len(self._surfaces) > self.capacity:
            self._surfaces.popitem(last=False)
        return surface

    def width(self, font: pygame.font.Font, text: str) -> int:
        """The width of a text in pixels (kept: measuring is asked for far more than drawing)."""
        key = (id(font), text)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 50000:
                self._widths.clear()
            width = self._widths[key] = self.font_for(font, text).size(text)[0]
        return width

    def font_for(self, font: pygame.font.Font, text: str) -> pygame.font.Font:
        """`font`, or the fallback font when `font` cannot draw a character of `text`."""
        if text.isascii() or self.fonts is None:
            return font
        for character in set(text):
            if not character.isascii() and not self.has_glyph(font, character):
                return self.fonts.fallback_for(font) or font
        return font

    def has_glyph(self, font: pygame.font.Font, character: str) -> bool:
        """Whether the font draws this character (rather than its missing-glyph box)."""
        key = (id(font), character)
        known = self._glyphs.get(key)
        if known is None:
            if character.isspace():
                known = True
            else:
                drawn = font.render(character, False, (255, 255, 255), (0, 0, 0))
                missing = font.render(_PROBE, False, (255, 255, 255), (0, 0, 0))
                known = drawn.get_size() != missing.get_size() or pygame.image.tobytes(
                    drawn, "RGB"
                ) != pygame.image.tobytes(missing, "RGB")
            self._glyphs[key] = known
        return known


def wrap(text: str, font: pygame.font.Font, width: int, cache: TextCache) -> list[str]:
    """Greedy word wrap to `width` pixels; a word wider than a line is split between letters.

    Widths are estimated word by word, then each line is measured whole (kerning can make it a
    pixel or two wider than its words) and shortened if it does not fit.
    """
    lines: list[str] = []
    space = cache.width(font, " ")
    for raw_line in text.split("\n"):
        words: list[str] = []
        for word in raw_line.split():
            if cache.width(font, word) > width:
                words.extend(_split_long(word, font, width, cache))
            else:
                words.append(word)
        if not words:
            lines.append("")
            continue
        start = 0
        while start < len(words):
            end, used = start + 1, cache.width(font, words[start])
            while end < len(words):
                used += space + cache.width(font, words[end])
                if used > width:
                    break
                end += 1
            while end - start > 1 and cache.width(font, " ".join(words[start:end])) > width:
                end -= 1
            lines.append(" ".join(words[start:end]))
            start = end
    return lines


def _split_long(word: str, font: pygame.font.Font, width: int, cache: TextCache) -> list[str]:
    pieces, start = [], 0
    while start < len(word):
        end = start + 1
        while end < len(word) and cache.width(font, word[start : end + 1]) <= width:
            end += 1
        pieces.append(word[start:end])
        start = end
    return pieces
