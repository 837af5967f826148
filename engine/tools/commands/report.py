"""Make a class report from playthrough records: a self-contained HTML page, or CSV.

    python main.py report records/ -o class.html      (folders, files and globs accepted)

Records that cannot be read, or belong to another story, are named and left out. Players'
names or codes appear only with --names.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.atomic import write_atomic
from engine.classroom.records import Record
from engine.classroom.summary import gather, summarize_class

DESCRIPTION = __doc__  # shown by `main.py COMMAND --help`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("records", nargs="+", help="record files, folders of them, or globs")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="the report to write: .html or .csv"
    )
    parser.add_argument(
        "--names", action="store_true", help="include players' names or codes (left out by default)"
    )
    parser.add_argument(
        "--story",
        default=None,
        help="the story id to report on (default: that of the first record)",
    )
    parser.add_argument(
        "--playthrough",
        action="store_true",
        help="a one-page report of a single record (a player's debrief), HTML",
    )


def run(args: argparse.Namespace) -> int:
    suffix = args.output.suffix.lower()
    if suffix not in (".html", ".htm", ".csv"):
        print(
            f"error: cannot tell the report's format from {args.output.name!r}: "
            "end the name with .html or .csv",
            file=sys.stderr,
        )
        return 2
    gathered = gather(args.records, args.story)
    for line in gathered.skipped:
        print(line, file=sys.stderr)
    if not gathered.records:
        print("error: no usable records: nothing to report", file=sys.stderr)
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
    try:
        write_atomic(args.output, text.encode("utf-8"))
    except OSError as error:
        print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    left_out = f", {len(gathered.skipped)} left out" if gathered.skipped else ""
    records = f"{summary.played} record" + ("" if summary.played == 1 else "s")
    print(f"wrote {args.output}: {records} of '{summary.story_title}'{left_out}")
    return 0


def _playthrough(args: argparse.Namespace, records: list[Record]) -> int:
    from engine.classroom.playthrough_page import render_playthrough

    if len(records) != 1 or args.output.suffix.lower() == ".csv":
        print("error: --playthrough takes exactly one record and writes .html", file=sys.stderr)
        return 2
    try:
        write_atomic(args.output, render_playthrough(records[0]).encode("utf-8"))
    except OSError as error:
        print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}: the playthrough of '{records[0].story.title}'")
    return 0
