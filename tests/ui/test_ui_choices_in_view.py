"""What a player sees: every offered choice in view without scrolling, with the scene's text
scrolling above choices docked at the bottom; and the meters explained before play, in F1 and
at the ending (never during play when a class hides them).

The bundled story is played through the real loop with keys, on several paths."""

from __future__ import annotations

import random

import pygame
import pytest

from engine.classroom.settings import Classroom
from tests.conftest import ROOT
from tests.ui.conftest import LONG, TINY
from tests.ui.test_ui_play import start_new_game

BUNDLED = ROOT / "scenes" / "balance_of_power"
DESCRIPTIONS = (
    "How far you and your partner can count on each other",
    "How safe and steady you feel",
    "How much you value yourself",
    "50 is even; below 50, more of the decisions rest with your partner",
)
LABELS = ("Trust", "Security", "Self-esteem", "Balance")


def first(numbers, rng):
    return numbers[0]


def last(numbers, rng):
    return numbers[-1]


def second(numbers, rng):
    return numbers[min(1, len(numbers) - 1)]


def at_random(numbers, rng):
    return rng.choice(numbers)


PATHS = [first, last, second, at_random]


def drawn_kinds(driver) -> list[tuple[str, pygame.Rect]]:
    driver.app.draw_frame()
    return [(what, rect) for what, rect, _ in driver.app.text_log.entries]


def choices_out_of_view(driver) -> list[str]:
    """Each choice (offered or locked) that is not wholly in the window and in the reading
    column's view, not drawn, or (docked) overlapping the text; [] when all are in view."""
    play, window = driver.top, driver.app.window
    drawn = [rect for what, rect in drawn_kinds(driver) if what == "choice"]
    problems = []
    for placed in play.choices.placed:
        key, rect = placed.button.key, placed.rect
        if rect is None:
            problems.append(f"{key} is not placed")
        elif not (window.contains(rect) and play.viewport.contains(rect)):
            problems.append(f"{key} at {tuple(rect)} is outside {tuple(play.viewport)}")
        elif play.docked and rect.colliderect(play.text_view):
            problems.append(f"{key} overlaps the text")
        elif not any(rect.contains(line) for line in drawn):
            problems.append(f"{key} was not drawn")
    return problems


def play_through(driver, pick, rng, check) -> int:
    """Play to an ending with the number keys, calling `check` on each play screen as it is
    first drawn; returns how many play screens were checked."""
    screens = 0
    while driver.top.name != "ending":
        assert driver.top.name == "play", driver.top.name
        assert driver.top.scroll == 0  # as first drawn
        check(driver)
        screens += 1
        numbers = [b.number for b in driver.top.choices.buttons if b.enabled and b.number]
        driver.key(pygame.K_1 + pick(numbers, rng) - 1)
        while driver.top.name == "feedback":
            driver.key(pygame.K_RETURN)
    return screens


def assert_in_view(driver) -> None:
    assert driver.top.mode in ("together", "docked"), driver.app.game.session.scene_id
    assert choices_out_of_view(driver) == [], driver.app.game.session.scene_id
    assert driver.app.text_log.spills(driver.app.window) == []


@pytest.mark.parametrize(
    "size", [(800, 600), (1280, 720), (1920, 1080), (640, 480)], ids=lambda s: f"{s[0]}x{s[1]}"
)
@pytest.mark.parametrize("pick", PATHS, ids=lambda p: p.__name__)
def test_every_choice_of_the_bundled_story_is_in_view_when_its_scene_is_first_drawn(
    make_driver, size, pick
):
    driver = make_driver(BUNDLED, size=size, seed=7)
    start_new_game(driver)
    assert play_through(driver, pick, random.Random(size[0]), assert_in_view) >= 8


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_choices_are_in_view_at_the_largest_text_size_in_large_windows(make_driver, size):
    driver = make_driver(BUNDLED, size=size, seed=3)
    driver.app.change_settings(text_size="largest")
    start_new_game(driver)
    play_through(driver, at_random, random.Random(1), assert_in_view)


@pytest.mark.parametrize("text_size", ["large", "largest"])
def test_in_the_smallest_window_the_column_scrolls_as_one_only_when_the_choices_cannot_fit(
    make_driver, text_size
):
    driver = make_driver(BUNDLED, size=(640, 480), seed=5)
    driver.app.change_settings(text_size=text_size)
    start_new_game(driver)
    modes = set()

    def check(driver):
        play = driver.top
        modes.add(play.mode)
        if play.mode != "scroll_all":
            assert choices_out_of_view(driver) == []
            return
        # The smallest the choices can be (two columns, the smaller type) with a line of text
        # still does not fit; the focused choice comes into view when focused.
        smallest = min(
            play.measure_choices(two, style)
            for two in (False, True)
            for style in ("body", "body_small")
            if not two or play.viewport.width >= play.two_column_width  # as `arrangement`
        )
        assert smallest + play.band_height + driver.app.frame.line_height > play.viewport.height
        play.layout()
        driver.key(pygame.K_DOWN)
        focused = next(p for p in play.choices.placed if p.index == play.choices.focus)
        assert play.viewport.contains(focused.rect)
        driver.key(pygame.K_HOME)
        assert driver.app.text_log.spills(driver.app.window) == []

    play_through(driver, last, random.Random(2), check)
    assert "docked" in modes


