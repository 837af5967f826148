"""The command line: `python main.py [play|validate] ...`.

Every command returns an exit code; `main` turns anything unexpected into one line asking for a
report (exit 2), with the details written to a crash log, so no input ever shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

from engine.diagnostics import SourceLines, has_errors, render_json, render_text, summary
from engine.loader import StoryError
from engine.story_cache import check_story_cached, load_story_cached

# Tools that live in modules of their own: command -> (module, help). Each module offers
# `add_arguments(parser)` and `run(args) -> exit code`, and keeps its imports light.
TOOLS: dict[str, tuple[str, str]] = {
    "map": ("engine.story_map", "draw a story's map: Mermaid, Graphviz or SVG"),
}

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_STORY = PROJECT / "scenes" / "balance_of_power"
REPORT_URL = "the project's issue tracker"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Balance of Power: a branching story game about power in relationships.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = commands.add_parser("play", help="play a story (the bundled one by default)")
    play.add_argument("story", nargs="?", default=None, help="a story file or folder")
    play.add_argument("--text", action="store_true", help="play in the terminal")
    play.add_argument("--seed", type=int, default=None, help="seed for the random outcomes")
    play.add_argument("--choices", default=None,
                      help="comma-separated choices to play without asking (ids or numbers)")
    play.add_argument("--transcript", type=Path, default=None,
                      help="write a JSON record of the playthrough to this file")
    play.add_argument("--saves", default=None, help="the saves folder (default: saves/)")
    play.add_argument("--load", default=None, metavar="SLOT",
                      help="start from a save: a slot number or 'autosave'")
    play.add_argument("--partner", default=None, help="the partner's name")
    play.add_argument("--pronouns", default=None, choices=("they", "she", "he"),
                      help="the partner's pronouns")

    validate = commands.add_parser("validate", help="check stories for errors, like a compiler")
    validate.add_argument("paths", nargs="+", help="story files or folders")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    validate.add_argument("--no-cache", action="store_true", help="ignore the compiled cache")

    for name, (module_name, help_text) in TOOLS.items():
        module = importlib.import_module(module_name)
        tool = commands.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(tool)
        tool.set_defaults(tool=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # the last line of defence: one line, a log, exit 2
        log = _write_crash_log()
        print(f"internal error: {type(error).__name__}: {error}. This is a bug in the game, not "
              f"in your input; please report it on {REPORT_URL}"
              + (f" with the details in {log}" if log else "") + ".", file=sys.stderr)
        return 2


def run(argv: list[str]) -> int:
    parser = build_parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["play", *argv]
    args = parser.parse_args(argv)
    if getattr(args, "tool", None) is not None:
        return args.tool.run(args)
    if args.command == "validate":
        return command_validate(args)
    return command_play(args)


def command_validate(args: argparse.Namespace) -> int:
    everything = []
    sources = SourceLines()
    for path in args.paths:
        story, diagnostics = check_story_cached(path, use_cache=not args.no_cache)
        everything.extend(diagnostics)
        if args.format == "text":
            for diagnostic in diagnostics:
                print(render_text(diagnostic, sources))
            scenes = f", {len(story.scenes)} scenes" if story else ""
            print(f"{path}: {summary(diagnostics)}{scenes}")
    if args.format == "json":
        print(render_json(everything))
    if has_errors(everything) or (args.strict and everything):
        return 1
    return 0


def command_play(args: argparse.Namespace) -> int:
    from engine.saves import SaveError, SaveStore
    from engine.session import Session
    from engine.text import Partner
    from engine.text_player import TextPlayer, ask_partner

    story = _load_or_report(args.story or DEFAULT_STORY)
    if story is None:
        return 1
    saves = SaveStore(story, args.saves)
    scripted = args.choices is not None
    if args.load:
        try:
            session, notes = saves.read(args.load)
        except SaveError as problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        for note in notes:
            print(f"note: {note}")
    else:
        partner = story.partner
        if args.partner or args.pronouns:
            partner = Partner((args.partner or partner.name)[:40],
                              args.pronouns or partner.pronouns)
        elif not scripted and sys.stdin.isatty():
            partner = ask_partner(partner, input, sys.stdout)
        session = Session(story, args.seed, partner)
    script = [token.strip() for token in args.choices.split(",") if token.strip()] \
        if scripted else None
    player = TextPlayer(session, saves=saves, transcript_path=args.transcript)
    return player.run(script)


def _load_or_report(path: str | Path):
    try:
        return load_story_cached(path)
    except StoryError as problem:
        sources = SourceLines()
        for diagnostic in problem.diagnostics:
            print(render_text(diagnostic, sources), file=sys.stderr)
        print(f"{path}: {summary(problem.diagnostics)}: the story cannot be played",
              file=sys.stderr)
        return None


def _write_crash_log() -> str | None:
    try:
        handle, name = tempfile.mkstemp(prefix="balance-of-power-crash-", suffix=".log")
        with os.fdopen(handle, "w", encoding="utf-8") as log:
            log.write(traceback.format_exc())
        return name
    except OSError:
        return None
