"""Saving and loading through the menus, the autosave, settings that persist, and resizing."""

from __future__ import annotations

import json
import tempfile
import tracemalloc
from dataclasses import fields
from pathlib import Path

import pygame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.ui.settings import Settings, load_settings, settings_path
from tests.ui.conftest import TINY
from tests.ui.test_ui_play import start_new_game


def test_save_to_a_slot_and_load_it_back_through_the_menus(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    assert driver.app.game.session.scene_id == "kitchen"
    driver.key(pygame.K_ESCAPE)
    driver.click_button("save")
    assert driver.top.name == "save"
    driver.click_button("slot:slot-2")
    assert driver.top.message == "Saved in slot 2."
    slot = next(p.button for p in driver.top.button_list.placed if p.button.key == "slot:slot-2")
    assert "The hall" not in slot.detail and "1 choice" in slot.detail
    driver.key(pygame.K_ESCAPE)
    assert driver.top.name == "play"
    driver.key(pygame.K_RETURN)  # on to the ending
    assert driver.top.name == "ending"
    driver.key(pygame.K_ESCAPE)  # the pause menu, from the ending too
    driver.click_button("load")
    assert driver.top.name == "load"
    driver.click_button("slot:slot-2")
    assert driver.top.name == "play"
    assert driver.app.game.session.scene_id == "kitchen"
    assert len(driver.app.game.session.history) == 1


def test_continue_on_the_title_loads_the_autosave(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_ESCAPE)
    driver.click_button("title")
    assert driver.top.name == "title"
    continue_button = next(b for b in driver.top.button_list.buttons if b.key == "continue")
    assert continue_button.enabled and "choice" not in (continue_button.detail or "x")
    driver.click_button("continue")
    assert driver.top.name == "play" and driver.app.game.session.scene_id == "kitchen"


def test_a_damaged_save_is_shown_as_such_and_never_loaded(make_driver, tmp_path):
    driver = make_driver(TINY)
    store = driver.app.game.store
    store.folder.mkdir(parents=True, exist_ok=True)
    store.path("slot-1").write_text("{ not json", encoding="utf-8")
    store.path("autosave").write_bytes(b"\x00\xff garbage")
    driver.click_button("load")
    slot = next(b for b in driver.top.button_list.buttons if b.key == "slot:slot-1")
    assert not slot.enabled and "cannot be loaded" in slot.detail.lower()
    driver.key(pygame.K_ESCAPE)
    continue_button = next(b for b in driver.top.button_list.buttons if b.key == "continue")
    assert not continue_button.enabled


def test_a_save_that_fails_to_load_shows_a_message(make_driver):
    driver = make_driver(TINY)
    driver.top.load_slot("slot-5")  # no such save
    assert driver.top.name == "message"
    assert "there is no save" in driver.top.text
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "title"


def test_settings_persist_between_runs(make_driver, tmp_path):
    driver = make_driver(TINY)
    driver.click_button("settings")
    assert driver.top.name == "settings"
    driver.focus("text_size")
    driver.key(pygame.K_RIGHT)  # medium -> large
    driver.focus("theme")
    driver.key(pygame.K_RETURN)  # high contrast
    driver.focus("text_speed")
    driver.key(pygame.K_RIGHT)
    assert driver.app.settings.text_size == "large" and driver.app.settings.high_contrast
    saved, problem = load_settings(settings_path(tmp_path / "saves"))
    assert problem is None
    assert saved.text_size == "large" and saved.high_contrast and saved.text_speed == "typewriter"
    again = make_driver(TINY)
    assert again.app.settings.text_size == "large" and again.app.theme.name == "high_contrast"


def test_a_damaged_settings_file_falls_back_to_the_defaults_with_a_message(make_driver, tmp_path):
    path = settings_path(tmp_path / "saves")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not json", encoding="utf-8")
    driver = make_driver(TINY)
    assert driver.app.settings == Settings()
    assert driver.top.name == "message" and "settings" in driver.top.text.lower()
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "title"


def test_settings_from_a_newer_game_or_with_odd_values_are_not_trusted(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps({"format": "balance-of-power-settings", "version": 99, "settings": {}})
    )
    assert load_settings(path)[1] is not None
    path.write_text(
        json.dumps(
            {
                "format": "balance-of-power-settings",
                "version": 1,
                "settings": {
                    "text_size": "gigantic",
                    "window_width": 5,
                    "high_contrast": "yes",
                    "unknown": 1,
                },
            }
        )
    )
    settings, problem = load_settings(path)
    assert problem is None and settings == Settings()


def test_resizing_the_window_reflows_the_layout(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    assert driver.app.frame.meters_at_side
    driver.resize(800, 600)
    assert driver.app.surface.get_size() == (800, 600)
    assert not driver.app.frame.meters_at_side
    assert driver.spills() == []
    driver.resize(300, 200)  # below the smallest size: held at 640x480
    assert driver.app.surface.get_size() == (640, 480)
    assert driver.spills() == []
    driver.resize(1920, 1080)
    assert driver.app.fonts.body > 21
    assert driver.spills() == []


def test_the_window_size_is_remembered(make_driver, tmp_path):
    driver = make_driver(TINY, size=None)
    driver.resize(1000, 700)
    driver.app.save_settings()
    saved, _ = load_settings(settings_path(tmp_path / "saves"))
    assert saved.window_size == (1000, 700)


def test_fullscreen_toggles_with_f11_and_is_saved(make_driver):
    driver = make_driver(TINY)
    driver.key(pygame.K_F11)
    assert driver.app.settings.fullscreen
    driver.key(pygame.K_F11)
    assert not driver.app.settings.fullscreen
    assert driver.app.surface.get_size() == (1280, 720)


# Deep and huge settings files (issue 11, item 4): `"[" * 100000` in settings.json raised a
# RecursionError and the game never started.

DEEP_SETTINGS = ["[" * 100_000, '{"settings": ' * 100_000, "[" * 100 + "]" * 100]


def test_a_deeply_nested_settings_file_starts_the_game_with_the_defaults(make_driver, tmp_path):
    path = settings_path(tmp_path / "saves")
    path.parent.mkdir(parents=True, exist_ok=True)
    for content in DEEP_SETTINGS:
        path.write_text(content, encoding="utf-8")
        driver = make_driver(TINY)
        assert driver.app.settings == Settings()
        assert driver.top.name == "message" and "settings file could not be used" in (
            driver.top.text
        )
        driver.key(pygame.K_RETURN)
        assert driver.top.name == "title"


def test_a_damaged_settings_file_falls_back_to_its_backup(make_driver, tmp_path):
    path = settings_path(tmp_path / "saves")
    driver = make_driver(TINY)
    driver.app.settings = Settings(text_size="large", high_contrast=True)
    driver.app.save_settings()
    driver.app.settings = Settings(text_size="small")
    driver.app.save_settings()  # the large, high-contrast settings are now the backup
    path.write_text("[" * 100_000, encoding="utf-8")
    again = make_driver(TINY)
    assert again.app.settings == Settings(text_size="large", high_contrast=True)
    assert "previous settings were used instead" in again.top.text
    path.with_name("settings.json.bak").write_text("{", encoding="utf-8")
    assert load_settings(path)[0] == Settings()


def test_a_huge_settings_file_is_not_read(tmp_path):
    path = tmp_path / "settings.json"
    with open(path, "wb") as file:
        file.truncate(1024**3)  # sparse: a gigabyte on no disk space
    tracemalloc.start()
    settings, problem = load_settings(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert settings == Settings() and "could not be used" in problem
    assert peak < 1024**2  # only the first 64 KiB and a byte were read


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
setting_names = st.sampled_from([field.name for field in fields(Settings)] + ["other"])


@given(
    st.one_of(
        json_values,
        st.fixed_dictionaries(
            {"format": st.just("balance-of-power-settings"), "version": st.just(1)},
            optional={"settings": st.dictionaries(setting_names, json_values, max_size=8)},
        ),
    )
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_json_as_settings_gives_settings_that_are_in_range(value):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.json"
        path.write_text(json.dumps(value), encoding="utf-8")
        loaded, problem = load_settings(path)
    assert isinstance(loaded, Settings) and loaded.checked() == loaded
    assert problem is None or problem.startswith("Your settings file could not be used")
