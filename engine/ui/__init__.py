"""The desktop game: any story played in a pygame-ce window. The only package that imports pygame.

    run_game("scenes/balance_of_power")                 # opens the window; returns an exit code
    render_screenshot(story_path, "out.png", size=(1280, 720), screen="ending")

Modules, one job each: `app` (window, screen stack, loop), `screens/` (one per screen), `widgets`
(documents, buttons), `meters` (the meter panel), `chart` (the ending's meter chart), `theme`,
`fonts`, `settings` (persisted), `keybindings` (the one key table), `layout` (rects from the
window size), `game` (the story, session and saves the screens act on) and `screenshot`.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from engine.ui.launch import run_game  # noqa: E402
from engine.ui.screenshot import SCREENS, render_screenshot  # noqa: E402

__all__ = ["SCREENS", "render_screenshot", "run_game"]
