"""The story map drawn as a self-contained SVG (`.svg`), with no outside program.

The picture (see docs/story-map.md): the story's title and a legend on top, then the scenes in
rows from the start down (`engine.tools.map.layout`). Scenes with choices are rounded boxes, routers
dashed hexagons, endings boxes with a double border; the start is green with a thick border and a
triangle; scenes the start does not reach sit in a dashed frame at the bottom. Choices are solid
arrows, outcomes dashed, router entries grey and dotted; arrows and labels take their response's
colour, and each label names the response in brackets. Arrows that skip rows run down lanes
between the boxes; arrows that go back up (loops) run round the side of the boxes, or round
through a gutter beside the rows (`edges`). Long texts are cut with an ellipsis; the full text
is in a tooltip (`<title>`). Everything is escaped as XML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from engine.tools.map.edges import EdgePath, EdgeRouter, LabelPlacer
from engine.tools.map.graph import (
    CHOICE,
    ENDING,
    OUTCOME,
    ROUTE,
    ROUTER,
    SCENE,
    MapEdge,
    MapNode,
    StoryGraph,
    edge_caption,
)
from engine.tools.map.labels import count, fit, one_line, text_width
from engine.tools.map.layout import Box, Layout, LayoutOptions, layout_graph
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

FONT = "Helvetica, Arial, 'Liberation Sans', 'Noto Sans', 'DejaVu Sans', sans-serif"
LABEL_SIZE = 13  # a scene's title
ID_SIZE = 10  # a scene's id, under its title
EDGE_SIZE = 11
MAX_LABEL_WIDTH = 210.0
MAX_EDGE_LABEL_WIDTH = 190.0
EDGE_CHARS = 34
PAD_X = 12.0
MIN_WIDTH = 64.0
ONE_LINE_HEIGHT = 32.0
TWO_LINE_HEIGHT = 44.0
ROUTER_SLANT = 12.0  # how far a router's hexagon points stick out
START_MARK = 14.0  # room for the start's triangle
MARGIN = 24.0
LABEL_BAND = EDGE_SIZE + 6.0  # an edge label's height, with a little room
THOROUGH_LABELS = 4000  # up to this many edges, labels try hard to find a free spot
QUICK_LABELS = 20_000  # beyond this many, each label sits at its arrow's middle, unchecked


@dataclass(frozen=True, slots=True)
class Options:
    layout: LayoutOptions = LayoutOptions()
    legend: bool = True


def xml(text: str) -> str:
    """Text safe in XML content and in double-quoted attributes, on one line."""
    return (
        one_line(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


# Sizes ---------------------------------------------------------------------------------------


def node_texts(node: MapNode) -> tuple[str, str | None]:
    """The label shown in a node's box, and its id under it (when the label is not the id)."""
    label = fit(node.label, LABEL_SIZE, MAX_LABEL_WIDTH, bold=True)
    shown_id = None if node.label == node.id else fit(node.id, ID_SIZE, MAX_LABEL_WIDTH)
    return label, shown_id


def edge_label(edge: MapEdge) -> tuple[str, float]:
    """An edge's label and its width: its caption, the choice's text cut to fit, the response
    kept whole."""
    caption = edge_caption(edge, EDGE_CHARS)
    width = text_width(caption, EDGE_SIZE)
    if width <= MAX_EDGE_LABEL_WIDTH:
        return caption, width
    response = f" [{edge.response}]" if edge.response else ""
    room = max(MAX_EDGE_LABEL_WIDTH - text_width(response, EDGE_SIZE), 40.0)
    text = fit(caption[: len(caption) - len(response)], EDGE_SIZE, room) + response
    return text, text_width(text, EDGE_SIZE)


def node_size(node: MapNode) -> tuple[float, float]:
    label, shown_id = node_texts(node)
    inner = text_width(label, LABEL_SIZE, bold=True)
    if shown_id is not None:
        inner = max(inner, text_width(shown_id, ID_SIZE))
    width = inner + 2 * PAD_X
    if node.kind == ROUTER:
        width += 2 * ROUTER_SLANT
    if node.start:
        width += START_MARK
    height = TWO_LINE_HEIGHT if shown_id is not None else ONE_LINE_HEIGHT
    return max(MIN_WIDTH, math.ceil(width)), height


