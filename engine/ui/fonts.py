"""Fonts: the fonts shipped in assets/fonts, at sizes set by the text-size setting and the window.

Roles, not files, are what screens ask for: `serif` (story text), `serif_italic` (feedback),
`serif_bold` (titles), `sans` (buttons, meters, notes) and `sans_bold` (speakers, labels). The
font setting picks a family for every role (`FONT_FAMILIES`: the standard Noto pair, Atkinson
Hyperlegible, OpenDyslexic), and the line spacing setting spaces lines out (`LINE_SPACINGS`,
read through `Fonts.line_height`). A missing or unreadable font file falls back to pygame's
default font, and `notices` says so, so the game can tell the player instead of crashing.
Rendered text is cached (`TextCache`): drawing a steady frame only blits surfaces made earlier.
"""

from __future__ import annotations

import unicodedata
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
# The font setting: for each choice, its name for the player, its file for each role, and a scale
# that brings its letters to about the size of the standard fonts' at the same text size.
FONT_FAMILIES: dict[str, tuple[str, dict[str, str], float]] = {
    "standard": ("Standard", FONT_FILES, 1.0),
    "hyperlegible": (
        "Hyperlegible",
        {
            "serif": "AtkinsonHyperlegible-Regular.ttf",
            "serif_italic": "AtkinsonHyperlegible-Italic.ttf",
            "serif_bold": "AtkinsonHyperlegible-Bold.ttf",
            "sans": "AtkinsonHyperlegible-Regular.ttf",
            "sans_bold": "AtkinsonHyperlegible-Bold.ttf",
        },
        1.0,
    ),
    "dyslexic": (
        "Dyslexia-friendly",
        {
            "serif": "OpenDyslexic-Regular.woff",
            "serif_italic": "OpenDyslexic-Italic.woff",
            "serif_bold": "OpenDyslexic-Bold.woff",
            "sans": "OpenDyslexic-Regular.woff",
            "sans_bold": "OpenDyslexic-Bold.woff",
        },
        0.85,
    ),
}
# What each font is, for the settings screen.
FONT_DESCRIPTIONS = {
    "standard": "Noto Serif and Noto Sans.",
    "hyperlegible": "Atkinson Hyperlegible.",
    "dyslexic": "OpenDyslexic.",
}
# The line spacing setting: its name for the player, and the space between lines as a share of
# the font's own.
LINE_SPACINGS: dict[str, tuple[str, float]] = {
    "normal": ("Normal", 1.0),
    "wide": ("Wide", 1.25),
    "widest": ("Widest", 1.5),
}
# For text with a character the main fonts lack (arrows, math signs, symbols): DejaVu Sans.
FALLBACK_FILE = "DejaVuSans.ttf"
_PROBE = "\ue000"  # a private-use character no font draws: what a missing glyph looks like

# Characters that are never drawn, only read (Unicode's Default_Ignorable_Code_Point, 15.1):
# zero-width spaces and joiners, variation selectors (U+FE0F, the emoji form of a heart),
# bidirectional controls, tags. SDL_ttf gives them no width, and text made only of them makes
# it raise "Text has zero width"; they are dropped before text is drawn or measured.
IGNORABLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Control characters that stand for a space in a line of text; every other one is dropped.
SPACE_LIKE = "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"
REPLACEMENT = "\ufffd"  # for a lone surrogate, which cannot be encoded to be drawn
# The widest text ever rendered, in pixels: twice the widest window (settings.MAX_WINDOW). A
# longer line could never be seen whole; cutting it keeps every surface's memory bounded.
MAX_RENDER_WIDTH = 16384
# What the rendered-text cache may hold, in pixels, whatever the number of surfaces.
CACHE_PIXELS = 32_000_000

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


IGNORABLE = frozenset(chr(code) for low, high in IGNORABLE_RANGES for code in range(low, high + 1))


def drawable(text: str) -> str:
    """The text as it can be drawn and measured, whatever it holds: control characters (NUL
    among them) dropped, or a space for those that separate (tab, line breaks), characters that
    are never drawn dropped (see IGNORABLE_RANGES, and every other format character), a lone
    surrogate replaced by U+FFFD, and the rest composed (NFC), so that a letter and its accent
    are drawn as one. Printable ASCII comes back as it is."""
    if text.isascii() and text.isprintable():
        return text
    kept = []
    for character in text:
        if character in SPACE_LIKE:
            kept.append(" ")
            continue
        category = unicodedata.category(character)
        if category == "Cs":
            kept.append(REPLACEMENT)
        elif category not in ("Cc", "Cf") and character not in IGNORABLE:
            kept.append(character)
    return unicodedata.normalize("NFC", "".join(kept))


