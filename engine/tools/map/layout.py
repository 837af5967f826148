"""A layered layout for a story map: rows of boxes, from the start scene down.

1. Loops: within each strongly connected component (scenes that can all reach each other),
   edges that lead back to a scene nearer the start (by breadth-first depth), and enough of
   those between scenes of one depth to break their loops, are left out of the layering and
   drawn round the side.
2. Layers: each scene goes one layer below the deepest scene leading to it (the longest path
   from the start), so a side branch that rejoins the main line sits between the scenes it
   joins. An edge spanning several layers gets a chain of invisible points, one per layer it
   passes, so it has a lane of its own. When that would take more than `max_long_edge_points`
   points (in very large or tangled stories), layers are the breadth-first depth instead: every
   edge forward then spans one layer, and the others run round the side or arc within a row.
3. Scenes the start does not reach get an area of their own below, laid out the same way from
   their own roots (scenes no other unreachable scene leads to; for a closed loop, its first).
4. Order: a few sweeps of barycentric ordering (each node moves towards the mean position of its
   neighbours in the layer above, then below), keeping the order with the fewest crossings.
5. Rows: a layer wider than `max_row_width` wraps onto several rows.
6. Coordinates: each box as near as it can to the mean of its parents, without overlapping its
   row (the mean of a left-packed and a right-packed placement); rows spaced by how many edge
   labels must fit between them.

Plain data in, plain data out: node ids, (source, target) pairs and box sizes; no SVG here.
Near-linear in the graph's size, so 10,000 scenes lay out in about a second.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

LONGEST_PATH = "longest-path"
BREADTH_FIRST = "breadth-first"


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    layering: str = "auto"  # LONGEST_PATH, BREADTH_FIRST, or "auto": longest path unless too big
    max_long_edge_points: int | None = None  # "auto" limit; None: 2 per node, at least 500
    node_gap: float = 36.0  # horizontal space between the boxes of a row
    lane_width: float = 10.0  # the width an edge passing through a row takes
    row_gap: float = 56.0  # least vertical space between rows
    max_row_width: float = 2400.0  # a layer wider than this wraps onto more rows
    label_width: float = 150.0  # the room an edge label takes, to space rows
    label_height: float = 19.0
    max_label_stack: int = 9  # rows are never spaced for more labels than this, one above another
    sweeps: int = 8  # sweeps of barycentric ordering (half of them for over `big` nodes)
    big: int = 3000
    area_gap: float = 70.0  # between the reachable area and the unreachable one
    area_padding: float = 18.0  # inside the unreachable area's frame
    area_caption: float = 30.0  # room for the unreachable area's caption


@dataclass(frozen=True, slots=True)
class Box:
    """Where a node goes: its top-left corner and size, its layer and its row."""

    x: float
    y: float
    width: float
    height: float
    layer: int
    row: int
    reachable: bool = True

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def center_y(self) -> float:
        return self.y + self.height / 2

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


@dataclass(frozen=True, slots=True)
class Lane:
    """Where a long edge passes a row: straight down at `x`, from `top` to `bottom`."""

    x: float
    top: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Row:
    """One row of boxes, left to right (long edges' lanes left out); all in `layer`."""

    y: float
    height: float
    layer: int
    ids: tuple[str, ...]
    reachable: bool = True


@dataclass(frozen=True, slots=True)
class Frame:
    """A rectangle: the area of scenes the start does not reach."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Layout:
    boxes: Mapping[str, Box]
    rows: tuple[Row, ...]
    width: float
    height: float
    lanes: Mapping[tuple[str, str], tuple[Lane, ...]]  # for edges that span several layers
    unreachable: Frame | None = None  # the frame around unreachable scenes, if there are any
    crossings: int = 0  # edge crossings between adjacent layers, after ordering
    layering: str = LONGEST_PATH


def layout_graph(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    start: str,
    sizes: Mapping[str, tuple[float, float]],
    options: LayoutOptions | None = None,
) -> Layout:
    """Lay out `nodes` (ids in story order) joined by `edges`, from `start`.

    `sizes` gives each node's (width, height). Every node gets a box; no two boxes overlap.
    """
    options = options or LayoutOptions()
    graph = _Graph(nodes, edges)
    roots = [start] if start in graph.index else list(nodes[:1])
    depth = _breadth_first(graph, roots, set())
    layering, layers = _choose_layering(graph, depth, options)
    main = _Area(graph, roots, set(), layering, (depth, layers))
    areas = [main]
    rest = [node for node in nodes if node not in main.layer]
    if rest:
        areas.append(_Area(graph, _roots(graph, rest), set(main.layer), layering))

    plan = _Plan(sizes, options)
    crossings = 0
    frame_rows = None
    for number, area in enumerate(areas):
        if number:
            plan.y += options.area_gap + options.area_caption
        crossings += area.order(
            options.sweeps if len(nodes) <= options.big else options.sweeps // 2
        )
        top = plan.y
        plan.place_area(area, reachable=number == 0)
        if number:
            frame_rows = (top, plan.y)
    return plan.finish(areas, frame_rows, crossings, layering)


# The graph and its layers --------------------------------------------------------------------

Node = Hashable  # a scene id (str), or a point of a long edge (a tuple)


class _Graph:
    """Adjacency lists without repeats or self loops, how many edges each link stands for, and
    each node's position in story order."""

    def __init__(self, nodes: Sequence[str], edges: Iterable[tuple[str, str]]):
        self.index = {node: position for position, node in enumerate(nodes)}
        self.following: dict[str, list[str]] = {node: [] for node in nodes}
        self.preceding: dict[str, list[str]] = {node: [] for node in nodes}
        self.count: dict[tuple[str, str], int] = {}  # how many edges join each pair
        for source, target in edges:
            pair = (source, target)
            if source == target or source not in self.index or target not in self.index:
                continue
            if pair in self.count:
                self.count[pair] += 1
                continue
            self.count[pair] = 1
            self.following[source].append(target)
            self.preceding[target].append(source)


def _breadth_first(graph: _Graph, roots: list[str], excluded: set[str]) -> dict[str, int]:
    """Each node's depth from the nearest root, in the order found."""
    depth: dict[str, int] = {}
    frontier = []
    for root in roots:
        if root not in depth and root not in excluded:
            depth[root] = 0
            frontier.append(root)
    level = 0
    while frontier:
        level += 1
        following = []
        for node in frontier:
            for target in graph.following[node]:
                if target not in depth and target not in excluded:
                    depth[target] = level
                    following.append(target)
        frontier = following
    return depth


def _components(graph: _Graph, nodes: Iterable[str]) -> dict[str, int]:
    """Each node's strongly connected component (Tarjan's algorithm, without recursion): two
    nodes share one when each can reach the other, so a loop never leaves its component."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        work = [(root, iter(graph.following[root]))]
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    work.append((target, iter(graph.following[target])))
                    break
                if target not in component:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    number = len(index) + len(component)
                    while True:
                        member = stack.pop()
                        component[member] = number
                        if member == node:
                            break
    return component


def _back_edges(graph: _Graph, depth: Mapping[str, int]) -> set[tuple[str, str]]:
    """The edges to leave out so that the rest has no loops. Only edges within a strongly
    connected component can close a loop; of those, the ones to a node nearer the start (by
    breadth-first depth), and among those between nodes of one depth, the ones a depth-first
    walk finds leading back to a node still on its path."""
    back = set()
    flat: dict[str, list[str]] = {}
    component = _components(graph, depth)
    for node, level in depth.items():
        for target in graph.following[node]:
            other = depth.get(target)
            if other is None or component[target] != component[node]:
                continue
            if other < level:
                back.add((node, target))
            elif other == level:
                flat.setdefault(node, []).append(target)
    state: dict[str, int] = {}  # 1: on the path, 2: done
    for root in flat:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(flat[root]))]
        while stack:
            node, targets = stack[-1]
            for target in targets:
                mark = state.get(target)
                if mark == 1:
                    back.add((node, target))
                elif mark is None:
                    state[target] = 1
                    stack.append((target, iter(flat.get(target, ()))))
                    break
            else:
                state[node] = 2
                stack.pop()
    return back


def _longest_path(
    graph: _Graph, depth: Mapping[str, int], back: set[tuple[str, str]]
) -> dict[str, int]:
    """Each node one layer below the deepest node leading to it, loops left out."""
    waiting = {node: 0 for node in depth}
    for node in depth:
        for target in graph.following[node]:
            if target in waiting and (node, target) not in back:
                waiting[target] += 1
    layer = {node: 0 for node in depth}
    ready = [node for node, count in waiting.items() if count == 0]
    while ready:
        node = ready.pop()
        for target in graph.following[node]:
            if target in waiting and (node, target) not in back:
                layer[target] = max(layer[target], layer[node] + 1)
                waiting[target] -= 1
                if waiting[target] == 0:
                    ready.append(target)
    return layer


def _choose_layering(
    graph: _Graph, depth: dict[str, int], options: LayoutOptions
) -> tuple[str, dict[str, int] | None]:
    """The layering to use for the area `depth` covers (its nodes' breadth-first depths), and
    the longest-path layers when they were worked out to decide."""
    if options.layering == BREADTH_FIRST:
        return BREADTH_FIRST, None
    layer = _longest_path(graph, depth, _back_edges(graph, depth))
    if options.layering == LONGEST_PATH:
        return LONGEST_PATH, layer
    points = sum(
        layer[target] - layer[node] - 1
        for node in layer
        for target in graph.following[node]
        if target in layer and layer[target] > layer[node] + 1
    )
    limit = options.max_long_edge_points
    if limit is None:
        limit = max(500, 2 * len(graph.index))
    return (LONGEST_PATH, layer) if points <= limit else (BREADTH_FIRST, None)


def _roots(graph: _Graph, rest: list[str]) -> list[str]:
    """Where to start laying out unreachable scenes: those no other unreachable scene leads to,
    then, for loops that have no such scene, the first scene of each loop left over."""
    members = set(rest)
    roots = [
        node for node in rest if not any(source in members for source in graph.preceding[node])
    ]
    reached = set(_breadth_first(graph, roots, set()))
    for node in rest:
        if node not in reached:
            roots.append(node)
            reached.update(_breadth_first(graph, [node], reached))
    return roots


class _Area:
    """Nodes in layers, long edges cut into one-layer steps through points of their own, and
    the order of each layer."""

    def __init__(
        self,
        graph: _Graph,
        roots: list[str],
        excluded: set[str],
        layering: str,
        known: tuple[dict[str, int], dict[str, int] | None] | None = None,
    ):
        """`known`: the area's breadth-first depths and longest-path layers (or None), when
        they have been worked out already."""
        self.graph = graph
        depth, layers = known or (_breadth_first(graph, roots, excluded), None)
        if layering == LONGEST_PATH:
            self.layer: dict[Node, int] = dict(
                layers or _longest_path(graph, depth, _back_edges(graph, depth))
            )
        else:
            self.layer = dict(depth)
        self.down: dict[Node, list[Node]] = {node: [] for node in depth}
        self.up: dict[Node, list[Node]] = {node: [] for node in depth}
        self.chains: dict[tuple[str, str], list[Node]] = {}
        self.weight: dict[tuple[Node, Node], int] = {}  # edges that each one-layer step carries
        found = {node: number for number, node in enumerate(depth)}
        rank: dict[Node, float] = dict(found)
        for node in depth:
            for target in graph.following[node]:
                if target in depth and self.layer[target] > self.layer[node]:
                    self._join(node, target, rank, found)
        count = max(self.layer.values(), default=-1) + 1
        self.layers: list[list[Node]] = [[] for _ in range(count)]
        for node in sorted(self.layer, key=rank.__getitem__):
            self.layers[self.layer[node]].append(node)

    def _join(
        self, source: str, target: str, rank: dict[Node, float], found: dict[str, int]
    ) -> None:
        """Link source to target one layer at a time, through new points if it spans more."""
        previous: Node = source
        chain = []
        weight = self.graph.count[(source, target)]
        for layer in range(self.layer[source] + 1, self.layer[target]):
            point = ("lane", source, target, layer)
            self.layer[point] = layer
            rank[point] = found[source] + 0.5
            self.down[point], self.up[point] = [], []
            chain.append(point)
            self.down[previous].append(point)
            self.up[point].append(previous)
            self.weight[(previous, point)] = weight
            previous = point
        self.down[previous].append(target)
        self.up[target].append(previous)
        self.weight[(previous, target)] = weight
        if chain:
            self.chains[(source, target)] = chain

    def order(self, sweeps: int) -> int:
        """Reorder the layers to reduce crossings, in rounds of a sweep down and a sweep up;
        keep the best order found and return its crossings."""
        best = self.crossings()
        best_layers = [list(layer) for layer in self.layers]
        for _ in range(sweeps // 2):
            if best == 0:
                break
            self._sweep(downwards=True)
            self._sweep(downwards=False)
            count = self.crossings()
            if count < best:
                best, best_layers = count, [list(layer) for layer in self.layers]
        self.layers = best_layers
        return best

    def _sweep(self, downwards: bool) -> None:
        position = {
            node: (place + 0.5) / len(layer)
            for layer in self.layers
            for place, node in enumerate(layer)
        }
        numbers = range(1, len(self.layers)) if downwards else range(len(self.layers) - 2, -1, -1)
        neighbours = self.up if downwards else self.down
        for number in numbers:
            layer = self.layers[number]
            keys = {}
            for node in layer:
                near = neighbours[node]
                keys[node] = (
                    sum(position[other] for other in near) / len(near) if near else position[node]
                )
            layer.sort(key=keys.__getitem__)
            for place, node in enumerate(layer):
                position[node] = (place + 0.5) / len(layer)

    def crossings(self) -> int:
        """Crossings between the edges joining each pair of adjacent layers."""
        place = {node: spot for layer in self.layers for spot, node in enumerate(layer)}
        total = 0
        for number, layer in enumerate(self.layers[:-1]):
            pairs = sorted(
                (place[node], place[target]) for node in layer for target in self.down[node]
            )
            total += _inversions([target for _, target in pairs], len(self.layers[number + 1]))
        return total


def _inversions(values: list[int], size: int) -> int:
    """How many pairs i < j have values[i] > values[j] (a Fenwick tree over 0..size-1)."""
    tree = [0] * (size + 1)
    count = 0
    for seen, value in enumerate(values):
        at = value + 1
        not_greater = 0
        while at > 0:
            not_greater += tree[at]
            at -= at & -at
        count += seen - not_greater
        at = value + 1
        while at <= size:
            tree[at] += 1
            at += at & -at
    return count


# Coordinates ---------------------------------------------------------------------------------


class _Plan:
    """Rows and x centres of every node, area after area, top to bottom."""

    def __init__(self, sizes: Mapping[str, tuple[float, float]], options: LayoutOptions):
        self.sizes = sizes
        self.options = options
        self.centers: dict[Node, float] = {}
        self.rows: list[tuple[float, float, int, list[Node], bool]] = []
        self.y = 0.0

    def width_of(self, node: Node) -> float:
        return self.options.lane_width if isinstance(node, tuple) else self.sizes[node][0]

    def gap_between(self, left: Node, right: Node) -> float:
        """Boxes keep `node_gap` apart; lanes need less room beside each other and boxes."""
        lanes = isinstance(left, tuple) + isinstance(right, tuple)
        return self.options.node_gap / (1, 2, 4)[lanes]

    def place_area(self, area: _Area, reachable: bool) -> None:
        previous: list[Node] | None = None
        for layer, ids in self._wrap(area.layers):
            scenes = [node for node in ids if not isinstance(node, tuple)]
            height = max((self.sizes[node][1] for node in scenes), default=20.0)
            if previous is not None:
                self.y += self._gap(previous, ids, area)
            self._place_row(ids, area)
            self.rows.append((self.y, height, layer, ids, reachable))
            self.y += height
            previous = ids

    def _wrap(self, layers: list[list[Node]]) -> list[tuple[int, list[Node]]]:
        """Split each layer into rows no wider than `max_row_width`, of even widths."""
        rows = []
        for number, layer in enumerate(layers):
            total = sum(self.width_of(node) for node in layer) + sum(
                self.gap_between(a, b) for a, b in zip(layer, layer[1:], strict=False)
            )
            target = total / max(1, math.ceil(total / self.options.max_row_width))
            row: list[Node] = []
            width = 0.0
            for node in layer:
                extra = self.width_of(node) + (self.gap_between(row[-1], node) if row else 0.0)
                if row and width + extra > target * 1.02:
                    rows.append((number, row))
                    row, width, extra = [], 0.0, self.width_of(node)
                row.append(node)
                width += extra
            rows.append((number, row))
        return rows

    def _gap(self, above: list[Node], ids: list[Node], area: _Area) -> float:
        """Room between two rows: more when many edges, so many labels, pass between them."""
        options = self.options
        members = set(ids)
        into: dict[Node, int] = {}
        count = most = 0
        for node in above:
            out = 0
            for target in area.down[node]:
                if target in members:
                    weight = area.weight[(node, target)]
                    out += weight
                    into[target] = into.get(target, 0) + weight
            count += out
            most = max(most, out)
        most = max(most, max(into.values(), default=0))
        span = max(
            sum(self.width_of(node) for node in ids),
            sum(self.width_of(node) for node in above),
            1.0,
        )
        stack = max(most, math.ceil(count * options.label_width / span))
        return options.row_gap + options.label_height * min(stack, options.max_label_stack)

    def _place_row(self, ids: list[Node], area: _Area) -> None:
        widths = [self.width_of(node) for node in ids]
        # The least distance between neighbours' centres.
        apart = [
            (widths[i] + widths[i + 1]) / 2 + self.gap_between(ids[i], ids[i + 1])
            for i in range(len(ids) - 1)
        ]
        wanted: list[float | None] = []
        for node in ids:
            parents = [self.centers[parent] for parent in area.up[node] if parent in self.centers]
            wanted.append(sum(parents) / len(parents) if parents else None)
        desired = _fill_gaps(wanted, apart)
        left = list(desired)
        for i in range(1, len(ids)):
            left[i] = max(desired[i], left[i - 1] + apart[i - 1])
        right = list(desired)
        for i in range(len(ids) - 2, -1, -1):
            right[i] = min(desired[i], right[i + 1] - apart[i])
        centers = [(low + high) / 2 for low, high in zip(left, right, strict=True)]
        packed = sum(apart)
        if centers[-1] - centers[0] > max(packed * 1.5, self.options.max_row_width):
            # Parents far apart would spread the row too wide: pack it, centred on them.
            middle = sum(value for value in wanted if value is not None) / sum(
                1 for value in wanted if value is not None
            )
            centers = _fill_gaps([None] * len(ids), apart)
            centers = [x + middle for x in centers]
        # Keep every row within one band, so rows cannot drift ever further sideways.
        half = max(self.options.max_row_width, packed + widths[0] / 2 + widths[-1] / 2) / 2
        low, high = centers[0] - widths[0] / 2, centers[-1] + widths[-1] / 2
        shift = max(0.0, -half - low) + min(0.0, half - high)
        for node, x in zip(ids, centers, strict=True):
            x += shift
            self.centers[node] = x

    def finish(
        self,
        areas: list[_Area],
        frame_rows: tuple[float, float] | None,
        crossings: int,
        layering: str,
    ) -> Layout:
        """Shift everything so the picture starts at (0, 0), and build the boxes and lanes."""
        options = self.options
        centers = self.centers
        ends = [
            (centers[node] - self.width_of(node) / 2, centers[node] + self.width_of(node) / 2)
            for node in centers
        ]
        left = min((low for low, _ in ends), default=0.0)
        right = max((high for _, high in ends), default=0.0)
        pad = options.area_padding if frame_rows else 0.0
        shift = pad - left
        layer_of: dict[Node, int] = {}
        for area in areas:
            layer_of.update(area.layer)
        boxes: dict[str, Box] = {}
        places: dict[Node, Lane] = {}
        rows = []
        for number, (y, height, layer, ids, reachable) in enumerate(self.rows):
            scenes = []
            for node in ids:
                x = centers[node] + shift
                if isinstance(node, tuple):
                    places[node] = Lane(x, y, y + height)
                    continue
                width, box_height = self.sizes[node]
                boxes[node] = Box(
                    x - width / 2,
                    y + (height - box_height) / 2,
                    width,
                    box_height,
                    layer_of[node],
                    number,
                    reachable,
                )
                scenes.append(node)
            rows.append(Row(y, height, layer, tuple(scenes), reachable))
        lanes = {
            pair: tuple(places[point] for point in chain)
            for area in areas
            for pair, chain in area.chains.items()
        }
        width = right - left + 2 * pad
        height = self.rows[-1][0] + self.rows[-1][1] if self.rows else 0.0
        frame = None
        if frame_rows:
            top, bottom = frame_rows
            inside = [box for box in boxes.values() if not box.reachable]
            low = min(box.x for box in inside) - pad
            high = max(box.right for box in inside) + pad
            frame = Frame(
                low,
                top - options.area_caption - pad,
                high - low,
                bottom - top + options.area_caption + 2 * pad,
            )
            height = frame.y + frame.height
        return Layout(boxes, tuple(rows), width, height, lanes, frame, crossings, layering)


def _fill_gaps(wanted: list[float | None], apart: list[float]) -> list[float]:
    """Desired centres for nodes without parents: packed beside their neighbours, or, in a row
    where no node has parents above, packed and centred on 0. `apart[i]` is the least distance
    between the centres of nodes i and i + 1."""
    count = len(wanted)
    if all(value is None for value in wanted):
        packed = [0.0]
        for distance in apart:
            packed.append(packed[-1] + distance)
        middle = packed[-1] / 2
        return [x - middle for x in packed]
    desired = list(wanted)
    for i in range(1, count):
        if desired[i] is None and desired[i - 1] is not None:
            desired[i] = desired[i - 1] + apart[i - 1]
    for i in range(count - 2, -1, -1):
        if desired[i] is None and desired[i + 1] is not None:
            desired[i] = desired[i + 1] - apart[i]
    return [float(value) for value in desired]  # type: ignore[arg-type]
