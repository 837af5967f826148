"""Where a drawn story map's arrows and their labels go, given the boxes' layout.

`EdgeRouter` gives each edge a path of cubic Bézier curves:
- forward (down to a later row): from the bottom of its box to the top of the next, the ends of
  a box's edges spread along its side in the order of the boxes they lead to; an edge that spans
  several rows passes each through its own lane (`engine.tools.map.layout.Lane`);
- back (up to an earlier row, closing a loop): curving round the side of its two boxes when no
  other box is in the way; otherwise down into the gap below its row, along it to a gutter
  beside every row it passes, up, and along the gap above its target's row, so it crosses no box;
- across (within one row): an arc above the row;
- a scene to itself: a small loop over the box's top right corner.

`LabelPlacer` puts each label at the first spot along its path that covers no box and no label
placed before it (trying beside the path too), or where it covers least.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.tools.map.layout import Box, Lane, Layout

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # left, top, right, bottom

DOWN = "down"
BACK = "back"
ACROSS = "across"
SELF = "self"


# A cubic Bézier curve: start, first control point, second control point, end. Plain tuples,
# as a big map makes a hundred thousand of them.
Curve = tuple[Point, Point, Point, Point]


def curve_at(curve: Curve, t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3


def vertical_s(start: Point, end: Point) -> Curve:
    """A curve leaving `start` straight down and arriving at `end` straight down."""
    bend = (end[1] - start[1]) * 0.5
    return start, (start[0], start[1] + bend), (end[0], end[1] - bend), end


def straight(start: Point, end: Point) -> Curve:
    return start, start, end, end


@dataclass(frozen=True, slots=True)
class EdgePath:
    """An edge's drawn path: curves end to end. `inside` when it cannot leave the layout's
    bounds (it goes down between boxes and lanes)."""

    curves: tuple[Curve, ...]
    inside: bool = False

    def at(self, t: float) -> Point:
        """The point a fraction `t` along the path, counting each curve as an equal share."""
        scaled = min(max(t, 0.0), 1.0) * len(self.curves)
        index = min(int(scaled), len(self.curves) - 1)
        return curve_at(self.curves[index], scaled - index)

    def svg(self) -> str:
        first = self.curves[0][0]
        parts = [f"M{first[0]:.1f},{first[1]:.1f}"]
        for start, (x1, y1), (x2, y2), (x3, y3) in self.curves:
            if (x1, y1) == start and (x2, y2) == (x3, y3):
                parts.append(f"L{x3:.1f},{y3:.1f}")
            else:
                parts.append(f"C{x1:.1f},{y1:.1f} {x2:.1f},{y2:.1f} {x3:.1f},{y3:.1f}")
        return " ".join(parts)

    def bounds(self) -> Rect:
        """A rectangle holding the path (its control points hold it)."""
        xs = [point[0] for curve in self.curves for point in curve]
        ys = [point[1] for curve in self.curves for point in curve]
        return min(xs), min(ys), max(xs), max(ys)


def _round_the_gutter(start: Point, gutter: _Gutter, end: Point) -> tuple[Curve, ...]:
    """Down from `start`, along to the gutter, up it, along and down to `end`: straight lines
    with rounded corners."""
    x0, y0 = start
    x3, y3 = end
    x, below, above = gutter.x, gutter.below, gutter.above
    r = min(
        8.0,
        (below - y0) / 2,
        abs(x - x0) / 2,
        (below - above) / 2,
        abs(x - x3) / 2,
        (y3 - above) / 2,
    )
    out = 1.0 if x > x0 else -1.0  # towards the gutter from the start
    back = 1.0 if x3 > x else -1.0  # from the gutter towards the end
    corners = (
        ((x0, below), (x0, below - r), (x0 + out * r, below)),
        ((x, below), (x - out * r, below), (x, below - r)),
        ((x, above), (x, above + r), (x + back * r, above)),
        ((x3, above), (x3 - back * r, above), (x3, above + r)),
    )
    curves = []
    here = start
    for corner, into, leave in corners:
        curves.append((here, here, into, into))
        curves.append((into, corner, corner, leave))
        here = leave
    curves.append((here, here, end, end))
    return tuple(curves)


class RangeExtremes:
    """The least and greatest of a list's values over any range of positions, in constant time
    (a sparse table); None values are ignored."""

    def __init__(self, lows: list[float | None], highs: list[float | None]):
        self.lows = [[math.inf if v is None else v for v in lows]]
        self.highs = [[-math.inf if v is None else v for v in highs]]
        width = 1
        while width * 2 <= len(lows):
            low, high = self.lows[-1], self.highs[-1]
            self.lows.append([min(low[i], low[i + width]) for i in range(len(low) - width)])
            self.highs.append([max(high[i], high[i + width]) for i in range(len(high) - width)])
            width *= 2

    def query(self, first: int, last: int) -> tuple[float, float]:
        """(least, greatest) over positions first..last, both included."""
        level = (last - first + 1).bit_length() - 1
        low, high = self.lows[level], self.highs[level]
        end = last - (1 << level) + 1
        return min(low[first], low[end]), max(high[first], high[end])


class BoxIndex:
    """Finds the boxes that meet a rectangle, through a grid of cells."""

    CELL = 160.0

    def __init__(self, boxes: Mapping[str, Box]):
        self.cells: dict[tuple[int, int], list[str]] = {}
        self.boxes = boxes
        for node, box in boxes.items():
            for cell in _cells((box.x, box.y, box.right, box.bottom), self.CELL):
                self.cells.setdefault(cell, []).append(node)

    def meets(self, rect: Rect, ignore: tuple[str, ...]) -> bool:
        for cell in _cells(rect, self.CELL):
            for node in self.cells.get(cell, ()):
                box = self.boxes[node]
                if (
                    node not in ignore
                    and box.x < rect[2]
                    and rect[0] < box.right
                    and box.y < rect[3]
                    and rect[1] < box.bottom
                ):
                    return True
        return False


def _cells(rect: Rect, size: float) -> list[tuple[int, int]]:
    rows = range(int(rect[1] // size), int(rect[3] // size) + 1)
    return [
        (column, row)
        for column in range(int(rect[0] // size), int(rect[2] // size) + 1)
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class _Gutter:
    """A loop's way round: down out of its box, along the gap below the row to `x` beside the
    rows it passes, up, and along the gap above its target's row."""

    x: float
    below: float
    above: float


