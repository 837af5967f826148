"""The command line: `python main.py [COMMAND] ...` (play, validate, playtest, map, schema,
report; `python main.py --help` lists them).

Every command is a module of `engine.tools.commands`, imported only when it runs, with
`add_arguments(parser)` and `run(args) -> exit code`. Exit codes: 0 success, 1 a problem with
the user's input or files (one line saying what), 2 a usage error (argparse) or a fault in the
game itself. `main` turns anything unexpected into one line asking for a report (exit 2), with
the details written to a crash log, so no input ever shows a traceback; output that cannot be
written (a full disk) is not a fault of the game: one line and exit 1, whenever it happens.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from engine.crash_log import write_crash_log

# Every command, in the order `--help` lists them, with its one-line help.
COMMANDS: dict[str, str] = {
    "play": "play a story (the bundled one by default)",
    "validate": "check stories for errors, like a compiler",
    "map": "draw a story's map: Mermaid, Graphviz or SVG",
    "playtest": "play a story automatically and report what it finds",
    "schema": "print the story format as a JSON Schema, for editors",
    "report": "make a class report (HTML or CSV) from records",
    "serve": "the class server: a class plays in browsers, the teacher watches live",
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


class OutputError(Exception):
    """Standard output or standard error could not be written (a full disk, say)."""

    def __init__(self, stream_name: str, error: OSError):
        super().__init__(f"cannot write the {stream_name}: {error.strerror or error}")
        self.stream_name = stream_name


class GuardedStream:
    """A standard stream whose write failures (other than a reader gone: BrokenPipeError)
    become `OutputError`, so that `main` can tell them from a fault in the game."""

    def __init__(self, stream: TextIO, name: str):
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(self._name, error) from error

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(self._name, error) from error

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; its exit code (2 for a fault in the game itself). While it runs,
    standard output and standard error are guarded: output that cannot be written (a full disk)
    ends the command with one line and exit 1, whenever it happens."""
    streams = sys.stdout, sys.stderr
    for stream in streams:  # a file name that is not UTF-8 is printed escaped, never a crash
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdout is not None:
        sys.stdout = GuardedStream(sys.stdout, "output")
    if sys.stderr is not None:
        sys.stderr = GuardedStream(sys.stderr, "error output")
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str] | None) -> int:
    try:
        return run(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as done:  # argparse after --help or a usage error: its own exit code
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:
        complain("\ninterrupted")
        return 130
    except BrokenPipeError:
        return 0
    except OutputError as problem:
        complain(f"error: {problem}")
        silence(sys.stdout if problem.stream_name == "output" else sys.stderr)
        return OUTPUT_FAILED
    except Exception as error:  # the last line of defence: one line, a log, exit 2
        log = write_crash_log()
        complain(
            f"internal error: {type(error).__name__}: {error}. This is a bug in the game, not "
            f"in your input; please report it on {REPORT_URL}"
            + (f" with the details in {log}" if log else "")
            + "."
        )
        return 2


OUTPUT_FAILED = 1  # the exit code when the output cannot be written (main.py's at exit too)


def complain(line: str) -> None:
    """Print one line on standard error, unless standard error itself cannot be written."""
    with contextlib.suppress(OSError, ValueError, OutputError):
        print(line, file=sys.stderr)


def silence(stream: TextIO | None) -> None:
    """Point a stream that failed at the null device, so that what is still waiting in it
    does not fail the exit again (as main.py does for standard output at exit)."""
    with contextlib.suppress(OSError, ValueError, AttributeError, OutputError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)


def run(argv: list[str]) -> int:
    """Parse the command line (no command, or only options, means `play`) and run it."""
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = [DEFAULT_COMMAND, *argv]
    args = build_parser(argv[0]).parse_args(argv)
    return args.run(args)
