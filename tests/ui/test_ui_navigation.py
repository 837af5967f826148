"""The screen registry and engine.ui.navigation: screens are found by name, and the ways from one
screen to another work in the real game loop (dummy video driver, posted events)."""

from __future__ import annotations

import pygame
import pytest

from engine.ui import navigation
from engine.ui.registry import register_screen, screen_class, screen_names
from tests.ui.conftest import TINY

EVERY_SCREEN = {
    "confirm",
    "content_note",
    "credits",
    "ending",
    "feedback",
    "help",
    "history",
    "keys",
    "message",
    "partner",
    "pause",
    "play",
    "player",
    "reload_errors",
    "saves",
    "settings",
    "story_errors",
    "title",
}


def names(driver) -> list[str]:
    return [screen.name for screen in driver.app.stack]


def play(driver) -> None:
    """From the title to the play screen of a new game, through navigation alone."""
    driver.app.game.new()
    navigation.start_playing(driver.app)
    driver.run()
    assert names(driver) == ["play"]


def test_every_screen_registers_itself_under_its_name():
    import engine.ui.screens  # noqa: F401 - what the entry points import

    assert set(screen_names()) == EVERY_SCREEN
    for name in EVERY_SCREEN:
        assert screen_class(name).name == name


def test_a_screen_name_is_taken_once_and_an_unknown_one_is_named_in_the_error():
    class Impostor:
        name = "title"

    with pytest.raises(ValueError, match="two screens are named 'title'"):
        register_screen(Impostor)
    with pytest.raises(LookupError, match="'no_such_screen'"):
        screen_class("no_such_screen")
    assert screen_class("title").__name__ == "TitleScreen"


def test_menus_open_over_play_and_give_way_to_what_is_picked_in_them(make_driver):
    driver = make_driver(TINY)
    play(driver)
    navigation.open_pause(driver.app)
    assert names(driver) == ["play", "pause"]
    navigation.open_history(driver.app, replace=True)
    assert names(driver) == ["play", "history"]
    driver.key(pygame.K_ESCAPE)
    assert names(driver) == ["play"]
    navigation.open_settings(driver.app)
    navigation.open_help(driver.app, replace=True)
    assert names(driver) == ["play", "help"]


def test_a_screen_taking_another_s_place_cannot_be_given_a_callback_of_its_own(make_driver):
    driver = make_driver(TINY)
    play(driver)
    with pytest.raises(ValueError, match="keeps that one's callback"):
        navigation.open_saves(driver.app, "load", lambda slot: None, replace=True)


def test_the_load_screen_hands_the_slot_picked_to_whoever_opened_it(make_driver):
    driver = make_driver(TINY)
    play(driver)
    driver.app.game.save("slot-1")
    picked = []
    navigation.open_saves(driver.app, "load", picked.append)
    driver.click_button("slot:slot-1")
    assert picked == ["slot-1"] and names(driver) == ["play"]


def test_feedback_goes_over_play_and_after_it_play_goes_on_or_ends(make_driver):
    driver = make_driver(TINY)
    play(driver)
    driver.key(pygame.K_1)  # Let it go: feedback
    assert names(driver) == ["play", "feedback"]
    navigation.after_feedback(driver.app)
    assert names(driver) == ["play"]
    driver.run()  # the choices are drawn (a key before that would not choose)
    driver.key(pygame.K_1)  # Talk it through: no feedback, and the story ends
    assert names(driver) == ["ending"]


def test_to_title_leaves_the_playthrough_for_the_title_alone(make_driver):
    driver = make_driver(TINY)
    play(driver)
    navigation.open_pause(driver.app)
    navigation.to_title(driver.app)
    assert names(driver) == ["title"]


def test_the_app_opens_help_and_messages_by_name_and_reloads_through_its_hook(make_driver):
    driver = make_driver(TINY)
    driver.key(pygame.K_F1)
    assert names(driver) == ["title", "help"]
    driver.key(pygame.K_F1)  # on the help screen, F1 closes it
    assert names(driver) == ["title"]
    driver.app.show_message("Notice", "Something to say.")
    assert names(driver) == ["title", "message"]
    driver.key(pygame.K_RETURN)
    reloads = []
    driver.app.reload_story = reloads.append
    driver.key(pygame.K_F5)
    assert reloads == [driver.app] and names(driver) == ["title"]


def test_the_app_owns_the_meter_panel_and_a_new_start_gives_a_fresh_one(make_driver):
    driver = make_driver(TINY)
    play(driver)
    panel = driver.app.meter_panel
    driver.key(pygame.K_1)
    assert panel.deltas == {"trust": 5, "security": -4}
    assert driver.app.meter_panel is panel  # the feedback screen shows the same panel
    navigation.start_playing(driver.app)
    assert driver.app.meter_panel is not panel and driver.app.meter_panel.deltas == {}
