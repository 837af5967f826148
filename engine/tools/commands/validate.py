"""`validate`: check stories for errors and warnings, printed like a compiler's diagnostics
(`path:line:col: error: message [CODE]`, the source line, a help), or as JSON."""

from __future__ import annotations

import argparse

from engine.story.diagnostics import SourceLines, has_errors, render_json, render_text, summary
from engine.story.lint import summarize
from engine.story.loader import check_story


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", help="story files or folders")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--no-cache", action="store_true", help="ignore the compiled cache")


def run(args: argparse.Namespace) -> int:
    everything = []
    sources = SourceLines()
    for path in args.paths:
        story, diagnostics = check_story(path, cache=not args.no_cache)
        everything.extend(diagnostics)
        if args.format == "text":
            for diagnostic in diagnostics:
                print(render_text(diagnostic, sources))
            counts = f"; {summarize(story).line()}" if story else ""
            print(f"{path}: {summary(diagnostics)}{counts}")
    if args.format == "json":
        print(render_json(everything))
    if has_errors(everything) or (args.strict and everything):
        return 1
    return 0
