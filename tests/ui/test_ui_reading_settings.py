"""Reading settings: the fonts (a hyperlegible and a dyslexia-friendly one), line spacing,
reduced motion, the typewriter's speed, keys a player binds, the settings file's migration from
version 1, and the settings screen's "‹" and "›", preview line and section for authors."""

from __future__ import annotations

import json

import pygame
import pytest

from engine.ui.fonts import FONT_FAMILIES, FONT_FOLDER, LINE_SPACINGS, Fonts
from engine.ui.keybindings import KeyMap, Verb, parse_key
from engine.ui.screenshot import build_screen
from engine.ui.settings import VERSION, Settings, load_settings, save_settings, settings_path
from tests.ui.conftest import LONG, TINY
from tests.ui.test_ui_play import start_new_game

# The settings file -------------------------------------------------------------------------------


def test_a_version_1_settings_file_is_read_with_the_new_settings_at_their_defaults(tmp_path):
    path = tmp_path / "settings.json"
    old = {"text_size": "large", "high_contrast": True, "text_speed": "typewriter"}
    path.write_text(
        json.dumps({"format": "balance-of-power-settings", "version": 1, "settings": old}),
        encoding="utf-8",
    )
    settings, problem = load_settings(path)
    assert problem is None
    assert (settings.text_size, settings.high_contrast, settings.text_speed) == (
        "large",
        True,
        "typewriter",
    )
    assert settings.font == "standard" and settings.line_spacing == "normal"
    assert not settings.reduced_motion and not settings.voice and settings.keys == {}
    assert settings.typewriter_speed == "medium"
    save_settings(path, settings)
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["version"] == VERSION == 2
    assert record["settings"]["font"] == "standard"


def test_the_new_settings_are_kept_and_wrong_values_put_back(tmp_path):
    path = tmp_path / "settings.json"
    chosen = Settings(
        font="dyslexic",
        line_spacing="widest",
        reduced_motion=True,
        typewriter_speed="fast",
        voice=True,
        keys={"history": ["j"]},
    )
    save_settings(path, chosen)
    assert load_settings(path) == (chosen, None)
    wrong = {
        "font": "comic sans",
        "line_spacing": 3,
        "reduced_motion": "yes",
        "typewriter_speed": "ludicrous",
        "voice": 1,
        "keys": {"history": "j"},
    }
    path.write_text(
        json.dumps({"format": "balance-of-power-settings", "version": 2, "settings": wrong}),
        encoding="utf-8",
    )
    settings, problem = load_settings(path)
    assert problem is None and settings == Settings()


# Fonts and spacing -------------------------------------------------------------------------------


@pytest.mark.parametrize("family", list(FONT_FAMILIES))
def test_every_font_choice_loads_from_the_files_shipped(family):
    pygame.font.init()
    fonts = Fonts()
    fonts.set_family(family)
    for role in ("serif", "serif_italic", "serif_bold", "sans", "sans_bold"):
        font = fonts.get(role)
        assert font.size("Balance of Power")[0] > 0
    assert fonts.notices == []  # none fell back to pygame's own font
    _, files, _ = FONT_FAMILIES[family]
    for name in set(files.values()):
        assert (FONT_FOLDER / name).is_file()
    licence = {"standard": "OFL.txt", "hyperlegible": "AtkinsonHyperlegible-OFL.txt"}.get(
        family, "OpenDyslexic-OFL.txt"
    )
    assert "SIL Open Font License" in (FONT_FOLDER / licence).read_text(encoding="utf-8")


def test_the_font_setting_changes_the_type_of_the_text(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    widths = {}
    for family in FONT_FAMILIES:
        driver.app.change_settings(font=family)
        driver.run()
        font = driver.app.fonts.get("serif")
        widths[family] = font.size("Your partner says no to the weekend plan.")[0]
        assert driver.spills() == []
    assert len(set(widths.values())) == 3, widths


def test_wider_line_spacing_makes_the_scene_taller(make_driver):
    driver = make_driver(LONG)
    start_new_game(driver)
    heights = []
    for spacing in LINE_SPACINGS:
        driver.app.change_settings(line_spacing=spacing)
        driver.run()
        heights.append(driver.top.document.height)
    assert heights[0] < heights[1] < heights[2]
    assert heights[2] == pytest.approx(heights[0] * 1.5, rel=0.1)


@pytest.mark.parametrize("family", ["hyperlegible", "dyslexic"])
def test_every_screen_fits_the_smallest_window_in_each_font(make_driver, family):
    driver = make_driver(LONG, size=(640, 480))
    driver.app.change_settings(font=family, text_size="largest", line_spacing="widest")
    driver.app.game.autosaving = False
    for screen in ("title", "play", "feedback", "settings", "keys", "help", "pause", "load"):
        build_screen(driver.app, screen, ["1"])
        driver.app.draw_frame()
        assert driver.app.text_log.spills(driver.app.window) == [], screen


# Motion ------------------------------------------------------------------------------------------


def test_reduced_motion_shows_scenes_whole_and_meters_at_their_new_values(make_driver):
    driver = make_driver(TINY)
    driver.app.change_settings(text_speed="typewriter", reduced_motion=True)
    start_new_game(driver)
    assert not driver.top.document.revealing
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_1, mod=0, unicode=""))
    driver.app.step()  # one turn of the loop: the choice, then the meters
    assert driver.top.name == "feedback"
    panel = driver.app.meter_panel
    assert not panel.animating and panel.shown["trust"] == 55