class EdgeRouter:
    """Paths for the edges (source, target) of a layout, in the order given.

    A loop back up between nearby boxes curves round their side when nothing is in the way;
    otherwise it goes round every box between, through a gutter beside the rows it passes.
    """

    def __init__(self, edges: Sequence[tuple[str, str]], layout: Layout):
        self.edges = edges
        self.layout = layout
        self.boxes = layout.boxes
        self.ports: dict[int, tuple[Point, Point]] = {}
        self.lane_offsets: dict[int, float] = {}
        self.sides: dict[int, str] = {}  # loops that curve round the side of their boxes
        self.gutters: dict[int, _Gutter] = {}  # loops that go round through a gutter
        self.index = BoxIndex(layout.boxes)
        lows: list[float | None] = []
        highs: list[float | None] = []
        for row in layout.rows:
            lows.append(min((self.boxes[node].x for node in row.ids), default=None))
            highs.append(max((self.boxes[node].right for node in row.ids), default=None))
        self.extremes = RangeExtremes(lows, highs) if layout.rows else None
        rows = {node: box.row for node, box in self.boxes.items()}
        self.kinds = [
            SELF
            if source == target
            else DOWN
            if rows[target] > rows[source]
            else ACROSS
            if rows[target] == rows[source]
            else BACK
            for source, target in edges
        ]
        self._spread()

    def kind(self, number: int) -> str:
        """How edge `number` goes: DOWN, BACK, ACROSS or SELF."""
        return self.kinds[number]

    def _lanes(self, number: int) -> tuple[Lane, ...]:
        return self.layout.lanes.get(self.edges[number], ())

    def _spread(self) -> None:
        """Decide how each edge goes and where it leaves and enters its boxes."""
        leaving: dict[tuple[str, str], list[tuple[float, int]]] = {}
        arriving: dict[tuple[str, str], list[tuple[float, int]]] = {}
        sharing: dict[tuple[str, str], list[int]] = {}
        middle = self.layout.width / 2
        gutter_count = {"left": 0, "right": 0}
        boxes, lanes_of, kinds = self.boxes, self.layout.lanes, self.kinds
        centers = {node: box.x + box.width / 2 for node, box in boxes.items()}
        for number, pair in enumerate(self.edges):
            kind = kinds[number]
            source_id, target_id = pair
            if kind == DOWN:
                lanes = lanes_of.get(pair, ())
                first = lanes[0].x if lanes else centers[target_id]
                last = lanes[-1].x if lanes else centers[source_id]
                leaving.setdefault((source_id, "bottom"), []).append((first, number))
                arriving.setdefault((target_id, "top"), []).append((last, number))
                if lanes:
                    sharing.setdefault(pair, []).append(number)
            elif kind == BACK:
                source, target = boxes[source_id], boxes[target_id]
                near = (
                    "right" if (centers[source_id] + centers[target_id]) / 2 >= middle else "left"
                )
                far = "left" if near == "right" else "right"
                side = next((side for side in (near, far) if self._side_clear(number, side)), None)
                if side is not None:
                    self.sides[number] = side
                    leaving.setdefault((source_id, side), []).append((-target.y, number))
                    arriving.setdefault((target_id, side), []).append((source.y, number))
                    continue
                self.gutters[number] = self._gutter(number, near, gutter_count[near])
                gutter_count[near] += 1
                key = 1e9 if near == "right" else -1e9
                leaving.setdefault((source_id, "bottom"), []).append((key, number))
                arriving.setdefault((target_id, "top"), []).append((key, number))
            elif kind == ACROSS:
                leaving.setdefault((source_id, "top"), []).append((centers[target_id], number))
                arriving.setdefault((target_id, "top"), []).append((centers[source_id], number))
        starts = self._ports(leaving)
        ends = self._ports(arriving)
        for number in starts.keys() & ends.keys():
            self.ports[number] = (starts[number], ends[number])
        for numbers in sharing.values():  # parallel edges through one lane, side by side
            for place, number in enumerate(numbers):
                self.lane_offsets[number] = (place - (len(numbers) - 1) / 2) * 3.0

    @staticmethod
    def _bulge(height: float) -> float:
        return min(40.0 + height * 0.12, 180.0)

    def _side_clear(self, number: int, side: str) -> bool:
        """Whether a loop curving round this side of its two boxes would cross no other box."""
        source_id, target_id = self.edges[number]
        source, target = self.boxes[source_id], self.boxes[target_id]
        bulge = self._bulge(source.center_y - target.center_y)
        if side == "right":
            low = min(source.right, target.right)
            rect = (low, target.center_y, max(source.right, target.right) + bulge, source.center_y)
        else:
            high = max(source.x, target.x)
            rect = (min(source.x, target.x) - bulge, target.center_y, high, source.center_y)
        return not self.index.meets(rect, (source_id, target_id))

    def _gutter(self, number: int, side: str, count: int) -> _Gutter:
        source_id, target_id = self.edges[number]
        source, target = self.boxes[source_id], self.boxes[target_id]
        assert self.extremes is not None
        low, high = self.extremes.query(target.row, source.row)
        step = 22.0 + 6.0 * (count % 16)
        x = high + step if side == "right" else low - step
        source_row = self.layout.rows[source.row]
        target_row = self.layout.rows[target.row]
        shift = 10.0 + 4.0 * (count % 5)
        return _Gutter(x, source_row.y + source_row.height + shift, target_row.y - shift)

    def _ports(self, groups: dict[tuple[str, str], list[tuple[float, int]]]) -> dict[int, Point]:
        points = {}
        boxes = self.boxes
        for (node, side), items in groups.items():
            box = boxes[node]
            count = len(items)
            if count > 1:
                items.sort()
            if side == "top" or side == "bottom":
                spread = min(box.width * 0.8, 14.0 * (count + 1))
                first = box.x + box.width / 2 - spread / 2
                y = box.y if side == "top" else box.y + box.height
                for place, (_, number) in enumerate(items, start=1):
                    points[number] = (first + spread * (place / (count + 1)), y)
            else:
                spread = box.height * 0.6
                first = box.y + box.height / 2 - spread / 2
                x = box.x + box.width if side == "right" else box.x
                for place, (_, number) in enumerate(items, start=1):
                    points[number] = (x, first + spread * (place / (count + 1)))
        return points

    def path(self, number: int) -> EdgePath:
        kind = self.kind(number)
        if kind == SELF:  # a loop over the box's top right corner
            box = self.boxes[self.edges[number][0]]
            x, y = box.right, box.y
            return EdgePath(
                (
                    (
                        (x - 18, y),
                        (x - 18, y - 34),
                        (x + 30, y - 14),
                        (x, y + min(12.0, box.height / 2)),
                    ),
                )
            )
        start, end = self.ports[number]
        if kind == DOWN:
            return EdgePath(self._down(number, start, end), inside=True)
        if kind == ACROSS:
            lift = 28.0 + min(abs(end[0] - start[0]) * 0.12, 60.0)
            return EdgePath(((start, (start[0], start[1] - lift), (end[0], end[1] - lift), end),))
        gutter = self.gutters.get(number)
        if gutter is not None:
            return EdgePath(_round_the_gutter(start, gutter, end))
        outward = 1.0 if self.sides[number] == "right" else -1.0
        bulge = self._bulge(start[1] - end[1]) * outward
        outer = (max if outward > 0 else min)(start[0], end[0]) + bulge
        return EdgePath(((start, (outer, start[1]), (outer, end[1]), end),))

    def _down(self, number: int, start: Point, end: Point) -> tuple[Curve, ...]:
        offset = self.lane_offsets.get(number, 0.0)
        curves = []
        here = start
        for lane in self._lanes(number):
            top, bottom = (lane.x + offset, lane.top), (lane.x + offset, lane.bottom)
            curves.append(vertical_s(here, top))
            curves.append(straight(top, bottom))
            here = bottom
        curves.append(vertical_s(here, end))
        return tuple(curves)


