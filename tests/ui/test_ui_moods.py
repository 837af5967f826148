"""Moods: the play screen takes its accent from the scene's mood (the normal theme only), and
every mood of the bundled story keeps the contrast the theme asks of its accent."""

from __future__ import annotations

import dataclasses

import pygame

from engine.paths import BUNDLED_STORY
from engine.story.loader import load_story
from engine.ui.theme import HIGH_CONTRAST, NORMAL, contrast_ratio, mood_fits, theme_for
from tests.ui.test_ui_play import start_new_game


def test_every_mood_of_the_bundled_story_keeps_the_themes_contrast():
    story = load_story(BUNDLED_STORY)
    assert set(story.moods) == {"autumn", "winter", "spring", "autumn_again"}
    for mood in story.moods.values():
        accent = mood.accent
        assert mood_fits(NORMAL, accent), mood.id
        # what test_every_theme_colour_pair_meets_wcag_contrast asks of the theme's own accent
        assert contrast_ratio(accent, NORMAL.background) >= 4.5
        assert contrast_ratio(accent, NORMAL.panel) >= 4.5
        assert contrast_ratio(accent, NORMAL.focus_fill) >= 3.0  # the focus ring on a button
        assert theme_for(False, accent).accent == accent
        assert theme_for(True, accent) is HIGH_CONTRAST


def test_a_mood_that_would_not_stand_out_is_not_used():
    dim = (70, 60, 50)
    assert not mood_fits(NORMAL, dim)
    assert theme_for(False, dim) is NORMAL


def test_the_play_screen_takes_the_accent_of_its_scenes_mood(make_driver):
    driver = make_driver(BUNDLED_STORY)
    start_new_game(driver)
    autumn = driver.app.game.story.moods["autumn"].accent
    assert driver.app.game.session.scene.mood == "autumn"
    assert driver.app.theme.accent == autumn
    driver.key(pygame.K_ESCAPE)  # the pause menu, over the play screen: the same mood
    assert driver.top.name == "pause" and driver.app.theme.accent == autumn
    driver.app.settings = dataclasses.replace(driver.app.settings, high_contrast=True)
    assert driver.app.theme is HIGH_CONTRAST


def test_the_title_screen_has_no_mood(make_driver):
    driver = make_driver(BUNDLED_STORY)
    assert driver.app.theme is NORMAL
