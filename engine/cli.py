"""The command line: `python main.py [COMMAND] ...` (play, validate, playtest, map, schema,
report; `python main.py --help` lists them).

Every command returns an exit code; `main` turns anything unexpected into one line asking for a
report (exit 2), with the details written to a crash log, so no input ever shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.crash_log import write_crash_log
from engine.diagnostics import SourceLines, has_errors, render_json, render_text, summary
from engine.lint import summarize
from engine.loader import StoryError
from engine.story_cache import check_story_cached, load_story_cached

# Tools that live in modules of their own: command -> (module, help). Each module offers
# `add_arguments(parser)` and `run(args) -> exit code`, and keeps its imports light.
TOOLS: dict[str, tuple[str, str]] = {
    "map": ("engine.story_map", "draw a story's map: Mermaid, Graphviz or SVG"),
    "playtest": ("engine.playtest_command", "play a story automatically and report what it finds"),
    "schema": ("engine.story_schema", "print the story format as a JSON Schema, for editors"),
    "report": ("engine.report_command", "make a class report (HTML or CSV) from records"),
}

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_STORY = PROJECT / "scenes" / "balance_of_power"
REPORT_URL = "the project's issue tracker"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the tool named by `command` is imported (to keep start-up fast)."""
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
    play.add_argument("--screenshot", type=Path, default=None, metavar="OUT.png",
                      help="draw a screen of the game into a PNG and exit (no display needed)")
    play.add_argument("--size", default="1280x720", metavar="WxH",
                      help="the window or screenshot size (default 1280x720)")
    play.add_argument("--screen", default=None, metavar="NAME",
                      help="the screen to draw with --screenshot: title, play, feedback, ending, "
                           "history, settings, load, save, pause, partner, content_note, help, "
                           "player, credits (default: the one reached after --choices)")
    classroom = play.add_argument_group("classroom", "settings a teacher hands out; flags "
                                        "override the --classroom file")
    classroom.add_argument("--classroom", type=Path, default=None, metavar="FILE",
                           help="classroom settings (see docs/classroom.md)")
    classroom.add_argument("--no-undo", dest="allow_undo", action="store_const", const=False,
                           default=None, help="turn undo off")
    classroom.add_argument("--hide-meters", dest="show_meters", action="store_const",
                           const=False, default=None, help="hide the meters until the debrief")
    classroom.add_argument("--ask-player", choices=("none", "name", "code"), default=None,
                           help="ask for the player's name or code at the start")
    classroom.add_argument("--player", default=None, help="the player's name or code")
    classroom.add_argument("--records", type=Path, default=None, metavar="DIR",
                           help="write a record of every playthrough into this folder")

    validate = commands.add_parser("validate", help="check stories for errors, like a compiler")
    validate.add_argument("paths", nargs="+", help="story files or folders")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    validate.add_argument("--no-cache", action="store_true", help="ignore the compiled cache")

    for name, (module_name, help_text) in TOOLS.items():
        if name != command:
            commands.add_parser(name, help=help_text, add_help=False)
            continue
        module = importlib.import_module(module_name)
        tool = commands.add_parser(name, help=help_text, description=module.__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
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
        log = write_crash_log()
        print(f"internal error: {type(error).__name__}: {error}. This is a bug in the game, not "
              f"in your input; please report it on {REPORT_URL}"
              + (f" with the details in {log}" if log else "") + ".", file=sys.stderr)
        return 2


def run(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["play", *argv]
    args = build_parser(argv[0]).parse_args(argv)
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
            counts = f"; {summarize(story).line()}" if story else ""
            print(f"{path}: {summary(diagnostics)}{counts}")
    if args.format == "json":
        print(render_json(everything))
    if has_errors(everything) or (args.strict and everything):
        return 1
    return 0


def command_play(args: argparse.Namespace) -> int:
    if not args.text and args.transcript is None:
        from engine.ui.launch import command_game

        code = command_game(args, args.story or DEFAULT_STORY)
        if code is not None:
            return code
    from engine.game import Game
    from engine.text_player import TextPlayer

    classroom = classroom_settings(args)
    if classroom is None:
        return 1
    story_path = args.story or classroom.story or DEFAULT_STORY
    story = load_or_report(story_path)
    if story is None:
        return 1
    scripted = args.choices is not None
    script = [token.strip() for token in args.choices.split(",") if token.strip()] \
        if scripted else None
    game = Game(story, args.saves, args.seed, classroom, args.player, story_path)
    player = TextPlayer(game, transcript_path=args.transcript,
                        interactive=not scripted and sys.stdin.isatty())
    return player.start(load=args.load, script=script, partner=(args.partner, args.pronouns))


def classroom_settings(args: argparse.Namespace):
    """The classroom file's settings with the command-line flags applied, or None (and the
    problems printed) when the file is wrong."""
    from engine.classroom import Classroom, ClassroomError, load_classroom

    classroom = Classroom()
    if args.classroom is not None:
        try:
            classroom = load_classroom(args.classroom)
        except ClassroomError as problem:
            sources = SourceLines()
            for diagnostic in problem.diagnostics:
                print(render_text(diagnostic, sources), file=sys.stderr)
            return None
    return classroom.with_overrides(allow_undo=args.allow_undo, show_meters=args.show_meters,
                                    ask_player=args.ask_player, records=args.records)


def load_or_report(path: str | Path):
    try:
        return load_story_cached(path)
    except StoryError as problem:
        sources = SourceLines()
        for diagnostic in problem.diagnostics:
            print(render_text(diagnostic, sources), file=sys.stderr)
        print(f"{path}: {summary(problem.diagnostics)}: the story cannot be played",
              file=sys.stderr)
        return None
