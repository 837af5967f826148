"""Live reload for authors: F5 (or, with the setting on, any change to the story's files) reads
the story again and play goes on at the same scene with the same meters where they still exist.

A story with errors is never swapped in: its problems are shown (file:line:col), and the player
can try again or go back to the version they were playing.
"""

from __future__ import annotations

from datetime import datetime

from engine.play.errors import SessionError
from engine.story.model import Story
from engine.ui import navigation
from engine.ui.app import App, set_window_title
from engine.ui.reading import read_story

PLAY_SCREENS = ("play", "feedback", "ending")


def reload_story(app: App) -> None:
    """Read the story from its files again and go on with it (or show why not)."""
    game = app.game
    if game is None:
        reopen(app)
        return
    if game.story_path is None:  # a game made without a path (tools, tests): nothing to read
        return
    if app.top is not None and app.top.name == "reload_errors":
        app.pop()
    watcher = app.watcher
    seen = watcher.look() if watcher is not None else None
    story, problems = read_story(game.story_path)
    if watcher is not None:
        watcher.rebase(seen)
    path = str(game.story_path)
    if story is None:
        navigation.show_reload_errors(app, path, problems)
        return
    playing = game.session is not None and any(s.name in PLAY_SCREENS for s in app.stack)
    try:
        notes = game.replace_story(story)
    except SessionError as problem:
        if playing:
            navigation.show_reload_errors(app, path, [], lost_place=str(problem), story=story)
            return
        game.forget_session(story)
        notes = []
    took_new_story(app)
    if playing:
        navigation.start_playing(app)
        said = f"The story was reloaded from its files at {datetime.now():%H:%M:%S}."
        if app.top.name == "play":
            app.top.notice = " ".join([said, *notes])
        else:
            app.show_message("The story was reloaded", said, notes)


def took_new_story(app: App) -> None:
    """Lay every screen out again for the new story (its meters, its title)."""
    set_window_title(app.game.story.title)
    app.relayout()
    for screen in app.stack:
        screen.laid_out_for = None


def start_new_version(app: App, story: Story) -> None:
    """Take the new version of the story, giving up the place in the old one: the title."""
    app.game.forget_session(story)
    took_new_story(app)
    navigation.show_title(app)


def reopen(app: App) -> None:
    """The game could not start (a story or classroom settings with errors): try again."""
    if app.reopen is None:
        return
    game, problems = app.reopen()
    app.game = game
    if game is not None:
        game.undo_allowed_by_settings = app.settings.allow_undo
        took_new_story(app)
    navigation.show_first_screen(app, problems)
