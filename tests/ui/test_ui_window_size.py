"""Window sizes: a resize the system cannot honour never lets pygame's errors out of the loop."""

from __future__ import annotations

import json

import pygame
import pytest

import engine.ui.settings as settings_module
from engine.ui import splash
from engine.ui.settings import MAX_WINDOW, MIN_WINDOW, Settings, load_settings
from tests.ui.conftest import TINY


@pytest.mark.parametrize("size", [(40000, 40000), (100000, 100000), (9000, 300)])
def test_a_huge_resize_gets_a_window_no_larger_than_the_cap(make_driver, size):
    """Issue 11: a resize to 40000x40000 let `pygame.error: Display mode not set` escape from
    `display.flip()` (on the dummy driver 40000x40000 even crashed the process while drawing,
    and 100000x100000 failed with 'Out of memory')."""
    driver = make_driver(TINY, size=(800, 600))
    driver.resize(*size)
    app = driver.app
    expected = (
        max(MIN_WINDOW[0], min(MAX_WINDOW[0], size[0])),
        max(MIN_WINDOW[1], min(MAX_WINDOW[1], size[1])),
    )
    assert app.surface.get_size() == expected == app.windowed_size
    assert pygame.display.get_surface().get_size() == expected
    assert app.top.name == "title" and app.errors == 0
    driver.resize(1024, 700)
    assert app.surface.get_size() == (1024, 700) and driver.spills() == []


def test_a_resize_the_system_refuses_keeps_the_last_window_that_worked(make_driver, monkeypatch):
    """With the cap lifted, 100000x100000 is really refused by SDL ('Out of memory'): the game
    keeps its window at the last size that worked and goes on, with no fault."""
    driver = make_driver(TINY, size=(800, 600))
    monkeypatch.setattr(settings_module, "MAX_WINDOW", (200000, 200000))
    driver.resize(100000, 100000)
    app = driver.app
    assert app.surface.get_size() == (800, 600) == app.windowed_size
    assert pygame.display.get_surface() is not None
    assert app.top.name == "title" and app.errors == 0 and driver.spills() == []


def test_a_window_lost_to_a_refused_mode_is_opened_again_by_the_loop(make_driver):
    """The display surface gone ('Display mode not set' from flip) is not a fault: the next frame
    opens the window again at its last size and draws into it."""
    driver = make_driver(TINY, size=(800, 600))
    with pytest.raises(pygame.error):
        pygame.display.set_mode((100000, 100000), pygame.RESIZABLE)
    assert pygame.display.get_surface() is None
    app = driver.app
    app.dirty = True
    app.step()  # strict: a fault here fails the test
    assert pygame.display.get_surface() is not None
    assert app.surface.get_size() == (800, 600) and app.top.name == "title"
    assert driver.spills() == []


def test_a_saved_window_size_beyond_the_cap_is_put_back_to_the_default(tmp_path):
    path = tmp_path / "settings.json"
    values = {"window_width": 40000, "window_height": 40000, "text_size": "large"}
    path.write_text(
        json.dumps({"format": "balance-of-power-settings", "version": 1, "settings": values})
    )
    settings, problem = load_settings(path)
    assert problem is None and settings.text_size == "large"
    assert settings.window_size == Settings().window_size


def test_the_splash_keeps_to_the_same_window_limits():
    assert splash.WINDOW_LIMITS == (MIN_WINDOW, MAX_WINDOW)
