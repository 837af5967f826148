"""Starting the game: read the classroom settings and the story (or show their errors), open the
window, run the loop; and whether a window can be opened here at all.

This is where the app is put together (`build_app`): importing this module registers every
screen, and the app is given what F5 does (`reload.reload_story`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pygame

import engine.ui.screens  # noqa: F401 - every screen registers itself, for navigation to find
from engine.classroom.game import ClassroomGame
from engine.classroom.settings import Classroom, ClassroomError, load_classroom
from engine.paths import BUNDLED_STORY
from engine.play.errors import SessionError, shown
from engine.play.flow import Flow
from engine.play.saves import SaveError
from engine.play.start import StartRequest
from engine.story.text import Partner
from engine.ui import navigation
from engine.ui.app import App
from engine.ui.reading import Problems, headlines, read_story
from engine.ui.reload import reload_story
from engine.ui.settings import settings_path

ClassroomSource = Classroom | str | Path | None  # settings, a classroom file, or none
PartnerChoice = Partner | tuple[str | None, str | None]  # (name, pronouns): None, the story's


def read_classroom(
    source: ClassroomSource, overrides: dict[str, Any] | None = None
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


def load_game(
    story_path: str | Path | None = None,
    saves: str | None = None,
    seed: int | None = None,
    *,
    classroom: ClassroomSource = None,
    classroom_overrides: dict[str, Any] | None = None,
    player: str | None = None,
) -> tuple[ClassroomGame | None, Problems | None]:
    """The game for a story (the classroom's story, when no story is given), or None and why."""
    settings, problems = read_classroom(classroom, classroom_overrides)
    if settings is None:
        return None, Problems("classroom", str(classroom), problems)
    if story_path is None:
        story_path = settings.story or BUNDLED_STORY
    story, problems = read_story(story_path)
    if story is None:
        return None, Problems("story", str(story_path), problems)
    return ClassroomGame(
        story, saves, seed, classroom=settings, player=player, story_path=story_path
    ), None


def resolve_partner(partner: PartnerChoice, default: Partner) -> Partner:
    """A Partner, or a (name, pronouns) pair with either left None for the story's default."""
    if isinstance(partner, Partner):
        return partner
    name, pronouns = partner
    return Partner((name or default.name)[:40], pronouns or default.pronouns)


def build_app(
    story_path: str | Path | None = None,
    *,
    saves: str | None = None,
    seed: int | None = None,
    partner: PartnerChoice | None = None,
    size: tuple[int, int] | None = None,
    settings_file: Path | None = None,
    use_settings: bool = True,
    classroom: ClassroomSource = None,
    classroom_overrides: dict[str, Any] | None = None,
    player: str | None = None,
    start: StartRequest | None = None,
    **app_options: Any,
) -> App:
    """The app on its first screen: the title, or what keeps the game from starting (a story or
    classroom settings with errors), from which F5 tries again. `app_options` go to `App`."""

    def open_game() -> tuple[ClassroomGame | None, Problems | None]:
        game, problems = load_game(
            story_path,
            saves,
            seed,
            classroom=classroom,
            classroom_overrides=classroom_overrides,
            player=player,
        )
        if game is not None and partner is not None:
            game.default_partner = resolve_partner(partner, game.story.partner)
        if game is not None:
            game.start_request = start  # --from and --set: F5 keeps them, checked again
        return game, problems

    game, problems = open_game()
    if settings_file is None and use_settings:
        settings_file = settings_path(saves)
    app = App(game, size=size, settings_file=settings_file, **app_options)
    app.reopen = open_game
    app.reload_story = reload_story
    navigation.show_first_screen(app, problems)
    for notice in app.notices:
        app.show_message("Notice", notice)
    return app


def run_game(
    story_path: str | Path | None,
    *,
    saves: str | None = None,
    seed: int | None = None,
    partner: PartnerChoice | None = None,
    load: str | None = None,
    choices: list[str] | None = None,
    size: tuple[int, int] | None = None,
    **game_options: Any,
) -> int:
    """Open the window and play until the player quits. Returns an exit code. `game_options`
    are build_app's classroom, classroom_overrides and player."""
    app = build_app(story_path, saves=saves, seed=seed, partner=partner, size=size, **game_options)
    game = app.game
    if game is not None and (load or choices or game_options.get("start")):
        notes: list[str] = []
        try:
            if load:
                notes = game.load(load)
            else:
                game.new(game.default_partner)
            for token in choices or []:
                if game.session.state != Flow.PLAYING:
                    break
                game.choose(game.session.resolve(token))
        except (SaveError, SessionError) as problem:  # a bad slot or choice: say so
            app.show_message("Could not start there", str(problem))
        else:
            navigation.play_on(app, notes)
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
    if not separator or not all(
        part.isascii() and part.isdigit() and len(part) <= 6 for part in (width, height)
    ):
        raise ValueError(f"--size must look like 1280x720, not {shown(text)!r}")
    size = (int(width), int(height))
    if not (320 <= size[0] <= 8192 and 240 <= size[1] <= 8192):
        raise ValueError(f"--size {text} is out of range (320x240 to 8192x8192)")
    return size
