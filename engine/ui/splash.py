"""The splash: the game's window opened and its name drawn in it before the rest of the game is
imported, so that the player sees the game at once (`main.py` calls `early_window` first); the
title screen follows in the same window as soon as the story is loaded.

Importing this module costs next to nothing (the theme's colours and the project's paths);
pygame is imported when the window is opened.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.json_files import read_json
from engine.paths import ASSETS, SAVES
from engine.ui.theme import theme_for

TITLE = "Balance of Power"
TITLE_FONT = ASSETS / "fonts" / "NotoSerif-Bold.ttf"  # the titles' font (engine/ui/fonts.py)
SETTINGS_FILE = "settings.json"  # in the saves folder (engine/ui/settings.py)
WINDOW_LIMITS = ((640, 480), (8192, 8192))  # settings.MIN_WINDOW and MAX_WINDOW (a test checks)
SETTINGS_MAX_BYTES = 64 * 1024  # as engine/ui/settings.py reads it


def option(argv: list[str], name: str) -> str | None:
    """The value of a command-line option (`--size 800x600` or `--size=800x600`), or None."""
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def window_size(size: str | None, saved: dict) -> tuple[int, int]:
    """The splash's size: `--size` (as '1280x720'), else the saved size, held between 640x480
    and 8192x8192 (as engine/ui/settings.py holds the window); 1280x720 when what is given
    cannot be read as a size."""
    text = size.lower().partition("x")[::2] if size else None
    values = text or (saved.get("window_width", 1280), saved.get("window_height", 720))
    if not all(isinstance(v, int | str) and not isinstance(v, bool) for v in values):
        return (1280, 720)
    try:
        width, height = (int(v) for v in values)
    except ValueError:
        return (1280, 720)
    (least_width, least_height), (most_width, most_height) = WINDOW_LIMITS
    return (
        min(most_width, max(least_width, width)),
        min(most_height, max(least_height, height)),
    )


def early_window(argv: list[str]) -> None:
    """Open the window at the saved size and draw the game's name in it. Any problem here is
    left for the game to find and report, in its own words, a moment later."""
    try:
        folder = option(argv, "--saves") or os.environ.get("BOP_SAVES_DIR") or SAVES
        try:
            saved = read_json(Path(folder) / SETTINGS_FILE, SETTINGS_MAX_BYTES)["settings"]
        except (OSError, ValueError, KeyError, TypeError):  # damaged: the game will say so
            saved = {}
        if not isinstance(saved, dict):
            saved = {}
        size = option(argv, "--size")
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame

        pygame.display.init()
        if pygame.display.get_driver() in ("dummy", "offscreen") and not os.environ.get(
            "BOP_LAUNCH_PROBE"
        ):  # no display: no splash (the benchmark probes anyway)
            pygame.display.quit()
            return
        pygame.display.set_caption(TITLE)
        if saved.get("fullscreen") is True and not size:
            screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        else:
            screen = pygame.display.set_mode(window_size(size, saved), pygame.RESIZABLE)
        theme = theme_for(saved.get("high_contrast") is True)
        screen.fill(theme.background)
        pygame.font.init()
        font = pygame.font.Font(TITLE_FONT, max(24, screen.get_height() // 18))
        title = font.render(TITLE, True, theme.text, theme.background)
        screen.blit(title, title.get_rect(center=screen.get_rect().center))
        pygame.display.flip()
        if os.environ.get("BOP_LAUNCH_PROBE"):
            print("first-frame", flush=True)
    except Exception:  # noqa: BLE001 - the splash is a courtesy; the game reports real faults
        pass
