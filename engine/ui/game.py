"""The game being played: the story, its saves, the current session, and what a player does to
it (start, choose, undo, save, load). Screens call these; every failure comes back as a message.
"""

from __future__ import annotations

from pathlib import Path

from engine.model import Story
from engine.saves import AUTOSAVE, SaveError, SaveInfo, SaveStore
from engine.session import Choose, Session, SessionError, Turn, Undo
from engine.text import Partner

SLOTS = 6  # save slots offered in the menus, besides the autosave


class Game:
    """One story and its current playthrough."""

    def __init__(self, story: Story, saves_folder: str | Path | None = None,
                 seed: int | None = None):
        self.story = story
        self.store = SaveStore(story, saves_folder)
        self.seed = seed
        self.session: Session | None = None
        self.undo_allowed_by_settings = True
        self.autosaving = True  # off for screenshots, which must not touch the player's saves
        self.default_partner: Partner = story.partner

    # Starting ----------------------------------------------------------------------------------

    def new(self, partner: Partner | None = None) -> str | None:
        """Start a new playthrough; returns a message when its autosave failed."""
        self.session = Session(self.story, self.seed, partner or self.story.partner)
        return self.autosave()

    def load(self, slot: str) -> list[str]:
        """Load a slot (raises SaveError); returns notes for the player."""
        session, notes = self.store.read(slot)
        self.session = session
        return notes

    def latest(self) -> SaveInfo | None:
        """The autosave, when there is one that can be loaded."""
        if not self.store.exists(AUTOSAVE):
            return None
        info = self.store.info(AUTOSAVE)
        return None if info.problem else info

    # Playing -----------------------------------------------------------------------------------

    def choose(self, choice_id: str) -> tuple[Turn, str | None]:
        turn = self.session.apply(Choose(choice_id))
        return turn, self.autosave()

    @property
    def can_undo(self) -> bool:
        return (self.session is not None and self.undo_allowed_by_settings
                and self.session.can_undo)

    @property
    def undo_available(self) -> bool:
        """Whether undo is on at all (the story and the settings allow it)."""
        return self.story.allow_undo and self.undo_allowed_by_settings

    def undo(self) -> Turn | None:
        if not self.can_undo:
            return None
        try:
            turn = self.session.apply(Undo())
        except SessionError:
            return None
        self.autosave()
        return turn

    # Saving ------------------------------------------------------------------------------------

    def save(self, slot: str) -> str:
        """Save to a slot; returns a message for the player either way."""
        try:
            self.store.write(slot, self.session)
        except SaveError as problem:
            return f"Could not save: {problem}"
        return f"Saved in {slot_title(slot)}."

    def autosave(self) -> str | None:
        if self.session is None or not self.autosaving:
            return None
        try:
            self.store.write(AUTOSAVE, self.session)
        except SaveError as problem:
            return f"The autosave failed: {problem}"
        return None

    def slots(self) -> list[SaveInfo]:
        """The autosave and the numbered slots, empty ones included (path only)."""
        found = {info.slot: info for info in self.store.list()}
        result = [found.get(AUTOSAVE) or SaveInfo(AUTOSAVE, self.store.path(AUTOSAVE))]
        for number in range(1, SLOTS + 1):
            name = f"slot-{number}"
            result.append(found.get(name) or SaveInfo(name, self.store.path(name)))
        return result


def slot_title(slot: str) -> str:
    if slot == AUTOSAVE:
        return "the autosave"
    if slot.startswith("slot-"):
        return f"slot {slot[5:]}"
    return slot