class LabelPlacer:
    """Places labels one by one where they cover nothing placed before, if it can.

    The picture is cut into horizontal bands one label high; each band keeps the spans that
    boxes and labels already take, sorted, so checking a spot costs two binary searches. A
    label goes in the band nearest its spot. `thorough` tries 45 spots a label (15 along the
    path, each centred on it, left of it and right of it); otherwise 3, centred.
    """

    SPOTS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55, 0.35, 0.65, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85)

    def __init__(
        self, boxes: Sequence[Box], band: float, thorough: bool = True, quick: bool = False
    ):
        self.band = band
        self.quick = quick  # a huge map: every label simply at its path's middle
        self.spots = self.SPOTS if thorough else self.SPOTS[:3]
        self.shifts = (0.0, 1.0, -1.0) if thorough else (0.0,)
        self.starts: dict[int, list[float]] = {}
        self.spans: dict[int, list[tuple[float, float]]] = {}
        self.widest = 0.0
        for box in boxes:
            self.add((box.x - 3, box.y - 2, box.right + 3, box.bottom + 2))

    def add(self, rect: Rect) -> None:
        left, top, right, bottom = rect
        self.widest = max(self.widest, right - left)
        for band in range(math.floor(top / self.band), math.ceil(bottom / self.band)):
            starts = self.starts.setdefault(band, [])
            at = bisect.bisect(starts, left)
            starts.insert(at, left)
            self.spans.setdefault(band, []).insert(at, (left, right))

    def covered(self, band: int, left: float, right: float) -> float:
        """How much of the span left..right in `band` is already taken."""
        starts = self.starts.get(band)
        if not starts:
            return 0.0
        spans = self.spans[band]
        taken = 0.0
        for index in range(
            bisect.bisect_left(starts, left - self.widest), bisect.bisect_left(starts, right)
        ):
            low, high = spans[index]
            if high > left:
                taken += min(high, right) - max(low, left)
        return taken

    def place(self, path: EdgePath, width: float) -> Rect:
        """The label's rectangle, one band high: centred on the path, else just beside it,
        where free; else where least is covered."""
        if self.quick:
            x, y = path.at(0.5)
            band = math.floor(y / self.band)
            return (x - width / 2, band * self.band, x + width / 2, (band + 1) * self.band)
        best, best_taken = None, math.inf
        for shift in self.shifts:
            for t in self.spots:
                x, y = path.at(t)
                x += shift * (width / 2 + 3)
                band = math.floor(y / self.band)
                left = x - width / 2
                taken = self.covered(band, left, left + width)
                if taken < best_taken:
                    best, best_taken = (band, left), taken
                    if taken == 0:
                        break
            if best_taken == 0:
                break
        assert best is not None
        band, left = best
        rect = (left, band * self.band, left + width, (band + 1) * self.band)
        self.add(rect)
        return rect
