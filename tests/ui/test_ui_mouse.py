"""Playing with the mouse alone (issue 15): the play screen's header buttons do what the keys do,
a right click opens the menu; an undo shows its notice without moving the choices."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from engine.classroom.settings import Classroom
from engine.ui import navigation
from tests.ui.conftest import TINY
from tests.ui.test_ui_choices_in_view import BUNDLED
from tests.ui.test_ui_play import start_new_game


def click_tool(driver, key: str) -> None:
    driver.run()
    tool = next((t for t in driver.top.toolbar.shown if t.key == key), None)
    assert tool is not None, f"no header button {key!r}"
    driver.click(tool.rect.center)


@pytest.mark.parametrize(
    "key,screen",
    [
        ("menu", "pause"),
        ("history", "history"),
        ("save", "save"),
        ("load", "load"),
        ("settings", "settings"),
    ],
)
def test_the_header_buttons_open_what_their_keys_open(make_driver, key, screen):
    driver = make_driver(TINY)
    start_new_game(driver)
    click_tool(driver, key)
    assert driver.top.name == screen
    assert driver.spills() == []


def test_every_header_button_shows_at_720p_and_the_menu_in_the_smallest_window(make_driver):
    driver = make_driver(TINY, size=(1280, 720))
    start_new_game(driver)
    keys = [tool.key for tool in driver.top.toolbar.shown]
    assert keys == ["undo", "history", "save", "load", "settings", "menu"]
    assert "header button menu" in {what for what, _, _ in driver.app.text_log.entries}
    driver.resize(640, 480)
    shown = [tool.key for tool in driver.top.toolbar.shown]
    assert "menu" in shown and driver.spills() == []
    header = driver.app.frame.header
    for tool in driver.top.toolbar.shown:
        assert header.contains(tool.rect)


def test_a_right_click_opens_the_menu(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.click(driver.top.choices.placed[0].rect.center, button=3)
    assert driver.top.name == "pause" and not driver.app.game.session.history


def test_the_undo_button_takes_back_the_last_choice(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    assert driver.app.game.session.scene_id == "kitchen"
    click_tool(driver, "undo")
    assert driver.app.game.session.scene_id == "hall"


def test_a_class_without_undo_has_no_undo_button(make_driver):
    driver = make_driver(TINY, classroom=Classroom(allow_undo=False))
    start_new_game(driver)
    assert "undo" not in [tool.key for tool in driver.top.toolbar.shown]


def test_after_an_undo_the_meters_show_no_change_and_the_choices_stay_put(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    play = driver.top
    before = [tuple(p.rect) for p in play.choices.placed]
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_u)
    assert driver.top is play and driver.app.game.session.scene_id == "hall"
    panel = driver.app.meter_panel
    assert panel.deltas == {}  # a reversal is not a fresh gain or loss
    assert round(panel.shown["trust"]) == 50
    assert [tuple(p.rect) for p in play.choices.placed] == before
    assert play.undo_notice == "You took back “Let it go.”"
    driver.app.draw_frame()
    assert "header" in {what for what, _, _ in driver.app.text_log.entries}
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    assert play.undo_notice is None  # gone with the next choice


# Two columns ---------------------------------------------------------------------------------


def test_in_the_pause_menus_two_columns_up_down_stay_in_a_column_and_left_right_cross(
    make_driver,
):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)  # a choice made: Undo is on
    driver.key(pygame.K_ESCAPE)
    menu = driver.top.button_list
    assert menu.in_grid
    keys = [b.key for b in menu.buttons]
    assert menu.focused.key == keys[0]
    driver.key(pygame.K_DOWN)
    assert menu.focused.key == keys[2]  # under it, not beside it
    driver.key(pygame.K_RIGHT)
    assert menu.focused.key == keys[3]
    driver.key(pygame.K_UP)
    assert menu.focused.key == keys[1]
    driver.key(pygame.K_UP)  # round to the bottom of the same column
    assert keys.index(menu.focused.key) % 2 == 1
    driver.key(pygame.K_LEFT)
    assert keys.index(menu.focused.key) % 2 == 0


def test_at_the_ending_up_down_stay_in_a_column_of_its_buttons(make_driver):
    driver = make_driver(TINY, size=(800, 600))
    start_new_game(driver)
    driver.key(pygame.K_2)  # Argue: straight to the ending
    while driver.top.name == "feedback":
        driver.key(pygame.K_RETURN)
    if driver.top.name == "play":
        driver.key(pygame.K_1)
        while driver.top.name == "feedback":
            driver.key(pygame.K_RETURN)
    assert driver.top.name == "ending"
    buttons = driver.top.button_list
    assert buttons.in_grid, "the ending's buttons stand in two columns at 800x600"
    keys = [b.key for b in buttons.buttons]
    driver.key(pygame.K_DOWN)
    assert buttons.focused.key == keys[2]
    driver.key(pygame.K_RIGHT)
    assert buttons.focused.key == keys[3]


@pytest.mark.parametrize(
    "size", [(640, 480), (1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_the_titles_quit_is_on_screen_when_a_save_exists(make_driver, size):
    driver = make_driver(BUNDLED, size=size)
    game = driver.app.game
    game.new()
    game.choose(game.session.options[0].id)
    game.save("slot-1")
    navigation.show_title(driver.app)
    driver.run()
    buttons = driver.top.button_list
    assert buttons.focused.key == "new"  # Continue has its details under it
    for placed in buttons.placed:
        assert placed.rect is not None and driver.app.window.contains(placed.rect), (
            placed.button.key
        )
    assert driver.spills() == []
    driver.click_button("quit")
    assert not driver.app.running


# The feedback ----------------------------------------------------------------------------------


def continue_rect(driver):
    return tuple(next(p for p in driver.top.button_list.placed if p.button.key == "continue").rect)


def test_the_feedbacks_continue_stays_in_one_place_and_a_click_on_the_text_continues(
    make_driver,
):
    driver = make_driver(BUNDLED, size=(1280, 720), seed=3)
    start_new_game(driver)
    places = set()
    for number in (1, 2, 2):
        driver.key(pygame.K_0 + number)
        assert driver.top.name == "feedback"
        places.add(continue_rect(driver))
        document = driver.top.document
        assert document.blocks[2].style == "feedback"
        driver.click(document.rect.center)  # on the text
        assert driver.top.name in ("play", "ending"), driver.top.name
    assert len(places) == 1, places  # three feedbacks of different lengths, one place


def test_the_feedback_is_in_roman_type():
    from engine.ui.widgets.styles import STYLES

    assert "italic" not in STYLES["feedback"][0]


def test_the_feedbacks_menu_button_and_right_click_open_the_menu(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_1)
    click_tool(driver, "menu")
    assert driver.top.name == "pause"
    driver.key(pygame.K_ESCAPE)
    driver.click((5, driver.app.window.height - 5), button=3)
    assert driver.top.name == "pause"


# Saves and the report ------------------------------------------------------------------------


def test_saving_over_a_used_slot_asks_first(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_s)
    driver.click_button("slot:slot-2")  # empty: saved at once
    game = driver.app.game
    path = next(i.path for i in game.slots() if i.slot == "slot-2")
    first = path.read_bytes()
    driver.key(pygame.K_ESCAPE)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)  # one choice on
    driver.key(pygame.K_s)
    driver.click_button("slot:slot-2")
    assert driver.top.name == "confirm" and "slot 2" in driver.top.title
    assert driver.top.button_list.focused.key == "cancel"
    driver.key(pygame.K_RETURN)  # Cancel
    assert driver.top.name == "save" and path.read_bytes() == first
    driver.click_button("slot:slot-2")
    driver.click_button("yes")
    assert driver.top.name == "save" and path.read_bytes() != first
    assert driver.spills() == []


def test_the_export_message_opens_the_report_and_its_folder(make_driver):
    driver = make_driver(TINY)
    opened = []
    driver.app.opener = opened.append  # nothing is launched
    start_new_game(driver)
    driver.key(pygame.K_2)
    while driver.top.name != "ending":
        driver.key(pygame.K_1 if driver.top.name == "play" else pygame.K_RETURN)
    driver.click_button("export")
    message = driver.top
    assert message.name == "message" and message.title == "Report exported"
    report = message.details[0]
    driver.click_button("open")
    assert [str(p) for p in opened] == [report]
    driver.click_button("open_folder")
    assert str(opened[-1]) == str(Path(report).parent)
    assert driver.spills() == []

    def refuse(path):
        raise FileNotFoundError(2, "No such file or directory")

    driver.app.opener = refuse
    driver.click_button("open")
    assert driver.top.title == "Could not open it"


# Balance: a scale with two sides ---------------------------------------------------------------


def colours_in(surface, rect) -> set:
    area = surface.subsurface(rect)
    return {
        tuple(area.get_at((x, y)))[:3]
        for x in range(area.get_width())
        for y in range(area.get_height())
    }


def test_balance_is_drawn_from_its_marked_centre_with_neutral_changes(make_driver):
    driver = make_driver(BUNDLED, size=(1280, 720))
    start_new_game(driver)
    app, panel = driver.app, driver.app.meter_panel
    values = dict(app.game.session.meters, balance=70, trust=60)
    panel.set_values(values, {"balance": 20, "trust": 10}, animate=False)
    app.draw_frame()
    whats = [what for what, _, _ in app.text_log.entries]
    assert "meter centre" in whats  # "even" over the centre mark
    index = [m.id for m in panel.meters].index("balance")
    cell, theme = panel.cells[index], app.theme
    colour = theme.series[index % len(theme.series)]
    track_y = cell.top + app.fonts.get("sans", panel.scale).get_linesize() + 2 + 3
    centre_x = cell.left + cell.width // 2
    surface = app.surface
    assert tuple(surface.get_at((centre_x + cell.width // 10, track_y)))[:3] == colour
    assert tuple(surface.get_at((centre_x - cell.width // 10, track_y)))[:3] != colour
    changes = [rect for what, rect, _ in app.text_log.entries if what == "meter change"]
    balance_change = next(rect for rect in changes if cell.contains(rect))
    trust_change = next(rect for rect in changes if not cell.contains(rect))
    assert theme.good not in colours_in(surface, balance_change)  # neither good nor bad
    assert theme.good in colours_in(surface, trust_change)


def test_the_ending_has_a_small_chart_for_each_meter_with_balances_centre_marked(make_driver):
    driver = make_driver(BUNDLED, size=(1280, 720), seed=7)
    start_new_game(driver)
    while driver.top.name != "ending":
        driver.key(pygame.K_1 if driver.top.name == "play" else pygame.K_RETURN)
    driver.app.draw_frame()
    titles = [what for what, _, _ in driver.app.text_log.entries if what == "chart legend"]
    assert len(titles) == len(driver.app.game.story.meters) == 4
    chart = driver.top.chart()
    assert chart.columns(500) == 2 and chart.least_height(500) < 260
    assert driver.spills() == []


def test_a_right_click_at_the_ending_opens_the_menu(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_2)
    while driver.top.name != "ending":
        driver.key(pygame.K_1 if driver.top.name == "play" else pygame.K_RETURN)
    driver.click((5, 5), button=3)
    assert driver.top.name == "pause"


def test_self_voicing_reads_the_undo_notice_in_the_header(make_driver):
    from tests.ui.test_ui_voice import voiced_driver

    driver, voice = voiced_driver(make_driver)
    driver.app.change_settings(voice=True)
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_u)
    assert voice.spoken[-1].startswith("You took back “Let it go.”"), voice.spoken[-1]
