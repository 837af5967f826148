"""Moving between screens: every way the game goes from one screen to another, as a function of
the app (`to_title(app)`, `show_feedback(app, turn)`, `open_pause(app)` ...).

Screens never import each other: they call these functions, which find the screen classes in
the registry by name (`engine.ui.registry`). A screen that hands a result back (the load screen,
the player's name) is given a callback (`then`), so it never needs to know who opened it. A
menu that gives way to what was picked in it (the pause menu) passes `replace=True`: the new
screen takes the menu's place on the stack instead of going over it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from engine.play.saves import SaveError
from engine.play.turns import Turn
from engine.story.model import Story
from engine.ui.app import App, Screen
from engine.ui.reading import Problems
from engine.ui.registry import screen_class
from engine.ui.widgets import Button
from engine.ui.widgets.meters import meter_guide

SaveMode = Literal["save", "load"]


def open_screen(
    app: App, screen: Screen, replace: bool = False, then: Callable[[object], None] | None = None
) -> None:
    """Show a screen over the top one, or in its place; `then` gets the screen's result when it
    closes (a screen that takes another's place hands its result to that one's `then`)."""
    if replace:
        if then is not None:
            raise ValueError("a screen that takes another's place keeps that one's callback")
        app.replace(screen)
    else:
        app.push(screen, then)


# The title ---------------------------------------------------------------------------------------


def show_first_screen(app: App, problems: Problems | None) -> None:
    """The title, or what keeps the game from starting (a story or classroom settings with
    errors, from which F5 tries again)."""
    if app.game is None:
        assert problems is not None, "a game that could not be opened says why"
        app.reset(
            screen_class("story_errors")(app, problems.path, problems.headlines, problems.what)
        )
    else:
        app.reset(screen_class("title")(app))


def show_title(app: App) -> None:
    """The title screen alone, the game left as it is."""
    app.reset(screen_class("title")(app))


def to_title(app: App) -> None:
    """Leave the playthrough (its record is written when it is unfinished) for the title."""
    if app.game is not None:
        app.game.leave()
    show_title(app)


# Before a new game -------------------------------------------------------------------------------


def begin_new_game(app: App) -> None:
    """New game: the player's name or code when the class asks, the content note, the partner."""
    if app.game.asks_player:

        def named(player: str) -> None:
            app.game.next_player = player  # the new game's, once it begins
            app.replace(first_setup_screen(app))

        ask_player(app, named)
    else:
        app.push(first_setup_screen(app))


def ask_player(app: App, then: Callable[[str], None]) -> None:
    """Ask for the player's name or code (which the class's records need); `then` gets it."""
    app.push(screen_class("player")(app, then))


def first_setup_screen(app: App) -> Screen:
    """The content note first, when the story has one or its meters are to be explained."""
    if app.game.story.content_note or meters_explained_before_play(app):
        return screen_class("content_note")(app)
    return screen_class("partner")(app)


def meters_explained_before_play(app: App) -> bool:
    """Whether the screen before play explains the meters: when they have descriptions and
    are shown during play (a class that hides them has them explained at the ending)."""
    return app.game.show_meters and bool(meter_guide(app.game.story))


def to_partner(app: App) -> None:
    """From the content note to naming the partner, in its place."""
    app.replace(screen_class("partner")(app))


# Playing -----------------------------------------------------------------------------------------


def start_playing(app: App, notes: list[str] | None = None) -> None:
    """Show the game's current session: the play screen, or its ending; then any notes."""
    session = app.game.session
    app.reset_meter_panel()
    app.reset(screen_class("ending" if session.ended else "play")(app))
    for note in notes or []:
        app.show_message("Note", note)


def play_on(app: App, notes: list[str] | None = None) -> None:
    """Show a loaded game; first ask who is playing, when the class asks and nobody said yet."""
    if not app.game.needs_player:
        start_playing(app, notes)
        return

    def named(player: str) -> None:
        app.game.set_player(player)
        start_playing(app, notes)

    screen = screen_class("player")(app, named)
    if app.top is None or app.top.name != "title":
        show_title(app)
    app.push(screen)


