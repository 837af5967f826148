"""The class report as CSV: one tidy table a spreadsheet can sum, section by section.

Columns: section, key, label, value, share. Sections: `played` (one row per status),
`ending` (students per ending), `response` (per decision point and response: key is
'scene/response'), `choice` (per decision point and choice), `meter` (the final values of those
who reached an ending, in bands such as 0-9 per meter), `time` (mean and median seconds per
decision) and, with --names, `class` (the classroom names on the records) and `player`
(in natural order: A2 before A10).
Within a section and a decision point, counts sum to the whole and shares to 1.

Every text cell comes from records, which students' machines wrote, so none may start a formula
when a spreadsheet opens the file (CSV or formula injection): a cell that begins with = + - @,
a tab, a carriage return, a line feed or NUL (or their full-width forms), even after spaces, is
written with a single quote in front, as OWASP advises; spreadsheets show the quote's cell as
text. A carriage return inside a cell becomes a line feed, so that the cell is quoted and cannot
start a row of its own. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io

from engine.classroom.records import Status
from engine.classroom.summary import ClassSummary

COLUMNS = ["section", "key", "label", "value", "share"]
FORMULA_STARTS = frozenset("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")


def render_csv(summary: ClassSummary) -> str:
    out = io.StringIO()
    writer = _SafeWriter(csv.writer(out, lineterminator="\n"))
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


class _SafeWriter:
    """A csv writer whose text cells cannot start a formula."""

    def __init__(self, writer) -> None:
        self.writer = writer

    def writerow(self, row: list[object]) -> None:
        self.writer.writerow([inert(cell) if isinstance(cell, str) else cell for cell in row])


def inert(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate: quoted when it could start a formula,
    and with its carriage returns made line feeds, which the csv module quotes (it writes a
    lone carriage return bare, and a spreadsheet would start a new row, and a formula, there)."""
    if "\r" in cell:
        cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    if cell[:1] in FORMULA_STARTS or cell.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + cell
    return cell


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.4f}" if whole else "0"
