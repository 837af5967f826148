"""The class report as one self-contained HTML page: inline SVG charts, print-friendly, no network.

It opens with a summary that prints on one page ("where the class split": the figures, every
decision's shares in one chart, the endings reached, where early leavers stopped), then the
details, from a new page when printed: each decision's responses and choices, the meters at the
end, the discussion questions, the players (with --names) and the files left out.

The markup is in templates/class_report.html (the page) and templates/_class_report.html (its
sections, as macros). This module computes what they show from a `ClassSummary`, as plain data:
the figures and shares, every chart's coordinates and colours. The templates escape every text
from the records (autoescape). Charts carry their numbers as text, so they read without colour
and on paper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from engine.classroom.page_style import NO_RESPONSE, PALETTE, pages
from engine.classroom.records import Status
from engine.classroom.summary import ClassSummary, DecisionPoint, EarlyStop, MeterSpread
from engine.templating import render


@dataclass(frozen=True, slots=True)
class Bar:
    """One labelled bar of a horizontal bar chart, with its count and share written after it."""

    label: str  # cut to fit beside the bar
    title: str  # in full, for the tooltip
    count: int
    share: str
    y: int
    text_y: int
    width: str
    count_x: str


@dataclass(frozen=True, slots=True)
class BarChart:
    """A horizontal bar chart (the endings reached)."""

    width: int
    height: int
    bar_x: int  # where every bar starts, right of the labels
    colour: str
    bars: list[Bar]


@dataclass(frozen=True, slots=True)
class Segment:
    """One response's part of a stacked bar, its share written on it when it fits."""

    x: str
    width: str
    fill: str
    label: str
    count: int
    share: str
    share_x: str | None  # None: too narrow for its share
    ink: str  # the share's colour, readable on `fill`


@dataclass(frozen=True, slots=True)
class SplitRow:
    """One decision in the chart of where the class split."""

    y: int
    text_y: int
    dot_y: int
    title: str
    segments: list[Segment]
    students: int
    split: bool  # no response was chosen by more than half


@dataclass(frozen=True, slots=True)
class SplitChart:
    """Where the class split: a stacked bar per decision, with how many reached it."""

    width: int
    height: int
    students_x: int  # where the students column ends
    dot_x: int
    rows: list[SplitRow]


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision point in the details: its stacked bar and its two tables."""

    number: int
    title: str
    students: int
    mean_seconds: str | None
    segments: list[Segment]
    responses: list[tuple[str, int, str]]  # (response, students, share)
    choices: list[tuple[str, int, str]]  # (choice, students, share)


@dataclass(frozen=True, slots=True)
class Band:
    """One band of a meter's histogram."""

    band: str  # its values, "10–19"
    count: int
    x: int
    y: str
    width: int
    height: str
    middle: str
    count_y: str


@dataclass(frozen=True, slots=True)
class MeterHistogram:
    """A meter's final values across the class, as figures and a histogram of ten bands."""

    label: str
    lowest: int
    median: str
    mean: str
    highest: int
    low: int
    high: int
    width: int
    height: int  # of the chart, the band names under it included
    band_y: int  # the band names' baseline
    bands: list[Band]


def render_html(summary: ClassSummary, skipped: list[str], now: datetime | None = None) -> str:
    """The report, as HTML text; `skipped` are the lines saying which files were left out and
    why, `now` the time it says it was made (the present, in UTC, by default)."""
    now = now or datetime.now(UTC)
    colours = _response_colours(summary)
    order, labels = _response_order(summary), _labels(summary)
    return render(
        pages(),
        "class_report.html",
        title=summary.story_title,
        classes=", ".join(summary.classrooms),
        made=f"{now:%d %B %Y, %H:%M}",
        played=summary.played,
        figures=_figures(summary),
        versions=summary.story_versions,
        legend=[(colours[response], labels.get(response, response)) for response in order],
        split=_split(summary, colours, order, labels),
        complete=summary.statuses.get(Status.COMPLETE, 0),
        endings=_endings(summary),
        early_stops=_early_stops(summary.early_stops),
        left=sum(stop.students for stop in summary.early_stops),
        decisions=[
            _decision(number, point, colours, labels)
            for number, point in enumerate(summary.decision_points, start=1)
        ],
        meters=[_meter(meter) for meter in summary.meters],
        questions=[ending for ending in summary.endings if ending.questions],
        players=summary.players,
        skipped=skipped,
    )