def show_feedback(app: App, turn: Turn) -> None:
    """What a choice did (its feedback, and how the meters moved), over the play screen."""
    app.push(screen_class("feedback")(app, turn))


def after_feedback(app: App) -> None:
    """Where play goes once feedback has been read: on in the story, or to its ending."""
    session = app.game.session
    while app.top is not None and app.top.name not in ("play", "ending"):
        app.pop()
    if session.ended:
        app.reset(screen_class("ending")(app))
    elif app.top is None:
        app.reset(screen_class("play")(app))


# Menus and reading screens -----------------------------------------------------------------------


def open_pause(app: App) -> None:
    """The pause menu, over the screen being played."""
    app.push(screen_class("pause")(app))


def open_history(app: App, replace: bool = False) -> None:
    """The story so far."""
    open_screen(app, screen_class("history")(app), replace)


def open_settings(app: App, replace: bool = False) -> None:
    """The settings."""
    open_screen(app, screen_class("settings")(app), replace)


def open_keys(app: App) -> None:
    """The keys, to see and change (from the settings)."""
    open_screen(app, screen_class("keys")(app))


def open_help(app: App, replace: bool = False) -> None:
    """The keys and controls (and what the meters mean)."""
    open_screen(app, screen_class("help")(app), replace)


def open_credits(app: App) -> None:
    """The story's credits and further reading."""
    app.push(screen_class("credits")(app))


def confirm(app: App, title: str, text: str, yes: str, then: Callable[[], None]) -> None:
    """Ask before doing something that cannot be taken back; `then` does it if the player
    says yes (Cancel, focused first, and Esc leave things as they were)."""
    app.push(screen_class("confirm")(app, title, text, yes, then))


def show_report(app: App, path: Path) -> None:
    """Where an exported report went, with buttons to open it and its folder."""

    def opening(target: Path) -> Callable[[], None]:
        def open_it() -> None:
            try:
                app.opener(target)
            except OSError as error:
                app.show_message(
                    "Could not open it",
                    f"The system could not open it ({error.strerror or error}); "
                    "the path is on the message before this one.",
                )

        return open_it

    folder = path.parent
    app.push(
        screen_class("message")(
            app,
            "Report exported",
            "The report of this playthrough, a page to open in a web browser, is here:",
            [str(path)],
            [
                Button("Open", opening(path), key="open"),
                Button("Open the folder", opening(folder), key="open_folder"),
            ],
        )
    )


def show_support(app: App) -> None:
    """The story's where-to-get-help text, as a message."""
    story = app.game.story
    app.show_message(
        "Where to get help",
        " ".join(app.game.session.render(story.support).split())
        if app.game.session
        else " ".join(story.support.split()),
    )


# Saves -------------------------------------------------------------------------------------------


def open_saves(
    app: App,
    mode: SaveMode,
    then: Callable[[str | None], None] | None = None,
    replace: bool = False,
) -> None:
    """The save or the load screen. In load mode `then` gets the slot picked (None: none)."""
    open_screen(app, screen_class("saves")(app, mode), replace, then)


def open_load(app: App) -> None:
    """The load screen; the slot picked is loaded and play goes on from it."""

    def loaded(slot: str | None) -> None:
        if slot:
            load_slot(app, slot)

    open_saves(app, "load", loaded)


def load_slot(app: App, slot: str) -> bool:
    """Load a save and play on from it; False, with a message saying why, when it cannot be
    loaded."""
    try:
        notes = app.game.load(slot)
    except SaveError as problem:
        app.show_message("Could not load", str(problem))
        return False
    play_on(app, notes)
    return True


# Reloading ---------------------------------------------------------------------------------------


def show_reload_errors(
    app: App,
    path: str,
    headlines: list[str],
    lost_place: str | None = None,
    story: Story | None = None,
) -> None:
    """Why a reload could not be used: the new version's problems, or (with `lost_place`) why
    the place in it could not be kept, with `story`, the new version, to start at its title."""
    app.push(
        screen_class("reload_errors")(app, path, headlines, lost_place=lost_place, story=story)
    )
