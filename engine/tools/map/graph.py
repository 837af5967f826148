"""A story as a plain-data graph, the common input of every story map format.

`build_graph(story)` turns the immutable `Story` into nodes (one per scene: id, label, kind,
whether it is the start and whether the start reaches it) and edges (one per choice with a
`goto`, one per distinct outcome target of a choice with `outcomes`, one per router entry). The
formats (`mermaid`, `dot` and `svg` beside this module) draw this graph and never look at the
story model.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.story import model
from engine.tools.map.labels import shorten

# Node kinds, as the map shows them.
SCENE = "scene"  # a scene with choices
ROUTER = "router"  # a scene that goes on at once, by its `next` list
ENDING = "ending"

# Edge kinds.
CHOICE = "choice"  # a choice with a `goto`
OUTCOME = "outcome"  # one possible result of a choice with `outcomes`
ROUTE = "route"  # an entry of a router's `next` list

_NODE_KINDS = {model.CHOICES: SCENE, model.ROUTER: ROUTER, model.ENDING: ENDING}


@dataclass(frozen=True, slots=True)
class MapNode:
    """A scene on the map. `label` is the scene's title, an ending's title, or else its id."""

    id: str
    label: str
    kind: str
    start: bool = False
    reachable: bool = True
    place: str | None = None  # "file:line", for tooltips


@dataclass(frozen=True, slots=True)
class MapEdge:
    """A way from one scene to another.

    `label` is the choice's text (for routes: the condition, or "otherwise"); `response` the
    choice's response id, if any; `detail` what else decides it (an outcome's condition and
    weight, a choice's own condition), for tooltips and long forms.
    """

    source: str
    target: str
    label: str
    kind: str
    response: str | None = None
    choice: str | None = None  # the choice's id, for choice and outcome edges
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class StoryGraph:
    """The whole map: nodes in story order, edges in story order, and the response labels."""

    title: str
    start: str
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    responses: Mapping[str, str]


def build_graph(story: model.Story) -> StoryGraph:
    """The story's map graph."""
    edges: list[MapEdge] = []
    for scene in story.scenes.values():
        edges.extend(scene_edges(scene))
    reached = reachable(story.start, ((edge.source, edge.target) for edge in edges))
    nodes = tuple(
        MapNode(
            scene.id,
            scene_label(scene),
            _NODE_KINDS[scene.kind],
            scene.id == story.start,
            scene.id in reached,
            f"{scene.place.file}:{scene.place.line}" if scene.place else None,
        )
        for scene in story.scenes.values()
    )
    return StoryGraph(story.title, story.start, nodes, tuple(edges), dict(story.responses))


def scene_label(scene: model.Scene) -> str:
    if scene.title:
        return scene.title
    if scene.ending is not None and scene.ending.title:
        return scene.ending.title
    return scene.id


def scene_edges(scene: model.Scene) -> list[MapEdge]:
    edges = []
    for choice in scene.choices:
        guard = f"if {choice.condition.source}" if choice.condition is not None else None
        if choice.goto is not None:
            edges.append(
                MapEdge(
                    scene.id, choice.goto, choice.text, CHOICE, choice.response, choice.id, guard
                )
            )
            continue
        # Outcomes of one choice that lead to the same scene are one edge, their details joined.
        details: dict[str, list[str]] = {}
        for outcome in choice.outcomes:
            details.setdefault(outcome.goto, []).append(outcome_detail(outcome))
        for target, parts in details.items():
            detail = " | ".join(parts)
            edges.append(
                MapEdge(
                    scene.id,
                    target,
                    choice.text,
                    OUTCOME,
                    choice.response,
                    choice.id,
                    f"{guard}; {detail}" if guard else detail,
                )
            )
    for route in scene.routes:
        label = f"if {route.condition.source}" if route.condition is not None else "otherwise"
        edges.append(MapEdge(scene.id, route.goto, label, ROUTE))
    return edges


def outcome_detail(outcome: model.Outcome) -> str:
    parts = []
    if outcome.condition is not None:
        parts.append(f"if {outcome.condition.source}")
    weight = f"{outcome.weight:g}"
    parts.append(f"weight {weight}")
    return ", ".join(parts)


def reachable(start: str, pairs: Iterable[tuple[str, str]]) -> set[str]:
    """Every node a path from `start` reaches, `start` included."""
    following: dict[str, list[str]] = {}
    for source, target in pairs:
        following.setdefault(source, []).append(target)
    seen = {start}
    queue = deque([start])
    while queue:
        for target in following.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def edge_caption(edge: MapEdge, max_chars: int) -> str:
    """The edge's label as a map shows it: the choice's text, shortened, and its response in
    brackets (`Let it go. [accept]`); for a router entry, its condition or "otherwise"."""
    response = f" [{edge.response}]" if edge.response else ""
    return shorten(edge.label, max(8, max_chars - len(response))) + response
