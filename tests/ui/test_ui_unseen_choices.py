"""No choice made unseen (issue 15): the choices are drawn when the typewriter finishes, a key or
click never acts on choices not yet drawn, a click acts only when its press began on the same
screen, and new choices take no input for a moment (a double click on Continue)."""

from __future__ import annotations

import random

import pygame
import pytest

from tests.ui.conftest import TINY
from tests.ui.test_ui_choices_in_view import BUNDLED
from tests.ui.test_ui_play import start_new_game


def drawn(driver) -> set[str]:
    """What the last frame the loop drew showed (not a frame drawn for the test)."""
    return {what for what, _, _ in driver.app.text_log.entries}


def post_click(position, button: int = 1) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=position, button=button))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=position, button=button))


def test_the_choices_are_drawn_when_the_typewriter_finishes(make_driver):
    driver = make_driver(TINY)
    driver.app.change_settings(text_speed="typewriter")
    driver.app.fixed_dt = 0.05  # the loop writes the whole scene by itself
    start_new_game(driver)
    play = driver.top
    driver.run(2000)
    assert not play.document.revealing
    shown = drawn(driver)
    assert "choice" in shown, shown  # before the fix: the last frame of the typewriter stayed
    driver.key(pygame.K_SPACE)
    assert driver.top.name == "feedback"  # Space chose what was on screen


def test_a_choice_key_never_acts_on_choices_not_yet_drawn(make_driver):
    driver = make_driver(TINY)
    driver.app.change_settings(text_speed="typewriter")
    driver.app.fixed_dt = 0.001
    start_new_game(driver)
    play = driver.top
    assert play.document.revealing
    play.document.finish_reveal()  # the text is written, but no frame has shown the choices
    for key in (pygame.K_1, pygame.K_SPACE):
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        )
    driver.app.step()
    assert driver.top is play and not driver.app.game.session.history
    driver.run(1000)
    assert "choice" in drawn(driver)
    driver.key(pygame.K_1)
    assert driver.top.name == "feedback"


def test_a_double_click_on_continue_does_not_choose_on_the_next_scene(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_1)
    feedback = driver.top
    assert feedback.name == "feedback"
    driver.run()
    cont = next(p for p in feedback.button_list.placed if p.button.key == "continue")
    # The next scene's choices, where they will be drawn: the pointer rests on one.
    play = driver.app.find("play")
    play.ensure_layout()
    target = play.choices.placed[0].rect.center
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=cont.rect.center, rel=(0, 0), buttons=(0, 0, 0))
    )
    post_click(cont.rect.center)
    driver.app.step()  # Continue: the next scene is drawn with its choices
    assert driver.top is play and "choice" in drawn(driver)
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=target, rel=(0, 0), buttons=(0, 0, 0))
    )
    post_click(target)  # the second click of the double click, a frame later
    driver.app.step()
    assert driver.top is play and len(driver.app.game.session.history) == 1
    driver.run()  # the moment passes
    driver.click(target)
    assert len(driver.app.game.session.history) == 2


def test_keys_pressed_as_new_choices_appear_are_ignored_for_a_moment(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    driver.key(pygame.K_1)
    assert driver.top.name == "feedback"
    for key in (pygame.K_RETURN, pygame.K_RETURN):  # a key held or pressed twice
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)
        )
        driver.app.step()
    assert driver.top.name == "play" and len(driver.app.game.session.history) == 1
    driver.run()
    driver.key(pygame.K_RETURN)
    assert len(driver.app.game.session.history) == 2


def test_a_click_acts_only_when_it_was_pressed_on_the_same_screen(make_driver):
    driver = make_driver(TINY)
    start_new_game(driver)
    play = driver.top
    choice = play.choices.placed[0].rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=choice, button=1))
    driver.key(pygame.K_ESCAPE)  # the pause menu opens over the press
    driver.key(pygame.K_ESCAPE)  # and closes
    assert driver.top is play
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=choice, button=1))
    driver.run()
    assert driver.top is play and not driver.app.game.session.history
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=choice, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(1, 1), button=1))
    driver.run()  # released off the choice: nothing
    assert not driver.app.game.session.history
    driver.click(choice)
    assert driver.top.name == "feedback"


# The question the choices answer ---------------------------------------------------------------


def last_line_on_screen(driver) -> bool:
    """Whether the scene's last line is on screen as the loop drew it: its text, rendered as
    the document renders it, matches the pixels of a line of scene text the frame drew."""
    app, play = driver.app, driver.top
    app.draw_frame()
    line = play.document.lines[-1]
    rendered = app.text_cache.render(line.font, line.text, line.colour, app.theme.background)
    want = pygame.image.tobytes(rendered, "RGB")
    return any(
        what == "scene text"
        and rect.size == rendered.get_size()
        and pygame.image.tobytes(app.surface.subsurface(rect), "RGB") == want
        for what, rect, _ in app.text_log.entries
    )


@pytest.mark.parametrize(
    "size,text_size",
    [((1280, 720), "large"), ((800, 600), "large"), ((640, 480), "medium")],
    ids=lambda value: f"{value[0]}x{value[1]}" if isinstance(value, tuple) else value,
)
def test_the_question_the_choices_answer_stays_in_view_above_them(make_driver, size, text_size):
    """Every scene whose text does not fit above its docked choices (at 1280x720 the bundled
    story had 'what does the rest of your life look like?' under them) shows its last line
    when it is first drawn, and again once scrolled to the end. (In the smallest window at a
    large text size the text may have too little room to keep its last paragraph apart.)"""
    driver = make_driver(BUNDLED, size=size, seed=7)
    driver.app.change_settings(text_size=text_size)
    start_new_game(driver)
    checked = []
    rng = random.Random(size[0])
    while driver.top.name != "ending":
        play = driver.top
        assert play.name == "play"
        if play.docked and play.max_scroll > 0:
            scene = driver.app.game.session.scene_id
            assert last_line_on_screen(driver), scene
            for rect in (p.rect for p in play.choices.placed):
                assert rect.top >= play.pinned.bottom, scene
            driver.key(pygame.K_END)  # the rest scrolls up to meet it, drawn once
            assert play.scroll == play.max_scroll and last_line_on_screen(driver), scene
            assert driver.spills() == [], scene
            checked.append(scene)
        numbers = [b.number for b in play.choices.buttons if b.enabled and b.number]
        driver.key(pygame.K_0 + rng.choice(numbers))
        while driver.top.name == "feedback":
            driver.key(pygame.K_RETURN)
    assert checked  # at least one scene on the path did not fit whole
