"""Playthrough records (transcripts): build them, write them atomically, read them back safely.

A record is versioned JSON (documented in docs/records.md): the playthrough's random id, the
story played, the seed, every choice with its response, effects, meters after and the seconds
spent deciding, and how it ended (the ending's text, debrief and questions, and the story's
support text after an ending marked `support: true`). It is self-contained, so a class report
needs only the records, not the story. It never holds the partner's name a player typed: its
texts are filled in with the story's own name for the partner (the pronouns stay).

In memory a record is a frozen `Record`, checked once when it is read: `read_record` returns it,
upgraded to the current version, or a one-line reason why the file cannot be used, so nothing
that reads a `Record` needs to doubt a field. Versions 1 and 2 are read by filling in what later
versions added, step by step.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from engine.atomic import write_atomic
from engine.json_files import (
    DEPTH,
    NOT_A_FILE,
    SIZE,
    SYNTAX,
    DamagedJson,
    parse_json,
    read_limited,
)
from engine.play.flow import Flow
from engine.story.text import PRONOUN_SETS, Partner, paragraphs, render

if TYPE_CHECKING:  # records are read (for reports) without the runtime
    from engine.play.session import Session

FORMAT = "balance-of-power-transcript"
VERSION = 3
# Numbers beyond what JSON carries exactly between programs (RFC 8259, section 6: magnitudes up
# to 2**53 - 1) are damage, not meters or seconds; within it, every sum a report makes is finite.
LARGEST = 2**53 - 1
MAX_BYTES = 4 * 1024 * 1024  # no playthrough's record comes near: a long one is a few dozen KB
MAX_DEPTH = 8  # a record nests four levels deep (the record, its steps, a step, its meters)
# Why a file that is not readable JSON within those bounds is no record, by its kind of damage.
DAMAGE = {
    SIZE: f"is larger than {MAX_BYTES // (1024 * 1024)} MB, more than any record",
    DEPTH: "is nested too deeply to be a record",
    SYNTAX: "is not valid JSON (damaged or cut off?)",
    NOT_A_FILE: "is not a regular file (a device, a pipe or a socket)",
}

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")  # a playthrough's id (the game writes 32 hex)

Number = int | float


class Status(StrEnum):
    """How a playthrough stands: at an ending, still being played (or stopped without being
    left: the game was killed, or the computer lost power), left unfinished, or stuck on a
    story fault."""

    COMPLETE = "complete"
    IN_PROGRESS = "in_progress"
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

    id: str  # the playthrough's random id: copies of its record count once in a report
    story: RecordStory
    seed: int | None
    player: str | None
    classroom: str | None
    pronouns: str | None  # the partner's pronouns ('they', 'she', 'he'); never the name
    started: str | None  # ISO 8601 times
    finished: str | None  # None while in progress
    status: Status
    meter_labels: Mapping[str, str]
    response_labels: Mapping[str, str]
    start_meters: Mapping[str, Number] | None
    meter_ranges: Mapping[str, tuple[Number, Number]]
    steps: tuple[Step, ...]
    ending: str | None  # the ending scene's id, when complete
    ending_title: str | None
    ending_text: str | None  # the ending scene's text, paragraphs separated by a blank line
    ending_debrief: str | None
    ending_support: str | None  # the story's support text, after an ending marked support
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
            "id": self.id,
            "story": {
                "title": self.story.title,
                "id": self.story.id,
                "path": self.story.path,
                "hash": self.story.hash,
            },
            "seed": self.seed,
            "player": self.player,
            "classroom": self.classroom,
            "partner": {"pronouns": self.pronouns} if self.pronouns is not None else None,
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
            "ending_text": self.ending_text,
            "ending_debrief": self.ending_debrief,
            "ending_support": self.ending_support,
            "ending_questions": list(self.ending_questions),
            "fault": self.fault,
            "meters": dict(self.meters),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Record:
        """A record from current-version data, every field checked; RecordError says what is
        wrong. Records come from students' machines and may be damaged in any way."""
        record_id = data.get("id")
        if not _is_text(record_id) or not ID_PATTERN.match(record_id):
            raise RecordError("has no valid playthrough id")
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
                "ending_text",
                "ending_debrief",
                "ending_support",
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
            id=record_id,
            story=RecordStory(
                story["id"], story.get("title"), story.get("path"), story.get("hash")
            ),
            seed=data.get("seed") if _is_integer(data.get("seed")) else None,
            pronouns=_pronouns(data.get("partner")),
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


