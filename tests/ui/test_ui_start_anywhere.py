"""Starting anywhere in the window (`play --from SCENE --set ...`): a new game begins there,
F5 keeps the start, and a start the reloaded story no longer has falls back with a notice."""

from __future__ import annotations

import shutil

import pygame

from engine.play.start import StartRequest
from tests.conftest import STORIES
from tests.ui.test_ui_play import start_new_game

RULES = STORIES / "rules.yaml"


def test_the_window_starts_there_and_f5_keeps_the_start(make_driver, tmp_path):
    story_path = tmp_path / "rules.yaml"
    shutil.copy(RULES, story_path)
    driver = make_driver(story_path, start=StartRequest("day2", "trust=80"))
    start_new_game(driver)
    session = driver.app.game.session
    assert session.scene_id == "day2" and session.meters["trust"] == 80
    text = story_path.read_text("utf-8")
    story_path.write_text(text.replace("Day two. It happens again.", "Day two, again."), "utf-8")
    driver.key(pygame.K_F5)
    assert driver.app.game.session.scene_id == "day2"
    driver.key(pygame.K_ESCAPE)  # the pause menu: back to the title, then a new game
    driver.app.game.new()
    assert driver.app.game.session.scene_id == "day2"
    assert driver.app.game.session.meters["trust"] == 80


def test_a_start_the_reloaded_story_lost_falls_back_with_a_notice(make_driver, tmp_path):
    story_path = tmp_path / "rules.yaml"
    shutil.copy(RULES, story_path)
    driver = make_driver(story_path, start=StartRequest("day2", None))
    text = story_path.read_text("utf-8").replace("day2", "tuesday")
    story_path.write_text(text, "utf-8")
    driver.key(pygame.K_F5)  # on the title: the story is read again
    assert driver.top.name == "title" and "tuesday" in driver.app.game.story.scenes
    driver.key(pygame.K_RETURN)  # New game
    driver.focus("begin")  # the partner page, as it is
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "message"  # the notice, before play
    shown = " ".join(block.text for block in driver.top.document.blocks)
    assert "Starting at the story's start" in shown
    assert "The story has no scene 'day2' (did you mean 'day3'?)." in shown
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "play" and driver.app.game.session.scene_id == "day1"


def test_a_screenshot_with_a_start_draws_the_scene_there(make_driver):
    """With no --screen and no --choices, a screenshot drew the title even with --from."""
    from engine.ui.screenshot import build_screen

    driver = make_driver(RULES, start=StartRequest("day2", "trust=80"))
    build_screen(driver.app, None)
    assert driver.top.name == "play" and driver.app.game.session.scene_id == "day2"
