"""Playing through the real game loop with keys and the mouse, from the title to an ending."""

from __future__ import annotations

import pygame

from tests.ui.conftest import LONG, TINY


def start_new_game(driver, name: str | None = None, pronoun_steps: int = 0) -> None:
    assert driver.top.name == "title"
    driver.key(pygame.K_RETURN)  # New game
    if driver.top.name == "content_note":
        driver.key(pygame.K_RETURN)  # Continue
    assert driver.top.name == "partner"
    if name is not None:
        driver.type(name)  # replaces the suggested name
    driver.key(pygame.K_DOWN)  # to the pronouns
    for _ in range(pronoun_steps):
        driver.key(pygame.K_RIGHT)
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "play"


def test_whole_story_with_the_keyboard_reaches_the_ending_and_the_title(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver, name="Robin", pronoun_steps=1)
    session = driver.app.game.session
    assert session.partner.name == "Robin" and session.partner.pronouns == "she"
    driver.key(pygame.K_1)  # Let it go: trust +5
    assert driver.top.name == "feedback"
    assert driver.top.turn.feedback == ("You keep the peace.",)
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "play" and session.scene_id == "kitchen"
    driver.key(pygame.K_RETURN)  # the focused (only) choice; no feedback, so straight on
    assert driver.top.name == "ending"
    assert session.ending.title == "Balance"
    driver.key(pygame.K_RETURN)  # Back to the title
    assert driver.top.name == "title"


def test_whole_story_with_the_mouse(make_driver):
    driver = make_driver(TINY)
    driver.click_button("new")
    driver.click_button("begin")
    assert driver.top.name == "play"
    driver.click_button("choice:1")
    assert driver.top.name == "feedback"
    driver.click_button("continue")
    driver.click_button("choice:1")
    assert driver.top.name == "ending"
    driver.click_button("title")
    assert driver.top.name == "title"


def test_hovering_a_choice_focuses_it_and_arrows_move_the_focus(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    choices = driver.top.choices
    assert choices.focused.key == "choice:1"
    driver.key(pygame.K_DOWN)
    assert choices.focused.key == "choice:argue"
    driver.key(pygame.K_DOWN)  # the locked choice is skipped
    assert choices.focused.key == "choice:1"
    target = next(p for p in choices.placed if p.button.key == "choice:argue")
    for position in ((1, 1), target.rect.center):  # the first report is where it rests
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(0, 0, 0))
        )
        driver.run()
        assert choices.focused.key == ("choice:1" if position == (1, 1) else "choice:argue")


def test_a_resting_pointer_does_not_steal_the_keyboard_focus(make_driver):
    driver = make_driver(TINY)
    load = next(p for p in driver.top.button_list.placed if p.button.key == "load")
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=load.rect.center, rel=(0, 0), buttons=(0, 0, 0))
    )
    driver.run()
    assert driver.top.button_list.focused.key == "new"
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "partner"


def test_escape_on_the_title_goes_to_quit_rather_than_quitting(make_driver):
    driver = make_driver(TINY)
    driver.key(pygame.K_ESCAPE)
    assert driver.app.running and driver.top.button_list.focused.key == "quit"
    driver.key(pygame.K_RETURN)
    assert not driver.app.running


def test_a_locked_choice_is_shown_with_its_reason_and_cannot_be_chosen(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    locked = next(p for p in driver.top.choices.placed if p.button.key == "locked:3")
    assert not locked.button.enabled
    assert locked.button.detail == "Locked: You do not feel secure enough."
    driver.click(locked.rect.center)
    driver.key(pygame.K_3)
    assert driver.top.name == "play" and driver.app.game.session.scene_id == "hall"


def test_undo_takes_back_the_last_choice_from_play_and_from_the_pause_menu(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    session = driver.app.game.session
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    assert session.scene_id == "kitchen"
    driver.key(pygame.K_u)
    assert session.scene_id == "hall" and not session.history
    assert session.meters["trust"] == 50
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_ESCAPE)
    assert driver.top.name == "pause"
    driver.click_button("undo")
    assert driver.top.name == "play" and session.scene_id == "hall"


def test_undo_can_be_turned_off_in_the_settings(make_driver):
    driver = make_driver(TINY)
    driver.app.change_settings(allow_undo=False)
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_u)
    assert driver.app.game.session.scene_id == "kitchen"
    assert "turned off" in driver.top.undo_notice


