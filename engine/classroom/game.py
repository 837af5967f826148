"""The game as a class plays it: a `Game` under the classroom's rules that also keeps the
playthrough's record.

A classroom (`engine.classroom.settings`) may turn undo off, hide the meters until the ending,
ask for the player's name or code, and name a records folder: then every playthrough's record is
written there, atomically, to one file per playthrough, after every choice (and every undo) as
"in progress", so a game that is killed or loses power still leaves its record; at an ending as
"complete"; and as "abandoned" when it is left unfinished (quit, back to the title, a new game or
another save loaded). A record of a reached ending is only ever replaced by another ending. The
times, the record's name and its id are kept beside each save, so a game continued later goes on
with the same record.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from engine.atomic import write_atomic
from engine.classroom.playthrough import (
    PLAYER_LIMIT,
    Playthrough,
    fingerprint,
    read_sidecar,
    write_sidecar,
)
from engine.classroom.records import (
    Record,
    Status,
    file_name,
    new_record_id,
    read_record,
    write_record,
)
from engine.classroom.settings import Classroom
from engine.play.flow import Flow
from engine.play.game import Game
from engine.play.saves import saves_folder
from engine.play.session import Session
from engine.story.model import Story


class ClassroomGame(Game):
    """One story and its current playthrough, played under a classroom's settings."""

    def __init__(
        self,
        story: Story,
        saves_folder: str | Path | None = None,
        seed: int | None = None,
        classroom: Classroom | None = None,
        player: str | None = None,
        story_path: str | Path | None = None,
    ):
        self.classroom = classroom or Classroom()
        super().__init__(story, saves_folder, seed, self.classroom.rules(), story_path)
        self.fixed_player = player[:PLAYER_LIMIT] if player else None  # --player
        self.next_player: str | None = None  # typed before a new game, for its record
        self.playthrough: Playthrough | None = None
        self.recording = True  # off for screenshots: no records either
        self.record_failed = False  # the last write failed (and the player was told)
        self.now: Callable[[], float] = time.monotonic

    # The player --------------------------------------------------------------------------------

    @property
    def asks_player(self) -> bool:
        """Whether a new game asks for the player's name or code."""
        return self.classroom.ask_player != "none" and self.fixed_player is None

    @property
    def needs_player(self) -> bool:
        """A continued game whose player is not known yet, in a class that asks."""
        return self.asks_player and self.playthrough is not None and not self.playthrough.player

    @property
    def undo_off_for_class(self) -> bool:
        return self.undo_ruled_out

    def set_player(self, player: str) -> None:
        """The name or code typed for the playthrough in progress (a continued game)."""
        if self.playthrough is not None:
            self.playthrough.player = player[:PLAYER_LIMIT]
            self.autosave()

    def _follow(self, playthrough: Playthrough) -> None:
        if self.fixed_player:
            playthrough.player = self.fixed_player
        self.playthrough = playthrough

    # Following the play --------------------------------------------------------------------------

    def on_started(self, session: Session) -> None:
        self._follow(Playthrough.begin(session, self.next_player))
        self.next_player = None

    def on_loaded(self, session: Session, save_path: Path) -> None:
        self._follow(read_sidecar(save_path, session) or Playthrough.begin(session))

    def on_choices_shown(self, session: Session) -> None:
        if self.playthrough is not None:
            self.playthrough.choices_shown(self.now())

    def on_chose(self, session: Session) -> None:
        if self.playthrough is not None:
            self.playthrough.chose(self.now(), len(session.history))
        self.write_record(in_progress=session.state == Flow.PLAYING)

    def on_undone(self, session: Session) -> None:
        if self.playthrough is not None:
            self.playthrough.undone(len(session.history))
            if self.playthrough.written is not None:  # its record now has a choice too many
                self.write_record(in_progress=True)

    def on_leaving(self, session: Session) -> None:
        """Write the record as abandoned when the playthrough is unfinished and has a choice in
        it or a record already."""
        playthrough = self.playthrough
        if playthrough is None:
            return
        if session.state == Flow.PLAYING and (session.history or playthrough.written):
            self.write_record()

    def on_reloaded(self, session: Session) -> None:
        if self.playthrough is not None:
            self.playthrough.fit(len(session.history))

    def on_forgotten(self) -> None:
        self.playthrough = None

    def on_saved(self, save_path: Path) -> None:
        """Keep the playthrough's times and record name beside the save (best effort: without
        it, a continued game only loses the times of earlier choices)."""
        if self.playthrough is None:
            return
        with contextlib.suppress(OSError):
            write_sidecar(save_path, self.playthrough)

    # Records -----------------------------------------------------------------------------------

    def record(self, in_progress: bool = False) -> Record:
        """The record of the playthrough in progress, as it stands."""
        if self.playthrough is None:
            self.playthrough = Playthrough.begin(self.session)
        if self.playthrough.record_id is None:
            self.playthrough.record_id = new_record_id()
        return self.playthrough.record(self.session, self.classroom.name, in_progress)

    def write_record(self, in_progress: bool = False) -> None:
        """Write the playthrough's record into the class's records folder (in progress, or
        abandoned when unfinished), unless that very record (same status, same path) was
        written already, or the playthrough's ending was and this record has none."""
        folder = self.classroom.records
        if folder is None or not self.recording or self.playthrough is None:
            return
        playthrough = self.playthrough
        self._claim_record_file()
        record = playthrough.record(self.session, self.classroom.name, in_progress)
        written = fingerprint(record)
        if written == playthrough.written or (
            playthrough.written
            and playthrough.written[0] == Status.COMPLETE
            and record.status != Status.COMPLETE
        ):
            return
        path = Path(folder) / playthrough.record_name
        try:
            write_record(path, record)
        except OSError as error:
            if not self.record_failed:  # said once, not after every choice
                self.notices.append(
                    (
                        "The record was not written",
                        f"The record of this playthrough could not be written to "
                        f"{path}: {error.strerror or error}. Play goes on; please "
                        "tell your teacher.",
                    )
                )
            self.record_failed = True
            return
        self.record_failed = False
        playthrough.written = written

    def _claim_record_file(self) -> None:
        """Give the playthrough its record file and id: the ones it has, unless that file holds
        an ending this playthrough did not write (a save from before it was loaded); then a new
        file and a new id, since the two are different playthroughs from there on."""
        playthrough = self.playthrough
        name = playthrough.record_name
        if name is not None and not (
            playthrough.written and playthrough.written[0] == Status.COMPLETE
        ):
            existing, _ = read_record(Path(self.classroom.records) / name)
            if existing is not None and existing.complete:
                name = None
        if name is None:
            playthrough.record_name = file_name(self.story.id, playthrough.started)
            playthrough.record_id = new_record_id()
        elif playthrough.record_id is None:
            playthrough.record_id = new_record_id()

    def export_report(self) -> Path:
        """Write this playthrough's one-page HTML report; returns its path (raises OSError).

        It goes into the records folder when the class has one, else into `reports/` in the
        saves folder; exporting again replaces the same file."""
        # Imported here: the page's templates (and Jinja2) load when a page is exported, not
        # each time the game starts.
        from engine.classroom.playthrough_page import render_playthrough

        record = self.record()
        if self.playthrough.record_name is None:
            self.playthrough.record_name = file_name(self.story.id, self.playthrough.started)
        folder = (
            Path(self.classroom.records)
            if self.classroom.records is not None
            else saves_folder(self.saves) / "reports"
        )
        path = folder / (Path(self.playthrough.record_name).stem + ".html")
        write_atomic(path, render_playthrough(record).encode("utf-8"))
        return path