def reach_the_lido(driver) -> None:
    start_new_game(driver)
    for _ in range(2):
        driver.key(pygame.K_1)
        while driver.top.name == "feedback":
            driver.key(pygame.K_RETURN)
    assert driver.app.game.session.scene_id == "weekend"


def choice_rects(play) -> list[tuple]:
    return [tuple(p.rect) for p in play.choices.placed]


def test_the_text_scrolls_above_the_docked_choices_with_pgdn_the_wheel_and_end(make_driver):
    driver = make_driver(BUNDLED, size=(800, 600), seed=7)
    driver.app.change_settings(text_size="large")  # more than a page to scroll
    reach_the_lido(driver)
    play = driver.top
    assert play.docked and play.max_scroll > 0 and choices_out_of_view(driver) == []
    docked = choice_rects(play)
    assert "more text cue" in {w for w, _ in drawn_kinds(driver)}
    driver.key(pygame.K_PAGEDOWN)
    assert play.scroll > 0 and choice_rects(play) == docked
    scrolled = play.scroll
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False))
    driver.run()
    assert play.scroll > scrolled and choice_rects(play) == docked
    driver.key(pygame.K_END)
    assert play.scroll == play.max_scroll and choice_rects(play) == docked
    assert "more text cue" not in {w for w, _ in drawn_kinds(driver)}  # nothing more below
    assert choices_out_of_view(driver) == [] and driver.spills() == []
    # the text stays inside its view (its last paragraph in its own), above the choices
    for what, rect in drawn_kinds(driver):
        if what.startswith("scene text"):
            assert play.text_view.contains(rect) or play.pinned.contains(rect)
    driver.key(pygame.K_HOME)
    assert play.scroll == 0 and choice_rects(play) == docked


def test_docked_choices_answer_hover_click_arrows_and_numbers_after_scrolling(make_driver):
    driver = make_driver(BUNDLED, size=(800, 600), seed=7)
    reach_the_lido(driver)
    play = driver.top
    driver.key(pygame.K_PAGEDOWN)
    driver.key(pygame.K_DOWN)
    assert play.choices.focused.number == 2
    third = next(p for p in play.choices.placed if p.button.number == 3)
    for position in ((1, 1), third.rect.center):  # the first report is where it rests
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(0, 0, 0))
        )
        driver.run()
    assert play.choices.focused.number == 3
    driver.click(third.rect.center)
    assert driver.top.name == "feedback"
    assert driver.app.game.session.history[-1].text.startswith("Go without them")
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_u)  # back to the lido, to choose with a number key once scrolled
    assert driver.top.name == "play" and driver.app.game.session.scene_id == "weekend"
    driver.key(pygame.K_END)
    driver.key(pygame.K_2)
    assert driver.app.game.session.history[-1].text.startswith("Push back")


def test_the_typewriter_keeps_its_line_in_view_and_the_choices_come_docked(make_driver):
    driver = make_driver(BUNDLED, size=(800, 600), seed=7)
    driver.app.change_settings(text_speed="typewriter")
    driver.app.fixed_dt = 0.001  # the loop runs until idle: let it write slowly
    start_new_game(driver)
    play = driver.top
    app = driver.app
    assert play.docked and play.document.revealing
    app.fixed_dt = 0.05
    for _ in range(400):
        if not play.document.revealing:
            break
        app.step()
        # the last paragraph, pinned above the choices, is written in its own place
        written = min(play.document.revealed_bottom(), play.content_height) - play.scroll
        assert written <= play.text_view.height
        choices = [w for w, _ in drawn_kinds(driver) if w == "choice"]
        assert not play.document.revealing or not choices  # not before the text is written
    assert not play.document.revealing and play.scroll > 0
    assert choices_out_of_view(driver) == []


def test_a_long_scene_with_many_choices_still_scrolls_as_one(make_driver):
    driver = make_driver(LONG, size=(640, 480))
    driver.app.change_settings(text_size="largest")
    start_new_game(driver)
    assert driver.top.mode == "scroll_all"


# The meters explained ----------------------------------------------------------------------


def texts_of(screen) -> str:
    documents = [screen.document, getattr(screen, "side_document", None)]
    return " ".join(
        " ".join(filter(None, [b.speaker or "", b.text]))
        for document in documents
        if document is not None
        for b in document.blocks
    )


