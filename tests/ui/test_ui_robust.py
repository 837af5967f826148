"""Faults stay inside the game, random input never crashes it, and the loop sleeps when idle."""

from __future__ import annotations

import random
import subprocess
import sys
import time

import pygame
import pytest

from engine.ui.fonts import FONT_FILES, FONT_FOLDER, Fonts, TextCache
from engine.ui.keybindings import KEY_BINDINGS, NUMBER_KEYS
from engine.ui.theme import THEMES, contrast_ratio
from tests.conftest import ROOT
from tests.ui.conftest import LONG, TINY

FUZZ_KEYS = [pygame.K_a, pygame.K_x, pygame.K_F2, pygame.K_F5, pygame.K_F9, pygame.K_BACKSPACE]
for keys, _ in KEY_BINDINGS.values():
    FUZZ_KEYS += [k if isinstance(k, int) else k[0] for k in keys if k != pygame.K_F11]
FUZZ_KEYS += list(NUMBER_KEYS)


@pytest.mark.parametrize("story,seed", [(TINY, 1), (LONG, 3)])  # seeds that reach play
def test_thousands_of_random_keys_clicks_and_resizes_never_crash(make_driver, story, seed):
    rng = random.Random(seed)
    driver = make_driver(story, size=(1024, 700))
    app = driver.app
    visited = set()
    for step in range(2500):
        width, height = app.surface.get_size()
        roll = rng.random()
        if roll < 0.55:
            mod = rng.choice([0, 0, 0, pygame.KMOD_SHIFT, pygame.KMOD_CTRL])
            event = pygame.event.Event(
                pygame.KEYDOWN, key=rng.choice(FUZZ_KEYS), mod=mod, unicode="", scancode=0
            )
        elif roll < 0.85:
            position = (rng.randrange(width), rng.randrange(height))
            kind = rng.choice([pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP])
            if kind == pygame.MOUSEMOTION:
                event = pygame.event.Event(kind, pos=position, rel=(0, 0), buttons=(0, 0, 0))
            else:
                event = pygame.event.Event(kind, pos=position, button=rng.choice([1, 1, 3]))
        elif roll < 0.92:
            event = pygame.event.Event(
                pygame.MOUSEWHEEL, x=0, y=rng.choice([-3, -1, 1, 3]), flipped=False
            )
        elif roll < 0.97:
            event = pygame.event.Event(pygame.TEXTINPUT, text=rng.choice(["a", "é", " ", "9"]))
        else:
            size = rng.choice([(640, 480), (800, 600), (1280, 720), (1920, 1080), (500, 300)])
            event = pygame.event.Event(pygame.VIDEORESIZE, w=size[0], h=size[1], size=size)
        pygame.event.post(event)
        app.step()
        visited.add(app.top.name if app.top else None)
        if not app.running or not app.stack:  # Quit was chosen: start again at the title
            from engine.ui.screens.title import TitleScreen

            app.running = True
            app.reset(TitleScreen(app))
        if step % 250 == 0:
            assert app.text_log.spills(app.window) == []
    assert app.errors == 0
    assert {"title", "play", "feedback", "pause", "settings"} <= visited, visited


def test_a_story_with_errors_shows_them_on_screen(make_driver, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "title: Broken\nstart: nowhere\nscenes:\n  a:\n    text: hi\n"
        "    choices:\n      - text: go\n        goto: missing\n"
    )
    driver = make_driver(broken)
    assert driver.top.name == "story_errors"
    assert any("error" in line for line in driver.top.headlines)
    assert driver.spills() == []
    driver.key(pygame.K_RETURN)  # Try again: still broken
    assert driver.top.name == "story_errors" and driver.app.running
    driver.key(pygame.K_ESCAPE)
    assert not driver.app.running


