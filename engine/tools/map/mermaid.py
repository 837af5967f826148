"""The story map as a Mermaid flowchart (`.mmd`), which GitHub draws in Markdown and in files.

Scenes are rounded boxes, routers hexagons, endings boxes with double sides; the start has a thick
border. Arrows: solid for choices, dashed for outcomes, grey dotted for router entries, coloured
by response. Scenes the start does not reach sit in a subgraph of their own.

Node ids are `s_` and the scene id with anything but letters, digits and `_` made `_`; labels are
always quoted, with quotes, `#`, `<`, `>`, `&`, `|`, `%` and backquotes written as Mermaid's
`#code;` entities, so no story text can break the chart.
"""

from __future__ import annotations

import json
import re

from engine.tools.map.graph import (
    CHOICE,
    ENDING,
    OUTCOME,
    ROUTE,
    ROUTER,
    MapEdge,
    MapNode,
    StoryGraph,
    edge_caption,
)
from engine.tools.map.labels import one_line, shorten
from engine.tools.map.style import NO_RESPONSE_COLOR, ROUTE_COLOR, response_colors

NODE_CHARS = 40
EDGE_CHARS = 40
# GitHub's Mermaid refuses diagrams beyond these (Mermaid's own defaults).
MAX_TEXT = 50_000
MAX_EDGES = 500

_SHAPES = {ROUTER: ('{{"', '"}}'), ENDING: ('[["', '"]]')}
_SCENE_SHAPE = ('("', '")')
_ARROWS = {CHOICE: "-->", OUTCOME: "-.->", ROUTE: "-.->"}
_ESCAPES = {
    '"': "#quot;",
    "#": "#35;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
    "%": "#37;",
    "`": "#96;",
    ";": "#59;",
}
_ESCAPED = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_NOT_ID = re.compile(r"[^A-Za-z0-9_]")

CLASSES = (
    "classDef scene fill:#e8f1fb,stroke:#2b6cb0,color:#1a202c",
    "classDef router fill:#fff8e1,stroke:#b7791f,color:#1a202c,stroke-dasharray:5 3",
    "classDef ending fill:#fdecea,stroke:#9b2c2c,color:#1a202c,stroke-width:3px",
)


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    return _ESCAPED.sub(lambda match: _ESCAPES[match.group()], one_line(text))


def node_ids(graph: StoryGraph) -> dict[str, str]:
    """A Mermaid-safe, unique id for every scene."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for node in graph.nodes:
        base = "s_" + _NOT_ID.sub("_", node.id)
        safe, number = base, 1
        while safe in used:
            number += 1
            safe = f"{base}_{number}"
        used.add(safe)
        ids[node.id] = safe
    return ids


def render(graph: StoryGraph) -> str:
    ids = node_ids(graph)
    lines = [
        "---",
        f"title: {json.dumps(one_line(graph.title), ensure_ascii=False)}",
        "---",
        "flowchart TD",
        "  %% Story map, drawn by `python main.py map`. Rounded: scenes with choices;",
        "  %% hexagons: routers; double sides: endings; thick border: the start.",
        "  %% Solid arrows: choices; dashed: outcomes of a choice; dotted: router entries.",
        *(f"  {line}" for line in CLASSES),
    ]
    outside = [node for node in graph.nodes if not node.reachable]
    lines += [_node_line(node, ids) for node in graph.nodes if node.reachable]
    if outside:
        lines.append('  subgraph unreachable ["Not reachable from the start"]')
        lines += ["  " + _node_line(node, ids) for node in outside]
        lines.append("  end")
        lines.append("  style unreachable fill:#f4f4f4,stroke:#888888,stroke-dasharray:6 4")
    if graph.start in ids:
        lines.append(f"  style {ids[graph.start]} stroke-width:4px")
    colors = response_colors(graph.responses)
    styles: dict[str, list[int]] = {}
    for number, edge in enumerate(graph.edges):
        label = escape(edge_caption(edge, EDGE_CHARS))
        lines.append(f'  {ids[edge.source]} {_ARROWS[edge.kind]}|"{label}"| {ids[edge.target]}')
        styles.setdefault(_edge_style(edge, colors), []).append(number)
    for style, numbers in styles.items():
        lines.append(f"  linkStyle {','.join(map(str, numbers))} {style}")
    return "\n".join(lines) + "\n"


def _node_line(node: MapNode, ids: dict[str, str]) -> str:
    opening, closing = _SHAPES.get(node.kind, _SCENE_SHAPE)
    label = escape(shorten(node.label, NODE_CHARS))
    if node.label != node.id:
        label += f"<br><small>{escape(shorten(node.id, NODE_CHARS))}</small>"
    return f"  {ids[node.id]}{opening}{label}{closing}:::{node.kind}"


def _edge_style(edge: MapEdge, colors: dict[str, str]) -> str:
    if edge.kind == ROUTE:
        return f"stroke:{ROUTE_COLOR},stroke-dasharray:2 3"
    return f"stroke:{colors.get(edge.response or '', NO_RESPONSE_COLOR)}"


def limits_note(graph: StoryGraph, text: str) -> str | None:
    """A note when the chart is too big for GitHub's Mermaid to draw."""
    if len(text) > MAX_TEXT or len(graph.edges) > MAX_EDGES:
        return (
            f"note: this chart has {len(graph.edges)} edges and {len(text)} characters; "
            f"GitHub draws Mermaid charts up to {MAX_EDGES} edges and {MAX_TEXT} characters, "
            "so use .svg for a story this size"
        )
    return None
