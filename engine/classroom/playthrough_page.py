"""One playthrough as a printable, self-contained HTML page: the debrief a player takes away.

Built from a playthrough record (`engine.classroom.records`), so it needs no story: the ending,
its text and debrief, the story's support text after an ending marked `support: true` (the
safety ending), the meter chart as inline SVG, every choice with its feedback and meter changes,
and the discussion questions. No scripts, no network.

The markup is in templates/playthrough.html, the page, and templates/_playthrough.html, its
sections as macros another template may import (the class server's pages do). This module
computes what they show, as plain data: `playthrough_page(record)` is the whole page's, each
of its fields what one macro takes. The templates escape every text (autoescape).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.classroom.page_style import PALETTE, pages
from engine.classroom.records import Record, Status
from engine.templating import macros, render

DASHES = ["", "8 4", "2 3", "10 3 2 3", "1 5", "6 2 6 6"]
UNFINISHED = {
    Status.IN_PROGRESS: "Not finished (in progress when last written)",
    Status.ABANDONED: "Not finished",
    Status.STUCK: "Stopped by a fault in the story",
}


@dataclass(frozen=True, slots=True)
class ChartLine:
    """One meter's line across the playthrough."""

    points: str  # "x,y x,y ..." for the polyline
    colour: str
    dash: str  # stroke-dasharray ("" for a solid line)
    label: str


@dataclass(frozen=True, slots=True)
class EndLabel:
    """A meter's label and last value, at the end of its line (moved down to clear the one
    above)."""

    y: str  # baseline
    mark_y: str  # where the key's short line is drawn, beside the text
    text: str
    colour: str  # the line's colour and dashes, on the key only: the text is in the ink colour
    dash: str


@dataclass(frozen=True, slots=True)
class MeterChart:
    """The meter chart's geometry: the plot's frame, the scale's ticks, a line per meter."""

    width: int
    height: int
    left: int  # the plot's frame
    top: int
    plot_width: int
    plot_height: int
    plot_right: int
    tick_x: int  # where the scale's values end, left of the frame
    axis_y: int  # the baseline of "start" and "choice N", under the frame
    label_x: int  # where the end labels' keys start, right of the frame
    text_x: int  # where their text starts
    ticks: list[tuple[str, str]]  # (baseline y, value) up the left side
    choices: int  # how many choices the chart spans (0: the start only)
    lines: list[ChartLine]  # in the record's order of meters
    end_labels: list[EndLabel]  # top to bottom


@dataclass(frozen=True, slots=True)
class StepLine:
    """One choice in the list of choices."""

    where: str  # the scene's title, or its id
    text: str  # the choice's text, or its id
    response: str | None  # the response's label, when the choice carried one
    feedback: tuple[str, ...]
    changes: list[str]  # "Trust +5", one per meter moved


@dataclass(frozen=True, slots=True)
class PlaythroughPage:
    """Everything a player's page shows. A None section is left out of the page."""

    story: str
    title: str  # the ending's title, or why there is none
    player: str | None
    choices: int
    ending: list[str] | None  # the ending's text, in paragraphs
    debrief: str | None
    support: list[str] | None  # the story's help text, in paragraphs
    chart: MeterChart
    responses: list[tuple[str, int]]  # (response, times chosen); empty: no table
    steps: list[StepLine]
    questions: tuple[str, ...]


def render_playthrough(record: Record) -> str:
    """The page, as HTML text."""
    return render(pages(), "playthrough.html", page=playthrough_page(record))


def playthrough_page(record: Record) -> PlaythroughPage:
    """What the page of `record` shows, for templates/playthrough.html and its macros."""
    return PlaythroughPage(
        story=record.story.title or record.story.id,
        title=record.ending_title or UNFINISHED.get(record.status, str(record.status)),
        player=record.player or None,
        choices=len(record.steps),
        ending=paragraphs(record.ending_text) if record.ending_text else None,
        debrief=record.ending_debrief or None,
        support=paragraphs(record.ending_support) if record.ending_support else None,
        chart=meter_chart_data(record),
        responses=_responses(record),
        steps=_steps(record),
        questions=record.ending_questions,
    )


