"""The game being played: the story, its saves, the current session, and what a player does to
it (start, choose, undo, save, load, reload). Front ends call these; every failure comes back
as a message, either returned or left in `notices` for the front end to show.

A game is played under `PlayRules` (undo on or off whatever the story says, meters shown or kept
for the ending). A front end that must follow the play (a classroom keeping records) subclasses
`Game` and overrides its hooks, the `on_...` methods, which do nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.play.actions import Choose, Undo
from engine.play.errors import SessionError
from engine.play.flow import Flow
from engine.play.saves import AUTOSAVE, SaveError, SaveInfo, SaveStore
from engine.play.session import Session
from engine.play.start import Start, StartError, StartRequest
from engine.play.turns import Turn
from engine.story.model import Story
from engine.story.text import Partner

SLOTS = 6  # save slots offered in the menus, besides the autosave


@dataclass(frozen=True, slots=True)
class PlayRules:
    """How a game is played, whatever the story says: undo on or off (None: as the story
    says), and whether the meters show during play (else only at the ending)."""

    allow_undo: bool | None = None
    show_meters: bool = True


class Game:
    """One story and its current playthrough."""

    def __init__(
        self,
        story: Story,
        saves_folder: str | Path | None = None,
        seed: int | None = None,
        rules: PlayRules | None = None,
        story_path: str | Path | None = None,
    ):
        self.story = story
        self.story_path = story_path
        self.saves = saves_folder
        self.store = SaveStore(story, saves_folder)
        self.seed = seed
        self.rules = rules or PlayRules()
        self.session: Session | None = None
        self.undo_allowed_by_settings = True
        self.autosaving = True  # off for screenshots, which must not touch the player's saves
        self.default_partner: Partner = story.partner
        self.notices: list[tuple[str, str]] = []  # (title, text) for the front end to show
        # --from and --set: new playthroughs begin there (checked again against a reloaded story)
        self.start_request: StartRequest | None = None

    # The rules ---------------------------------------------------------------------------------

    @property
    def show_meters(self) -> bool:
        """Whether meters are shown during play (the rules may keep them for the ending)."""
        return self.rules.show_meters

    @property
    def undo_ruled_out(self) -> bool:
        """Whether the rules turn undo off, whatever the story and the settings say."""
        return self.rules.allow_undo is False

    def _take(self, session: Session) -> None:
        if self.rules.allow_undo is not None:  # the rules decide, whatever the save says
            session.allow_undo = self.rules.allow_undo
        self.session = session

    # Starting ----------------------------------------------------------------------------------

    def new(self, partner: Partner | None = None) -> str | None:
        """Start a new playthrough; returns a message when its autosave failed."""
        self.leave()
        session = Session(
            self.story,
            self.seed,
            partner or self.story.partner,
            self.rules.allow_undo,
            self._start(),
        )
        self._take(session)
        self.on_started(session)
        return self.autosave()

    def _start(self) -> Start | None:
        """Where a new playthrough begins: the --from/--set request, resolved against the story
        as it is now; when it no longer fits (the story was reloaded), the story's own start,
        with a notice."""
        if self.start_request is None:
            return None
        try:
            return self.start_request.resolve(self.story)
        except StartError as problem:
            reason = str(problem)
            self.notices.append(
                ("Starting at the story's start", f"{reason[:1].upper()}{reason[1:]}.")
            )
            return None

    def load(self, slot: str) -> list[str]:
        """Load a slot (raises SaveError); returns notes for the player."""
        session, notes = self.store.read(slot)
        self.leave()
        self._take(session)
        self.on_loaded(session, self.store.path(slot))
        return notes

    def latest(self) -> SaveInfo | None:
        """The autosave, when there is one that can be loaded."""
        if not self.store.exists(AUTOSAVE):
            return None
        info = self.store.info(AUTOSAVE)
        return None if info.problem else info

    # Playing -----------------------------------------------------------------------------------

    def choices_shown(self) -> None:
        """The current choices are on screen (the time for this decision starts now)."""
        if self.session is not None and self.session.state == Flow.PLAYING:
            self.on_choices_shown(self.session)

    def choose(self, choice_id: str) -> tuple[Turn, str | None]:
        """Make a choice; returns what it did and a message when the autosave failed."""
        turn = self.session.apply(Choose(choice_id))
        self.on_chose(self.session)
        return turn, self.autosave()

    @property
    def can_undo(self) -> bool:
        return self.session is not None and self.undo_allowed_by_settings and self.session.can_undo

    @property
    def undo_available(self) -> bool:
        """Whether undo is on at all (the rules or the story, and the settings allow it)."""
        if self.session is not None:
            allowed = self.session.allow_undo
        elif self.rules.allow_undo is not None:
            allowed = self.rules.allow_undo
        else:
            allowed = self.story.allow_undo
        return allowed and self.undo_allowed_by_settings

    def undo(self) -> Turn | None:
        """Take back the last choice, when undo is allowed; returns that choice's turn."""
        if not self.can_undo:
            return None
        try:
            turn = self.session.apply(Undo())
        except SessionError:
            return None
        self.on_undone(self.session)
        self.autosave()
        return turn

    def leave(self) -> None:
        """The playthrough in progress is being left (quit, the title, another game): keep its
        place in the autosave."""
        if self.session is None:
            return
        self.on_leaving(self.session)
        problem = self.autosave()
        if problem:
            self.notices.append(("Autosave", problem))

    # Reloading ---------------------------------------------------------------------------------

    def replace_story(self, story: Story) -> list[str]:
        """Go on with a new version of the story: the same scene, meters and flags where they
        still exist. Returns notes; raises SessionError when the place cannot be kept (then
        nothing has changed)."""
        session = None
        notes: list[str] = []
        if self.session is not None:
            session, notes = Session.from_save(story, self.session.to_save())
        if self.default_partner == self.story.partner:
            self.default_partner = story.partner
        self.story = story
        self.store = SaveStore(story, self.saves)
        if session is not None:
            self._take(session)
            self.on_reloaded(session)
            problem = self.autosave()
            if problem:
                notes.append(problem)
        return notes

    def forget_session(self, story: Story) -> None:
        """Take a new version of the story without keeping the place in the old one."""
        self.leave()
        self.session = None
        self.on_forgotten()
        if self.default_partner == self.story.partner:
            self.default_partner = story.partner
        self.story = story
        self.store = SaveStore(story, self.saves)

    # Saving ------------------------------------------------------------------------------------

    def save(self, slot: str) -> str:
        """Save to a slot; returns a message for the player either way."""
        try:
            path = self.store.write(slot, self.session)
        except SaveError as problem:
            return f"Could not save: {problem}"
        self.on_saved(path)
        return f"Saved in {slot_title(slot)}."

    def autosave(self) -> str | None:
        """Write the autosave; returns a message when that failed."""
        if self.session is None or not self.autosaving:
            return None
        try:
            path = self.store.write(AUTOSAVE, self.session)
        except SaveError as problem:
            return f"The autosave failed: {problem}"
        self.on_saved(path)
        return None

    def slots(self) -> list[SaveInfo]:
        """The autosave and the numbered slots, empty ones included (path only)."""
        found = {info.slot: info for info in self.store.list()}
        result = [found.get(AUTOSAVE) or SaveInfo(AUTOSAVE, self.store.path(AUTOSAVE))]
        for number in range(1, SLOTS + 1):
            name = f"slot-{number}"
            result.append(found.get(name) or SaveInfo(name, self.store.path(name)))
        return result

    # Hooks, for a subclass that follows the play -------------------------------------------------

    def on_started(self, session: Session) -> None:
        """A new playthrough has begun."""

    def on_loaded(self, session: Session, save_path: Path) -> None:
        """A playthrough was loaded from the save at `save_path`."""

    def on_choices_shown(self, session: Session) -> None:
        """The current choices are on screen."""

    def on_chose(self, session: Session) -> None:
        """A choice was made (it is the last turn of the session's history)."""

    def on_undone(self, session: Session) -> None:
        """The last choice was taken back."""

    def on_leaving(self, session: Session) -> None:
        """The playthrough is being left, unfinished or not."""

    def on_reloaded(self, session: Session) -> None:
        """Play goes on in a new version of the story."""

    def on_forgotten(self) -> None:
        """The playthrough was dropped for a new version of the story."""

    def on_saved(self, save_path: Path) -> None:
        """The session was written to the save at `save_path` (a slot or the autosave)."""


def slot_title(slot: str) -> str:
    """How a slot is named to the player: 'the autosave', 'slot 3'."""
    if slot == AUTOSAVE:
        return "the autosave"
    if slot.startswith("slot-"):
        return f"slot {slot[5:]}"
    return slot
