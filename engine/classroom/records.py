"""Playthrough records (transcripts): build them, write them atomically, read them back safely.

A record is versioned JSON (documented in docs/records.md): the story played, the seed, every
choice with its response, effects, meters after and the seconds spent deciding, and how it ended.
It is self-contained, so a class report needs only the records, not the story.

In memory a record is a frozen `Record`, checked once when it is read: `read_record` returns it,
upgraded to the current version, or a one-line reason why the file cannot be used, so nothing
that reads a `Record` needs to doubt a field. Version 1 (the first terminal player's transcripts)
is read by filling in what version 2 added.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from engine.atomic import write_atomic
from engine.play.flow import Flow

if TYPE_CHECKING:  # records are read (for reports) without the runtime
    from engine.play.session import Session

FORMAT = "balance-of-power-transcript"
VERSION = 2
# Numbers beyond what JSON carries exactly between programs (RFC 8259, section 6: magnitudes up
# to 2**53 - 1) are damage, not meters or seconds; within it, every sum a report makes is finite.
LARGEST = 2**53 - 1
MAX_BYTES = 4 * 1024 * 1024  # no playthrough's record comes near: a long one is a few dozen KB
MAX_DEPTH = 8  # a record nests four levels deep (the record, its steps, a step, its meters)

Number = int | float


class Status(StrEnum):
    """How a playthrough stands: at an ending, left unfinished, or stuck on a story fault."""

    COMPLETE = "complete"
    ABANDONED = "abandoned"
    STUCK = "stuck"


class RecordError(ValueError):
    """A record that cannot be used; the message completes "the record ..." for the teacher."""


@dataclass(frozen=True, slots=True)
class RecordStory:
    """The story a record was played on: its id, and its title, path and content hash."""

    id: str
    title: str | None
    path: str | None
    hash: str | None


@dataclass(frozen=True, slots=True)
class Step:
    """One choice: where it was made, what it was, what it did, and how long it took."""

    scene: str
    scene_title: str | None
    choice: str
    text: str | None
    response: str | None
    outcome: int | None
    effects: Mapping[str, int]  # meter -> change
    feedback: tuple[str, ...]
    meters: Mapping[str, Number]  # every meter after the choice
    seconds: float | None  # time spent deciding; None when unknown

    def to_data(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "scene_title": self.scene_title,
            "choice": self.choice,
            "text": self.text,
            "response": self.response,
            "outcome": self.outcome,
            "effects": dict(self.effects),
            "feedback": list(self.feedback),
            "meters": dict(self.meters),
            "seconds": self.seconds,
        }


@dataclass(frozen=True, slots=True)
class Record:
    """One playthrough, as its record file holds it (the current version)."""

    story: RecordStory
    seed: int | None
    player: str | None
    classroom: str | None
    partner: Mapping[str, str] | None  # {"name", "pronouns"}, when the record has a good one
    started: str | None  # ISO 8601 times
    finished: str | None
    status: Status
    meter_labels: Mapping[str, str]
    response_labels: Mapping[str, str]
    start_meters: Mapping[str, Number] | None
    meter_ranges: Mapping[str, tuple[Number, Number]]
    steps: tuple[Step, ...]
    ending: str | None  # the ending scene's id, when complete
    ending_title: str | None
    ending_debrief: str | None
    ending_questions: tuple[str, ...]
    fault: str | None
    meters: Mapping[str, Number]  # every meter at the end

    @property
    def complete(self) -> bool:
        return self.status == Status.COMPLETE

    def to_data(self) -> dict[str, Any]:
        """The record as JSON-ready data, its keys in the documented order."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "story": {
                "title": self.story.title,
                "id": self.story.id,
                "path": self.story.path,
                "hash": self.story.hash,
            },
            "seed": self.seed,
            "player": self.player,
            "classroom": self.classroom,
            "partner": dict(self.partner) if self.partner is not None else None,
            "started": self.started,
            "finished": self.finished,
            "status": str(self.status),
            "complete": self.complete,
            "meter_labels": dict(self.meter_labels),
            "response_labels": dict(self.response_labels),
            "start_meters": dict(self.start_meters) if self.start_meters is not None else None,
            "meter_ranges": {name: list(bounds) for name, bounds in self.meter_ranges.items()},
            "steps": [step.to_data() for step in self.steps],
            "ending": self.ending,
            "ending_title": self.ending_title,
            "ending_debrief": self.ending_debrief,
            "ending_questions": list(self.ending_questions),
            "fault": self.fault,
            "meters": dict(self.meters),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Record:
        """A record from current-version data, every field checked; RecordError says what is
        wrong. Records come from students' machines and may be damaged in any way."""
        story = data.get("story")
        if not isinstance(story, dict) or not _is_text(story.get("id")) or not story["id"]:
            raise RecordError("does not name its story")
        if not all(_is_text(story.get(key), optional=True) for key in ("title", "hash", "path")):
            raise RecordError("has a damaged story name or hash")
        texts = {
            key: _text(data, key)
            for key in (
                "player",
                "classroom",
                "started",
                "finished",
                "ending",
                "ending_title",
                "ending_debrief",
                "fault",
            )
        }
        status = data.get("status")
        if status not in tuple(Status):
            raise RecordError("has an unknown status")
        status = Status(status)
        if status == Status.COMPLETE and not data.get("ending"):
            raise RecordError("is complete but names no ending")
        meters = _numbers(data.get("meters"), "has damaged final meters")
        start_meters = (
            None
            if data.get("start_meters") is None
            else _numbers(data["start_meters"], "has damaged starting meters")
        )
        meter_labels = _texts(data.get("meter_labels"), "has damaged meter labels")
        response_labels = _texts(data.get("response_labels"), "has damaged response labels")
        ranges = data.get("meter_ranges")
        if not isinstance(ranges, dict) or not all(_is_range(v) for v in ranges.values()):
            raise RecordError("has damaged meter ranges")
        questions = data.get("ending_questions")
        if not isinstance(questions, list) or not all(_is_text(q) for q in questions):
            raise RecordError("has damaged questions")
        steps = data.get("steps")
        if not isinstance(steps, list):
            raise RecordError("has no list of steps")
        return cls(
            story=RecordStory(
                story["id"], story.get("title"), story.get("path"), story.get("hash")
            ),
            seed=data.get("seed") if _is_integer(data.get("seed")) else None,
            partner=_partner(data.get("partner")),
            status=status,
            meter_labels=meter_labels,
            response_labels=response_labels,
            start_meters=start_meters,
            meter_ranges=MappingProxyType(
                {name: (low, high) for name, (low, high) in ranges.items()}
            ),
            steps=tuple(_step(step, number) for number, step in enumerate(steps, start=1)),
            ending_questions=tuple(questions),
            meters=meters,
            **texts,
        )


