"""What the loop draws while something animates (issue 15, speed): the typewriter draws its text
once a word, not every frame, and sliding meters redraw their panel alone; the last frame is
whole, with the choices."""

from __future__ import annotations

import pygame

from tests.ui.conftest import TINY
from tests.ui.test_ui_choices_in_view import BUNDLED
from tests.ui.test_ui_play import start_new_game


def test_the_typewriter_draws_once_a_word_and_only_its_text(make_driver, monkeypatch):
    driver = make_driver(BUNDLED, size=(1280, 720))
    app = driver.app
    app.change_settings(text_speed="typewriter")
    app.fixed_dt = 0.002  # a fifth of a character a frame
    start_new_game(driver)
    play = driver.top
    assert play.document.revealing
    updates, flips = [], []
    monkeypatch.setattr(pygame.display, "update", lambda rects: updates.append(list(rects)))
    monkeypatch.setattr(pygame.display, "flip", lambda: flips.append(1))
    steps = 0
    while play.document.revealing and steps < 20000:
        app.step()
        steps += 1
    assert not play.document.revealing
    words = len(play.document._word_starts())
    assert steps > words * 3  # many more turns of the loop than words
    assert len(updates) <= words + 1, (len(updates), words)
    for rects in updates:
        for rect in rects:
            assert play.viewport.left <= rect.left and rect.top >= play.viewport.top
            assert not rect.colliderect(app.frame.header)
    app.step()  # the whole frame, with the choices, once the text is written
    assert flips and "choice" in {what for what, _, _ in app.text_log.entries}


def test_sliding_meters_redraw_their_panel_alone(make_driver, monkeypatch):
    driver = make_driver(TINY, size=(1280, 720))
    app = driver.app
    start_new_game(driver)
    app.fixed_dt = 0.01
    updates, flips = [], []
    monkeypatch.setattr(pygame.display, "update", lambda rects: updates.append(list(rects)))
    monkeypatch.setattr(pygame.display, "flip", lambda: flips.append(1))
    panel = app.meter_panel
    panel.set_values({"trust": 90, "security": 10}, {"trust": 40, "security": -30})
    steps = 0
    while panel.animating:
        app.step()
        steps += 1
    assert not flips and updates
    area = panel.rect.inflate(8, 8)
    assert all(area.contains(rect) for rects in updates for rect in rects)
    assert len(updates) <= steps


def test_the_game_asks_sdl_for_its_native_framebuffer_unless_the_player_chose(tmp_path):
    """Under Xvfb the accelerated framebuffer cost 7 ms of CPU an update, whatever its size
    (issue 15: 52% of a core while animating); the native one 0.04 ms."""
    import os
    import subprocess
    import sys

    probe = "import os, engine.ui; print(os.environ['SDL_FRAMEBUFFER_ACCELERATION'])"
    env = {k: v for k, v in os.environ.items() if k != "SDL_FRAMEBUFFER_ACCELERATION"}
    run = lambda env: subprocess.run(  # noqa: E731
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    ).stdout.strip()
    assert run(env) == "0"
    assert run({**env, "SDL_FRAMEBUFFER_ACCELERATION": "opengl"}) == "opengl"