class Fonts:
    """Font objects by role and size, loaded once each."""

    def __init__(self, folder: Path = FONT_FOLDER, files: dict[str, str] | None = None) -> None:
        self.folder = Path(folder)
        self.files = dict(files or FONT_FILES)
        self._standard_files = dict(self.files)
        self.notices: list[str] = []
        # Fonts are never dropped (a family changed back finds its fonts again), so that no
        # font's id, which the text cache keys on, is ever reused by another.
        self._fonts: dict[tuple[str, str, int], pygame.font.Font] = {}
        self._missing: set[str] = set()
        self._fallbacks: dict[int, pygame.font.Font | None] = {}
        self._sizes: dict[int, int] = {}
        self.body = TEXT_SIZES["medium"]
        self.family = "standard"
        self.family_scale = 1.0
        self.spacing = 1.0  # the line spacing setting's share

    def set_family(self, family: str) -> None:
        """Draw every role in this family (a key of FONT_FAMILIES; the standard one otherwise)."""
        if family not in FONT_FAMILIES or family == self.family:
            return
        self.family = family
        _, files, self.family_scale = FONT_FAMILIES[family]
        self.files = dict(self._standard_files if family == "standard" else files)

    def get(self, role: str, scale: float = 1.0) -> pygame.font.Font:
        """The font for a role at `scale` times the body size."""
        size = max(10, round(self.body * scale * self.family_scale))
        key = (self.family, role, size)
        font = self._fonts.get(key)
        if font is None:
            font = self._fonts[key] = self._load(role, size)
            self._sizes[id(font)] = size
        return font

    def line_height(self, font: pygame.font.Font) -> int:
        """The height of a line of text in this font, with the line spacing setting."""
        return round(font.get_linesize() * self.spacing)

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
        if (self.family, role) not in self._missing:
            try:
                return pygame.font.Font(path, size)
            except (OSError, FileNotFoundError, pygame.error) as problem:
                self._missing.add((self.family, role))
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
    """Rendered text surfaces, kept until they have not been used for a while (LRU), up to
    `capacity` surfaces and CACHE_PIXELS pixels in all.

    Any string can be drawn and measured: the text is made `drawable` first, a line wider than
    MAX_RENDER_WIDTH is cut there, and a text that draws as nothing is an empty surface."""

    def __init__(self, capacity: int = 4000, fonts: Fonts | None = None) -> None:
        self.capacity = capacity
        self.fonts = fonts
        self._glyphs: dict[tuple[int, str], bool] = {}
        self._surfaces: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._widths: dict[tuple[int, str], int] = {}
        self.pixels = 0  # the pixels of the surfaces kept
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
        surface = self.draw(font, text, colour, background)
        self._surfaces[key] = surface
        self.pixels += surface.get_width() * surface.get_height()
        while len(self._surfaces) > 1 and (
            len(self._surfaces) > self.capacity or self.pixels > CACHE_PIXELS
        ):
            _, dropped = self._surfaces.popitem(last=False)
            self.pixels -= dropped.get_width() * dropped.get_height()
        return surface

    def draw(
        self,
        font: pygame.font.Font,
        text: str,
        colour: tuple[int, int, int],
        background: tuple[int, int, int] | None = None,
    ) -> pygame.Surface:
        """The text drawn, without keeping it (the typewriter's partial lines)."""
        shown = self._fitted(font, drawable(text))
        font = self.font_for(font, shown)
        try:
            surface = font.render(shown, True, colour, background)
        except pygame.error:  # "Text has zero width": nothing in it is drawn
            surface = pygame.Surface((0, font.get_height()))
            if background is not None:
                surface.fill(background)
        if background is not None and pygame.display.get_surface() is not None:
            surface = surface.convert()
        self.renders += 1
        return surface

    def width(self, font: pygame.font.Font, text: str) -> int:
        """The width of a text in pixels (kept: measuring is asked for far more than drawing)."""
        key = (id(font), text)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 50000:
                self._widths.clear()
            shown = drawable(text)
            width = self._widths[key] = self.font_for(font, shown).size(shown)[0]
        return width

    def _fitted(self, font: pygame.font.Font, text: str) -> str:
        """The text, cut (by halves) until it is at most MAX_RENDER_WIDTH pixels wide."""
        while len(text) > 1 and self.font_for(font, text).size(text)[0] > MAX_RENDER_WIDTH:
            text = text[: len(text) // 2]
        return text

    def font_for(self, font: pygame.font.Font, text: str) -> pygame.font.Font:
        """`font`, or the fallback font when `font` cannot draw a character of `text` (a text
        made `drawable`)."""
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
            known = True if character.isspace() else _draws(font, character)
            if len(self._glyphs) > 50000:
                self._glyphs.clear()
            self._glyphs[key] = known
        return known


def _draws(font: pygame.font.Font, character: str) -> bool:
    """Whether `character` (a drawable one) comes out otherwise than the missing-glyph box."""
    try:
        drawn = font.render(character, False, (255, 255, 255), (0, 0, 0))
    except (pygame.error, ValueError, UnicodeError):  # no width, or nothing SDL can take
        return False
    missing = font.render(_PROBE, False, (255, 255, 255), (0, 0, 0))
    return drawn.get_size() != missing.get_size() or pygame.image.tobytes(
        drawn, "RGB"
    ) != pygame.image.tobytes(missing, "RGB")


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