def _seconds(value: float) -> str:
    """Seconds as a teacher reads them: tenths below a minute and a half (3.4 s against 2.9 s
    tells a click-through from a read), whole seconds above."""
    return f"{value:.1f}" if value < 90 else f"{value:.0f}"


def _percent(part: int, whole: int) -> str:
    """A share as a whole percentage, halves rounded up (1 of 8 is 13%)."""
    return f"{math.floor(100 * part / whole + 0.5)}%" if whole else "0%"


def _figures(summary: ClassSummary) -> list[tuple[str, str]]:
    """The figures at the top, as (label, value)."""
    statuses = summary.statuses
    figures = [
        ("played", summary.played),
        ("reached an ending", statuses.get(Status.COMPLETE, 0)),
        ("stopped early", statuses.get(Status.ABANDONED, 0)),
    ]
    if statuses.get(Status.IN_PROGRESS):
        figures.append(("in progress (or stopped without quitting)", statuses[Status.IN_PROGRESS]))
    if statuses.get(Status.STUCK):
        figures.append(("stuck on a story fault", statuses[Status.STUCK]))
    if summary.mean_seconds is not None:
        figures.append(("seconds per decision (mean)", _seconds(summary.mean_seconds)))
        figures.append(("seconds per decision (median)", _seconds(summary.median_seconds)))
    return [(label, str(value)) for label, value in figures]


