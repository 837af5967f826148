"""Balance of Power: start the game, or run one of its tools (`python main.py --help`).

When the command opens the game's window, the window is opened and a first frame drawn before the
rest of the engine is imported (`engine.ui.splash.early_window`), so the player sees the game at
once; the title screen follows in the same window as soon as the story is loaded.
"""

import contextlib
import os
import sys

NOT_THE_WINDOW = ("--text", "--screenshot", "--transcript", "-h", "--help")


def opens_window(argv: list[str]) -> bool:
    """Whether this command line opens the game's window (`play`, or no command; not a tool,
    the text player or a screenshot), on a machine that has a display."""
    if argv and argv[0] != "play" and not argv[0].startswith("-"):
        return False
    if any(arg.split("=")[0] in NOT_THE_WINDOW for arg in argv):
        return False
    if os.environ.get("BOP_LAUNCH_PROBE"):
        return True
    return os.environ.get("SDL_VIDEODRIVER", "") not in ("dummy", "offscreen")


def flush_output(code: int) -> int:
    """Flush the output before exiting, so that output that cannot be written (a full disk)
    fails the command with one line instead of a traceback, and exit 1, as it does when the
    output fails while the command runs (engine/tools/cli.py); a reader that has gone
    (`| head`) is not a failure. Returns the exit code."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_output()  # the reader has gone: nothing more to say
    except (OSError, ValueError) as problem:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            reason = getattr(problem, "strerror", None) or problem
            print(f"error: cannot write the output: {reason}", file=sys.stderr)
        silence_output()
        code = code or 1
    return code


def silence_output() -> None:
    """Point standard output at the null device, so that Python's last flush as it exits
    finds nothing to complain about (what Python's documentation advises for SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if opens_window(arguments):
        from engine.ui.splash import early_window

        early_window(arguments)
    from engine.tools.cli import main

    sys.exit(flush_output(main()))