LegendItem = tuple[str, str, str]  # sample kind ("node", "line", "area"), css class, text


class Label(NamedTuple):
    """An edge label's text and its box (top-left corner and size)."""

    text: str
    x: float
    y: float
    width: float
    height: float


# Drawing -------------------------------------------------------------------------------------


STYLE = """
text { font-family: %(font)s; fill: #1a202c; }
.title { font-size: 20px; font-weight: bold; }
.subtitle, .caption { font-size: 12px; fill: #4a5568; }
.legend-text { font-size: 11px; }
.legend-caption { font-size: 11px; font-weight: bold; fill: #4a5568; }
.node .label { font-size: %(label)dpx; font-weight: bold; text-anchor: middle; }
.node .id { font-size: %(id)dpx; fill: #4a5568; text-anchor: middle; }
.node .shape { stroke-width: 1.4; }
.scene .shape { fill: %(scene_fill)s; stroke: %(scene_stroke)s; }
.router .shape { fill: %(router_fill)s; stroke: %(router_stroke)s; stroke-dasharray: 5 3; }
.ending .shape { fill: %(ending_fill)s; stroke: %(ending_stroke)s; }
.ending .inner { fill: none; stroke: %(ending_stroke)s; stroke-width: 1.2; }
.start .shape { fill: %(start_fill)s; stroke: %(start_stroke)s; stroke-width: 3.2; }
.start .mark { fill: %(start_stroke)s; }
.unreachable .shape { fill: %(unreachable_fill)s; }
.edge path { fill: none; stroke-width: 1.5; }
.edge.outcome path { stroke-dasharray: 7 4; }
.edge.route path { stroke-dasharray: 2 3; }
.edge-label rect { fill: #ffffff; fill-opacity: 0.88; stroke-width: 0.8; }
.edge-label text { font-size: %(edge)dpx; text-anchor: middle; }
.edge-label.route text { fill: #555555; }
.edge-label.route rect { stroke: %(route)s; }
.area { fill: #fafafa; stroke: %(unreachable_stroke)s; stroke-width: 1.5;
  stroke-dasharray: 8 5; }
"""