def test_the_typewriter_speed_sets_how_fast_the_text_is_written(make_driver):
    written = {}
    for speed in ("slow", "fast"):
        driver = make_driver(LONG)
        driver.app.change_settings(text_speed="typewriter", typewriter_speed=speed)
        start_new_game(driver)
        driver.top.document.reveal = 0.0
        driver.app.fixed_dt = 0.1
        driver.app.step()
        written[speed] = driver.top.document.reveal
    assert written["fast"] == pytest.approx(written["slow"] * 4.5, rel=0.05)


# Keys --------------------------------------------------------------------------------------------


def test_a_key_bound_anew_does_the_new_thing_and_leaves_the_old(make_driver):
    pygame.init()
    keymap = KeyMap({"history": ["u"]})
    assert keymap.action_for_key(pygame.K_u).verb is Verb.HISTORY
    assert keymap.action_for_key(pygame.K_h) is None
    assert keymap.action_for_key(pygame.K_BACKSPACE).verb is Verb.UNDO  # its other keys stay
    assert KeyMap({"back": ["q"]}).action_for_key(pygame.K_ESCAPE).verb is Verb.BACK  # fixed
    assert parse_key("ctrl+z") == (pygame.K_z, pygame.KMOD_CTRL)
    assert parse_key("1") is None and parse_key("nonsense") is None


def test_keys_are_changed_on_the_keys_screen_and_saved(make_driver, tmp_path):
    driver = make_driver(TINY)
    driver.click_button("settings")
    driver.focus("keys")
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "keys"
    driver.focus("key:history")
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_1)  # a number key keeps its meaning
    assert driver.app.settings.keys == {} and "keeps its meaning" in driver.top.problem
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_j)
    assert driver.app.settings.keys == {"history": ["j"]}
    saved, _ = load_settings(settings_path(tmp_path / "saves"))
    assert saved.keys == {"history": ["j"]}
    value = next(b.value for b in driver.button_list().buttons if b.key == "key:history")
    assert value == "J"
    driver.key(pygame.K_ESCAPE)
    driver.key(pygame.K_ESCAPE)
    driver.focus("new")
    start_new_game(driver)
    driver.key(pygame.K_h)
    assert driver.top.name == "play"
    driver.key(pygame.K_j)
    assert driver.top.name == "history"
    help_driver = make_driver(TINY)  # the next run keeps them, and F1 shows them
    help_driver.key(pygame.K_F1)
    assert any(
        block.text.startswith("J: show the story so far")
        for block in help_driver.top.document.blocks
    )


# The settings screen -----------------------------------------------------------------------------


def arrow_point(driver, key: str, step: int) -> tuple[int, int]:
    placed = next(p for p in driver.button_list().placed if p.button.key == key)
    left, right = placed.arrow_boxes()
    return (left if step < 0 else right).center


def test_the_left_and_right_arrows_are_separate_click_targets(make_driver):
    driver = make_driver(TINY)
    driver.click_button("settings")
    driver.click(arrow_point(driver, "text_size", 1))
    assert driver.app.settings.text_size == "large"
    driver.click(arrow_point(driver, "text_size", 1))
    assert driver.app.settings.text_size == "largest"
    driver.click(arrow_point(driver, "text_size", -1))
    assert driver.app.settings.text_size == "large"
    driver.click(arrow_point(driver, "line_spacing", -1))  # round from the first to the last
    assert driver.app.settings.line_spacing == "widest"


def test_the_settings_show_a_preview_in_the_type_chosen(make_driver):
    driver = make_driver(TINY)
    driver.click_button("settings")
    driver.app.draw_frame()
    assert driver.top.document.lines[-1].text.endswith("they ask.")  # in view, whole
    assert driver.top.document.height <= driver.top.document.rect.height
    preview = next(b for b in driver.top.document.blocks if b.text.startswith("Preview"))
    assert preview.style == "body"  # the story's own type, in the font, size and spacing chosen


def test_the_authors_setting_is_hidden_until_asked_for(make_driver):
    driver = make_driver(TINY)
    driver.click_button("settings")
    keys = [b.key for b in driver.button_list().buttons]
    assert "watch_story" not in keys and "authors" in keys
    driver.click_button("authors")
    assert driver.button_list().focused.key == "watch_story"
    driver.key(pygame.K_RETURN)
    assert driver.app.settings.watch_story
    driver.key(pygame.K_ESCAPE)
    driver.click_button("settings")  # shown while it is on
    assert "watch_story" in [b.key for b in driver.button_list().buttons]
