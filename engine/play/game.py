"""The game being played: the story, its saves, the current session, and what a player does to
it (start, choose, undo, save, load, reload). Screens call these; every failure comes back as a
message, either returned or left in `notices` for the app to show.

A classroom (`engine.classroom.settings`) may turn undo off, hide the meters until the ending,
ask for the player's name or code, and name a records folder: then every playthrough's record
is written there when it reaches an ending, and when it is left unfinished (quit, back to the
title, a new game or another save loaded), once per outcome, to one file per playthrough.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from engine.atomic import write_atomic
from engine.classroom.playthrough import Playthrough, fingerprint, read_sidecar, write_sidecar
from engine.classroom.records import COMPLETE, read_record, record_file_name, write_record
from engine.classroom.settings import Classroom
from engine.play.saves import AUTOSAVE, SaveError, SaveInfo, SaveStore, saves_folder
from engine.play.session import PLAYING, Choose, Session, SessionError, Turn, Undo
from engine.story.model import Story
from engine.story.text import Partner

SLOTS = 6  # save slots offered in the menus, besides the autosave
PLAYER_LIMIT = 60  # characters in a player's name or code


class Game:
    """One story and its current playthrough."""

    def __init__(self, story: Story, saves_folder: str | Path | None = None,
                 seed: int | None = None, classroom: Classroom | None = None,
                 player: str | None = None, story_path: str | Path | None = None):
        self.story = story
        self.story_path = story_path
        self.saves = saves_folder
        self.store = SaveStore(story, saves_folder)
        self.seed = seed
        self.classroom = classroom or Classroom()
        self.fixed_player = player[:PLAYER_LIMIT] if player else None  # --player
        self.next_player: str | None = None  # typed before a new game, for its record
        self.session: Session | None = None
        self.playthrough: Playthrough | None = None
        self.undo_allowed_by_settings = True
        self.autosaving = True  # off for screenshots, which must not touch the player's saves
        self.recording = True  # off for screenshots: no records either
        self.default_partner: Partner = story.partner
        self.notices: list[tuple[str, str]] = []  # (title, text) for the app to show
        self.now = time.monotonic

    # The classroom -----------------------------------------------------------------------------

    @property
    def show_meters(self) -> bool:
        """Whether meters are shown during play (a classroom may keep them for the ending)."""
        return self.classroom.show_meters

    @property
    def asks_player(self) -> bool:
        """Whether a new game asks for the player's name or code."""
        return self.classroom.ask_player != "none" and self.fixed_player is None

    @property
    def needs_player(self) -> bool:
        """A continued game whose player is not known yet, in a class that asks."""
        return self.asks_player and self.playthrough is not None \
            and not self.playthrough.player

    @property
    def undo_off_for_class(self) -> bool:
        return self.classroom.allow_undo is False

    def _take(self, session: Session, playthrough: Playthrough) -> None:
        if self.classroom.allow_undo is not None:  # the class decides, whatever the save says
            session.allow_undo = self.classroom.allow_undo
        if self.fixed_player:
            playthrough.player = self.fixed_player
        self.session, self.playthrough = session, playthrough

    # Starting ----------------------------------------------------------------------------------

    def new(self, partner: Partner | None = None) -> str | None:
        """Start a new playthrough; returns a message when its autosave failed."""
        self.leave()
        session = Session(self.story, self.seed, partner or self.story.partner,
                          self.classroom.allow_undo)
        self._take(session, Playthrough.begin(session, self.next_player))
        self.next_player = None
        return self.autosave()

    def load(self, slot: str) -> list[str]:
        """Load a slot (raises SaveError); returns notes for the player."""
        session, notes = self.store.read(slot)
        self.leave()
        playthrough = read_sidecar(self.store.path(slot), session) or Playthrough.begin(session)
        self._take(session, playthrough)
        return notes

    def latest(self) -> SaveInfo | None:
        """The autosave, when there is one that can be loaded."""
        if not self.store.exists(AUTOSAVE):
            return None
        info = self.store.info(AUTOSAVE)
        return None if info.problem else info

    def set_player(self, player: str) -> None:
        """The name or code typed for the playthrough in progress (a continued game)."""
        if self.playthrough is not None:
            self.playthrough.player = player[:PLAYER_LIMIT]
            self.autosave()

    # Playing -----------------------------------------------------------------------------------

    def choices_shown(self) -> None:
        """The current choices are on screen: the time for this decision starts now."""
        if self.playthrough is not None and self.session is not None \
                and self.session.state == PLAYING:
            self.playthrough.choices_shown(self.now())

    def choose(self, choice_id: str) -> tuple[Turn, str | None]:
        turn = self.session.apply(Choose(choice_id))
        if self.playthrough is not None:
            self.playthrough.chose(self.now(), len(self.session.history))
        if self.session.state != PLAYING:  # an ending (or a fault in the story)
            self.write_record()
        return turn, self.autosave()

    @property
    def can_undo(self) -> bool:
        return (self.session is not None and self.undo_allowed_by_settings
                and self.session.can_undo)

    @property
    def undo_available(self) -> bool:
        """Whether undo is on at all (the class or the story, and the settings allow it)."""
        if self.session is not None:
            allowed = self.session.allow_undo
        elif self.classroom.allow_undo is not None:
            allowed = self.classroom.allow_undo
        else:
            allowed = self.story.allow_undo
        return allowed and self.undo_allowed_by_settings

    def undo(self) -> Turn | None:
        if not self.can_undo:
            return None
        try:
            turn = self.session.apply(Undo())
        except SessionError:
            return None
        if self.playthrough is not None:
            self.playthrough.undone(len(self.session.history))
        self.autosave()
        return turn

    # Records -----------------------------------------------------------------------------------

    def leave(self) -> None:
        """The playthrough in progress is being left (quit, the title, another game): write its
        record as abandoned when it is unfinished and has a choice in it, and keep its place."""
        session, playthrough = self.session, self.playthrough
        if session is None or playthrough is None:
            return
        if session.state == PLAYING and session.history and not (
                playthrough.written and playthrough.written[0] == COMPLETE):
            self.write_record()
        problem = self.autosave()
        if problem:
            self.notices.append(("Autosave", problem))

    def write_record(self) -> None:
        """Write the playthrough's record into the class's records folder, unless that very
        record (same status, same path) was written already."""
        folder = self.classroom.records
        if folder is None or not self.recording or self.playthrough is None:
            return
        playthrough = self.playthrough
        record = playthrough.record(self.session, self.classroom.name)
        written = fingerprint(record)
        if written == playthrough.written:
            return
        path = Path(folder) / self._record_name(record)
        try:
            write_record(path, record)
        except OSError as error:
            self.notices.append(("The record was not written",
                                 f"The record of this playthrough could not be written to "
                                 f"{path}: {error.strerror or error}. Play goes on; please "
                                 "tell your teacher."))
            return
        playthrough.written = written

    def _record_name(self, record: dict) -> str:
        """This playthrough's record file: the one it already has, unless that file holds an
        ending this playthrough did not write (a save from before it was loaded)."""
        playthrough = self.playthrough
        name = playthrough.record_name
        if name is not None and not (playthrough.written and playthrough.written[0] == COMPLETE):
            existing, _ = read_record(Path(self.classroom.records) / name)
            if existing is not None and existing.get("status") == COMPLETE:
                name = None
        if name is None:
            name = playthrough.record_name = record_file_name(record)
        return name

    def export_report(self) -> Path:
        """Write this playthrough's one-page HTML report; returns its path (raises OSError).

        It goes into the records folder when the class has one, else into `reports/` in the
        saves folder; exporting again replaces the same file."""
        from engine.classroom.playthrough_page import render_playthrough

        if self.playthrough is None:
            self.playthrough = Playthrough.begin(self.session)
        record = self.playthrough.record(self.session, self.classroom.name)
        if self.playthrough.record_name is None:
            self.playthrough.record_name = record_file_name(record)
        folder = Path(self.classroom.records) if self.classroom.records is not None \
            else saves_folder(self.saves) / "reports"
        path = folder / (Path(self.playthrough.record_name).stem + ".html")
        write_atomic(path, render_playthrough(record).encode("utf-8"))
        return path

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
            if self.classroom.allow_undo is not None:
                session.allow_undo = self.classroom.allow_undo
            self.session = session
            if self.playthrough is not None:
                self.playthrough.fit(len(session.history))
            problem = self.autosave()
            if problem:
                notes.append(problem)
        return notes

    def forget_session(self, story: Story) -> None:
        """Take a new version of the story without keeping the place in the old one."""
        self.leave()
        self.session = self.playthrough = None
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
        self._keep_playthrough(path)
        return f"Saved in {slot_title(slot)}."

    def autosave(self) -> str | None:
        if self.session is None or not self.autosaving:
            return None
        try:
            path = self.store.write(AUTOSAVE, self.session)
        except SaveError as problem:
            return f"The autosave failed: {problem}"
        self._keep_playthrough(path)
        return None

    def _keep_playthrough(self, save_path: Path) -> None:
        """Keep the playthrough's times and record name beside the save (best effort: without
        it, a continued game only loses the times of earlier choices)."""
        if self.playthrough is None:
            return
        with contextlib.suppress(OSError):
            write_sidecar(save_path, self.playthrough)

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
