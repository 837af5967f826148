"""A command's inputs: the story it works on and the classroom file it is given, read with their
problems printed as `validate` prints them (file:line:col, with the source line and a help)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.classroom.settings import Classroom, ClassroomError, load_classroom
from engine.story.diagnostics import Diagnostic, SourceLines, render_text, summary
from engine.story.loader import StoryError, load_story
from engine.story.model import Story


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Every diagnostic on standard error, rendered like a compiler's."""
    sources = SourceLines()
    for diagnostic in diagnostics:
        print(render_text(diagnostic, sources), file=sys.stderr)


def load_or_report(path: str | Path) -> Story | None:
    """The story at `path`, or None with its problems printed."""
    try:
        return load_story(path, cache=True)
    except StoryError as problem:
        print_diagnostics(problem.diagnostics)
        print(
            f"{path}: {summary(problem.diagnostics)}: the story cannot be played", file=sys.stderr
        )
        return None


def classroom_settings(args: argparse.Namespace) -> Classroom | None:
    """The classroom file's settings with the command-line flags applied, or None (and the
    problems printed) when the file is wrong."""
    classroom = Classroom()
    if args.classroom is not None:
        try:
            classroom = load_classroom(args.classroom)
        except ClassroomError as problem:
            print_diagnostics(problem.diagnostics)
            return None
    return classroom.with_overrides(
        allow_undo=args.allow_undo,
        show_meters=args.show_meters,
        ask_player=args.ask_player,
        records=args.records,
    )