def _pronouns(partner: object) -> str | None:
    """The partner's pronouns, when the record has good ones (a damaged partner is harmless)."""
    if isinstance(partner, dict) and isinstance(partner.get("pronouns"), str):
        return partner["pronouns"] if partner["pronouns"] in PRONOUN_SETS else None
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


def new_record_id() -> str:
    """A playthrough's id: 128 random bits, so no two playthroughs share one."""
    return secrets.token_hex(16)


def _readable_path(path: str) -> str:
    """A path as text a record can hold: bytes of the file name that are not UTF-8 (surrogate
    escapes) become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def build_record(
    session: Session,
    seconds: Sequence[float | None],
    started: datetime,
    finished: datetime | None,
    player: str | None = None,
    classroom: str | None = None,
    *,
    record_id: str | None = None,
    in_progress: bool = False,
) -> Record:
    """The record of a session so far. `seconds[i]` is the time spent on the i-th choice (None
    when it is not known). An unfinished session is recorded as in progress (`in_progress`,
    with no finished time: play goes on) or as abandoned (it is being left).

    Every text is filled in again from the story with the story's own name for the partner and
    the player's pronouns, so the name a player typed never reaches the record."""
    story = session.story
    partner = Partner(story.partner.name, session.partner.pronouns)
    typed = session.partner.name

    def fill(text: str) -> str:
        return render(text, partner)

    steps = []
    for index, turn in enumerate(session.history):
        scene = story.scenes.get(turn.scene)
        spent = seconds[index] if index < len(seconds) else None
        text, feedback = _turn_texts(scene, turn, partner, typed)
        steps.append(
            Step(
                scene=turn.scene,
                scene_title=fill(scene.title) if scene and scene.title else None,
                choice=turn.choice,
                text=text,
                response=turn.response,
                outcome=turn.outcome,
                effects=MappingProxyType({change.meter: change.delta for change in turn.changes}),
                feedback=feedback,
                meters=MappingProxyType(dict(turn.meters)),
                seconds=round(spent, 3) if spent is not None else None,
            )
        )
    ending = session.scene.ending if session.state == Flow.ENDED else None
    if ending:
        status = Status.COMPLETE
    elif session.state == Flow.STUCK:
        status = Status.STUCK
    else:
        status = Status.IN_PROGRESS if in_progress else Status.ABANDONED
    support = ending is not None and ending.support and story.support
    return Record(
        id=record_id or new_record_id(),
        story=RecordStory(
            story.id,
            story.title,
            _readable_path(story.source.path) if story.source else None,
            story.content_hash,
        ),
        seed=session.seed,
        player=player,
        classroom=classroom,
        pronouns=partner.pronouns,
        started=started.isoformat(timespec="seconds"),
        finished=(
            finished.isoformat(timespec="seconds")
            if finished and status != Status.IN_PROGRESS
            else None
        ),
        status=status,
        meter_labels=MappingProxyType({m.id: m.label for m in story.meters.values()}),
        response_labels=MappingProxyType(dict(story.responses)),
        start_meters=MappingProxyType(session.start_meters),
        meter_ranges=MappingProxyType(
            {m.id: (m.minimum, m.maximum) for m in story.meters.values()}
        ),
        steps=tuple(steps),
        ending=session.scene_id if ending else None,
        ending_title=fill(ending.title) if ending else None,
        ending_text=_paragraphs_text(session.scene.text, partner) if ending else None,
        ending_debrief=fill(ending.debrief) if ending and ending.debrief else None,
        ending_support=_paragraphs_text(story.support, partner) if support else None,
        ending_questions=tuple(fill(q) for q in ending.questions) if ending else (),
        fault=session.fault,
        meters=MappingProxyType(dict(session.meters)),
    )


def _turn_texts(scene, turn, partner: Partner, typed: str) -> tuple[str, tuple[str, ...]]:
    """A turn's choice text and feedback, filled in again from the story with `partner`. When
    the story no longer has the choice (it was reloaded and changed), the turn's own texts are
    kept with the typed name taken out."""
    choice = next((c for c in scene.choices if c.id == turn.choice), None) if scene else None
    outcomes = choice.outcomes if choice else ()
    if choice is None or (turn.outcome is not None and not 0 <= turn.outcome < len(outcomes)):
        return (
            without_name(turn.text, typed, partner.name),
            tuple(without_name(text, typed, partner.name) for text in turn.feedback),
        )
    texts = [choice.feedback]
    if turn.outcome is not None:
        texts.append(outcomes[turn.outcome].feedback)
    return render(choice.text, partner), tuple(render(t, partner) for t in texts if t)