def paragraphs(text: str) -> list[str]:
    """Text whose paragraphs are separated by a blank line, each paragraph on one line."""
    return [" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip()]


def _series(record: Record) -> dict[str, list[int]]:
    """Each meter's value at the start and after every choice."""
    start = record.start_meters or (record.steps[0].meters if record.steps else record.meters)
    names = list(record.meter_labels or record.meters)
    series = {name: [int(start.get(name, 0))] for name in names}
    for step in record.steps:
        for name in names:
            series[name].append(int(step.meters.get(name, series[name][-1])))
    return series


def meter_chart(record: Record) -> str:
    """A line per meter across the playthrough, each with its own colour and dash pattern: an
    inline SVG, escaped (a `markupsafe.Markup`, so a template inserts it as it is)."""
    return macros(pages(), "_playthrough.html").meter_chart(meter_chart_data(record))


def meter_chart_data(record: Record) -> MeterChart:
    """The meter chart of `record` as coordinates, for the `meter_chart` macro."""
    series = _series(record)
    labels = record.meter_labels
    ranges = record.meter_ranges
    width, height, left, right, top, bottom = 640, 260, 40, 150, 12, 30
    steps = max(len(values) for values in series.values()) - 1 if series else 0
    plot_w, plot_h = width - left - right, height - top - bottom
    low = min([ranges.get(n, (0, 100))[0] for n in series] or [0])
    high = max([ranges.get(n, (0, 100))[1] for n in series] or [100])

    def x(index: int) -> float:
        return left + (plot_w * index / steps if steps else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / ((high - low) or 1))

    ticks = []
    for tick in range(5):
        value = low + (high - low) * tick / 4
        ticks.append((f"{y(value) + 4:.1f}", f"{value:g}"))
    lines, ends = [], []
    for index, (name, values) in enumerate(series.items()):
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        label = str(labels.get(name, name))
        lines.append(ChartLine(points, colour, dash, label))
        ends.append([y(values[-1]), f"{label} {values[-1]}", colour, dash])
    ends.sort()
    for index in range(1, len(ends)):  # keep end labels from overlapping
        ends[index][0] = max(ends[index][0], ends[index - 1][0] + 15)
    end_labels = [
        EndLabel(f"{label_y + 4:.1f}", f"{label_y:.1f}", text, colour, dash)
        for label_y, text, colour, dash in ends
    ]
    return MeterChart(
        width=width,
        height=height,
        left=left,
        top=top,
        plot_width=plot_w,
        plot_height=plot_h,
        plot_right=left + plot_w,
        tick_x=left - 6,
        axis_y=height - 6,
        label_x=left + plot_w + 8,
        text_x=left + plot_w + 26,
        ticks=ticks,
        choices=steps,
        lines=lines,
        end_labels=end_labels,
    )


def _responses(record: Record) -> list[tuple[str, int]]:
    """How many times the player chose each response, every response the story has first."""
    labels = record.response_labels
    counts: dict[str, int] = {}
    for step in record.steps:
        if step.response:
            counts[step.response] = counts.get(step.response, 0) + 1
    shown = {**labels, **{key: key for key in counts if key not in labels}}
    return [(str(label), counts.get(key, 0)) for key, label in shown.items()]


def _steps(record: Record) -> list[StepLine]:
    labels = record.meter_labels
    responses = record.response_labels
    return [
        StepLine(
            where=step.scene_title or step.scene,
            text=step.text or step.choice,
            response=responses.get(step.response, step.response) if step.response else None,
            feedback=step.feedback,
            changes=[
                f"{labels.get(m, m)} {delta:+d}" for m, delta in step.effects.items() if delta
            ],
        )
        for step in record.steps
    ]
