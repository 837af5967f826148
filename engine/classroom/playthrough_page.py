"""One playthrough as a printable, self-contained HTML page: the debrief a player takes away.

Built from a playthrough record (`engine.classroom.records`), so it needs no story: the ending,
its text and debrief, the story's support text after an ending marked `support: true` (the
safety ending), the meter chart as inline SVG, every choice with its feedback and meter changes,
and the discussion questions. No scripts, no network, escaped throughout.
"""

from __future__ import annotations

from html import escape

from engine.classroom.page_style import PALETTE, PLAYTHROUGH_STYLE, STYLE
from engine.classroom.records import Record, Status

DASHES = ["", "8 4", "2 3", "10 3 2 3", "1 5", "6 2 6 6"]
UNFINISHED = {
    Status.IN_PROGRESS: "Not finished (in progress when last written)",
    Status.ABANDONED: "Not finished",
    Status.STUCK: "Stopped by a fault in the story",
}


def render_playthrough(record: Record) -> str:
    """The page, as HTML text."""
    story = escape(record.story.title or record.story.id)
    title = record.ending_title or UNFINISHED.get(record.status, str(record.status))
    player = f" by {escape(record.player)}" if record.player else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{story}: {escape(title)}</title>"
        f"<style>{STYLE}{PLAYTHROUGH_STYLE}</style></head><body>",
        f"<h1>{story}</h1>",
        f'<p class="meta">A playthrough{player}, {len(record.steps)} choices. '
        f"Ending: <b>{escape(title)}</b>.</p>",
    ]
    if record.ending_text:
        parts.append(f"<section><h2>The ending</h2>{_paragraphs(record.ending_text)}</section>")
    if record.ending_debrief:
        parts.append(
            f'<section class="debrief"><h2>What happened</h2>'
            f"<p>{escape(record.ending_debrief)}</p></section>"
        )
    if record.ending_support:
        parts.append(
            f'<section class="support"><h2>Where to get help</h2>'
            f"{_paragraphs(record.ending_support)}</section>"
        )
    parts.append(
        f'<section class="chart"><h2>The meters along the way</h2>{meter_chart(record)}</section>'
    )
    parts.append(_responses(record))
    parts.append(_steps(record))
    if record.ending_questions:
        parts.append(
            '<section class="questions"><h2>For discussion</h2><ol class=questions>'
            + "".join(f"<li>{escape(q)}</li>" for q in record.ending_questions)
            + "</ol></section>"
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _paragraphs(text: str) -> str:
    """Text whose paragraphs are separated by a blank line, as HTML paragraphs."""
    return "".join(
        f"<p>{escape(' '.join(paragraph.split()))}</p>"
        for paragraph in text.split("\n\n")
        if paragraph.strip()
    )


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
    """A line per meter across the playthrough, each with its own colour and dash pattern."""
    series = _series(record)
    labels = record.meter_labels
    ranges = record.meter_ranges
    width, height, left, right, top, bottom = 640, 260, 40, 130, 12, 30
    steps = max(len(values) for values in series.values()) - 1 if series else 0
    plot_w, plot_h = width - left - right, height - top - bottom
    low = min([ranges.get(n, (0, 100))[0] for n in series] or [0])
    high = max([ranges.get(n, (0, 100))[1] for n in series] or [100])

    def x(index: int) -> float:
        return left + (plot_w * index / steps if steps else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / ((high - low) or 1))

    items = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#bbb"/>'
    ]
    for tick in range(5):
        value = low + (high - low) * tick / 4
        items.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    items.append(f'<text x="{left}" y="{height - 6}">start</text>')
    if steps:
        items.append(
            f'<text x="{left + plot_w}" y="{height - 6}" text-anchor="end">choice {steps}</text>'
        )
    ends = []
    for index, (name, values) in enumerate(series.items()):
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        label = escape(str(labels.get(name, name)))
        items.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5" stroke-dasharray="{dash}"><title>{label}</title>'
            "</polyline>"
        )
        ends.append([y(values[-1]), f"{label} {values[-1]}", colour])
    ends.sort()
    for index in range(1, len(ends)):  # keep end labels from overlapping
        ends[index][0] = max(ends[index][0], ends[index - 1][0] + 15)
    for label_y, text, colour in ends:
        items.append(
            f'<text x="{left + plot_w + 8}" y="{label_y + 4:.1f}" '
            f'style="fill:{colour}">{text}</text>'
        )
    return (
        f'<svg role="img" aria-label="meters across the playthrough" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(items)}</svg>'
    )


def _responses(record: Record) -> str:
    labels = record.response_labels
    counts: dict[str, int] = {}
    for step in record.steps:
        if step.response:
            counts[step.response] = counts.get(step.response, 0) + 1
    if not labels and not counts:
        return ""
    shown = {**labels, **{key: key for key in counts if key not in labels}}
    rows = "".join(
        f"<tr><td>{escape(str(label))}</td><td class=num>{counts.get(key, 0)}</td></tr>"
        for key, label in shown.items()
    )
    return (
        f'<section class="responses"><h2>How you responded</h2><table><tr><th>response</th>'
        f"<th class=num>times</th></tr>{rows}</table></section>"
    )


def _steps(record: Record) -> str:
    labels = record.meter_labels
    responses = record.response_labels
    items = []
    for step in record.steps:
        where = escape(step.scene_title or step.scene)
        response = step.response
        tag = f" <i>({escape(responses.get(response, response))})</i>" if response else ""
        feedback = "".join(f"<p>{escape(text)}</p>" for text in step.feedback)
        changes = ", ".join(
            f"{escape(labels.get(m, m))} {delta:+d}" for m, delta in step.effects.items() if delta
        )
        changes_html = f'<p class="note">{changes}</p>' if changes else ""
        items.append(
            f"<li><b>{where}</b>: {escape(step.text or step.choice)}"
            f"{tag}{feedback}{changes_html}</li>"
        )
    return f'<section class="steps"><h2>Your choices</h2><ol>{"".join(items)}</ol></section>'