def _step(data: object, number: int) -> Step:
    """One step of a record; RecordError names the damaged part and the step's number."""

    def damaged(what: str) -> RecordError:
        return RecordError(f"has a damaged {what} in step {number}")

    if not isinstance(data, dict):
        raise damaged("entry")
    for key in ("scene", "choice"):
        if not _is_text(data.get(key)) or not data[key]:
            raise damaged(key)
    for key in ("scene_title", "text", "response"):
        if not _is_text(data.get(key), optional=True):
            raise damaged(key.replace("_", " "))
    outcome = data.get("outcome")
    if outcome is not None and not _is_integer(outcome):
        raise damaged("outcome")
    seconds = data.get("seconds")
    if seconds is not None and (not _is_number(seconds) or seconds < 0):
        raise damaged("time")
    effects = data.get("effects", {})
    if not _are_numbers(effects) or not all(isinstance(v, int) for v in effects.values()):
        raise damaged("effects")
    meters = data.get("meters", {})
    if not _are_numbers(meters):
        raise damaged("meters")
    feedback = data.get("feedback", [])
    if not isinstance(feedback, list) or not all(_is_text(f) for f in feedback):
        raise damaged("feedback")
    return Step(
        data["scene"],
        data.get("scene_title"),
        data["choice"],
        data.get("text"),
        data.get("response"),
        outcome,
        MappingProxyType(dict(effects)),
        tuple(feedback),
        MappingProxyType(dict(meters)),
        seconds,
    )


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if not _is_text(value, optional=True):
        raise RecordError(f"has a damaged {key.replace('_', ' ')}")
    return value


def _numbers(table: object, problem: str) -> Mapping[str, Number]:
    if not _are_numbers(table):
        raise RecordError(problem)
    return MappingProxyType(dict(table))


def _texts(table: object, problem: str) -> Mapping[str, str]:
    if not isinstance(table, dict) or not all(_is_text(v) for v in table.values()):
        raise RecordError(problem)
    return MappingProxyType(dict(table))


def _partner(data: object) -> Mapping[str, str] | None:
    if isinstance(data, dict) and _is_text(data.get("name")) and _is_text(data.get("pronouns")):
        return MappingProxyType({"name": data["name"], "pronouns": data["pronouns"]})
    return None


def _is_text(value: object, optional: bool = False) -> bool:
    return isinstance(value, str) or (optional and value is None)


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= LARGEST


