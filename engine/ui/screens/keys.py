"""Keys: every verb a player may bind to other keys, with the keys it has now; Enter on one, then
a key, binds that key to it instead (Escape leaves it as it was). The keys are kept with the
settings. Escape, Enter, Space and the arrows cannot be changed, so the way out is never lost.
"""

from __future__ import annotations

import pygame

from engine.ui.app import App
from engine.ui.keybindings import FIXED_VERBS, KEY_BINDINGS, NUMBER_KEYS, Verb, key_name
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen
from engine.ui.widgets import Block, Button

MODIFIER_KEYS = {
    pygame.K_LCTRL,
    pygame.K_RCTRL,
    pygame.K_LSHIFT,
    pygame.K_RSHIFT,
    pygame.K_LALT,
    pygame.K_RALT,
    pygame.K_LGUI,
    pygame.K_RGUI,
    pygame.K_NUMLOCKCLEAR,
    pygame.K_CAPSLOCK,
}
# Keys that keep their meaning whatever is bound: the way out, the way in, the arrows, numbers.
RESERVED_KEYS = {
    key if isinstance(key, int) else key[0] for verb in FIXED_VERBS for key in KEY_BINDINGS[verb][0]
} | set(NUMBER_KEYS)


@register_screen
class KeysScreen(MenuScreen):
    name = "keys"
    button_share = 0.55

    def header_text(self) -> str:
        return "Keys"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.waiting: Verb | None = None  # the verb whose new key is awaited
        self.problem: str | None = None

    def hint(self) -> str:
        if self.waiting is not None:
            return "Press the new key · Esc leaves it as it was"
        return "Up/Down move · Enter change · Esc back"

    def blocks(self) -> list[Block]:
        if self.waiting is not None:
            what = KEY_BINDINGS[self.waiting][1]
            text = f"Press the key that should {what}. Escape leaves it as it was."
        else:
            text = "Enter on a line, then press the key you want for it."
        title = [Block("Keys", "title")] if self.app.frame.window.height >= 800 else []
        blocks = [
            *title,  # the header says where we are: in a small window, room for the keys
            Block(text, "body", space_before=0.4),
            Block(
                "Escape, Enter, Space, the arrows and the number keys keep their meaning.",
                "note",
                space_before=0.3,
            ),
        ]
        if self.problem:
            blocks.append(Block(self.problem, "note", space_before=0.4))
        return blocks

    def buttons(self) -> list[Button]:
        keymap = self.app.keymap
        buttons = []
        for verb, (_, what) in KEY_BINDINGS.items():
            if verb in FIXED_VERBS:
                continue
            names = " or ".join(dict.fromkeys(keymap.key_names(verb))) or "no key"
            value = "press a key…" if verb is self.waiting else names
            buttons.append(
                Button(
                    what[:1].upper() + what[1:],
                    lambda verb=verb: self.wait_for(verb),
                    value=value,
                    key=f"key:{verb.value}",
                )
            )
        buttons.append(Button("Put back the default keys", self.reset, key="reset"))
        buttons.append(Button("Back", self.back, key="back"))
        return buttons

    def wait_for(self, verb: Verb) -> None:
        self.waiting, self.problem = verb, None
        self.refresh()

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.waiting is None or event.type != pygame.KEYDOWN:
            if self.waiting is None:
                super().handle_event(event)
            return
        if event.key in MODIFIER_KEYS:
            return  # a modifier alone: wait for the key it goes with
        verb, self.waiting = self.waiting, None
        if event.key == pygame.K_ESCAPE:
            self.refresh()
            return
        mods = 0
        for flag in (pygame.KMOD_CTRL, pygame.KMOD_ALT, pygame.KMOD_SHIFT):
            if getattr(event, "mod", 0) & flag:
                mods |= flag
        if event.key in RESERVED_KEYS and not mods:
            self.problem = f"{pygame.key.name(event.key)} keeps its meaning; choose another key."
            self.refresh()
            return
        name = key_name((event.key, mods) if mods else event.key)
        keys = dict(self.app.settings.keys)
        for other, names in list(keys.items()):
            keys[other] = [n for n in names if n != name]
        keys[verb.value] = [name]
        self.app.change_settings(keys=keys)
        self.refresh()

    def reset(self) -> None:
        self.app.change_settings(keys={})
        self.problem = None
        self.refresh()
