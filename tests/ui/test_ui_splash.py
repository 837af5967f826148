"""The splash (engine/ui/splash.py): the window and the game's name before the rest of the game is
imported, and `engine.ui` light enough for it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pygame

from engine.ui.theme import HIGH_CONTRAST, NORMAL
from tests.conftest import ROOT


def modules_loaded_by(statement: str) -> list[str]:
    code = (
        f"import sys; {statement}; print(sorted(m for m in sys.modules "
        "if m.startswith(('engine', 'pygame', 'yaml'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout)


def test_importing_the_ui_package_loads_nothing_else():
    assert modules_loaded_by("import engine.ui") == ["engine", "engine.ui"]


def test_importing_the_splash_loads_neither_pygame_nor_the_rest_of_the_game():
    assert modules_loaded_by("import engine.ui.splash") == [
        "engine",
        "engine.json_files",
        "engine.paths",
        "engine.safe_read",  # settings.json is read as a regular file only (a pipe would block)
        "engine.ui",
        "engine.ui.splash",
        "engine.ui.theme",
    ]


def test_the_splash_draws_the_name_in_the_saved_theme_at_the_saved_size(tmp_path, monkeypatch):
    from engine.ui.splash import early_window

    monkeypatch.setenv("BOP_LAUNCH_PROBE", "1")  # draw even on the dummy driver
    for high_contrast, theme in ((False, NORMAL), (True, HIGH_CONTRAST)):
        (tmp_path / "settings.json").write_text(
            json.dumps(
                {
                    "settings": {
                        "high_contrast": high_contrast,
                        "window_width": 900,
                        "window_height": 650,
                    }
                }
            )
        )
        early_window(["play", "--saves", str(tmp_path)])
        try:
            surface = pygame.display.get_surface()
            assert surface.get_size() == (900, 650)
            assert tuple(surface.get_at((5, 5)))[:3] == theme.background
            middle = [tuple(surface.get_at((x, 325)))[:3] for x in range(900)]
            assert theme.text in middle  # the name, across the middle
        finally:
            pygame.display.quit()
    early_window(["play", "--size", "800x600", "--saves", str(tmp_path)])
    try:
        assert pygame.display.get_surface().get_size() == (800, 600)
    finally:
        pygame.display.quit()


def test_the_splash_survives_a_damaged_or_huge_settings_file(tmp_path, monkeypatch):
    """Issue 11, item 4: main.py's splash reads settings.json before anything else."""
    from engine.ui.splash import early_window

    monkeypatch.setenv("BOP_LAUNCH_PROBE", "1")
    settings = tmp_path / "settings.json"
    damaged = [
        "[" * 100_000,
        '{"settings": ' * 100_000,
        json.dumps({"settings": [1, 2]}),
        json.dumps({"settings": {"window_width": 10**9, "window_height": "tall"}}),
        json.dumps({"settings": {"window_width": True, "window_height": 10**6}}),
    ]
    for content in damaged:
        settings.write_text(content, "utf-8")
        early_window(["play", "--saves", str(tmp_path)])
        try:
            width, height = pygame.display.get_surface().get_size()
            assert 640 <= width <= 8192 and 480 <= height <= 8192
        finally:
            pygame.display.quit()
    with open(settings, "wb") as file:
        file.truncate(1024**3)  # sparse: a gigabyte that is not read
    early_window(["play", "--saves", str(tmp_path), "--size", "99999x600"])
    try:
        assert pygame.display.get_surface().get_size() == (8192, 600)
    finally:
        pygame.display.quit()


def test_main_starts_the_game_past_a_deeply_nested_settings_file(tmp_path):
    """The whole start through main.py: splash, then the title, with settings.json damaged."""
    (tmp_path / "settings.json").write_text("[" * 100_000, "utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--saves", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BOP_LAUNCH_PROBE": "1", "SDL_VIDEODRIVER": "dummy"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["first-frame", "title"]
    assert result.stderr == ""
