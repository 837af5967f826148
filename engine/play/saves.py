"""Save slots and the autosave: versioned JSON, written atomically, with a backup of each.

Saves live in `<saves folder>/<story id>/`: `autosave.json` and `slot-N.json` (or any slot name
of letters, digits, '-' and '_'), each with a `.bak` holding the save it replaced. The folder
comes from `--saves DIR`, else the `BOP_SAVES_DIR` environment variable, else `saves/` in the
project. A save holds the whole session (`Session.to_save`), so loading restores it exactly.

Reading never trusts the file: a damaged, foreign or newer save (one cut off, one larger than
`MAX_SAVE_BYTES`, one nested deeper than any save is) raises `SaveError` with a message for the
player, and no other file is touched. When a save is damaged but its backup is good, the backup
is offered instead, with a note saying so. A playthrough too long to fit in `MAX_SAVE_BYTES` is
not saved (`SaveError`), so that every save written can be read back.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from engine import paths
from engine.atomic import backup_path, write_atomic
from engine.json_files import MEBIBYTE, DamagedJson, describe_size, parse_json, read_limited
from engine.play.errors import SessionError
from engine.play.session import Session
from engine.story.model import Story

FORMAT = "balance-of-power-save"
VERSION = 2  # 2: the random generator may be saved as its count of draws (engine/play/snapshot.py)
AUTOSAVE = "autosave"
ENV_VAR = "BOP_SAVES_DIR"
DEFAULT_FOLDER = paths.SAVES
MAX_SAVE_BYTES = 4 * MEBIBYTE  # a save is written only if it can be read back

_SLOT = re.compile(r"[A-Za-z0-9_-]{1,40}\Z")


def _from_version_1(data: dict) -> dict:
    """Version 1 wrote the random generator's whole state, which version 2 still reads (and
    counts the draws of, to write it short next time): nothing to change."""
    return data


# Upgrades from each older version to the next: MIGRATIONS[n] turns version n data into n + 1.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _from_version_1}


class SaveError(Exception):
    """A save could not be written or read; the message is for the player."""


@dataclass(frozen=True, slots=True)
class SaveInfo:
    """What a load menu shows about one slot."""

    slot: str
    path: Path
    saved_at: str | None = None
    scene: str | None = None
    scene_title: str | None = None
    turns: int = 0
    meters: dict | None = None
    problem: str | None = None  # set when the file cannot be loaded


def saves_folder(override: str | Path | None = None) -> Path:
    if override:
        return Path(override)
    from_env = os.environ.get(ENV_VAR)
    return Path(from_env) if from_env else DEFAULT_FOLDER


def slot_name(slot: str | int) -> str:
    """`3` or '3' -> 'slot-3'; names are checked so they can never point outside the folder.
    Only the digits 0 to 9 make a slot number ('²' and '١' are refused, not read as numbers)."""
    text = str(slot)
    name = f"slot-{text}" if isinstance(slot, int) or _is_number(text) else text
    if not _SLOT.match(name):
        raise SaveError(
            f"{text[:40]!r} is not a save slot: give a slot number such as 2, or 'autosave' "
            "(a slot's name holds only the letters a-z and A-Z, the digits 0-9, '-' and '_')"
        )
    return name


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


class SaveStore:
    """The saves of one story."""

    def __init__(self, story: Story, folder: str | Path | None = None):
        self.story = story
        self.folder = saves_folder(folder) / story.id

    def path(self, slot: str | int) -> Path:
        return self.folder / f"{slot_name(slot)}.json"

    def write(self, slot: str | int, session: Session, *, now: datetime | None = None) -> Path:
        """Save the session in a slot, keeping the slot's previous save as its backup."""
        path = self.path(slot)
        data = encode_save(session, now or datetime.now(UTC))
        if len(data) > MAX_SAVE_BYTES:
            raise SaveError(
                f"could not save to {path}: the playthrough is too long to save (the save "
                f"would be larger than {describe_size(MAX_SAVE_BYTES)}, the most a save may be)"
            )
        try:
            write_atomic(path, data, backup=True)
        except OSError as error:
            raise SaveError(f"could not save to {path}: {error.strerror or error}") from None
        return path

    def read(self, slot: str | int) -> tuple[Session, list[str]]:
        """Load a slot. Falls back to its backup when the save itself is damaged."""
        path = self.path(slot)
        try:
            return load_save_file(path, self.story)
        except SaveError as problem:
            backup = backup_path(path)
            if not backup.is_file():
                raise
            try:
                session, notes = load_save_file(backup, self.story)
            except SaveError:
                raise problem from None
            said = str(problem).rstrip()
            said += "" if said.endswith((".", "!", "?")) else "."
            return session, [f"{said} The previous save was loaded instead.", *notes]

    def exists(self, slot: str | int) -> bool:
        return self.path(slot).is_file()

    def list(self) -> list[SaveInfo]:
        """Every slot in the folder, autosave first, then by name; damaged ones say why."""
        if not self.folder.is_dir():
            return []
        infos = [self.info(p.stem) for p in self.folder.glob("*.json") if _SLOT.match(p.stem)]
        return sorted(infos, key=lambda info: (info.slot != AUTOSAVE, _natural(info.slot)))

    def info(self, slot: str) -> SaveInfo:
        path = self.path(slot)
        try:
            data = read_save_data(path, self.story)
        except SaveError as problem:
            return SaveInfo(slot, path, problem=str(problem))
        summary = data.get("summary") or {}
        return SaveInfo(
            slot,
            path,
            data.get("saved_at"),
            summary.get("scene"),
            summary.get("scene_title"),
            summary.get("turns", 0),
            summary.get("meters"),
        )


