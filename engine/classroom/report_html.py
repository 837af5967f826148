"""The class report as one self-contained HTML page: inline SVG charts, print-friendly, no network.

It opens with a summary that prints on one page ("where the class split": the figures, every
decision's shares in one chart, the endings reached, where early leavers stopped), then the
details, from a new page when printed: each decision's responses and choices, the meters at the
end, the discussion questions, the players (with --names) and the files left out.

Everything comes from a `ClassSummary`; every text from the records is escaped. Charts carry
their numbers as text, so they read without colour and on paper.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from html import escape

from engine.classroom.page_style import NO_RESPONSE, PALETTE, REPORT_STYLE, STYLE
from engine.classroom.records import Status
from engine.classroom.summary import ClassSummary, DecisionPoint, EarlyStop, MeterSpread


def render_html(summary: ClassSummary, skipped: list[str], now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    colours = _response_colours(summary)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class report: {escape(summary.story_title)}</title>",
        f"<style>{STYLE}{REPORT_STYLE}</style></head><body>",
        '<div class="summary">',
        f"<h1>Class report: {escape(summary.story_title)}</h1>",
        f'<p class="meta">{_classes(summary)}Made {now:%d %B %Y, %H:%M} UTC from '
        f"{summary.played} {_plural(summary.played, 'playthrough')}.</p>",
        _overview(summary),
        _split(summary, colours),
        '<div class="pair">',
        _endings(summary),
        _early_stops(summary),
        "</div></div>",
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


def _seconds(value: float) -> str:
    """Seconds as a teacher reads them: tenths below a minute and a half (3.4 s against 2.9 s
    tells a click-through from a read), whole seconds above."""
    return f"{value:.1f}" if value < 90 else f"{value:.0f}"


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
        figures.append(("seconds per decision (mean)", _seconds(summary.mean_seconds)))
        figures.append(("seconds per decision (median)", _seconds(summary.median_seconds)))
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
    return f'<section class="overview"><div class="figures">{boxes}</div>{note}</section>'


def _bar_rows(
    rows: list[tuple[str, int]],
    total: int,
    colour: str = "#0072B2",
    label_width: int = 260,
    bar_width: int = 360,
) -> str:
    """A horizontal bar chart: one labelled bar per row, with count and share as text."""
    row_height = 26
    height = row_height * len(rows) + 6
    most = max((count for _, count in rows), default=0) or 1
    items = []
    for index, (label, count) in enumerate(rows):
        y = index * row_height + 4
        width = bar_width * count / most
        items.append(
            f'<text x="0" y="{y + 15}">{escape(_clip(label, label_width // 7))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="20" fill="{colour}">'
            f"<title>{escape(label)}: {count}</title></rect>"
            f'<text x="{label_width + width + 6:.1f}" y="{y + 15}">{count} '
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
    chart = _bar_rows(
        [(ending.title, ending.count) for ending in summary.endings],
        complete,
        label_width=170,
        bar_width=100,
    )
    return (
        f'<section class="ending"><h2>Endings reached</h2>'
        f'<p class="note">Of the {complete} who reached an ending:</p>{chart}</section>'
    )


def _early_stops(summary: ClassSummary) -> str:
    """Where those who left before an ending stopped: the scene of their last choice."""
    stops: list[EarlyStop] = summary.early_stops
    left = sum(stop.students for stop in stops)
    if not left:
        return (
            "<section><h2>Where early leavers stopped</h2>"
            '<p class="note">No one left before an ending.</p></section>'
        )
    rows = "".join(
        f"<tr><td>{escape(_clip(stop.title, 30))}</td>"
        f"<td class=num>{stop.choices:.3g}</td><td class=num>{stop.students}</td></tr>"
        for stop in stops
    )
    return (
        f"<section><h2>Where early leavers stopped</h2>"
        f'<p class="note">The {left} who stopped before an ending (left, or still in progress), by '
        "the scene of their last choice.</p>"
        f"<table><tr><th>last choice at</th><th class=num>choices made</th>"
        f"<th class=num>students</th></tr>{rows}</table></section>"
    )


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


def _legend(order: list[str], colours: dict[str, str], labels: dict[str, str]) -> str:
    return (
        '<p class="legend">'
        + "".join(
            f'<span><i class="swatch" style="background:{colours[r]}"></i>'
            f"{escape(labels.get(r, r))}</span>"
            for r in order
        )
        + "</p>"
    )


def _split(summary: ClassSummary, colours: dict[str, str]) -> str:
    """Where the class split: every decision point's shares of each response in one chart, in
    story order and numbered as in the details, with how many students reached it; a dot marks
    a decision where no response was chosen by more than half of them."""
    points = summary.decision_points
    if not points:
        return "<section><h2>Where the class split</h2><p>No choices were made.</p></section>"
    order, labels = _response_order(summary), _labels(summary)
    label_width, bar_left, bar_width, row, top = 262, 268, 330, 26, 22
    height = top + row * len(points) + 4
    items = [
        f'<text x="0" y="14" class="head">decision</text>'
        f'<text x="{bar_left + bar_width + 44}" y="14" text-anchor="end" class="head">'
        "students</text>"
    ]
    for number, point in enumerate(points, start=1):
        y = top + (number - 1) * row
        title = _clip(f"{number}. {point.title}", label_width // 7)
        items.append(f'<text x="0" y="{y + 15}">{escape(title)}</text>')
        x = float(bar_left)
        for response in order:
            count = point.responses.get(response, 0)
            if not count:
                continue
            width = bar_width * count / point.students
            fill = colours.get(response, NO_RESPONSE)
            share = _percent(count, point.students)
            items.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" fill="{fill}" '
                f'stroke="#fff"><title>{escape(labels.get(response, response))}: {count} '
                f"({share})</title></rect>"
            )
            if width >= 34:
                items.append(
                    f'<text x="{x + 4:.1f}" y="{y + 15}" style="fill:{_ink(fill)}">{share}</text>'
                )
            x += width
        items.append(
            f'<text x="{bar_left + bar_width + 44}" y="{y + 15}" text-anchor="end">'
            f"{point.students}</text>"
        )
        if max(point.responses.values()) * 2 <= point.students:
            items.append(
                f'<circle cx="{bar_left + bar_width + 58}" cy="{y + 10}" r="5" fill="#1a1a1a">'
                "<title>no response chosen by more than half</title></circle>"
            )
    width = bar_left + bar_width + 70
    chart = (
        f'<svg role="img" aria-label="every decision\'s shares" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(items)}</svg>'
    )
    return (
        "<section><h2>Where the class split</h2>"
        '<p class="note">At each decision, in story order, how the students who reached it '
        "chose (each student's first choice there). ● marks a decision where no response was "
        "chosen by more than half of them: splits near half and half make the best "
        f"discussions.</p>{_legend(order, colours, labels)}{chart}</section>"
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
    labels = _labels(summary)
    points = "".join(
        _decision(number, point, colours, labels)
        for number, point in enumerate(summary.decision_points, start=1)
    )
    return (
        f'<section class="details"><h2>Decisions</h2><p>At each decision point, how the '
        f"students who reached it chose (each student's first choice there), by response and "
        f"by choice.</p>{_legend(_response_order(summary), colours, labels)}{points}</section>"
    )


def _decision(
    number: int, point: DecisionPoint, colours: dict[str, str], labels: dict[str, str]
) -> str:
    width, x, segments = 600, 0.0, []
    for response, count in point.responses.items():
        share = count / point.students
        segment = width * share
        label = labels.get(response, response)
        fill = colours.get(response, NO_RESPONSE)
        segments.append(
            f'<rect x="{x:.1f}" y="0" width="{segment:.1f}" height="26" '
            f'fill="{fill}" stroke="#fff">'
            f"<title>{escape(label)}: {count} ({_percent(count, point.students)})</title></rect>"
        )
        if segment > 44:
            segments.append(
                f'<text x="{x + 5:.1f}" y="18" style="fill:{_ink(fill)}">'
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
        f" Mean time to decide: {_seconds(point.mean_seconds)} s."
        if point.mean_seconds is not None
        else ""
    )
    return (
        f'<div class="point"><h3>{number}. {escape(point.title)}</h3>'
        f'<p class="note">{point.students} {_plural(point.students, "student")}.{time}</p>'
        f'{bar}<div class="tables"><table class="responses"><tr><th>response</th>'
        f"<th class=num>students</th><th class=num>share</th></tr>{responses}</table>"
        f"<table><tr><th>choice</th><th class=num>students</th><th class=num>share</th>"
        f"</tr>{rows}</table></div></div>"
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
        f'ending: how many finished with each value, in ten equal bands.</p><div class="meters">'
        f"{blocks}</div></section>"
    )


def _meter(meter: MeterSpread) -> str:
    bins = meter.bins()
    most = max(count for _, count in bins) or 1
    bar_width, height, top = 34, 110, 18
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
            f'style="font-size:10px">{band}</text>'
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
        f'<div class="questions"><h3>{escape(ending.title)} ({ending.count})</h3>'
        "<ol class=questions>"
        + "".join(f"<li>{escape(question)}</li>" for question in ending.questions)
        + "</ol></div>"
        for ending in groups
    )
    return f'<section><h2>For discussion</h2><div class="groups">{blocks}</div></section>'


def _players(summary: ClassSummary) -> str:
    rows = "".join(
        f"<tr><td>{escape(player)}</td><td>{escape(outcome)}</td></tr>"
        for player, outcome in summary.players
    )
    return (
        f"<section><h2>Players</h2><table><tr><th>player</th><th>ending</th></tr>{rows}"
        "</table></section>"
    )
