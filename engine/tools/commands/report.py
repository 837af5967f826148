"""Make a class report from playthrough records: a self-contained HTML page, or CSV.

    python main.py report records/ -o class.html      (folders, files and globs accepted)

The report is on one story: the one named with --story, else the one most records share.
Records that cannot be read, belong to another story, or copy another record of the same
playthrough are named and left out, with why. Players' names or codes, and the class's name,
appear only with --names. Whatever a record holds, what is printed here is plain text: control
characters and terminal escape sequences from records or file names are removed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from engine.atomic import write_atomic
from engine.classroom.records import Record
from engine.classroom.summary import gather, summarize_class

DESCRIPTION = __doc__  # shown by `main.py COMMAND --help`

# Terminal escape sequences (ECMA-48): CSI, the string commands (OSC, DCS, SOS, PM, APC) up to
# their terminator or the end, other escapes, and the 8-bit forms of CSI and the strings.
_ESCAPE_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
)
# What is left to remove: control characters (C0, DEL, C1), and the invisible marks that
# reorder or hide text (bidirectional controls) or break lines (line and paragraph separators).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile("[\t\n\r\v\f\u2028\u2029]+")


def plain(text: str) -> str:
    """Text safe to print to a terminal: one line, with no escape sequences and no control
    characters, which a record's title or a file's name could carry."""
    return _CONTROLS.sub("", _ESCAPE_SEQUENCES.sub("", _BREAKS.sub(" ", text)))


def say(text: str, error: bool = False) -> None:
    print(plain(text), file=sys.stderr if error else sys.stdout)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("records", nargs="+", help="record files, folders of them, or globs")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="the report to write: .html or .csv"
    )
    parser.add_argument(
        "--names",
        action="store_true",
        help="include players' names or codes and the class's name (left out by default)",
    )
    parser.add_argument(
        "--story",
        default=None,
        help="the story id to report on (default: the story most records share)",
    )
    parser.add_argument(
        "--playthrough",
        action="store_true",
        help="a one-page report of a single record (a player's debrief), HTML",
    )


def run(args: argparse.Namespace) -> int:
    suffix = args.output.suffix.lower()
    if suffix not in (".html", ".htm", ".csv"):
        say(
            f"error: cannot tell the report's format from {args.output.name!r}: "
            "end the name with .html or .csv",
            error=True,
        )
        return 2
    gathered = gather(args.records, args.story)
    for line in gathered.skipped:
        say(line, error=True)
    if not gathered.records:
        say("error: no usable records: nothing to report", error=True)
        return 1
    if args.playthrough:
        return _playthrough(args, gathered.records)
    summary = summarize_class(gathered.records, names=args.names)
    if suffix == ".csv":
        from engine.classroom.report_csv import render_csv

        text = render_csv(summary)
    else:
        from engine.classroom.report_html import render_html

        text = render_html(summary, gathered.skipped)
    if not _write(args.output, text):
        return 1
    left_out = f", {len(gathered.skipped)} left out" if gathered.skipped else ""
    records = f"{summary.played} record" + ("" if summary.played == 1 else "s")
    say(f"wrote {args.output}: {records} of '{summary.story_title}'{left_out}")
    return 0


def _playthrough(args: argparse.Namespace, records: list[Record]) -> int:
    from engine.classroom.playthrough_page import render_playthrough

    if len(records) != 1 or args.output.suffix.lower() == ".csv":
        say("error: --playthrough takes exactly one record and writes .html", error=True)
        return 2
    if not _write(args.output, render_playthrough(records[0])):
        return 1
    say(
        f"wrote {args.output}: the playthrough of '{records[0].story.title or records[0].story.id}'"
    )
    return 0


def _write(path: Path, text: str) -> bool:
    """Write the report; False, with the reason printed, when it cannot be written."""
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as error:
        say(f"error: cannot write {path}: {error.strerror or error}", error=True)
        return False
    return True
