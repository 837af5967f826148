"""`--screenshot OUT.png`: draw one screen of the game into a PNG of a given size, and exit.

The screen is the one reached after `--choices` (the play screen, or the ending), or a named one:
title, play, feedback, ending, history, settings, load (and pause, save, partner, content_note,
help, player: the name or code a class asks for).
For `feedback` with no choices given, the first choice on offer is made; for `ending`, the first
choice on offer is made until the story ends. Saves and settings are never touched, animations
are shown finished and the default settings are used, so the picture is the same on every run.
"""

from __future__ import annotations

from pathlib import Path

from engine.play.saves import SaveError
from engine.play.session import SessionError
from engine.story.text import Partner

SCREENS = ("title", "play", "feedback", "ending", "history", "settings", "load", "save",
           "pause", "partner", "content_note", "help", "player", "credits")
MAX_AUTOPLAY = 1000


class ScreenshotError(Exception):
    """The screenshot could not be made; the message says why."""


def build_screen(app, screen: str | None, choices: list[str], partner: Partner | None,
                 load: str | None = None):
    """Put the app on the named screen (or the one reached after the choices)."""
    from engine.ui.screens.feedback import FeedbackScreen
    from engine.ui.screens.history import HistoryScreen
    from engine.ui.screens.pause import PauseScreen
    from engine.ui.screens.play import meter_panel, start_playing
    from engine.ui.screens.saves import SavesScreen
    from engine.ui.screens.settings import SettingsScreen
    from engine.ui.screens.setup import ContentNoteScreen, PartnerScreen, PlayerScreen
    from engine.ui.screens.title import TitleScreen

    game = app.game
    if game is None:  # the story has errors: that screen is already up
        return
    if screen in ("title", "settings", "load", "partner", "content_note", "help", "player",
                  "credits") or (
            screen is None and not choices and not load):
        app.reset(TitleScreen(app))
        from engine.ui.screens.help import CreditsScreen, HelpScreen

        extra = {"settings": SettingsScreen, "partner": PartnerScreen,
                 "content_note": ContentNoteScreen, "help": HelpScreen,
                 "credits": CreditsScreen}.get(screen)
        if screen == "load":
            app.push(SavesScreen(app, "load"))
        elif screen == "player":
            app.push(PlayerScreen(app, lambda player: None))
        elif extra is not None:
            app.push(extra(app))
        return
    try:
        if load:
            game.load(load)
        else:
            game.new(game.default_partner)
        turn = None
        for token in choices:
            if game.session.state != "playing":
                raise ScreenshotError(f"the story ended before the choice {token!r}")
            turn, _ = game.choose(game.session.resolve(token))
        if screen == "feedback" and turn is None and game.session.state == "playing":
            turn, _ = game.choose(game.session.offered()[0].id)
        if screen == "ending":
            for _ in range(MAX_AUTOPLAY):
                if game.session.state != "playing":
                    break
                turn, _ = game.choose(game.session.offered()[0].id)
    except (SaveError, SessionError) as problem:
        raise ScreenshotError(str(problem)) from None
    start_playing(app)
    panel = meter_panel(app)
    if turn is not None:
        panel.set_values(turn.meters, {c.meter: c.delta for c in turn.changes if c.delta},
                         animate=False)
    if screen == "feedback" and turn is not None:
        if app.top.name == "ending":
            from engine.ui.screens.play import PlayScreen

            app.reset(PlayScreen(app))
        app.push(FeedbackScreen(app, turn))
    elif screen == "history":
        app.push(HistoryScreen(app))
    elif screen == "pause":
        app.push(PauseScreen(app))
    elif screen == "save":
        app.push(SavesScreen(app, "save"))


def render_screenshot(story_path, out: str | Path, *, size: tuple[int, int] = (1280, 720),
                      screen: str | None = None, choices: list[str] | None = None,
                      seed: int | None = None, partner: Partner | None = None,
                      saves: str | None = None, load: str | None = None,
                      high_contrast: bool = False, text_size: str | None = None,
                      **game_options) -> str | None:
    """Draw the screen into a PNG. Returns None, or a message saying why it could not be done.
    `game_options` are build_app's classroom, classroom_overrides and player."""
    import os

    import pygame

    from engine.ui.launch import build_app

    if not pygame.display.get_init():
        os.environ["SDL_VIDEODRIVER"] = "dummy"  # drawn off screen: no window, no display
    if screen is not None and screen not in SCREENS:
        return f"unknown screen {screen!r} (choose from {', '.join(SCREENS)})"
    app = build_app(story_path, saves=saves, seed=seed, partner=partner, size=size,
                    use_settings=False, use_settings_window=False, **game_options)
    try:
        if app.game is not None:
            app.game.autosaving = False
            app.game.recording = False
        if high_contrast or text_size:
            app.settings_file = None
            app.change_settings(high_contrast=high_contrast,
                                text_size=text_size or app.settings.text_size)
        try:
            build_screen(app, screen, list(choices or []), partner, load)
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
