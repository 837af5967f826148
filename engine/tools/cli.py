"""The command line: `python main.py [COMMAND] ...` (play, validate, playtest, map, schema,
report; `python main.py --help` lists them).

Every command is a module of `engine.tools.commands`, imported only when it runs, with
`add_arguments(parser)` and `run(args) -> exit code`. `main` turns anything unexpected into one
line asking for a report (exit 2), with the details written to a crash log, so no input ever
shows a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from engine.crash_log import write_crash_log

# Every command, in the order `--help` lists them, with its one-line help.
COMMANDS: dict[str, str] = {
    "play": "play a story (the bundled one by default)",
    "validate": "check stories for errors, like a compiler",
    "map": "draw a story's map: Mermaid, Graphviz or SVG",
    "playtest": "play a story automatically and report what it finds",
    "schema": "print the story format as a JSON Schema, for editors",
    "report": "make a class report (HTML or CSV) from records",
}
DEFAULT_COMMAND = "play"
REPORT_URL = "the project's issue tracker"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only the command named by `command` is imported (to keep start-up fast)."""
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Balance of Power: a branching story game about power in relationships.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        if name != command:
            commands.add_parser(name, help=help_text, add_help=False)
            continue
        module = importlib.import_module(f"engine.tools.commands.{name}")
        description = getattr(module, "DESCRIPTION", None)
        sub = commands.add_parser(
            name,
            help=help_text,
            description=description,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; its exit code (2 for a fault in the game itself)."""
    try:
        return run(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # the last line of defence: one line, a log, exit 2
        log = write_crash_log()
        print(
            f"internal error: {type(error).__name__}: {error}. This is a bug in the game, not "
            f"in your input; please report it on {REPORT_URL}"
            + (f" with the details in {log}" if log else "")
            + ".",
            file=sys.stderr,
        )
        return 2


def run(argv: list[str]) -> int:
    """Parse the command line (no command, or only options, means `play`) and run it."""
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = [DEFAULT_COMMAND, *argv]
    args = build_parser(argv[0]).parse_args(argv)
    return args.run(args)
