"""Balance of Power: start the game, or run one of its tools (`python main.py --help`).

When the command opens the game's window, the window is opened and a first frame drawn before the
engine is imported (`early_window`), so the player sees the game at once; the title screen follows
in the same window as soon as the story is loaded.
"""

import contextlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# The background and text colours of the normal and high-contrast themes (engine/ui/theme.py).
SPLASH_COLOURS = {False: ((27, 29, 35), (236, 231, 222)), True: ((0, 0, 0), (255, 255, 255))}
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


def option(argv: list[str], name: str) -> str | None:
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def early_window(argv: list[str]) -> None:
    """Open the window at the saved size and draw the game's name in it. Any problem here is
    left for the game to find and report, in its own words, a moment later."""
    try:
        folder = option(argv, "--saves") or os.environ.get("BOP_SAVES_DIR") or ROOT / "saves"
        try:
            saved = json.loads((Path(folder) / "settings.json").read_text("utf-8"))["settings"]
        except (OSError, ValueError, KeyError, TypeError):
            saved = {}
        size = option(argv, "--size")
        width, height = (int(n) for n in size.lower().split("x")) if size else (
            int(saved.get("window_width", 1280)), int(saved.get("window_height", 720)))
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        pygame.display.init()
        if pygame.display.get_driver() in ("dummy", "offscreen") and not os.environ.get(
                "BOP_LAUNCH_PROBE"):  # no display: no splash (the benchmark probes anyway)
            pygame.display.quit()
            return
        pygame.display.set_caption("Balance of Power")
        if saved.get("fullscreen") is True and not size:
            screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            screen = pygame.display.set_mode((max(640, width), max(480, height)),
                                             pygame.RESIZABLE)
        background, text = SPLASH_COLOURS[saved.get("high_contrast") is True]
        screen.fill(background)
        pygame.font.init()
        font = pygame.font.Font(ROOT / "assets" / "fonts" / "NotoSerif-Bold.ttf",
                                max(24, screen.get_height() // 18))
        title = font.render("Balance of Power", True, text, background)
        screen.blit(title, title.get_rect(center=screen.get_rect().center))
        pygame.display.flip()
        if os.environ.get("BOP_LAUNCH_PROBE"):
            print("first-frame", flush=True)
    except Exception:  # noqa: BLE001 - the splash is a courtesy; the game reports real faults
        pass


def flush_output(code: int) -> int:
    """Flush the output before exiting, so that output that cannot be written (a full disk)
    fails the command, as Python's own exit would, but with one line instead of a traceback;
    a reader that has gone (`| head`) is not a failure. Returns the exit code."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        silence_output()  # the reader has gone: nothing more to say
    except (OSError, ValueError) as problem:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            print(f"error: cannot write the output: {problem}", file=sys.stderr)
        silence_output()
        code = code or 120
    return code


def silence_output() -> None:
    """Point standard output at the null device, so that Python's last flush as it exits
    finds nothing to complain about (what Python's documentation advises for SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if opens_window(arguments):
        early_window(arguments)
    from engine.tools.cli import main

    sys.exit(flush_output(main()))
