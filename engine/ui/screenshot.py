"""`--screenshot OUT.png`: draw one screen of the game into a PNG of a given size, and exit.

The screen is the one reached after `--choices` (the play screen, or the ending), or a named one
(`SCREENS`): title, play, feedback, ending, history, settings, keys, load, save, pause,
partner, content_note, help, player (the name or code a class asks for) and credits.
For `feedback` with no choices given, the first choice on offer is made; for `ending`, the first
choice on offer is made until the story ends. Saves and settings are never touched, animations
are shown finished and the default settings are used (with the theme and text size asked for),
so the picture is the same on every run; `settings_file` (`--settings FILE`) draws with the
text size, theme, undo, font and line spacing of a settings file instead (only read), and
`high_contrast` and `text_size` override either.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pygame

import engine.ui.screens  # noqa: F401 - every screen registers itself, for the lookups below
from engine.play.errors import SessionError
from engine.play.flow import Flow
from engine.play.saves import SaveError
from engine.ui import navigation
from engine.ui.app import App
from engine.ui.fonts import TEXT_SIZES
from engine.ui.launch import PartnerChoice, build_app
from engine.ui.registry import screen_class
from engine.ui.settings import load_settings

SCREENS = (
    "title",
    "play",
    "feedback",
    "ending",
    "history",
    "settings",
    "keys",
    "load",
    "save",
    "pause",
    "partner",
    "content_note",
    "help",
    "player",
    "credits",
)
# The screens drawn over the title, opened by their names in the registry.
OVER_THE_TITLE = ("settings", "keys", "partner", "content_note", "help", "credits")
MAX_AUTOPLAY = 1000


class ScreenshotError(Exception):
    """The screenshot could not be made; the message says why."""


def build_screen(
    app: App, screen: str | None, choices: list[str] | None = None, load: str | None = None
) -> None:
    """Put the app on the named screen (or the one reached after the choices, or at the
    --from/--set start)."""
    game = app.game
    if game is None:  # the story has errors: that screen is already up
        return
    if screen in ("title", "load", "player", *OVER_THE_TITLE) or (
        screen is None and not choices and not load and game.start_request is None
    ):
        navigation.show_title(app)
        if screen == "load":
            navigation.open_saves(app, "load")
        elif screen == "player":
            navigation.ask_player(app, lambda player: None)
        elif screen in OVER_THE_TITLE:
            app.push(screen_class(screen)(app))
        return
    try:
        if load:
            game.load(load)
        else:
            game.new(game.default_partner)
        turn = None
        for token in choices or []:
            if game.session.state != Flow.PLAYING:
                raise ScreenshotError(f"the story ended before the choice {token!r}")
            turn, _ = game.choose(game.session.resolve(token))
        if screen == "feedback" and turn is None and game.session.state == Flow.PLAYING:
            turn, _ = game.choose(game.session.offered()[0].id)
        if screen == "ending":
            for _ in range(MAX_AUTOPLAY):
                if game.session.state != Flow.PLAYING:
                    break
                turn, _ = game.choose(game.session.offered()[0].id)
    except (SaveError, SessionError) as problem:
        raise ScreenshotError(str(problem)) from None
    navigation.start_playing(app)
    if turn is not None:
        app.meter_panel.set_values(
            turn.meters, {c.meter: c.delta for c in turn.changes if c.delta}, animate=False
        )
    if screen == "feedback" and turn is not None:
        if app.top.name == "ending":
            app.reset(screen_class("play")(app))
        navigation.show_feedback(app, turn)
    elif screen == "history":
        navigation.open_history(app)
    elif screen == "pause":
        navigation.open_pause(app)
    elif screen == "save":
        navigation.open_saves(app, "save")


def screenshot_settings(
    settings_file: str | Path | None, high_contrast: bool | None, text_size: str | None
) -> tuple[dict[str, Any], str | None]:
    """The settings a screenshot is drawn with, as changes to the defaults: those of the
    settings file (its text size, theme, undo, font and line spacing; not its window or
    fullscreen, which --size decides), then the options. Or a message saying why the file
    cannot be used."""
    looks: dict[str, Any] = {}
    if settings_file is not None:
        path = Path(settings_file)
        if not path.is_file():
            return {}, f"--settings {path}: no such settings file"
        settings, problem = load_settings(path)
        if problem:
            return {}, f"--settings {path}: {problem.split(';')[0]}"
        looks.update(
            text_size=settings.text_size,
            high_contrast=settings.high_contrast,
            allow_undo=settings.allow_undo,
            font=settings.font,
            line_spacing=settings.line_spacing,
        )
    if high_contrast is not None:
        looks["high_contrast"] = high_contrast
    if text_size is not None:
        if text_size not in TEXT_SIZES:
            return {}, f"unknown text size {text_size!r} (choose from {', '.join(TEXT_SIZES)})"
        looks["text_size"] = text_size
    return looks, None


def render_screenshot(
    story_path: str | Path | None,
    out: str | Path,
    *,
    size: tuple[int, int] = (1280, 720),
    screen: str | None = None,
    choices: list[str] | None = None,
    seed: int | None = None,
    partner: PartnerChoice | None = None,
    saves: str | None = None,
    load: str | None = None,
    settings_file: str | Path | None = None,
    high_contrast: bool | None = None,
    text_size: str | None = None,
    **game_options: Any,
) -> str | None:
    """Draw the screen into a PNG. Returns None, or a message saying why it could not be done.
    `game_options` are build_app's classroom, classroom_overrides and player."""
    if screen is not None and screen not in SCREENS:
        return f"unknown screen {screen!r} (choose from {', '.join(SCREENS)})"
    looks, problem = screenshot_settings(settings_file, high_contrast, text_size)
    if problem:
        return problem
    if not pygame.display.get_init():
        os.environ["SDL_VIDEODRIVER"] = "dummy"  # drawn off screen: no window, no display
    app = build_app(
        story_path,
        saves=saves,
        seed=seed,
        partner=partner,
        size=size,
        use_settings=False,
        use_settings_window=False,
        **game_options,
    )
    try:
        if app.game is not None:
            app.game.autosaving = False
            app.game.recording = False
        if looks:
            app.settings_file = None  # never written
            app.change_settings(**looks)
        try:
            build_screen(app, screen, choices, load)
        except ScreenshotError as problem:
            return str(problem)
        for top in app.stack:
            document = getattr(top, "document", None)
            if document is not None:
                document.finish_reveal()
        app.draw_frame()
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            pygame.image.save(app.surface, str(path))
        except (pygame.error, OSError) as problem:
            return f"could not write {path}: {problem}"
        return None
    finally:
        pygame.display.quit()