def encode_save(session: Session, now: datetime) -> bytes:
    scene = session.scene
    record = {
        "format": FORMAT,
        "version": VERSION,
        "saved_at": now.isoformat(timespec="seconds"),
        "story": {
            "id": session.story.id,
            "title": session.story.title,
            "hash": session.story.content_hash,
        },
        "summary": {
            "scene": scene.id,
            "scene_title": session.render(scene.title) if scene.title else None,
            "turns": len(session.history),
            "meters": dict(session.meters),
            "state": session.state,
        },
        "session": session.to_save(),
    }
    return (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_save_data(path: Path, story: Story) -> dict:
    """Read and check a save file's envelope, migrating an older version; not the session."""
    name = path.name
    try:
        raw = read_limited(path, MAX_SAVE_BYTES)
        if not raw.strip():
            raise SaveError(f"the save {name} is empty (perhaps cut off while being written)")
        data = parse_json(raw)
    except FileNotFoundError:
        raise SaveError(f"there is no save {name}") from None
    except OSError as error:
        raise SaveError(f"the save {name} cannot be read: {error.strerror or error}") from None
    except DamagedJson as problem:
        raise SaveError(f"the save {name} is damaged: {problem}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError(f"{name} is not a save of this game")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise SaveError(f"the save {name} has no valid version number")
    if version > VERSION:
        raise SaveError(
            f"the save {name} was made by a newer version of the game (save format "
            f"{version}; this version reads up to {VERSION}): update the game"
        )
    while version < VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            raise SaveError(f"the save {name} is too old to read (format {version})")
        data = migrate(data)
        version = data["version"] = version + 1
    saved_story = data.get("story")
    if not isinstance(saved_story, dict) or saved_story.get("id") != story.id:
        other = saved_story.get("id") if isinstance(saved_story, dict) else None
        raise SaveError(f"the save {name} belongs to another story ({other!r}), not {story.id!r}")
    if not _envelope_ok(data):
        raise SaveError(f"the save {name} is damaged: its date or summary cannot be read")
    return data


def _envelope_ok(data: dict) -> bool:
    """The fields a load menu shows, checked (the session itself is checked on loading)."""
    summary = data.get("summary")
    if not isinstance(data.get("saved_at"), str) or not isinstance(summary, dict):
        return False
    turns, meters = summary.get("turns"), summary.get("meters")
    return (
        isinstance(summary.get("scene"), str)
        and isinstance(summary.get("scene_title"), str | None)
        and isinstance(turns, int)
        and not isinstance(turns, bool)
        and turns >= 0
        and isinstance(meters, dict)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in meters.values())
    )


def load_save_file(path: Path, story: Story) -> tuple[Session, list[str]]:
    data = read_save_data(path, story)
    try:
        return Session.from_save(story, data.get("session"))
    except SessionError as problem:
        raise SaveError(f"the save {path.name} cannot be loaded: {problem}") from None


def _natural(name: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))
