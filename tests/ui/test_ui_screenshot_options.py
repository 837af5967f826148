"""`play --screenshot` draws with saved settings (`--settings FILE`) or with the options
`--high-contrast` and `--text-size`, so that screenshots can show how those look; the real
command line in a subprocess, and the PNGs it writes."""

from __future__ import annotations

import json
import subprocess
import sys

import pygame
import pytest

from engine.tools.commands.play import TEXT_SIZE_CHOICES
from engine.ui.fonts import TEXT_SIZES
from engine.ui.theme import theme_for
from tests.conftest import ROOT
from tests.ui.conftest import TINY


def screenshot(out, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "play", str(TINY), "--screenshot", str(out)]
        + list(options),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )


def settings_file(folder, **values) -> str:
    path = folder / "settings.json"
    record = {"format": "balance-of-power-settings", "version": 1, "settings": values}
    path.write_text(json.dumps(record), encoding="utf-8")
    return str(path)


def picture(path) -> pygame.Surface:
    pygame.display.init()
    return pygame.image.load(str(path))


def ink(image: pygame.Surface) -> int:
    """How many pixels differ from the background (the top left corner's colour)."""
    background = image.get_at((0, 0))
    width, height = image.get_size()
    return sum(
        1
        for x in range(0, width, 2)
        for y in range(0, height, 2)
        if image.get_at((x, y)) != background
    )


def test_a_settings_file_draws_in_its_theme_and_is_only_read(tmp_path):
    """Issue 11: `--screenshot` ignored saved settings, so no screenshot could show high contrast
    or large text."""
    path = settings_file(tmp_path, high_contrast=True, text_size="largest", window_width=900)
    before = (tmp_path / "settings.json").read_bytes()
    out = tmp_path / "shot.png"
    result = screenshot(out, "--settings", path, "--size", "800x600", "--choices", "1")
    assert result.returncode == 0, result.stderr
    image = picture(out)
    assert image.get_size() == (800, 600)  # --size decides, not the file's window
    assert tuple(image.get_at((0, 0)))[:3] == theme_for(True).background
    assert (tmp_path / "settings.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json", "shot.png"]


def test_the_options_override_the_file_and_larger_text_draws_more(tmp_path):
    path = settings_file(tmp_path, high_contrast=True, text_size="largest")
    small, large = tmp_path / "small.png", tmp_path / "large.png"
    result = screenshot(small, "--settings", path, "--text-size", "small", "--screen", "title")
    assert result.returncode == 0, result.stderr
    result = screenshot(large, "--text-size", "largest", "--high-contrast", "--screen", "title")
    assert result.returncode == 0, result.stderr
    small_image, large_image = picture(small), picture(large)
    assert tuple(small_image.get_at((0, 0)))[:3] == theme_for(True).background
    assert tuple(large_image.get_at((0, 0)))[:3] == theme_for(True).background
    assert ink(large_image) > ink(small_image) * 1.3


def test_by_default_a_screenshot_uses_the_default_settings(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    settings_file(saves, high_contrast=True)  # the player's own: not used unless asked for
    out = tmp_path / "shot.png"
    result = screenshot(out, "--saves", str(saves), "--screen", "title")
    assert result.returncode == 0, result.stderr
    assert tuple(picture(out).get_at((0, 0)))[:3] == theme_for(False).background


@pytest.mark.parametrize(
    "content,message",
    [
        (None, "no such settings file"),
        ("not json at all", "could not be used (it is damaged)"),
        ('{"format": "something else"}', "could not be used (not a settings file)"),
    ],
)
def test_a_settings_file_that_cannot_be_used_is_one_line_of_error(tmp_path, content, message):
    path = tmp_path / "settings.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = screenshot(tmp_path / "x.png", "--settings", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"error: --settings {path}:" in result.stderr and message in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_the_options_go_only_with_a_screenshot(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "play", str(TINY), "--text", "--high-contrast"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "--high-contrast goes only with --screenshot" in result.stderr


def test_the_command_offers_the_games_text_sizes():
    assert tuple(TEXT_SIZES) == TEXT_SIZE_CHOICES