def _paragraphs_text(text: str, partner: Partner) -> str:
    """Story text as plain paragraphs (dialogue as 'Speaker: line'), a blank line between."""
    return "\n\n".join(
        f"{paragraph.speaker}: {paragraph.text}" if paragraph.speaker else paragraph.text
        for paragraph in paragraphs(text, partner)
    )


LOOK_BACK = 64  # characters looked back past for the start of a sentence


def without_name(text: str, name: str, instead: str = "your partner") -> str:
    """`text` with every whole-word `name` replaced (capitalised at the start of a sentence)."""
    if not name.strip() or name == instead or name not in text:
        return text

    def replacement(match: re.Match) -> str:
        # Look back past spaces and opening quotes, a bounded way (a text of millions of
        # characters must not be copied at every match).
        index, stop = match.start() - 1, max(-1, match.start() - 1 - LOOK_BACK)
        while index > stop and text[index] in " \"'“‘":
            index -= 1
        starts_sentence = index < 0 or (index > stop and text[index] in ".!?:")
        return instead[:1].upper() + instead[1:] if starts_sentence else instead

    return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", replacement, text)


def write_record(path: str | Path, record: Record) -> None:
    """Write a record file atomically: whole or not at all."""
    data = json.dumps(record.to_data(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, data.encode("utf-8"))


def record_file_name(record: Record) -> str:
    """A name that sorts by time and never collides: story, start time, a random tag."""
    return file_name(record.story.id, record.started)


def file_name(story_id: str, started: datetime | str | None) -> str:
    """A record's file name from its story's id and its start time (a datetime or ISO text)."""
    if isinstance(started, datetime):
        started = started.isoformat(timespec="seconds")
    stamp = (started or "unknown").replace(":", "").replace("+0000", "Z")
    return f"{story_id}-{stamp}-{secrets.token_hex(3)}.json"


# Reading ---------------------------------------------------------------------------------------


def read_record(path: Path) -> tuple[Record | None, str | None]:
    """A record from a file, upgraded to the current version, or None and why not. Nothing in
    the file can make it raise: its size and nesting are bounded before any field is read."""
    try:
        data = parse_json(read_limited(path, MAX_BYTES), MAX_DEPTH)
    except OSError as error:
        return None, f"cannot be read ({error.strerror or error})"
    except DamagedJson as damage:
        return None, DAMAGE[damage.kind]
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, "is not a playthrough record"
    version = data.get("version")
    if not _is_integer(version) or version < 1:
        return None, "has no valid version number"
    if version > VERSION:
        return None, f"was made by a newer version of the game (record format {version})"
    if version == 1:
        data = upgrade_from_1(data)
    if data["version"] == 2:
        data = upgrade_from_2(data)
    try:
        return Record.from_data(data), None
    except RecordError as problem:
        return None, str(problem)


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


OLD_TEXTS = ("ending_title", "ending_debrief")  # a version-2 record's texts besides its steps


def upgrade_from_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 had no playthrough id, kept the partner's name, and left out the ending's text
    and support text. The id becomes a digest of the record's content (so exact copies count
    once), and the name is taken out of the partner and of every text ('your partner')."""
    upgraded = dict(data)
    upgraded["version"] = 3
    content = json.dumps(data, sort_keys=True, ensure_ascii=True)
    upgraded["id"] = "v2-" + hashlib.sha256(content.encode("ascii")).hexdigest()[:32]
    partner = data.get("partner")
    name = partner.get("name") if isinstance(partner, dict) else None
    upgraded["partner"] = {"pronouns": _pronouns(partner)} if _pronouns(partner) else None
    if isinstance(name, str):
        for key in OLD_TEXTS:
            if isinstance(data.get(key), str):
                upgraded[key] = without_name(data[key], name)
        questions = data.get("ending_questions")
        if isinstance(questions, list):
            upgraded["ending_questions"] = [_scrubbed(q, name) for q in questions]
        steps = data.get("steps")
        if isinstance(steps, list):
            upgraded["steps"] = [_scrubbed_step(step, name) for step in steps]
    upgraded["ending_text"] = None
    upgraded["ending_support"] = None
    return upgraded


def _scrubbed(value: object, name: str) -> object:
    return without_name(value, name) if isinstance(value, str) else value


def _scrubbed_step(step: object, name: str) -> object:
    if not isinstance(step, dict):
        return step
    scrubbed = {key: _scrubbed(step.get(key), name) for key in ("scene_title", "text")}
    feedback = step.get("feedback")
    if isinstance(feedback, list):
        scrubbed["feedback"] = [_scrubbed(text, name) for text in feedback]
    return {**step, **{key: value for key, value in scrubbed.items() if key in step}}