class SvgWriter:
    """Builds the SVG text of one map."""

    def __init__(self, graph: StoryGraph, options: Options | None = None):
        self.graph = graph
        self.options = options or Options()
        self.nodes = {node.id: node for node in graph.nodes}
        self.colors = response_colors(graph.responses)
        self.color_class = {response: f"r{number}" for number, response in enumerate(self.colors)}
        self.out: list[str] = []

    def render(self) -> str:
        graph = self.graph
        sizes = {node.id: node_size(node) for node in graph.nodes}
        layout = layout_graph(
            [node.id for node in graph.nodes],
            [(edge.source, edge.target) for edge in graph.edges],
            graph.start,
            sizes,
            self.options.layout,
        )
        paths, labels = self._edge_geometry(layout)
        self._write(layout, paths, labels)
        return "\n".join(self.out) + "\n"

    def _write(self, layout: Layout, paths: list[EdgePath], labels: list[Label]) -> None:
        graph = self.graph
        left, top, right, bottom = _bounds(layout, paths, labels)
        legend = self._legend_groups() if self.options.legend else []
        width = max(right - left + 2 * MARGIN, 640.0)
        legend_height = _legend_spots(legend, width - 2 * MARGIN)[2] if legend else 0.0
        map_top = MARGIN + 48 + legend_height
        height = map_top + bottom - top + MARGIN
        self.out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}">',
            f"<title>{xml('Story map: ' + graph.title)}</title>",
        ]
        self._defs()
        self.out.append(f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>')
        self._header()
        self._legend(legend, width - 2 * MARGIN)
        self.out.append(
            f'<g class="map" transform="translate({MARGIN - left:.1f},{map_top - top:.1f})">'
        )
        self._area(layout)
        labels_text = self._labels_group(labels)
        self.out.append(self._edges_group(paths))
        self._nodes(layout)
        self.out.append(labels_text)
        self.out.append("</g>")
        self.out.append("</svg>")

    def _edge_geometry(self, layout: Layout) -> tuple[list[EdgePath], list[Label]]:
        """Every edge's path, and every label's text and place, labels placed one by one."""
        router = EdgeRouter([(edge.source, edge.target) for edge in self.graph.edges], layout)
        arrows = len(self.graph.edges)
        placer = LabelPlacer(
            list(layout.boxes.values()),
            LABEL_BAND,
            thorough=arrows <= THOROUGH_LABELS,
            quick=arrows > QUICK_LABELS,
        )
        paths, labels = [], []
        height = LABEL_BAND - 1
        for number, edge in enumerate(self.graph.edges):
            path = router.path(number)
            text, width = edge_label(edge)
            width += 8
            left, top, _, _ = placer.place(path, width)
            paths.append(path)
            labels.append(Label(text, left, top + 0.5, width, height))
        return paths, labels

    def _header(self) -> None:
        graph = self.graph
        endings = sum(1 for node in graph.nodes if node.kind == ENDING)
        outside = sum(1 for node in graph.nodes if not node.reachable)
        facts = (
            f"{count(len(graph.nodes), 'scene')}, {count(endings, 'ending')}, "
            f"{count(len(graph.edges), 'arrow')}; start: {graph.start}"
        )
        if outside:
            facts += f"; {outside} not reachable from the start"
        self.out.append(
            f'<text class="title" x="{MARGIN:.0f}" y="{MARGIN + 16:.0f}">{xml(graph.title)}</text>'
        )
        self.out.append(
            f'<text class="subtitle" x="{MARGIN:.0f}" y="{MARGIN + 36:.0f}">{xml(facts)}</text>'
        )

    def _defs(self) -> None:
        fills = {
            f"{kind}_{part}": color
            for kind, pair in NODE_COLORS.items()
            for part, color in zip(("fill", "stroke"), pair, strict=True)
        }
        style = STYLE % dict(
            font=FONT,
            label=LABEL_SIZE,
            id=ID_SIZE,
            edge=EDGE_SIZE,
            route=ROUTE_COLOR,
            start_fill=START_FILL,
            start_stroke=START_STROKE,
            unreachable_fill=UNREACHABLE_FILL,
            unreachable_stroke=UNREACHABLE_STROKE,
            **fills,
        )
        rules = [style.strip()]
        markers = []
        for name, color in [
            *((self.color_class[r], c) for r, c in self.colors.items()),
            ("none", NO_RESPONSE_COLOR),
            ("route", ROUTE_COLOR),
        ]:
            rules.append(
                f".edge.{name} path {{ stroke: {color}; marker-end: url(#arrow-{name}); }}"
            )
            rules.append(
                f".edge-label.{name} text {{ fill: {color}; }} "
                f".edge-label.{name} rect {{ stroke: {color}; }}"
            )
            markers.append(
                f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
                f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                f'<path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
            )
        self.out.append("<defs>")
        self.out.append("<style>\n" + "\n".join(rules) + "\n</style>")
        self.out += markers
        self.out.append("</defs>")

    def _color_name(self, edge: MapEdge) -> str:
        if edge.kind == ROUTE:
            return "route"
        return self.color_class.get(edge.response or "", "none")

    # The legend ------------------------------------------------------------------------------

    def _legend_groups(self) -> list[tuple[str, list[LegendItem]]]:
        """The legend: (caption, entries), each entry (sample kind, css class, text)."""
        scenes = [
            ("node", "node scene start", "the start"),
            ("node", "node scene", "scene with choices"),
            ("node", "node router", "router: goes on at once"),
            ("node", "node ending", "ending"),
        ]
        if any(not node.reachable for node in self.graph.nodes):
            scenes.append(("area", "area", "not reachable from the start"))
        arrows = [
            ("line", f"edge {CHOICE} none", "choice"),
            ("line", f"edge {OUTCOME} none", "one outcome of a choice (by chance or condition)"),
            ("line", f"edge {ROUTE} route", "router entry"),
        ]
        responses = [
            ("line", f"edge {CHOICE} {self.color_class[response]}", f"[{response}] {label}")
            for response, label in self.graph.responses.items()
        ]
        if any(edge.kind != ROUTE and not edge.response for edge in self.graph.edges):
            responses.append(("line", f"edge {CHOICE} none", "no response"))
        groups = [("Scenes", scenes), ("Arrows", arrows)]
        if responses:
            groups.append(("Responses", responses))
        return groups

    def _legend(self, groups: list[tuple[str, list[LegendItem]]], width: float) -> None:
        if not groups:
            return
        self.out.append(f'<g class="legend" transform="translate({MARGIN:.0f},{MARGIN + 52:.0f})">')
        captions, spots, _ = _legend_spots(groups, width)
        for (caption, _), (x, y) in zip(groups, captions, strict=True):
            self.out.append(
                f'<text class="legend-caption" x="{x:.0f}" y="{y + 14:.0f}">{xml(caption)}</text>'
            )
        items = [item for _, entries in groups for item in entries]
        for (kind, css, text), (x, y) in zip(items, spots, strict=True):
            self.out.append(f'<g class="legend-item" transform="translate({x:.0f},{y:.0f})">')
            if kind == "node":
                sample = MapNode("", "", css.split()[1], start="start" in css)
                self.out.append(f'<g class="{css}">')
                self._shape(sample, Box(0, 0, 34, 20, 0, 0))
                self.out.append("</g>")
            elif kind == "line":
                self.out.append(f'<g class="{css}"><path d="M0,10 L34,10"/></g>')
            else:
                self.out.append(f'<rect class="{css}" x="0" y="1" width="34" height="18"/>')
            self.out.append(f'<text class="legend-text" x="42" y="14">{xml(text)}</text></g>')
        self.out.append("</g>")

    # The map ---------------------------------------------------------------------------------

    def _area(self, layout: Layout) -> None:
        frame = layout.unreachable
        if frame is None:
            return
        outside = sum(1 for node in self.graph.nodes if not node.reachable)
        self.out.append(
            f'<g class="unreachable-area"><rect class="area" x="{frame.x:.1f}" y="{frame.y:.1f}" '
            f'width="{frame.width:.1f}" height="{frame.height:.1f}" rx="10"/>'
            f'<text class="caption" x="{frame.x + 14:.1f}" y="{frame.y + 22:.1f}">'
            f"Not reachable from the start ({count(outside, 'scene')})</text></g>"
        )

    def _edges_group(self, paths: list[EdgePath]) -> str:
        """The arrows, each with its tooltip."""
        out = ['<g class="edges">']
        ids = {node: xml(node) for node in self.nodes}
        for edge, path in zip(self.graph.edges, paths, strict=True):
            out.append(
                f'<g class="edge {edge.kind} {self._color_name(edge)}" '
                f'data-source="{ids[edge.source]}" data-target="{ids[edge.target]}">'
                f'<title>{xml(_edge_tooltip(edge))}</title><path d="{path.svg()}"/></g>'
            )
        out.append("</g>")
        return "\n".join(out)

    def _labels_group(self, labels: list[Label]) -> str:
        """The arrows' labels, each with its arrow's tooltip."""
        out = ['<g class="edge-labels">']
        color_name = self._color_name
        lift = EDGE_SIZE * 0.36
        for edge, (text, left, top, width, height) in zip(self.graph.edges, labels, strict=True):
            out.append(
                f'<g class="edge-label {edge.kind} {color_name(edge)}">'
                f'<title>{xml(_edge_tooltip(edge))}</title><rect x="{left:.1f}" '
                f'y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
                f'rx="3"/><text x="{left + width / 2:.1f}" y="{top + height / 2 + lift:.1f}">'
                f"{xml(text)}</text></g>"
            )
        out.append("</g>")
        return "\n".join(out)

    def _nodes(self, layout: Layout) -> None:
        self.out.append('<g class="nodes">')
        for node in self.graph.nodes:
            box = layout.boxes[node.id]
            classes = (
                f"node {node.kind}"
                + (" start" if node.start else "")
                + ("" if node.reachable else " unreachable")
            )
            self.out.append(
                f'<g class="{classes}" id="scene-{xml(node.id)}" '
                f'data-scene="{xml(node.id)}"><title>{xml(_node_tooltip(node))}</title>'
            )
            self._shape(node, box)
            self._node_text(node, box)
            self.out.append("</g>")
        self.out.append("</g>")

    def _shape(self, node: MapNode, box: Box) -> None:
        x, y, w, h = box.x, box.y, box.width, box.height
        if node.kind == ROUTER:
            s = min(ROUTER_SLANT, w / 4)
            points = [
                (x + s, y),
                (x + w - s, y),
                (x + w, y + h / 2),
                (x + w - s, y + h),
                (x + s, y + h),
                (x, y + h / 2),
            ]
            self.out.append(
                '<polygon class="shape" points="'
                + " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
                + '"/>'
            )
        elif node.kind == ENDING:
            inset = 3.5 if h > 24 else 2.5
            self.out.append(
                f'<rect class="shape" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{h:.1f}"/><rect class="inner" x="{x + inset:.1f}" '
                f'y="{y + inset:.1f}" width="{w - 2 * inset:.1f}" '
                f'height="{h - 2 * inset:.1f}"/>'
            )
        else:
            self.out.append(
                f'<rect class="shape" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{h:.1f}" rx="{min(10.0, h / 3):.1f}"/>'
            )
        if node.start:
            size = min(8.0, h / 3)
            left = x + PAD_X - 4 + (ROUTER_SLANT if node.kind == ROUTER else 0.0)
            self.out.append(
                f'<path class="mark" d="M{left:.1f},{y + h / 2 - size:.1f} '
                f"L{left + size * 1.2:.1f},{y + h / 2:.1f} "
                f'L{left:.1f},{y + h / 2 + size:.1f} z"/>'
            )

    def _node_text(self, node: MapNode, box: Box) -> None:
        label, shown_id = node_texts(node)
        center = box.center_x + (START_MARK / 2 if node.start else 0.0)
        if shown_id is None:
            self.out.append(
                f'<text class="label" x="{center:.1f}" '
                f'y="{box.center_y + LABEL_SIZE * 0.36:.1f}">{xml(label)}</text>'
            )
            return
        self.out.append(
            f'<text class="label" x="{center:.1f}" y="{box.y + 19:.1f}">{xml(label)}'
            f'</text><text class="id" x="{center:.1f}" y="{box.y + 34:.1f}">'
            f"{xml(shown_id)}</text>"
        )


def _bounds(
    layout: Layout, paths: list[EdgePath], labels: list[Label]
) -> tuple[float, float, float, float]:
    """The map's extent: boxes, paths and labels."""
    left, top, right, bottom = 0.0, 0.0, layout.width, layout.height
    for path in paths:
        if path.inside:
            continue
        low_x, low_y, high_x, high_y = path.bounds()
        left, right = min(left, low_x), max(right, high_x)
        top, bottom = min(top, low_y), max(bottom, high_y)
    if labels:
        left = min(left, min(label.x for label in labels))
        right = max(right, max(label.x + label.width for label in labels))
        top = min(top, min(label.y for label in labels))
        bottom = max(bottom, max(label.y + label.height for label in labels))
    return left - 8, top - 8, right + 8, bottom + 8


def _node_tooltip(node: MapNode) -> str:
    kinds = {SCENE: "scene", ROUTER: "router", ENDING: "ending"}
    text = node.label if node.label == node.id else f"{node.label} ({node.id})"
    text += f": {kinds[node.kind]}"
    if node.start:
        text += ", the start"
    if not node.reachable:
        text += ", not reachable from the start"
    if node.place:
        text += f"; {node.place}"
    return text


def _edge_tooltip(edge: MapEdge) -> str:
    text = f"{edge.source} → {edge.target}: {edge.label}"
    if edge.response:
        text += f" [{edge.response}]"
    if edge.detail:
        text += f" ({edge.detail})"
    return text


LEGEND_LINE = 26.0
LEGEND_INDENT = 86.0  # where entries start, after a group's caption


def _legend_spots(
    groups: list[tuple[str, list[LegendItem]]], width: float
) -> tuple[list[tuple[float, float]], list[tuple[float, float]], float]:
    """Where each caption and each entry goes (a group per line, wrapped), and the height."""
    captions, spots = [], []
    y = 0.0
    for _, entries in groups:
        captions.append((0.0, y))
        x = LEGEND_INDENT
        for _, _, text in entries:
            room = 42 + text_width(text, 11) + 24
            if x > LEGEND_INDENT and x + room > width:
                x, y = LEGEND_INDENT, y + LEGEND_LINE
            spots.append((x, y))
            x += room
        y += LEGEND_LINE
    return captions, spots, y + 8


def render(graph: StoryGraph, options: Options | None = None) -> str:
    return SvgWriter(graph, options).render()