def test_meters_animate_to_their_new_values_and_show_the_change(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    panel = driver.app.meter_panel
    driver.key(pygame.K_1)
    assert panel.deltas == {"trust": 5, "security": -4}
    assert round(panel.shown["trust"]) == 55 and not panel.animating


def test_history_shows_the_story_so_far(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_h)
    assert driver.top.name == "history"
    texts = [block.text for block in driver.top.document.blocks]
    assert "You chose: Let it go." in texts and "You keep the peace." in texts
    driver.key(pygame.K_ESCAPE)
    assert driver.top.name == "play"


def test_a_long_scene_scrolls_and_all_its_choices_can_be_reached(make_driver):
    driver = make_driver(LONG, size=(800, 600))
    start_new_game(driver)
    play = driver.top
    assert play.max_scroll > 0 and play.scroll == 0
    driver.key(pygame.K_PAGEDOWN)
    assert play.scroll > 0
    assert driver.spills() == []
    driver.key(pygame.K_END)
    assert play.scroll == play.max_scroll
    driver.key(pygame.K_HOME)
    driver.key(pygame.K_UP)  # focus moves to the last choice, and it scrolls into view
    last = next(p for p in play.choices.placed if p.index == play.choices.focus)
    assert last.button.key == "locked:locked_one" or play.viewport.contains(last.rect)
    driver.key(pygame.K_9)
    assert driver.top.name == "feedback"
    assert driver.app.game.session.history[-1].choice == "c9"
    assert driver.spills() == []


def test_the_content_note_comes_before_a_new_game(make_driver):
    driver = make_driver(LONG)
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "content_note"
    texts = " ".join(block.text for block in driver.top.document.blocks)
    assert "refuses to cooperate" in texts
    driver.key(pygame.K_ESCAPE)
    assert driver.top.name == "title"


def test_typewriter_text_is_skipped_by_any_key(make_driver):
    driver = make_driver(TINY)
    driver.app.change_settings(text_speed="typewriter")
    driver.app.fixed_dt = 0.001
    driver.key(pygame.K_RETURN)
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    document = driver.top.document
    assert document.revealing
    driver.key(pygame.K_1)  # shows the whole text; does not choose yet
    assert not document.revealing and driver.top.name == "play"
    driver.key(pygame.K_1)
    assert driver.top.name == "feedback"


def test_the_ending_shows_path_debrief_questions_and_support(make_driver):
    driver = make_driver(LONG, size=(800, 600))
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "ending"
    texts = " ".join(block.text for block in driver.top.document.blocks)
    assert "An uneasy peace" in texts
    assert "2 choices: Accept 1 · Fight for cooperation 1 · Walk away 0" in texts
    assert "What would you tell a friend in your place?" in texts
    assert "helpline" in texts  # the story's support text, as the ending asks for it
    assert any(block.draw is not None for block in driver.top.document.blocks)  # the chart


def test_the_partner_name_field_replaces_the_suggestion_and_keeps_digits_and_spaces(make_driver):
    driver = make_driver(LONG)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_RETURN)
    partner = driver.top
    assert partner.partner_name == "Renée"
    driver.type("J")
    assert partner.partner_name == "J"
    for text in ("o", " ", "2"):
        driver.type(text)
    driver.key(pygame.K_1)  # a digit key types (as TEXTINPUT), it picks nothing here
    driver.key(pygame.K_BACKSPACE)
    assert partner.partner_name == "Jo "
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    assert driver.app.game.session.partner.name == "Jo"