def test_a_story_fixed_while_its_errors_are_shown_opens_with_f5(make_driver, tmp_path):
    story = tmp_path / "story.yaml"
    story.write_text("title: Soon\nstart: a\nscenes:\n  a:\n    text: hi\n")
    driver = make_driver(story)
    assert driver.top.name == "story_errors"
    story.write_text(TINY.read_text("utf-8"))
    driver.key(pygame.K_F5)
    assert driver.top.name == "title" and driver.app.game.story.title == "Tiny"
    assert driver.spills() == []


def test_a_missing_story_file_shows_a_message_not_a_traceback(make_driver, tmp_path):
    driver = make_driver(tmp_path / "no-such-story.yaml")
    assert driver.top.name == "story_errors"


def test_a_missing_font_falls_back_to_the_default_font_with_a_notice(tmp_path):
    pygame.font.init()
    fonts = Fonts(folder=tmp_path)
    font = fonts.get("serif")
    assert font.size("hello")[0] > 0
    assert fonts.notices and "could not be loaded" in fonts.notices[0]


def test_a_missing_font_is_reported_in_the_game(tmp_path):
    from engine.ui.launch import build_app

    app = build_app(
        TINY,
        size=(800, 600),
        fps=0,
        strict=True,
        fonts=Fonts(folder=tmp_path),
        saves=str(tmp_path / "saves"),
    )
    app.run_until_idle()
    assert app.top.name == "message" and "font" in " ".join(app.top.text.split()).lower()
    pygame.display.quit()


def test_a_fault_in_a_screen_becomes_a_message_and_the_game_goes_on(
    make_driver, monkeypatch, tmp_path
):
    import engine.ui.app as app_module

    log = tmp_path / "crash.log"
    monkeypatch.setattr(app_module, "write_crash_log", lambda: str(log))
    driver = make_driver(TINY)
    driver.app.strict = False

    def broken(action):
        raise RuntimeError("boom")

    driver.top.apply = broken
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "message" and driver.top.title == "Something went wrong"
    assert f"The details are in {log}." in driver.top.details
    assert driver.app.running
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "title"


def test_a_screen_that_faults_while_drawing_is_left_out_under_its_message(
    make_driver, monkeypatch, tmp_path
):
    """Issue 11: a screen whose drawing faulted was drawn again under the fault's message, every
    frame, so the message came back again and again. It is left out under the message now: one
    fault, one message, and OK goes back to it (which may fault once more, and say so once)."""
    import engine.ui.app as app_module

    logs = []
    monkeypatch.setattr(app_module, "write_crash_log", lambda: logs.append(1) or "crash.log")
    driver = make_driver(TINY)
    driver.app.strict = False

    def broken(surface):
        raise RuntimeError("boom")

    driver.top.draw = broken
    driver.app.dirty = True
    driver.run()
    assert driver.top.name == "message" and len(logs) == 1
    for _ in range(30):
        driver.app.dirty = True
        driver.app.step()
    assert len(logs) == 1 and driver.app.errors == 0 and driver.app.running
    assert [screen.name for screen in driver.app.stack] == ["title", "message"]
    driver.key(pygame.K_RETURN)  # OK: the title faults once more, and its message says so
    assert driver.top.name == "message" and len(logs) == 2 and driver.app.running


def test_non_ascii_text_is_drawn_without_missing_glyph_boxes():
    pygame.font.init()
    fonts = Fonts()
    cache = TextCache(fonts=fonts)
    for role in FONT_FILES:
        font = fonts.get(role)
        for character in "éü’“”—–·…":
            assert cache.has_glyph(font, character), (role, character)
        assert not cache.has_glyph(font, "\ue000")
        arrow_font = cache.font_for(font, "a → b")
        assert cache.has_glyph(arrow_font, "→")
    assert (FONT_FOLDER / "OFL.txt").is_file()


