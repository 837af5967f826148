"""Every screen at 800x600, 1280x720 and 1920x1080: drawn with no text outside its box."""

from __future__ import annotations

import pytest

from engine.ui.screenshot import SCREENS, build_screen
from tests.ui.conftest import LONG, SIZES, TINY

CASES = [
    (story, screen, choices)
    for story, choices in ((TINY, ["1"]), (LONG, ["2"]))
    for screen in SCREENS
]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("story,screen,choices", CASES, ids=[f"{c[0].stem}-{c[1]}" for c in CASES])
def test_every_screen_keeps_its_text_inside_its_box(make_driver, size, story, screen, choices):
    driver = make_driver(story, size=size)
    driver.app.game.autosaving = False
    build_screen(driver.app, screen, choices if screen not in ("ending",) else [])
    driver.app.draw_frame()
    log = driver.app.text_log
    assert log.entries, f"nothing was drawn on {screen}"
    assert log.spills(driver.app.window) == []


@pytest.mark.parametrize("text_size", ["small", "largest"])
@pytest.mark.parametrize("high_contrast", [False, True])
def test_text_sizes_and_themes_fit_the_smallest_window(make_driver, text_size, high_contrast):
    driver = make_driver(LONG, size=(640, 480))
    driver.app.change_settings(text_size=text_size, high_contrast=high_contrast)
    driver.app.game.autosaving = False
    for screen in (
        "title",
        "play",
        "feedback",
        "ending",
        "history",
        "settings",
        "load",
        "pause",
        "partner",
        "content_note",
        "player",
    ):
        build_screen(driver.app, screen, ["1"] if screen != "ending" else [])
        driver.app.draw_frame()
        assert driver.app.text_log.spills(driver.app.window) == [], screen
