"""The class report as one self-contained HTML page: inline SVG charts, print-friendly, no network.

Everything comes from a `ClassSummary`; every text from the records is escaped. Charts carry
their numbers as text, so they read without colour and on paper.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from html import escape

from engine.classroom.page_style import NO_RESPONSE, PALETTE, STYLE
from engine.classroom.records import Status
from engine.classroom.summary import ClassSummary, DecisionPoint, MeterSpread


def render_html(summary: ClassSummary, skipped: list[str], now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    colours = _response_colours(summary)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class report: {escape(summary.story_title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Class report: {escape(summary.story_title)}</h1>",
        f'<p class="meta">{_classes(summary)}Made {now:%d %B %Y, %H:%M} UTC from '
        f"{summary.played} {_plural(summary.played, 'playthrough')}.</p>",
        _overview(summary),
        _endings(summary),
        _decisions(summary, colours),
        _meters(summary),
        _questions(summary),
    ]
    if summary.players:
        parts.append(_players(summary))
    if skipped:
        parts.append(
            '<section><h2>Files left out</h2><ul class="note">'
            + "".join(f"<li>{escape(line)}</li>" for line in skipped)
            + "</ul></section>"
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _classes(summary: ClassSummary) -> str:
    if not summary.classrooms:
        return ""
    return "Class: " + escape(", ".join(summary.classrooms)) + ". "


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _percent(part: int, whole: int) -> str:
    """A share as a whole percentage, halves rounded up (1 of 8 is 13%)."""
    return f"{math.floor(100 * part / whole + 0.5)}%" if whole else "0%"


def _overview(summary: ClassSummary) -> str:
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
        figures.append(("seconds per decision (mean)", f"{summary.mean_seconds:.0f}"))
        figures.append(("seconds per decision (median)", f"{summary.median_seconds:.0f}"))
    boxes = "".join(
        f'<div class="figure"><b>{escape(str(value))}</b>{escape(label)}</div>'
        for label, value in figures
    )
    note = ""
    if summary.story_versions > 1:
        note = (
            f'<p class="note">These records come from {summary.story_versions} different '
            "versions of the story file.</p>"
        )
    return f'<section><h2>Overview</h2><div class="figures">{boxes}</div>{note}</section>'


def _bar_rows(rows: list[tuple[str, int]], total: int, colour: str = "#0072B2") -> str:
    """A horizontal bar chart: one labelled bar per row, with count and share as text."""
    label_width, bar_width, row_height = 260, 360, 30
    height = row_height * len(rows) + 6
    most = max((count for _, count in rows), default=0) or 1
    items = []
    for index, (label, count) in enumerate(rows):
        y = index * row_height + 4
        width = bar_width * count / most
        items.append(
            f'<text x="0" y="{y + 17}">{escape(_clip(label, 34))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="22" fill="{colour}">'
            f"<title>{escape(label)}: {count}</title></rect>"
            f'<text x="{label_width + width + 6:.1f}" y="{y + 17}">{count} '
            f"({_percent(count, total)})</text>"
        )
    return (
        f'<svg role="img" width="{label_width + bar_width + 90}" height="{height}" '
        f'viewBox="0 0 {label_width + bar_width + 90} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(items)}</svg>'
    )


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _endings(summary: ClassSummary) -> str:
    complete = summary.statuses.get(Status.COMPLETE, 0)
    if not summary.endings:
        return "<section><h2>Endings</h2><p>No one reached an ending.</p></section>"
    chart = _bar_rows([(ending.title, ending.count) for ending in summary.endings], complete)
    return (
        f'<section class="ending"><h2>Endings reached</h2>'
        f"<p>Of the {complete} who reached an ending:</p>{chart}</section>"
    )


def _response_colours(summary: ClassSummary) -> dict[str, str]:
    colours = {"": NO_RESPONSE}
    for index, response in enumerate(summary.response_labels):
        colours[response] = PALETTE[index % len(PALETTE)]
    for point in summary.decision_points:
        for response in point.responses:
            colours.setdefault(response, PALETTE[len(colours) % len(PALETTE)])
    return colours


def _decisions(summary: ClassSummary, colours: dict[str, str]) -> str:
    if not summary.decision_points:
        return "<section><h2>Decisions</h2><p>No choices were made.</p></section>"
    labels = dict(summary.response_labels)
    labels[""] = "no response category"
    used = [r for r in colours if any(r in p.responses for p in summary.decision_points)]
    legend = "".join(
        f'<span><i class="swatch" style="background:{colours[r]}"></i>'
        f"{escape(labels.get(r, r))}</span>"
        for r in used
    )
    points = "".join(_decision(point, colours, labels) for point in summary.decision_points)
    return (
        f"<section><h2>Decisions</h2><p>At each decision point, how the students who "
        f"reached it chose (each student's first choice there).</p>"
        f'<p class="legend">{legend}</p>{points}</section>'
    )


def _decision(point: DecisionPoint, colours: dict[str, str], labels: dict[str, str]) -> str:
    width, x, segments = 600, 0.0, []
    for response, count in point.responses.items():
        share = count / point.students
        segment = width * share
        label = labels.get(response, response)
        segments.append(
            f'<rect x="{x:.1f}" y="0" width="{segment:.1f}" height="26" '
            f'fill="{colours.get(response, NO_RESPONSE)}" stroke="#fff">'
            f"<title>{escape(label)}: {count} ({_percent(count, point.students)})</title></rect>"
        )
        if segment > 44:
            segments.append(
                f'<text x="{x + 5:.1f}" y="18" style="fill:#fff">'
                f"{_percent(count, point.students)}</text>"
            )
        x += segment
    bar = (
        f'<svg role="img" width="{width}" height="26" viewBox="0 0 {width} 26" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(segments)}</svg>'
    )
    rows = "".join(
        f"<tr><td>{escape(text)}</td><td class=num>{count}</td>"
        f"<td class=num>{_percent(count, point.students)}</td></tr>"
        for text, count in point.choices.values()
    )
    responses = "".join(
        f"<tr><td>{escape(labels.get(r, r))}</td><td class=num>{count}</td>"
        f"<td class=num>{_percent(count, point.students)}</td></tr>"
        for r, count in point.responses.items()
    )
    time = (
        f" Mean time to decide: {point.mean_seconds:.0f} s."
        if point.mean_seconds is not None
        else ""
    )
    return (
        f'<div class="point"><h3>{escape(point.title)}</h3>'
        f'<p class="note">{point.students} {_plural(point.students, "student")}.{time}</p>'
        f"{bar}<table><tr><th>response</th><th class=num>students</th>"
        f"<th class=num>share</th></tr>{responses}</table>"
        f"<table><tr><th>choice</th><th class=num>students</th><th class=num>share</th>"
        f"</tr>{rows}</table></div>"
    )


def _meters(summary: ClassSummary) -> str:
    blocks = "".join(_meter(meter) for meter in summary.meters)
    finished = summary.statuses.get(Status.COMPLETE, 0)
    if not summary.meters:
        return (
            "<section><h2>The meters at the end</h2><p>No one reached an ending yet.</p></section>"
        )
    return (
        f"<section><h2>The meters at the end</h2><p>For the {finished} who reached an "
        f"ending: how many finished with each value, in ten equal bands.</p>{blocks}"
        "</section>"
    )


def _meter(meter: MeterSpread) -> str:
    bins = meter.bins()
    most = max(count for _, count in bins) or 1
    bar_width, height, top = 52, 120, 18
    items = []
    for index, (band, count) in enumerate(bins):
        bar_height = (height - top) * count / most
        x = index * bar_width
        y = height - bar_height
        items.append(
            f'<rect x="{x + 3}" y="{y:.1f}" width="{bar_width - 6}" height="{bar_height:.1f}" '
            f'fill="#0072B2"><title>{band}: {count}</title></rect>'
            f'<text x="{x + bar_width / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
            f"{count}</text>"
            f'<text x="{x + bar_width / 2:.1f}" y="{height + 16}" text-anchor="middle" '
            f'style="font-size:11px">{band}</text>'
        )
    width = bar_width * len(bins)
    chart = (
        f'<svg role="img" width="{width}" height="{height + 22}" '
        f'viewBox="0 0 {width} {height + 22}" xmlns="http://www.w3.org/2000/svg">'
        f"{''.join(items)}</svg>"
    )
    return (
        f'<div class="meter"><h3>{escape(meter.label)}</h3>'
        f'<p class="note">lowest {meter.values[0]}, median {meter.median:g}, mean '
        f"{meter.mean:.1f}, highest {meter.values[-1]} (range {meter.low} to {meter.high})"
        f"</p>{chart}</div>"
    )


def _questions(summary: ClassSummary) -> str:
    groups = [ending for ending in summary.endings if ending.questions]
    if not groups:
        return ""
    blocks = "".join(
        f"<h3>{escape(ending.title)} ({ending.count})</h3><ol class=questions>"
        + "".join(f"<li>{escape(question)}</li>" for question in ending.questions)
        + "</ol>"
        for ending in groups
    )
    return f"<section><h2>For discussion</h2>{blocks}</section>"


def _players(summary: ClassSummary) -> str:
    rows = "".join(
        f"<tr><td>{escape(player)}</td><td>{escape(outcome)}</td></tr>"
        for player, outcome in summary.players
    )
    return (
        f"<section><h2>Players</h2><table><tr><th>player</th><th>ending</th></tr>{rows}"
        "</table></section>"
    )