def test_every_theme_colour_pair_meets_wcag_contrast():
    for theme in THEMES.values():
        least = 7.0 if theme.name == "high_contrast" else 4.5
        for foreground in ("text", "muted", "accent", "good", "bad"):
            assert contrast_ratio(getattr(theme, foreground), theme.background) >= least
            assert contrast_ratio(getattr(theme, foreground), theme.panel) >= least
        assert contrast_ratio(theme.focus_text, theme.focus_fill) >= least
        assert contrast_ratio(theme.disabled, theme.panel) >= 4.5


def test_button_edges_reach_3_to_1_against_the_background(make_driver):
    """WCAG 1.4.11: a control's edge is what shows where it is (issue 15)."""
    for theme in THEMES.values():
        for edge in (theme.control_edge, theme.accent):  # unfocused, focused
            assert contrast_ratio(edge, theme.background) >= 3.0, theme.name
            assert contrast_ratio(edge, theme.panel) >= 3.0, theme.name
    driver = make_driver(TINY)
    for high_contrast in (False, True):
        driver.app.change_settings(high_contrast=high_contrast)
        driver.run()
        app = driver.app
        app.draw_frame()
        theme = app.theme
        for placed in driver.top.button_list.visible:
            rect = placed.rect
            edge = tuple(app.surface.get_at((rect.centerx, rect.top)))[:3]
            assert contrast_ratio(edge, theme.background) >= 3.0, (placed.button.key, edge)


def test_no_key_is_bound_twice():
    seen = {}
    for verb, (keys, _) in KEY_BINDINGS.items():
        for key in keys:
            assert key not in seen, f"{key} is bound to {seen.get(key)} and {verb}"
            seen[key] = verb


def test_an_idle_game_sleeps_waiting_for_events(make_driver, monkeypatch):
    import engine.ui.app as app_module

    monkeypatch.setattr(app_module, "IDLE_WAIT_MS", 100)
    driver = make_driver(TINY)
    app = driver.app
    app.fps = 60
    app.run_until_idle()
    wall, cpu = time.perf_counter(), time.process_time()
    app.run(max_frames=5)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert wall >= 0.4  # it waited for events ...
    assert cpu < wall * 0.25  # ... without spinning


def test_screenshot_command_writes_a_png_of_the_asked_size(tmp_path):
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "play",
            str(TINY),
            "--screenshot",
            str(out),
            "--choices",
            "1",
            "--size",
            "800x600",
            "--screen",
            "feedback",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    pygame.display.init()
    image = pygame.image.load(str(out))
    assert image.get_size() == (800, 600)


def test_screenshot_command_reports_a_refused_choice_in_one_line(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "play",
            str(TINY),
            "--screenshot",
            str(tmp_path / "x.png"),
            "--choices",
            "nope",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr


def test_the_text_player_is_still_there_with_text(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "play",
            str(TINY),
            "--text",
            "--seed",
            "3",
            "--choices",
            "1,1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "=== Ending: Balance ===" in result.stdout


def test_a_story_that_gets_stuck_says_so_and_offers_undo(make_driver, tmp_path):
    story = tmp_path / "stuck.yaml"
    story.write_text(
        "title: Stuck\nstart: a\nmeters:\n  trust: {start: 50}\nscenes:\n"
        "  a:\n    text: Start.\n    choices:\n      - text: On.\n        goto: b\n"
        "      - text: End.\n        goto: z\n"
        "  b:\n    text: A dead end.\n    choices:\n      - text: Never.\n"
        "        if: trust > 90\n        goto: z\n"
        "  z:\n    text: Done.\n    ending: {title: Done}\n"
    )
    driver = make_driver(story)
    driver.key(pygame.K_RETURN)
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_1)
    assert driver.app.game.session.state == "stuck"
    assert driver.top.name == "play"
    texts = " ".join(block.text for block in driver.top.document.blocks)
    assert "cannot go on" in texts and "fault in the story" in texts
    assert driver.spills() == []
    driver.click_button("undo")
    assert driver.app.game.session.state == "playing"
    assert driver.app.game.session.scene_id == "a"