def _is_number(value: object) -> bool:
    """A JSON number a report can use: checked as an integer first, since converting a huge
    integer to a float (as `math.isfinite` does) raises OverflowError."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= LARGEST
    return isinstance(value, float) and math.isfinite(value) and abs(value) <= LARGEST


def _are_numbers(table: object) -> bool:
    return isinstance(table, dict) and all(_is_number(v) for v in table.values())


def _is_range(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(_is_number(v) for v in value)
        and value[0] < value[1]
    )


# Building and writing --------------------------------------------------------------------------


def build_record(
    session: Session,
    seconds: Sequence[float | None],
    started: datetime,
    finished: datetime | None,
    player: str | None = None,
    classroom: str | None = None,
) -> Record:
    """The record of a session so far. `seconds[i]` is the time spent on the i-th choice (None
    when it is not known)."""
    story = session.story
    steps = []
    for index, turn in enumerate(session.history):
        scene = story.scenes.get(turn.scene)
        spent = seconds[index] if index < len(seconds) else None
        steps.append(
            Step(
                scene=turn.scene,
                scene_title=session.render(scene.title) if scene and scene.title else None,
                choice=turn.choice,
                text=turn.text,
                response=turn.response,
                outcome=turn.outcome,
                effects=MappingProxyType({change.meter: change.delta for change in turn.changes}),
                feedback=tuple(turn.feedback),
                meters=MappingProxyType(dict(turn.meters)),
                seconds=round(spent, 3) if spent is not None else None,
            )
        )
    ending = session.scene.ending if session.state == Flow.ENDED else None
    status = (
        Status.COMPLETE
        if ending
        else Status.STUCK
        if session.state == Flow.STUCK
        else Status.ABANDONED
    )
    return Record(
        story=RecordStory(
            story.id, story.title, story.source.path if story.source else None, story.content_hash
        ),
        seed=session.seed,
        player=player,
        classroom=classroom,
        partner=MappingProxyType(
            {"name": session.partner.name, "pronouns": session.partner.pronouns}
        ),
        started=started.isoformat(timespec="seconds"),
        finished=finished.isoformat(timespec="seconds") if finished else None,
        status=status,
        meter_labels=MappingProxyType({m.id: m.label for m in story.meters.values()}),
        response_labels=MappingProxyType(dict(story.responses)),
        start_meters=MappingProxyType(story.initial_meters()),
        meter_ranges=MappingProxyType(
            {m.id: (m.minimum, m.maximum) for m in story.meters.values()}
        ),
        steps=tuple(steps),
        ending=session.scene_id if ending else None,
        ending_title=session.render(ending.title) if ending else None,
        ending_debrief=session.render(ending.debrief) if ending and ending.debrief else None,
        ending_questions=tuple(session.render(q) for q in ending.questions) if ending else (),
        fault=session.fault,
        meters=MappingProxyType(dict(session.meters)),
    )


def write_record(path: str | Path, record: Record) -> None:
    """Write a record file atomically: whole or not at all."""
    data = json.dumps(record.to_data(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, data.encode("utf-8"))


def record_file_name(record: Record) -> str:
    """A name that sorts by time and never collides: story, start time, a random tag."""
    stamp = (record.started or "unknown").replace(":", "").replace("+0000", "Z")
    return f"{record.story.id}-{stamp}-{secrets.token_hex(3)}.json"


# Reading ---------------------------------------------------------------------------------------


def read_record(path: Path) -> tuple[Record | None, str | None]:
    """A record from a file, upgraded to the current version, or None and why not. Nothing in
    the file can make it raise: its size and nesting are bounded before any field is read."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        return None, f"cannot be read ({error.strerror or error})"
    if len(raw) > MAX_BYTES:
        return None, f"is larger than {MAX_BYTES // (1024 * 1024)} MB, more than any record"
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        return None, "is nested too deeply to be a record"
    except (UnicodeDecodeError, ValueError):
        return None, "is not valid JSON (damaged or cut off?)"
    if not _nests_within(data, MAX_DEPTH):
        return None, "is nested too deeply to be a record"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, "is not a playthrough record"
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        return None, "has no valid version number"
    if version > VERSION:
        return None, f"was made by a newer version of the game (record format {version})"
    if version == 1:
        data = upgrade_from_1(data)
    try:
        return Record.from_data(data), None
    except RecordError as problem:
        return None, str(problem)


def _nests_within(data: object, limit: int) -> bool:
    """Whether no list or map in `data` lies more than `limit` levels deep (walked without
    recursion, so any depth the JSON parser accepted is measured safely)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def upgrade_from_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 lacked status, labels, scene titles and the ending's debrief and questions.
    Only well-formed parts are upgraded; anything else is left for `Record.from_data` to refuse
    with its reason."""
    upgraded = dict(data)
    upgraded["version"] = 2
    complete = bool(data.get("complete"))
    upgraded["status"] = (
        Status.COMPLETE if complete else Status.STUCK if data.get("fault") else Status.ABANDONED
    )
    upgraded.setdefault("classroom", None)
    meters = data.get("meters") if isinstance(data.get("meters"), dict) else {}
    upgraded["meter_labels"] = {name: name.replace("_", " ").capitalize() for name in meters}
    steps = data.get("steps")
    steps = steps if isinstance(steps, list) else []
    responses = {
        step["response"]
        for step in steps
        if isinstance(step, dict) and isinstance(step.get("response"), str) and step["response"]
    }
    upgraded["response_labels"] = {r: r.replace("_", " ").capitalize() for r in sorted(responses)}
    upgraded["start_meters"] = None
    upgraded["meter_ranges"] = {name: [0, 100] for name in meters}
    if isinstance(data.get("steps"), list):
        upgraded["steps"] = [
            dict(step, scene_title=None) if isinstance(step, dict) else step for step in steps
        ]
    upgraded["ending_debrief"] = None
    upgraded["ending_questions"] = []
    return upgraded
