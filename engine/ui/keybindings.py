"""Every key the game answers to, in one table, and the turning of input events into actions.

Screens never look at key codes: `action_for(event)` gives them an `Action` (a `Verb`, and a
number for the number keys), which they apply. docs/ui.md lists the same table for players.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

import pygame


class Verb(Enum):
    """What the player asks for: every action the keys produce, and the only names for them."""

    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"
    ACTIVATE = "activate"
    BACK = "back"
    UNDO = "undo"
    HISTORY = "history"
    SAVE = "save"
    LOAD = "load"
    SETTINGS = "settings"
    PAGE_UP = "page_up"
    PAGE_DOWN = "page_down"
    HOME = "home"
    END = "end"
    FULLSCREEN = "fullscreen"
    HELP = "help"
    RELOAD = "reload"
    NUMBER = "number"  # a number key, 1 to 9: the action carries the number


class Action(NamedTuple):
    verb: Verb
    number: int | None = None


Key = int | tuple[int, int]  # a key code, or (key code, modifier keys that must be held)

# verb: (keys, what it does). A key given as (key, mods) needs those modifier keys held.
KEY_BINDINGS: dict[Verb, tuple[tuple[Key, ...], str]] = {
    Verb.UP: (
        (pygame.K_UP, pygame.K_KP8, (pygame.K_TAB, pygame.KMOD_SHIFT)),
        "focus the previous item",
    ),
    Verb.DOWN: ((pygame.K_DOWN, pygame.K_KP2, pygame.K_TAB), "focus the next item"),
    Verb.LEFT: ((pygame.K_LEFT, pygame.K_KP4), "change a setting down"),
    Verb.RIGHT: ((pygame.K_RIGHT, pygame.K_KP6), "change a setting up"),
    Verb.ACTIVATE: (
        (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE),
        "choose the focused item",
    ),
    Verb.BACK: ((pygame.K_ESCAPE,), "pause menu in play; back or close elsewhere"),
    Verb.UNDO: (
        (pygame.K_u, pygame.K_BACKSPACE, (pygame.K_z, pygame.KMOD_CTRL)),
        "undo the last choice",
    ),
    Verb.HISTORY: ((pygame.K_h,), "show the story so far"),
    Verb.SAVE: ((pygame.K_s,), "save to a slot"),
    Verb.LOAD: ((pygame.K_l, pygame.K_F9), "load a save"),
    Verb.SETTINGS: ((pygame.K_F2,), "open the settings"),
    Verb.PAGE_UP: ((pygame.K_PAGEUP,), "scroll the text up a page"),
    Verb.PAGE_DOWN: ((pygame.K_PAGEDOWN,), "scroll the text down a page"),
    Verb.HOME: ((pygame.K_HOME,), "scroll to the top"),
    Verb.END: ((pygame.K_END,), "scroll to the bottom"),
    Verb.FULLSCREEN: ((pygame.K_F11, (pygame.K_RETURN, pygame.KMOD_ALT)), "fullscreen or window"),
    Verb.HELP: ((pygame.K_F1,), "show these keys"),
    Verb.RELOAD: ((pygame.K_F5,), "reload the story from its files (for authors)"),
}

NUMBER_KEYS = {getattr(pygame, f"K_{n}"): n for n in range(1, 10)}
NUMBER_KEYS.update({getattr(pygame, f"K_KP{n}"): n for n in range(1, 10)})
# Keypad digits double as arrows above; with Num Lock on they are numbers.
_KEYPAD_ARROWS = {pygame.K_KP8, pygame.K_KP2, pygame.K_KP4, pygame.K_KP6}
_MODS = pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_SHIFT


def _build_table() -> dict[tuple[int, int], Verb]:
    table = {}
    for verb, (keys, _) in KEY_BINDINGS.items():
        for key in keys:
            code, mods = key if isinstance(key, tuple) else (key, 0)
            table[(code, mods)] = verb
    return table


_TABLE = _build_table()


def _mod_class(mods: int) -> int:
    held = 0
    for group in (pygame.KMOD_CTRL, pygame.KMOD_ALT, pygame.KMOD_SHIFT):
        if mods & group:
            held |= group
    return held


def action_for_key(key: int, mods: int = 0) -> Action | None:
    """The action a key press means, or None."""
    held = _mod_class(mods & _MODS)
    if (
        key in NUMBER_KEYS
        and not held
        and not (key in _KEYPAD_ARROWS and not mods & pygame.KMOD_NUM)
    ):
        return Action(Verb.NUMBER, NUMBER_KEYS[key])
    verb = _TABLE.get((key, held)) or (_TABLE.get((key, 0)) if held == pygame.KMOD_SHIFT else None)
    return Action(verb) if verb else None


def action_for(event: pygame.event.Event) -> Action | None:
    """The action an event means (a key press), or None."""
    if event.type == pygame.KEYDOWN:
        return action_for_key(event.key, getattr(event, "mod", 0))
    return None


def key_names(verb: Verb) -> list[str]:
    """Readable names of the keys bound to a verb, for help text and docs."""
    names = []
    for key in KEY_BINDINGS[verb][0]:
        code, mods = key if isinstance(key, tuple) else (key, 0)
        prefix = "".join(
            label + "+"
            for flag, label in (
                (pygame.KMOD_CTRL, "Ctrl"),
                (pygame.KMOD_ALT, "Alt"),
                (pygame.KMOD_SHIFT, "Shift"),
            )
            if mods & flag
        )
        name = pygame.key.name(code)
        if name.startswith("["):
            name = "keypad " + name.strip("[]")
        name = {"return": "Enter", "enter": "keypad Enter"}.get(name, name)
        names.append(prefix + name[:1].upper() + name[1:])
    return names
