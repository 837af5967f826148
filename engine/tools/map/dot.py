"""The story map in Graphviz's DOT language (`.dot`), for `dot -Tsvg map.dot -o map.svg`.

The same picture as the other formats: scenes rounded boxes, routers dashed hexagons, endings
boxes with a double border, the start bold and green; choices solid, outcomes dashed, router
entries grey and dotted; arrows coloured by response, with the choice and its response as label
and the full text as tooltip. Unreachable scenes sit in a dashed cluster. Every id and text is a
quoted DOT string, with backslashes, quotes and `&` escaped and line breaks removed.
"""

from __future__ import annotations

from engine.tools.map.graph import OUTCOME, ROUTE, MapEdge, MapNode, StoryGraph, edge_caption
from engine.tools.map.labels import one_line, shorten
from engine.tools.map.style import (
    NO_RESPONSE_COLOR,
    NODE_COLORS,
    ROUTE_COLOR,
    START_FILL,
    START_STROKE,
    UNREACHABLE_FILL,
    UNREACHABLE_STROKE,
    response_colors,
)

NODE_CHARS = 40
EDGE_CHARS = 40
FONT = "Helvetica,Arial,sans-serif"

_SHAPES = {
    "scene": {"shape": "box", "style": "rounded,filled"},
    "router": {"shape": "hexagon", "style": "dashed,filled"},
    "ending": {"shape": "box", "style": "filled", "peripheries": "2"},
}
_EDGE_STYLES = {OUTCOME: "dashed", ROUTE: "dotted"}


def quote(text: str) -> str:
    """A DOT double-quoted string showing `text` literally, on one line.

    Backslashes are doubled (DOT reads `\\n`, `\\l` ... in labels), quotes escaped, and `&`
    written `&amp;` (Graphviz reads HTML entities such as `&lt;` in any label).
    """
    text = one_line(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return f'"{text}"'


def render(graph: StoryGraph) -> str:
    colors = response_colors(graph.responses)
    lines = [
        f"digraph {quote(graph.title)} {{",
        f"  graph [label={quote(graph.title)}, labelloc=t, fontsize=18, fontname={quote(FONT)},"
        " rankdir=TB, nodesep=0.4, ranksep=0.7];",
        f'  node [fontname={quote(FONT)}, fontsize=11, color="#2b6cb0"];',
        f"  edge [fontname={quote(FONT)}, fontsize=9];",
    ]
    lines += [_node_line(node) for node in graph.nodes if node.reachable]
    outside = [node for node in graph.nodes if not node.reachable]
    if outside:
        lines.append("  subgraph cluster_unreachable {")
        lines.append('    label="Not reachable from the start"; style="dashed"; color="#8a8a8a";')
        lines += ["  " + _node_line(node) for node in outside]
        lines.append("  }")
    if any(node.id == graph.start for node in graph.nodes):
        lines.append(f"  {{ rank=min; {quote(graph.start)}; }}")
    lines += [_edge_line(edge, colors) for edge in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_line(node: MapNode) -> str:
    attributes = dict(_SHAPES[node.kind])
    fill, stroke = NODE_COLORS[node.kind]
    if node.start:
        fill, stroke = START_FILL, START_STROKE
        attributes["penwidth"] = "3"
    elif not node.reachable:
        fill, stroke = UNREACHABLE_FILL, UNREACHABLE_STROKE
    label = shorten(node.label, NODE_CHARS)
    tooltip = node.label if node.label == node.id else f"{node.label} ({node.id})"
    if node.place:
        tooltip += f" - {node.place}"
    attributes.update(fillcolor=fill, color=stroke)
    text = ", ".join(f"{key}={quote(value)}" for key, value in attributes.items())
    # The label's "\n" is DOT's own line break, added after quoting the scene's texts.
    shown = quote(label)[:-1] + ("\\n" + quote(node.id)[1:] if node.label != node.id else '"')
    return f"  {quote(node.id)} [label={shown}, tooltip={quote(tooltip)}, {text}];"


def _edge_line(edge: MapEdge, colors: dict[str, str]) -> str:
    if edge.kind == ROUTE:
        color = ROUTE_COLOR
    else:
        color = colors.get(edge.response or "", NO_RESPONSE_COLOR)
    tooltip = edge.label + (f" [{edge.response}]" if edge.response else "")
    if edge.detail:
        tooltip += f" ({edge.detail})"
    attributes = {
        "label": edge_caption(edge, EDGE_CHARS),
        "tooltip": tooltip,
        "color": color,
        "fontcolor": color,
    }
    if edge.kind in _EDGE_STYLES:
        attributes["style"] = _EDGE_STYLES[edge.kind]
    text = ", ".join(f"{key}={quote(value)}" for key, value in attributes.items())
    return f"  {quote(edge.source)} -> {quote(edge.target)} [{text}];"
