"""Colours shared by the story map formats: one per response, and the node fills.

Responses take colours in the order the story declares them, from a palette that stays apart for
the common kinds of colour blindness (after Okabe and Ito, darkened to read as text on white);
every format also says the response in words, so the map reads without colour.
"""

from __future__ import annotations

from collections.abc import Mapping

PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56a0d3", "#6a3d9a", "#b15928")
NO_RESPONSE_COLOR = "#4a4a4a"
ROUTE_COLOR = "#8a8a8a"

# Node kind -> (fill, stroke).
NODE_COLORS = {
    "scene": ("#e8f1fb", "#2b6cb0"),
    "router": ("#fff8e1", "#b7791f"),
    "ending": ("#fdecea", "#9b2c2c"),
}
START_FILL = "#e3f6e8"
START_STROKE = "#1f7a3a"
UNREACHABLE_FILL = "#efefef"
UNREACHABLE_STROKE = "#8a8a8a"


def response_colors(responses: Mapping[str, str]) -> dict[str, str]:
    """Each response id's colour; beyond the palette, colours repeat."""
    return {response: PALETTE[number % len(PALETTE)] for number, response in enumerate(responses)}
