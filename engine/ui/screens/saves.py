"""Save and load slots: the autosave and numbered slots, each with its date, scene and choices.

In load mode the chosen slot is handed back to whoever opened the screen (`on_result`); a slot
that cannot be loaded is shown disabled with the reason.
"""

from __future__ import annotations

from engine.play.game import slot_title
from engine.play.saves import AUTOSAVE
from engine.ui import navigation
from engine.ui.app import App
from engine.ui.navigation import SaveMode
from engine.ui.registry import register_screen
from engine.ui.screens.base import MenuScreen, when
from engine.ui.widgets import Block, Button


@register_screen
class SavesScreen(MenuScreen):
    name = "saves"

    def __init__(self, app: App, mode: SaveMode) -> None:
        super().__init__(app)
        self.mode = mode  # 'save' or 'load'
        self.name = "load" if mode == "load" else "save"
        self.message: str | None = None

    def blocks(self) -> list[Block]:
        blocks = [Block("Save your place" if self.mode == "save" else "Load a save", "heading")]
        if self.message:
            blocks.append(Block(self.message, "note", space_before=0.3))
        elif self.mode == "load" and not any(info.path.is_file() for info in self.app.game.slots()):
            blocks.append(
                Block(
                    "There are no saves yet: the game saves itself at every scene once you start.",
                    "note",
                    space_before=0.3,
                )
            )
        return blocks

    def buttons(self) -> list[Button]:
        buttons = []
        for info in self.app.game.slots():
            if self.mode == "save" and info.slot == AUTOSAVE:
                continue
            label = "Autosave" if info.slot == AUTOSAVE else slot_title(info.slot).capitalize()
            exists = info.path.is_file()
            if info.problem:
                detail, usable = f"Cannot be loaded: {info.problem}", self.mode == "save"
            elif exists:
                where = info.scene_title or info.scene or ""
                turns = f"{info.turns} choice{'s' if info.turns != 1 else ''}"
                detail = " · ".join(part for part in (when(info.saved_at), where, turns) if part)
                usable = True
            else:
                buttons.append(
                    Button(
                        label,
                        lambda slot=info.slot: self.pick(slot),
                        value="Empty",
                        enabled=self.mode == "save",
                        key=f"slot:{info.slot}",
                    )
                )
                continue
            buttons.append(
                Button(
                    label,
                    lambda slot=info.slot: self.pick(slot),
                    detail=detail,
                    enabled=usable,
                    key=f"slot:{info.slot}",
                )
            )
        buttons.append(Button("Back", self.back, key="back"))
        return buttons

    def pick(self, slot: str) -> None:
        if self.mode == "load":
            self.app.pop(slot)
            return
        info = next((i for i in self.app.game.slots() if i.slot == slot), None)
        if info is not None and info.path.is_file():
            where = info.scene_title or info.scene or ""
            saved = " · ".join(part for part in (when(info.saved_at), where) if part)
            navigation.confirm(
                self.app,
                f"Replace {slot_title(slot)}?",
                f"It holds a save ({saved}); saving here replaces it."
                if saved
                else "Saving here replaces the save it holds.",
                "Replace it",
                lambda: self.save(slot),
            )
            return
        self.save(slot)

    def save(self, slot: str) -> None:
        self.message = self.app.game.save(slot)
        self.refresh()
