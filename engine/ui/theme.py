"""Colours: a calm normal theme and a high-contrast one, both checked against WCAG contrast.

Screens never name a colour; they ask the theme for a role (`text`, `muted`, `accent` ...).
The meter series have a colour, a marker shape and a dash pattern each, so the chart and the bars
read without colour too.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    name: str
    background: Colour
    panel: Colour  # cards, buttons, the meter panel
    panel_edge: Colour  # rules, grid lines, an overlay's card
    control_edge: Colour  # a button's edge: at least 3:1 against the background and the panel
    text: Colour
    muted: Colour  # secondary text: details, hints (still at least 4.5:1 on panel)
    accent: Colour  # speaker names, headings' rule, the focus ring
    focus_fill: Colour  # a focused button's fill
    focus_text: Colour
    disabled: Colour  # a locked choice's text
    good: Colour  # a meter going up
    bad: Colour  # a meter going down
    bar_track: Colour
    series: tuple[Colour, ...]  # one per meter, in the chart and the bars
    focus_width: int = 2


NORMAL = Theme(
    name="normal",
    background=(27, 29, 35),
    panel=(38, 41, 49),
    panel_edge=(66, 70, 82),
    control_edge=(110, 115, 130),
    text=(236, 231, 222),
    muted=(176, 172, 164),
    accent=(232, 184, 112),
    focus_fill=(58, 62, 74),
    focus_text=(255, 250, 240),
    disabled=(150, 146, 140),
    good=(130, 206, 150),
    bad=(240, 140, 130),
    bar_track=(56, 60, 70),
    series=(
        (232, 184, 112),
        (128, 186, 232),
        (196, 150, 226),
        (134, 208, 168),
        (236, 140, 140),
        (220, 220, 140),
    ),
)

HIGH_CONTRAST = Theme(
    name="high_contrast",
    background=(0, 0, 0),
    panel=(0, 0, 0),
    panel_edge=(255, 255, 255),
    control_edge=(255, 255, 255),
    text=(255, 255, 255),
    muted=(230, 230, 230),
    accent=(255, 221, 0),
    focus_fill=(255, 221, 0),
    focus_text=(0, 0, 0),
    disabled=(200, 200, 200),
    good=(120, 255, 140),
    bad=(255, 150, 150),
    bar_track=(90, 90, 90),
    series=(
        (255, 221, 0),
        (120, 220, 255),
        (255, 150, 255),
        (120, 255, 140),
        (255, 160, 120),
        (255, 255, 255),
    ),
    focus_width=4,
)

THEMES = {NORMAL.name: NORMAL, HIGH_CONTRAST.name: HIGH_CONTRAST}

# Marker shapes and dash lengths (0 = solid) for the meter series, so they differ without colour.
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle")
DASHES = (0, 10, 4, 16, 6, 2)


def theme_for(high_contrast: bool, mood: Colour | None = None) -> Theme:
    """The theme, with a scene's mood as its accent when it has one that `mood_fits`; the
    high-contrast theme ignores moods."""
    if high_contrast:
        return HIGH_CONTRAST
    return NORMAL if mood is None else _with_accent(NORMAL, mood)


# The least contrast a mood's accent needs against the theme's background and panel: what the
# theme's own accent keeps (text: speakers' names), which is more than a focus ring's 3:1.
MOOD_CONTRAST = 4.5


def mood_fits(theme: Theme, accent: Colour) -> bool:
    """Whether `accent` stands out as the theme's own accent does (MOOD_CONTRAST)."""
    return (
        contrast_ratio(accent, theme.background) >= MOOD_CONTRAST
        and contrast_ratio(accent, theme.panel) >= MOOD_CONTRAST
        and contrast_ratio(accent, theme.focus_fill) >= 3.0
    )


@functools.lru_cache(maxsize=16)
def _with_accent(theme: Theme, accent: Colour) -> Theme:
    return dataclasses.replace(theme, accent=accent) if mood_fits(theme, accent) else theme


def relative_luminance(colour: Colour) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: Colour, second: Colour) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
