"""Driving the real game: an app on the dummy video driver, fed posted pygame events."""

from __future__ import annotations

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# Self-voicing stays silent in the UI tests unless a test gives the app a voice of its own.
os.environ.setdefault("BOP_VOICE", "silent")

import pygame  # noqa: E402
import pytest  # noqa: E402

from tests.conftest import STORIES  # noqa: E402

TINY = STORIES / "tiny.yaml"
LONG = STORIES / "ui_long.yaml"
SIZES = [(800, 600), (1280, 720), (1920, 1080)]


class Driver:
    """An app and the events a player would send it."""

    def __init__(self, app):
        self.app = app

    @property
    def top(self):
        return self.app.top

    def run(self, max_frames: int = 400) -> None:
        self.app.run_until_idle(max_frames)

    def key(self, key: int, mod: int = 0, times: int = 1) -> None:
        for _ in range(times):
            pygame.event.post(
                pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0)
            )
            self.run()

    def type(self, text: str) -> None:
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=text))
        self.run()

    def click(self, position: tuple[int, int], button: int = 1) -> None:
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(0, 0, 0))
        )
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=position, button=button))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=position, button=button))
        self.run()

    def click_button(self, key: str) -> None:
        """Click the centre of the top screen's button with this key."""
        self.run()
        buttons = self.button_list()
        for placed in buttons.placed:
            if placed.button.key == key:
                assert placed.rect is not None, f"button {key!r} is not on screen"
                self.click(placed.rect.center)
                return
        raise AssertionError(
            f"no button {key!r} on {self.top.name}: {[p.button.key for p in buttons.placed]}"
        )

    def button_list(self):
        screen = self.top
        return getattr(screen, "button_list", None) or screen.choices

    def focus(self, key: str) -> None:
        """Move the keyboard focus to a button with the arrow keys (down a column, and in two
        columns across to the other one)."""
        buttons = self.button_list()
        for across in (False, True):
            if across and (not buttons.in_grid or buttons.adjustable):
                break  # Right would change a setting, not cross to the other column
            if across:
                self.key(pygame.K_RIGHT)
            for _ in range(len(buttons.buttons) + 1):
                if buttons.focused is not None and buttons.focused.key == key:
                    return
                self.key(pygame.K_DOWN)
        raise AssertionError(f"could not focus {key!r}")

    def resize(self, width: int, height: int) -> None:
        pygame.event.post(
            pygame.event.Event(pygame.VIDEORESIZE, w=width, h=height, size=(width, height))
        )
        self.run()

    def spills(self) -> list[str]:
        self.app.draw_frame()
        return self.app.text_log.spills(self.app.window)


@pytest.fixture
def make_driver(tmp_path):
    """make_driver(story=TINY, size=(1280, 720)) -> a Driver on the title screen."""
    from engine.ui.launch import build_app

    made = []

    def make(story=TINY, size=(1280, 720), **options) -> Driver:
        options.setdefault("saves", str(tmp_path / "saves"))
        app = build_app(story, size=size, fps=0, strict=True, fixed_dt=0.25, **options)
        app.opener = lambda path: None  # a test never launches the system's programs
        pygame.event.clear()
        driver = Driver(app)
        driver.run()
        made.append(app)
        return driver

    yield make
    pygame.display.quit()
