"""The class report as CSV: one tidy table a spreadsheet can sum, section by section.

Columns: section, key, label, value, share. Sections: `played` (one row per status),
`ending` (students per ending), `response` (per decision point and response: key is
'scene/response'), `choice` (per decision point and choice), `meter` (the final values of those
who reached an ending, in bands such as 0-9 per meter), `time` (mean and median seconds per
decision), `class` (the classroom names on the records) and, with --names, `player`.
Within a section and a decision point, counts sum to the whole and shares to 1.
"""

from __future__ import annotations

import csv
import io

from engine.classroom.records import Status
from engine.classroom.summary import ClassSummary

COLUMNS = ["section", "key", "label", "value", "share"]


def render_csv(summary: ClassSummary) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for status, count in summary.statuses.items():
        writer.writerow(["played", status, status, count, _share(count, summary.played)])
    complete = summary.statuses.get(Status.COMPLETE, 0)
    for ending in summary.endings:
        writer.writerow(
            ["ending", ending.id, ending.title, ending.count, _share(ending.count, complete)]
        )
    for point in summary.decision_points:
        for response, count in point.responses.items():
            label = summary.response_labels.get(response, response or "no response category")
            writer.writerow(
                [
                    "response",
                    f"{point.scene}/{response}",
                    f"{point.title}: {label}",
                    count,
                    _share(count, point.students),
                ]
            )
        for choice, (text, count) in point.choices.items():
            writer.writerow(
                [
                    "choice",
                    f"{point.scene}/{choice}",
                    f"{point.title}: {text}",
                    count,
                    _share(count, point.students),
                ]
            )
    for meter in summary.meters:  # the final values of those who reached an ending
        for band, count in meter.bins():
            writer.writerow(
                [
                    "meter",
                    f"{meter.id}/{band.replace('–', '-')}",
                    f"{meter.label} {band}",
                    count,
                    _share(count, len(meter.values)),
                ]
            )
    if summary.mean_seconds is not None:
        writer.writerow(
            ["time", "mean", "seconds per decision (mean)", round(summary.mean_seconds, 2), ""]
        )
        writer.writerow(
            [
                "time",
                "median",
                "seconds per decision (median)",
                round(summary.median_seconds, 2),
                "",
            ]
        )
    for name in summary.classrooms:
        writer.writerow(["class", name, name, 1, ""])
    for player, outcome in summary.players:
        writer.writerow(["player", player, outcome, 1, ""])
    return out.getvalue()


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.4f}" if whole else "0"
