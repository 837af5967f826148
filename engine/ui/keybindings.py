"""Every key the game answers to, in one table, and the turning of input events into actions.

Screens never look at key codes: the app's `KeyMap` (`keymap.action_for(event)`) gives them an
`Action` (a `Verb`, and a number for the number keys), which they apply. `KEY_BINDINGS` is the
default table, which docs/ui.md lists for players; a player may bind other keys to a verb (the
settings keep them as key names, `{"undo": ["u", "ctrl+z"]}`), and `KeyMap` is the defaults with
those changes.
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
    VOICE = "voice"
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
    Verb.VOICE: ((pygame.K_v,), "self-voicing on or off (the game reads the screen aloud)"),
}
# Verbs a player may not bind to other keys: Escape always goes back, Enter always chooses, the
# arrows always move, so that a player can always find the way out of a bad binding.
FIXED_VERBS = frozenset({Verb.UP, Verb.DOWN, Verb.LEFT, Verb.RIGHT, Verb.ACTIVATE, Verb.BACK})

NUMBER_KEYS = {getattr(pygame, f"K_{n}"): n for n in range(1, 10)}
NUMBER_KEYS.update({getattr(pygame, f"K_KP{n}"): n for n in range(1, 10)})
# Keypad digits double as arrows above; with Num Lock on they are numbers.
_KEYPAD_ARROWS = {pygame.K_KP8, pygame.K_KP2, pygame.K_KP4, pygame.K_KP6}
_MODS = pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_SHIFT


def _mod_class(mods: int) -> int:
    held = 0
    for group in (pygame.KMOD_CTRL, pygame.KMOD_ALT, pygame.KMOD_SHIFT):
        if mods & group:
            held |= group
    return held


MOD_NAMES = ((pygame.KMOD_CTRL, "ctrl"), (pygame.KMOD_ALT, "alt"), (pygame.KMOD_SHIFT, "shift"))


def key_name(key: Key) -> str:
    """A key as the settings keep it: `u`, `f2`, `ctrl+z` (pygame's key names, lower case)."""
    code, mods = key if isinstance(key, tuple) else (key, 0)
    prefix = "".join(label + "+" for flag, label in MOD_NAMES if mods & flag)
    return prefix + pygame.key.name(code).lower()


def parse_key(name: str) -> Key | None:
    """A key from its name in the settings (`ctrl+z`), or None when it names no key."""
    if not isinstance(name, str) or not name or len(name) > 40:
        return None
    mods = 0
    flags = {label: flag for flag, label in MOD_NAMES}
    while True:
        mod_name, plus, rest = name.partition("+")
        if not plus or not rest or mod_name not in flags:
            break
        mods |= flags[mod_name]
        name = rest
    key = name
    try:
        code = pygame.key.key_code(key)
    except (ValueError, pygame.error):
        return None
    if code in NUMBER_KEYS and not mods and code not in _KEYPAD_ARROWS:
        return None  # the number keys choose by number
    return (code, mods) if mods else code


class KeyMap:
    """The keys in force: the default table, with the keys a player bound to some verbs instead
    (`overrides`: verb name -> key names). A key bound anew leaves the verb it had."""

    def __init__(self, overrides: dict[str, list[str]] | None = None) -> None:
        self.bindings: dict[Verb, tuple[Key, ...]] = {
            verb: keys for verb, (keys, _) in KEY_BINDINGS.items()
        }
        for verb_name, names in (overrides or {}).items():
            try:
                verb = Verb(verb_name)
            except ValueError:
                continue
            if verb in FIXED_VERBS or verb not in self.bindings:
                continue
            keys = tuple(key for key in map(parse_key, names) if key is not None)
            for other, other_keys in self.bindings.items():
                if other is not verb:
                    self.bindings[other] = tuple(k for k in other_keys if k not in keys)
            self.bindings[verb] = keys
        self.table: dict[tuple[int, int], Verb] = {}
        for verb, keys in self.bindings.items():
            for key in keys:
                code, mods = key if isinstance(key, tuple) else (key, 0)
                self.table.setdefault((code, mods), verb)

    def action_for_key(self, key: int, mods: int = 0) -> Action | None:
        """The action a key press means, or None."""
        held = _mod_class(mods & _MODS)
        if (
            key in NUMBER_KEYS
            and not held
            and not (key in _KEYPAD_ARROWS and not mods & pygame.KMOD_NUM)
        ):
            return Action(Verb.NUMBER, NUMBER_KEYS[key])
        table = self.table
        verb = table.get((key, held)) or (
            table.get((key, 0)) if held == pygame.KMOD_SHIFT else None
        )
        return Action(verb) if verb else None

    def action_for(self, event: pygame.event.Event) -> Action | None:
        """The action an event means (a key press), or None."""
        if event.type == pygame.KEYDOWN:
            return self.action_for_key(event.key, getattr(event, "mod", 0))
        return None

    def key_names(self, verb: Verb) -> list[str]:
        """Readable names of the keys bound to a verb, for help text and docs."""
        return [readable_key(key) for key in self.bindings.get(verb, ())]


DEFAULT_KEYMAP = KeyMap()


def action_for_key(key: int, mods: int = 0) -> Action | None:
    """The action a key press means with the default keys, or None."""
    return DEFAULT_KEYMAP.action_for_key(key, mods)


def action_for(event: pygame.event.Event) -> Action | None:
    """The action an event means (a key press) with the default keys, or None."""
    return DEFAULT_KEYMAP.action_for(event)


def readable_key(key: Key) -> str:
    """A key's name as a player reads it: `Ctrl+Z`, `keypad 8`, `Enter`."""
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
    return prefix + name[:1].upper() + name[1:]


def key_names(verb: Verb) -> list[str]:
    """Readable names of the default keys of a verb, for help text and docs."""
    return DEFAULT_KEYMAP.key_names(verb)
