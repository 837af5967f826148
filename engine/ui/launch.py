"""Starting the game: load the story (or show its errors), open the window, run the loop."""

from __future__ import annotations

import os
from pathlib import Path

from engine.diagnostics import Diagnostic
from engine.loader import StoryError
from engine.saves import SaveError
from engine.session import SessionError
from engine.story_cache import load_story_cached
from engine.text import Partner
from engine.ui.game import Game
from engine.ui.settings import settings_path


def load_game(story_path, saves: str | None = None, seed: int | None = None
              ) -> tuple[Game | None, list[str]]:
    """The game for a story, or None and the story's problems, one line each."""
    try:
        story = load_story_cached(story_path)
    except StoryError as problem:
        return None, [d.headline() if isinstance(d, Diagnostic) else str(d)
                      for d in problem.diagnostics] or [str(problem)]
    except OSError as problem:
        return None, [f"{story_path}: {problem.strerror or problem}"]
    return Game(story, saves, seed), []


def resolve_partner(partner, default: Partner) -> Partner:
    """A Partner, or a (name, pronouns) pair with either left None for the story's default."""
    if isinstance(partner, Partner):
        return partner
    name, pronouns = partner
    return Partner((name or default.name)[:40], pronouns or default.pronouns)


def build_app(story_path, *, saves: str | None = None, seed: int | None = None,
              partner: Partner | None = None, size: tuple[int, int] | None = None,
              settings_file: Path | None = None, use_settings: bool = True, **app_options):
    """The app on its first screen: the title, or the story's errors."""
    from engine.ui.app import App
    from engine.ui.screens.message import StoryErrorScreen
    from engine.ui.screens.title import TitleScreen

    game, problems = load_game(story_path, saves, seed)
    if settings_file is None and use_settings:
        settings_file = settings_path(saves)
    app = App(game, size=size, settings_file=settings_file, **app_options)
    if game is None:
        app.reset(StoryErrorScreen(app, str(story_path), problems))
    else:
        if partner is not None:
            game.default_partner = resolve_partner(partner, game.story.partner)
        app.reset(TitleScreen(app))
    for notice in app.notices:
        app.show_message("Notice", notice)
    return app


def run_game(story_path, *, saves: str | None = None, seed: int | None = None,
             partner: Partner | None = None, load: str | None = None,
             choices: list[str] | None = None, size: tuple[int, int] | None = None) -> int:
    """Open the window and play until the player quits. Returns an exit code."""
    import pygame

    app = build_app(story_path, saves=saves, seed=seed, partner=partner, size=size)
    game = app.game
    if game is not None and (load or choices):
        from engine.ui.screens.play import start_playing

        notes: list[str] = []
        try:
            if load:
                notes = game.load(load)
            else:
                game.new(game.default_partner)
            for token in choices or []:
                if game.session.state != "playing":
                    break
                game.choose(game.session.resolve(token))
        except (SaveError, SessionError) as problem:  # a bad slot or choice: say so
            app.show_message("Could not start there", str(problem))
        else:
            start_playing(app, notes)
    try:
        if os.environ.get("BOP_LAUNCH_PROBE"):  # benchmarks/bench_ui.py: time to the title
            app.step()
            print("title", flush=True)
            return 0
        app.run()
    finally:
        pygame.quit()
    return 0


def display_available() -> bool:
    """Whether a window can be opened here (the dummy driver only draws off screen)."""
    if os.environ.get("SDL_VIDEODRIVER", "") in ("dummy", "offscreen"):
        return bool(os.environ.get("BOP_LAUNCH_PROBE"))
    import pygame

    try:
        pygame.display.init()
    except pygame.error:
        return False
    return True


def parse_size(text: str) -> tuple[int, int]:
    """'1280x720' -> (1280, 720); raises ValueError with a readable message."""
    width, separator, height = text.lower().partition("x")
    if not separator or not width.isdigit() or not height.isdigit():
        raise ValueError(f"--size must look like 1280x720, not {text!r}")
    size = (int(width), int(height))
    if not (320 <= size[0] <= 8192 and 240 <= size[1] <= 8192):
        raise ValueError(f"--size {text} is out of range (320x240 to 8192x8192)")
    return size


def command_game(args, story_path) -> int | None:
    """`main.py [play STORY]` without --text: the window, or --screenshot. Returns None when no
    window can be opened here, so the caller plays in the terminal instead."""
    import sys

    from engine.ui.screenshot import render_screenshot

    try:
        size = parse_size(args.size)
    except ValueError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    partner = (args.partner, args.pronouns) if args.partner or args.pronouns else None
    choices = [t.strip() for t in args.choices.split(",") if t.strip()] if args.choices else []
    if args.screenshot is not None:
        problem = render_screenshot(story_path, args.screenshot, size=size, screen=args.screen,
                                    choices=choices, seed=args.seed, partner=partner,
                                    saves=args.saves, load=args.load)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        print(f"wrote {args.screenshot}")
        return 0
    if not display_available():
        print("note: no display here, so the story is played in the terminal "
              "(use --screenshot to draw the game into a PNG).", file=sys.stderr)
        return None
    return run_game(story_path, saves=args.saves, seed=args.seed, partner=partner,
                    load=args.load, choices=choices,
                    size=size if args.size != "1280x720" else None)