def _bar_chart(
    rows: list[tuple[str, int]],
    total: int,
    colour: str = "#0072B2",
    label_width: int = 260,
    bar_width: int = 360,
) -> BarChart:
    """A horizontal bar chart: one labelled bar per row, with count and share as text."""
    row_height = 26
    most = max((count for _, count in rows), default=0) or 1
    bars = []
    for index, (label, count) in enumerate(rows):
        y = index * row_height + 4
        width = bar_width * count / most
        bars.append(
            Bar(
                label=_clip(label, label_width // 7),
                title=label,
                count=count,
                share=_percent(count, total),
                y=y,
                text_y=y + 15,
                width=f"{width:.1f}",
                count_x=f"{label_width + width + 6:.1f}",
            )
        )
    height = row_height * len(rows) + 6
    return BarChart(label_width + bar_width + 90, height, label_width, colour, bars)


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _endings(summary: ClassSummary) -> BarChart | None:
    """The endings reached, as a bar chart (None when no one reached one)."""
    if not summary.endings:
        return None
    return _bar_chart(
        [(ending.title, ending.count) for ending in summary.endings],
        summary.statuses.get(Status.COMPLETE, 0),
        label_width=170,
        bar_width=100,
    )


def _early_stops(stops: list[EarlyStop]) -> list[tuple[str, str, int]]:
    """Where those who left before an ending stopped: (the scene of their last choice, the
    choices they made on average, how many)."""
    return [(_clip(stop.title, 30), f"{stop.choices:.3g}", stop.students) for stop in stops]


def _ink(fill: str) -> str:
    """Black or white, whichever reads better on the colour `fill` (#rrggbb), by WCAG contrast."""

    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(fill[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#fff"


def _response_order(summary: ClassSummary) -> list[str]:
    """The responses met at the decision points, as the story lists them (none last)."""
    used = {response for point in summary.decision_points for response in point.responses}
    order = [response for response in summary.response_labels if response in used]
    order += sorted(used - set(order) - {""})
    return order + ([""] if "" in used else [])


def _labels(summary: ClassSummary) -> dict[str, str]:
    labels = dict(summary.response_labels)
    labels[""] = "no response category"
    return labels


def _segment(
    x: float, width: float, count: int, students: int, fill: str, label: str, share_at: float | None
) -> Segment:
    """`count` of `students` chose the response `label`: their part of a stacked bar, from `x`,
    its share written at `share_at` (None: not written, the part is too narrow)."""
    return Segment(
        x=f"{x:.1f}",
        width=f"{width:.1f}",
        fill=fill,
        label=label,
        count=count,
        share=_percent(count, students),
        share_x=None if share_at is None else f"{share_at:.1f}",
        ink=_ink(fill),
    )


def _split(
    summary: ClassSummary, colours: dict[str, str], order: list[str], labels: dict[str, str]
) -> SplitChart | None:
    """Where the class split: every decision point's shares of each response in one chart, in
    story order and numbered as in the details, with how many students reached it; a dot marks
    a decision where no response was chosen by more than half of them. None: no decisions."""
    points = summary.decision_points
    if not points:
        return None
    label_width, bar_left, bar_width, row, top = 262, 268, 330, 26, 22
    rows = []
    for number, point in enumerate(points, start=1):
        y = top + (number - 1) * row
        segments, x = [], float(bar_left)
        for response in order:
            count = point.responses.get(response, 0)
            if not count:
                continue
            width = bar_width * count / point.students
            fill, label = colours.get(response, NO_RESPONSE), labels.get(response, response)
            share_at = x + 4 if width >= 34 else None
            segments.append(_segment(x, width, count, point.students, fill, label, share_at))
            x += width
        rows.append(
            SplitRow(
                y=y,
                text_y=y + 15,
                dot_y=y + 10,
                title=_clip(f"{number}. {point.title}", label_width // 7),
                segments=segments,
                students=point.students,
                split=max(point.responses.values()) * 2 <= point.students,
            )
        )
    width = bar_left + bar_width + 70
    height = top + row * len(points) + 4
    return SplitChart(width, height, bar_left + bar_width + 44, bar_left + bar_width + 58, rows)


def _response_colours(summary: ClassSummary) -> dict[str, str]:
    colours = {"": NO_RESPONSE}
    for index, response in enumerate(summary.response_labels):
        colours[response] = PALETTE[index % len(PALETTE)]
    for point in summary.decision_points:
        for response in point.responses:
            colours.setdefault(response, PALETTE[len(colours) % len(PALETTE)])
    return colours


def _decision(
    number: int, point: DecisionPoint, colours: dict[str, str], labels: dict[str, str]
) -> Decision:
    width, x, segments = 600, 0.0, []
    students = point.students
    for response, count in point.responses.items():
        segment = width * count / students
        fill, label = colours.get(response, NO_RESPONSE), labels.get(response, response)
        share_at = x + 5 if segment > 44 else None
        segments.append(_segment(x, segment, count, students, fill, label, share_at))
        x += segment
    return Decision(
        number=number,
        title=point.title,
        students=students,
        mean_seconds=None if point.mean_seconds is None else _seconds(point.mean_seconds),
        segments=segments,
        responses=[
            (labels.get(r, r), count, _percent(count, students))
            for r, count in point.responses.items()
        ],
        choices=[
            (text, count, _percent(count, students)) for text, count in point.choices.values()
        ],
    )


def _meter(meter: MeterSpread) -> MeterHistogram:
    bins = meter.bins()
    most = max(count for _, count in bins) or 1
    bar_width, height, top = 34, 110, 18
    bands = []
    for index, (band, count) in enumerate(bins):
        bar_height = (height - top) * count / most
        x = index * bar_width
        y = height - bar_height
        bands.append(
            Band(
                band=band,
                count=count,
                x=x + 3,
                y=f"{y:.1f}",
                width=bar_width - 6,
                height=f"{bar_height:.1f}",
                middle=f"{x + bar_width / 2:.1f}",
                count_y=f"{y - 4:.1f}",
            )
        )
    return MeterHistogram(
        label=meter.label,
        lowest=meter.values[0],
        median=f"{meter.median:g}",
        mean=f"{meter.mean:.1f}",
        highest=meter.values[-1],
        low=meter.low,
        high=meter.high,
        width=bar_width * len(bins),
        height=height + 22,
        band_y=height + 16,
        bands=bands,
    )
