"""docs/ui.md stays true: its key table is the game's key table, and its screenshots exist; and
docs/accessibility.md is linked, leads somewhere, and names every reading setting."""

from __future__ import annotations

import re

import pygame

from engine.ui.keybindings import KEY_BINDINGS, key_names
from engine.ui.screenshot import SCREENS
from tests.conftest import ROOT

GUIDE = (ROOT / "docs" / "ui.md").read_text("utf-8")


def test_the_key_table_in_the_guide_is_the_games_key_table():
    pygame.init()
    for verb, (_, what) in KEY_BINDINGS.items():
        row = f"| {' · '.join(dict.fromkeys(key_names(verb)))} | {what} |"
        assert row in GUIDE, f"docs/ui.md lacks the row {row}"


def test_the_guide_names_every_screenshot_screen_and_its_pictures_exist():
    for screen in SCREENS:
        assert f"`{screen}`" in GUIDE
    for picture in re.findall(r"\]\((screenshots/[\w.-]+)\)", GUIDE):
        assert (ROOT / "docs" / picture).is_file(), picture


ACCESSIBILITY = (ROOT / "docs" / "accessibility.md").read_text("utf-8")


def test_the_accessibility_page_is_linked_and_its_links_lead_somewhere():
    assert "(docs/accessibility.md)" in (ROOT / "README.md").read_text("utf-8")
    assert "(accessibility.md)" in GUIDE
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", ACCESSIBILITY):
        assert (ROOT / "docs" / target).is_file(), target


def test_the_accessibility_page_names_every_reading_setting_and_the_voice_key():
    for name in (
        "Self-voicing",
        "Text size",
        "Font",
        "Hyperlegible",
        "Dyslexia-friendly",
        "Line spacing",
        "High contrast",
        "Reduced motion",
        "Typewriter speed",
        "Settings → Keys",
        "**V**",
        "espeak-ng",
        "--text",
    ):
        assert name in ACCESSIBILITY, name