def assert_meters_explained(text: str) -> None:
    for label in LABELS:
        assert label in text
    for description in DESCRIPTIONS:
        assert description in text


@pytest.mark.parametrize("size", [(800, 600), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_content_note_and_f1_explain_the_meters(make_driver, size):
    driver = make_driver(BUNDLED, size=size)
    driver.key(pygame.K_RETURN)  # New game
    note = driver.top
    assert note.name == "content_note"
    assert "How to read the meters" in texts_of(note)
    assert_meters_explained(texts_of(note))
    assert driver.spills() == []
    if size[0] >= 1280:  # beside the note: all of it in view at once
        assert note.two_columns and note.side_document.max_scroll == 0
    driver.key(pygame.K_RETURN)
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "play"
    driver.key(pygame.K_F1)
    assert driver.top.name == "help" and "The meters" in texts_of(driver.top)
    assert_meters_explained(texts_of(driver.top))
    assert driver.spills() == []


def test_a_story_without_a_content_note_still_explains_its_described_meters(make_driver, tmp_path):
    story = tmp_path / "described.yaml"
    story.write_text(
        TINY.read_text("utf-8").replace(
            "trust: {label: Trust, start: 50}",
            "trust: {label: Trust, start: 50, description: 'How much {partner} trusts you.'}",
        )
    )
    driver = make_driver(story)
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "content_note"
    text = texts_of(driver.top)
    assert "How much your partner trusts you." in text and "no content note" not in text
    assert "Security" in text  # every meter is listed, described or not


def test_a_story_whose_meters_have_no_descriptions_goes_straight_to_the_partner(make_driver):
    driver = make_driver(TINY)
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "partner"
    driver.key(pygame.K_F1)
    assert "The meters" not in texts_of(driver.top)


def test_hidden_meters_are_explained_at_the_ending_and_not_before_or_during_play(make_driver):
    driver = make_driver(BUNDLED, size=(1280, 720), seed=7, classroom=Classroom(show_meters=False))
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "content_note"
    start = texts_of(driver.top)
    assert "How to read the meters" not in start
    assert not any(description in start for description in DESCRIPTIONS)
    driver.key(pygame.K_RETURN)
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    rng = random.Random(4)

    def no_meters_in_help(driver):
        driver.key(pygame.K_F1)
        help_text = texts_of(driver.top)
        assert "The meters" not in help_text
        assert not any(description in help_text for description in DESCRIPTIONS)
        driver.key(pygame.K_ESCAPE)
        assert driver.top.name == "play"

    play_through(driver, at_random, rng, no_meters_in_help)
    ending = driver.top
    assert "What the meters mean" in texts_of(ending)
    assert_meters_explained(texts_of(ending))
    driver.key(pygame.K_F1)  # at the ending, F1 may explain them too
    assert_meters_explained(texts_of(driver.top))


@pytest.mark.parametrize(
    "size", [(800, 600), (1280, 720), (1280, 1400)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_the_ending_explains_the_meters_beside_the_chart_when_it_fits(make_driver, size):
    driver = make_driver(BUNDLED, size=size, seed=7)
    start_new_game(driver)
    play_through(driver, first, random.Random(0), lambda driver: None)
    ending = driver.top
    assert_meters_explained(texts_of(ending))
    assert driver.spills() == []
    if size == (1280, 1400):
        assert ending.guide_beside_chart
        side = " ".join(b.text for b in ending.side_document.blocks)
        assert "What the meters mean" in side and any(b.draw for b in ending.side_document.blocks)


def chart_blocks(screen) -> list[tuple[int, int]]:
    """(height, width) of each chart drawn in the ending's documents."""
    documents = [screen.document] + ([screen.side_document] if screen.wide else [])
    return [(b.height, d.rect.width) for d in documents for b in d.blocks if b.draw is not None]


@pytest.mark.parametrize("text_size", ["medium", "large", "largest"])
@pytest.mark.parametrize(
    "size", [(1100, 600), (1280, 720), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}"
)
def test_the_endings_chart_is_never_squeezed_below_what_reads(make_driver, size, text_size):
    """Seen in a `--screenshot --text-size large` at 1920x1080: beside the text, the chart was
    squeezed to 140 pixels with its legend, its 0, 50 and 100 on top of each other. A chart that
    cannot read beside the text now stands in the one column, at its full height."""
    driver = make_driver(BUNDLED, size=size, seed=7)
    driver.app.change_settings(text_size=text_size)
    start_new_game(driver)
    play_through(driver, first, random.Random(0), lambda driver: None)
    ending = driver.top
    charts = chart_blocks(ending)
    assert len(charts) == 1
    height, width = charts[0]
    assert height >= ending.chart().least_height(width)
    assert driver.spills() == []
