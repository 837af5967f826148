"""Live reload for authors: F5 reads the story again and play goes on where it was; a story with
errors shows them and the old version stays playable; a setting reloads on every change."""

from __future__ import annotations

import shutil

import pygame
import pytest

from engine.ui.settings import load_settings, settings_path
from tests.ui.conftest import SIZES, TINY
from tests.ui.test_ui_play import start_new_game

OLD_TEXT = "Later, in the kitchen."
NEW_TEXT = "Much later, in the kitchen, with the radio on."


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "tiny.yaml"
    shutil.copy(TINY, path)
    return path


def edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def scene_text(driver) -> str:
    return " ".join(block.text for block in driver.top.document.blocks)


def to_the_kitchen(driver) -> dict:
    start_new_game(driver)
    driver.key(pygame.K_1)  # Let it go: trust 55, security 36
    driver.key(pygame.K_RETURN)
    session = driver.app.game.session
    assert session.scene_id == "kitchen" and OLD_TEXT in scene_text(driver)
    return dict(session.meters)


def test_f5_picks_up_an_edited_scene_and_keeps_the_meters(make_driver, story):
    driver = make_driver(story)
    meters = to_the_kitchen(driver)
    edit(story, OLD_TEXT, NEW_TEXT)
    driver.key(pygame.K_F5)
    session = driver.app.game.session
    assert driver.top.name == "play" and session.scene_id == "kitchen"
    assert NEW_TEXT in scene_text(driver)
    assert session.meters == meters and len(session.history) == 1
    assert "reloaded" in driver.top.notice and "changed" in driver.top.notice
    assert driver.spills() == []
    driver.key(pygame.K_1)
    assert driver.top.name == "ending"


def test_f5_on_the_title_shows_the_new_title(make_driver, story):
    driver = make_driver(story)
    edit(story, "title: Tiny", "title: Tiny, revised")
    driver.key(pygame.K_F5)
    assert driver.top.name == "title"
    assert driver.top.document.blocks[0].text == "Tiny, revised"


def test_a_reload_into_a_broken_story_shows_its_errors_and_the_old_one_plays_on(make_driver, story):
    driver = make_driver(story)
    meters = to_the_kitchen(driver)
    edit(story, "goto: router", "goto: nowhere")
    driver.key(pygame.K_F5)
    assert driver.top.name == "reload_errors"
    assert driver.top.headlines
    assert all(line.startswith(f"{story}:") for line in driver.top.headlines)
    assert (
        f"{story}:47:15: error: 'goto' names a missing scene 'nowhere' [E020]"
        in driver.top.headlines
    )
    for size in SIZES:
        driver.resize(*size)
        assert driver.spills() == []
    driver.key(pygame.K_F5)  # still broken: still the errors
    assert driver.top.name == "reload_errors"
    driver.key(pygame.K_ESCAPE)  # back to the old version
    session = driver.app.game.session
    assert driver.top.name == "play" and session.meters == meters
    assert OLD_TEXT in scene_text(driver)
    edit(story, "goto: nowhere", "goto: router")
    edit(story, OLD_TEXT, NEW_TEXT)
    driver.key(pygame.K_F5)
    assert driver.top.name == "play" and NEW_TEXT in scene_text(driver)
    driver.key(pygame.K_1)
    assert driver.top.name == "ending"


def test_try_again_on_the_errors_reloads_once_they_are_fixed(make_driver, story):
    driver = make_driver(story)
    to_the_kitchen(driver)
    edit(story, "scenes:", "scenes: [")
    driver.key(pygame.K_F5)
    assert driver.top.name == "reload_errors"
    edit(story, "scenes: [", "scenes:")
    driver.click_button("reload")
    assert driver.top.name == "play"


def test_a_reload_that_removes_the_current_scene_offers_the_old_version(make_driver, story):
    driver = make_driver(story)
    to_the_kitchen(driver)
    text = story.read_text("utf-8").replace("  kitchen:", "  scullery:")
    story.write_text(text.replace("goto: kitchen", "goto: scullery"), "utf-8")
    driver.key(pygame.K_F5)
    assert driver.top.name == "reload_errors" and "kitchen" in driver.top.lost_place
    assert driver.spills() == []
    driver.key(pygame.K_ESCAPE)
    assert driver.top.name == "play" and driver.app.game.session.scene_id == "kitchen"
    driver.key(pygame.K_F5)
    driver.click_button("title")  # or start the new version at its title
    assert driver.top.name == "title" and "scullery" in driver.app.game.story.scenes


def test_the_watch_setting_reloads_after_a_file_changes(make_driver, story):
    driver = make_driver(story)
    driver.app.watch_interval = 0  # look at every turn of the loop, not once a second
    meters = to_the_kitchen(driver)
    edit(story, OLD_TEXT, NEW_TEXT)
    driver.run()
    assert OLD_TEXT in scene_text(driver)  # the setting is off by default
    edit(story, NEW_TEXT, OLD_TEXT)
    driver.key(pygame.K_F2)
    assert "watch_story" not in [b.key for b in driver.button_list().buttons]  # authors' only
    driver.focus("authors")
    driver.key(pygame.K_RETURN)  # the section for authors opens, its setting focused
    driver.focus("watch_story")
    driver.key(pygame.K_RETURN)
    assert driver.app.settings.watch_story
    saved, _ = load_settings(settings_path(driver.app.settings_file.parent))
    assert saved.watch_story
    driver.key(pygame.K_ESCAPE)
    driver.run()  # the first look at the files
    edit(story, OLD_TEXT, NEW_TEXT)
    driver.run()
    assert driver.top.name == "play" and NEW_TEXT in scene_text(driver)
    assert driver.app.game.session.meters == meters
    edit(story, "goto: router", "goto: nowhere")  # broken: the errors show by themselves ...
    driver.run()
    assert driver.top.name == "reload_errors"
    edit(story, "goto: nowhere", "goto: router")  # ... and go once it is fixed
    driver.run()
    assert driver.top.name == "play"


def test_the_watch_looks_at_most_once_an_interval(story):
    from engine.ui.watch import StoryWatcher

    watcher = StoryWatcher(story, interval=1.0)
    assert not watcher.changed(10.0)
    edit(story, OLD_TEXT, NEW_TEXT)
    assert not watcher.changed(10.5)  # too soon to look
    assert watcher.changed(11.0)
    assert not watcher.changed(12.0)


def test_the_watch_notices_a_new_file_in_a_story_folder(tmp_path):
    from engine.ui.watch import StoryWatcher

    folder = tmp_path / "story"
    (folder / "parts").mkdir(parents=True)
    (folder / "story.yaml").write_text("title: T\n")
    watcher = StoryWatcher(folder, interval=0)
    assert not watcher.changed(1.0)
    (folder / "parts" / "more.yaml").write_text("scenes: {}\n")
    assert watcher.changed(2.0)
    assert not watcher.changed(3.0)
