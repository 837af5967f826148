"""Starting the game: read the classroom settings and the story (or show their errors), open the
window, run the loop."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from engine.classroom.settings import Classroom, ClassroomError, load_classroom
from engine.paths import BUNDLED_STORY
from engine.play.game import Game
from engine.play.saves import SaveError
from engine.play.session import SessionError
from engine.story.diagnostics import ERROR, Diagnostic
from engine.story.loader import StoryError, load_story
from engine.story.model import Story
from engine.story.text import Partner
from engine.ui.settings import settings_path


@dataclass(frozen=True)
class Problems:
    """Why the game cannot start: what could not be used, where, and each problem on a line."""

    what: str  # 'story' or 'classroom'
    path: str
    headlines: list[str]


def headlines(problem: StoryError | ClassroomError) -> list[str]:
    """Each problem on a line (`path:line:col: error: message [CODE]`), errors first."""
    found = sorted(problem.diagnostics,
                   key=lambda d: not isinstance(d, Diagnostic) or d.severity != ERROR)
    return [d.headline() if isinstance(d, Diagnostic) else str(d) for d in found] \
        or [str(problem)]


def count_problems(lines: list[str]) -> str:
    """'2 errors and 3 warnings', from headlines."""
    errors = sum(": error:" in line for line in lines)
    warnings = sum(": warning:" in line for line in lines)
    others = len(lines) - errors - warnings
    parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in
             ((errors, "error"), (warnings, "warning"), (others, "problem")) if n]
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts) \
        or "a problem"


def read_story(story_path) -> tuple[Story | None, list[str]]:
    """The story at a path, or None and its problems, one line each (file:line:col: ...)."""
    try:
        return load_story(story_path, cache=True), []
    except StoryError as problem:
        return None, headlines(problem)
    except OSError as problem:
        return None, [f"{story_path}: {problem.strerror or problem}"]


def read_classroom(source, overrides: dict | None = None
                   ) -> tuple[Classroom | None, list[str]]:
    """The classroom settings (a Classroom, a file, or None for none) with the command line's
    overrides applied, or None and the file's problems."""
    if source is None or isinstance(source, Classroom):
        classroom = source or Classroom()
    else:
        try:
            classroom = load_classroom(source)
        except ClassroomError as problem:
            return None, headlines(problem)
    return classroom.with_overrides(**(overrides or {})), []


def load_game(story_path=None, saves: str | None = None, seed: int | None = None, *,
              classroom=None, classroom_overrides: dict | None = None,
              player: str | None = None) -> tuple[Game | None, Problems | None]:
    """The game for a story (the classroom's story, when no story is given), or None and why."""
    settings, problems = read_classroom(classroom, classroom_overrides)
    if settings is None:
        return None, Problems("classroom", str(classroom), problems)
    if story_path is None:
        story_path = settings.story or BUNDLED_STORY
    story, problems = read_story(story_path)
    if story is None:
        return None, Problems("story", str(story_path), problems)
    return Game(story, saves, seed, classroom=settings, player=player,
                story_path=story_path), None


def resolve_partner(partner, default: Partner) -> Partner:
    """A Partner, or a (name, pronouns) pair with either left None for the story's default."""
    if isinstance(partner, Partner):
        return partner
    name, pronouns = partner
    return Partner((name or default.name)[:40], pronouns or default.pronouns)


def build_app(story_path=None, *, saves: str | None = None, seed: int | None = None,
              partner: Partner | None = None, size: tuple[int, int] | None = None,
              settings_file: Path | None = None, use_settings: bool = True, classroom=None,
              classroom_overrides: dict | None = None, player: str | None = None,
              **app_options):
    """The app on its first screen: the title, or what keeps the game from starting (a story or
    classroom settings with errors), from which F5 tries again."""
    from engine.ui.app import App

    def open_game() -> tuple[Game | None, Problems | None]:
        game, problems = load_game(story_path, saves, seed, classroom=classroom,
                                   classroom_overrides=classroom_overrides, player=player)
        if game is not None and partner is not None:
            game.default_partner = resolve_partner(partner, game.story.partner)
        return game, problems

    game, problems = open_game()
    if settings_file is None and use_settings:
        settings_file = settings_path(saves)
    app = App(game, size=size, settings_file=settings_file, **app_options)
    app.reopen = open_game
    show_first_screen(app, problems)
    for notice in app.notices:
        app.show_message("Notice", notice)
    return app


def show_first_screen(app, problems: Problems | None) -> None:
    from engine.ui.screens.message import StoryErrorScreen
    from engine.ui.screens.title import TitleScreen

    if app.game is None:
        app.reset(StoryErrorScreen(app, problems.path, problems.headlines, problems.what))
    else:
        app.reset(TitleScreen(app))


def run_game(story_path, *, saves: str | None = None, seed: int | None = None,
             partner: Partner | None = None, load: str | None = None,
             choices: list[str] | None = None, size: tuple[int, int] | None = None,
             **game_options) -> int:
    """Open the window and play until the player quits. Returns an exit code. `game_options`
    are build_app's classroom, classroom_overrides and player."""
    import pygame

    app = build_app(story_path, saves=saves, seed=seed, partner=partner, size=size,
                    **game_options)
    game = app.game
    if game is not None and (load or choices):
        from engine.ui.screens.setup import play_on

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
            play_on(app, notes)
    try:
        if os.environ.get("BOP_LAUNCH_PROBE"):  # benchmarks/bench_ui.py: time to the title
            app.step()
            print("title", flush=True)
            return 0
        app.run()
    finally:
        pygame.quit()
    return 0


OFF_SCREEN_DRIVERS = ("dummy", "offscreen")


def display_available() -> bool:
    """Whether a window a player can see can be opened here. With no display SDL quietly falls
    back to a driver that draws off screen, so the driver it chose is checked too."""
    if os.environ.get("BOP_LAUNCH_PROBE"):
        return True
    if os.environ.get("SDL_VIDEODRIVER", "") in OFF_SCREEN_DRIVERS:
        return False
    import pygame

    try:
        pygame.display.init()
    except pygame.error:
        return False
    if pygame.display.get_driver() in OFF_SCREEN_DRIVERS:
        pygame.display.quit()
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
