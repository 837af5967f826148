"""The desktop game: any story played in a pygame-ce window. The only package that imports pygame.

    from engine.ui.launch import run_game
    run_game("scenes/balance_of_power")                  # opens the window; returns an exit code
    from engine.ui.screenshot import render_screenshot
    render_screenshot(story_path, "out.png", size=(1280, 720), screen="ending")

Importing this package imports nothing else (the splash screen needs it light): import the module
you need. The modules, one job each, are listed in docs/ui.md ("How it is built").
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# The game draws into the window's own surface. SDL's "accelerated" framebuffer copies that
# surface through a renderer on every update, which on a machine without a GPU driver (software
# OpenGL, a VM, Xvfb) cost 7-8 ms of CPU an update even for a small rectangle; the native
# framebuffer (X11, Windows) costs 0.02-0.2 ms. Where there is no native one (Wayland, macOS) SDL
# uses the renderer anyway. A player's own setting of the hint wins.
os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
