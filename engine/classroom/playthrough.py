"""What the game keeps about the playthrough in progress for its record: when it started, who is
playing, the seconds spent on each decision, and which record file it is written to.

A decision's time runs from the moment its choices are shown (after the typewriter, or at once)
to the choice; a choice taken back with undo takes its time with it. The playthrough is kept
beside each save as `<slot>.playthrough.json`, so a game continued from a save (after going back
to the title, or another day) goes on with the same record file and its earlier times.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from engine.atomic import write_atomic
from engine.classroom.records import ID_PATTERN, Record, Status, build_record
from engine.json_files import MEBIBYTE, read_json
from engine.play.session import Session

FORMAT = "balance-of-power-playthrough"
PLAYER_LIMIT = 60  # characters in a player's name or code
VERSION = 1
MAX_SIDECAR_BYTES = MEBIBYTE  # a time per choice: tens of thousands of choices


@dataclass
class Playthrough:
    """The playthrough in progress, as its record needs it."""

    seed: int  # the session's seed: a saved playthrough is only used with its own session
    started: datetime
    player: str | None = None
    seconds: list[float | None] = field(default_factory=list)  # one per choice; None: unknown
    record_name: str | None = None  # the record's file name, once it has one
    record_id: str | None = None  # the id in that record (records.new_record_id), with the name
    written: tuple[str, str] | None = None  # (status, path fingerprint) of the last record
    shown_at: float | None = None  # when the current choices were shown (not saved)

    @classmethod
    def begin(cls, session: Session, player: str | None = None) -> Playthrough:
        """A playthrough starting now (choices already made have unknown times)."""
        return cls(session.seed, datetime.now(UTC), player, [None] * len(session.history))

    # Times -------------------------------------------------------------------------------------

    def choices_shown(self, now: float) -> None:
        """The choices are on screen: the decision's clock starts (once)."""
        if self.shown_at is None:
            self.shown_at = now

    def chose(self, now: float, turns: int) -> None:
        """A choice was made; `turns` is the number of choices now in the history."""
        self.fit(turns - 1)
        self.seconds.append(max(0.0, now - self.shown_at) if self.shown_at is not None else None)
        self.shown_at = None

    def fit(self, turns: int) -> None:
        """Keep one time per choice in the history: drop undone ones, mark unknown ones."""
        del self.seconds[turns:]
        self.seconds += [None] * (turns - len(self.seconds))

    def undone(self, turns: int) -> None:
        """A choice was taken back; `turns` is the number of choices left in the history."""
        self.fit(turns)
        self.shown_at = None

    # The record --------------------------------------------------------------------------------

    def record(self, session: Session, classroom: str | None, in_progress: bool = False) -> Record:
        """The record of the playthrough so far (`records.build_record`), unknown times null;
        unfinished, it is in progress or (when `in_progress` is false) abandoned."""
        self.fit(len(session.history))
        return build_record(
            session,
            self.seconds,
            self.started,
            datetime.now(UTC),
            self.player,
            classroom,
            record_id=self.record_id,
            in_progress=in_progress,
        )

    # Kept beside a save --------------------------------------------------------------------------

    def to_data(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "seed": self.seed,
            "started": self.started.isoformat(timespec="seconds"),
            "player": self.player,
            "seconds": self.seconds,
            "record": self.record_name,
            "record_id": self.record_id,
            "written": list(self.written) if self.written else None,
        }

    @classmethod
    def from_data(cls, data: object, session: Session) -> Playthrough | None:
        """The playthrough saved with a session, or None when the data is not one of its own."""
        try:
            if (
                data.get("format") != FORMAT
                or data.get("version") != VERSION
                or data.get("seed") != session.seed
            ):
                return None
            started = datetime.fromisoformat(data["started"])
            player = data.get("player")
            seconds = [_seconds(s) for s in data.get("seconds") or []]
            name = data.get("record")
            record_id = data.get("record_id")
            written = data.get("written")
            written = (str(written[0]), str(written[1])) if written else None
        except (AttributeError, KeyError, TypeError, ValueError, IndexError, OverflowError):
            return None
        if started.tzinfo is None:
            started = started.replace(tzinfo=UTC)
        if name is not None and (not isinstance(name, str) or Path(name).name != name):
            name = None  # only a bare file name, never a path elsewhere
        if not (isinstance(record_id, str) and ID_PATTERN.match(record_id)):
            record_id = None  # a record written before ids: the next write gives it one
        playthrough = cls(
            session.seed,
            started,
            _player(player),
            seconds,
            name,
            record_id,
            written,
        )
        playthrough.fit(len(session.history))
        return playthrough


def _seconds(value: object) -> float | None:
    """A saved time in seconds, or None when it is not a finite number of seconds."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except OverflowError:  # an integer too large for a float
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _player(value: object) -> str | None:
    """A saved name or code as the game would have taken it: text, printable, not too long (the
    file beside a save may have been edited or damaged)."""
    if not isinstance(value, str):
        return None
    return "".join(c for c in value if c.isprintable())[:PLAYER_LIMIT] or None


def fingerprint(record: Record) -> tuple[Status, str]:
    """What makes one record of a playthrough differ from another: its status, and the path
    (every choice and outcome, and the ending); not the times or the clock."""
    path = [[step.scene, step.choice, step.outcome] for step in record.steps]
    digest = hashlib.sha256(json.dumps([path, record.ending]).encode("utf-8"))
    return record.status, digest.hexdigest()[:16]


def sidecar_path(save_path: Path) -> Path:
    """Where the playthrough of the save at `save_path` is kept."""
    return save_path.with_name(save_path.stem + ".playthrough.json")


def write_sidecar(save_path: Path, playthrough: Playthrough) -> None:
    """Keep the playthrough beside its save (raises OSError)."""
    data = json.dumps(playthrough.to_data(), ensure_ascii=False) + "\n"
    write_atomic(sidecar_path(save_path), data.encode("utf-8"))


def read_sidecar(save_path: Path, session: Session) -> Playthrough | None:
    """The playthrough kept beside a save, or None when there is none of this session's."""
    try:
        data = read_json(sidecar_path(save_path), MAX_SIDECAR_BYTES)
    except (OSError, ValueError):  # none, unreadable, or damaged (DamagedJson)
        return None
    return Playthrough.from_data(data, session)
