"""Playthrough records (transcripts): build them, write them atomically, read them back safely.

A record is versioned JSON (documented in docs/records.md): the story played, the seed, every
choice with its response, effects, meters after and the seconds spent deciding, and how it ended.
It is self-contained, so a class report needs only the records, not the story.

Reading never trusts a file: `read_record` returns the record, upgraded to the current version,
or a one-line reason why it cannot be used. Version 1 (the first terminal player's transcripts)
is read by filling in what version 2 added.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from engine.atomic import write_atomic
from engine.play.session import ENDED, STUCK, Session

FORMAT = "balance-of-power-transcript"
VERSION = 2

COMPLETE = "complete"
ABANDONED = "abandoned"
STUCK_STATUS = "stuck"


def build_record(session: Session, seconds: Sequence[float], started: datetime,
                 finished: datetime | None, player: str | None = None,
                 classroom: str | None = None) -> dict:
    """The record of a session so far. `seconds[i]` is the time spent on the i-th choice."""
    story = session.story
    steps = []
    for index, turn in enumerate(session.history):
        scene = story.scenes.get(turn.scene)
        steps.append({
            "scene": turn.scene,
            "scene_title": session.render(scene.title) if scene and scene.title else None,
            "choice": turn.choice,
            "text": turn.text,
            "response": turn.response,
            "outcome": turn.outcome,
            "effects": {change.meter: change.delta for change in turn.changes},
            "feedback": list(turn.feedback),
            "meters": dict(turn.meters),
            "seconds": round(seconds[index], 3) if index < len(seconds) else None,
        })
    ending = session.scene.ending if session.state == ENDED else None
    status = COMPLETE if ending else STUCK_STATUS if session.state == STUCK else ABANDONED
    return {
        "format": FORMAT,
        "version": VERSION,
        "story": {
            "title": story.title,
            "id": story.id,
            "path": story.source.path if story.source else None,
            "hash": story.content_hash,
        },
        "seed": session.seed,
        "player": player,
        "classroom": classroom,
        "partner": {"name": session.partner.name, "pronouns": session.partner.pronouns},
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds") if finished else None,
        "status": status,
        "complete": status == COMPLETE,
        "meter_labels": {meter.id: meter.label for meter in story.meters.values()},
        "response_labels": dict(story.responses),
        "start_meters": story.initial_meters(),
        "meter_ranges": {meter.id: [meter.minimum, meter.maximum]
                         for meter in story.meters.values()},
        "steps": steps,
        "ending": session.scene_id if ending else None,
        "ending_title": session.render(ending.title) if ending else None,
        "ending_debrief": session.render(ending.debrief) if ending and ending.debrief else None,
        "ending_questions": [session.render(q) for q in ending.questions] if ending else [],
        "fault": session.fault,
        "meters": dict(session.meters),
    }


def write_record(path: str | Path, record: dict) -> None:
    data = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, data.encode("utf-8"))


def record_file_name(record: dict) -> str:
    """A name that sorts by time and never collides: story, start time, a random tag."""
    stamp = (record.get("started") or "unknown").replace(":", "").replace("+0000", "Z")
    return f"{record['story']['id']}-{stamp}-{secrets.token_hex(3)}.json"


def read_record(path: Path) -> tuple[dict | None, str | None]:
    """A record from a file, upgraded to the current version, or None and why not."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, f"cannot be read ({error.strerror or error})"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, "is not valid JSON (damaged or cut off?)"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, "is not a playthrough record"
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        return None, "has no valid version number"
    if version > VERSION:
        return None, f"was made by a newer version of the game (record format {version})"
    if version == 1:
        data = upgrade_from_1(data)
    problem = _check(data)
    return (None, problem) if problem else (data, None)


def upgrade_from_1(data: dict) -> dict:
    """Version 1 lacked status, labels, scene titles and the ending's debrief and questions."""
    upgraded = dict(data)
    upgraded["version"] = 2
    complete = bool(data.get("complete"))
    upgraded["status"] = COMPLETE if complete else STUCK_STATUS if data.get("fault") else \
        ABANDONED
    upgraded.setdefault("classroom", None)
    meters = data.get("meters") if isinstance(data.get("meters"), dict) else {}
    upgraded["meter_labels"] = {name: name.replace("_", " ").capitalize() for name in meters}
    responses = {step.get("response") for step in data.get("steps") or []
                 if isinstance(step, dict) and step.get("response")}
    upgraded["response_labels"] = {r: r.replace("_", " ").capitalize() for r in sorted(responses)}
    upgraded["start_meters"] = None
    upgraded["meter_ranges"] = {name: [0, 100] for name in meters}
    upgraded["steps"] = [dict(step, scene_title=None) if isinstance(step, dict) else step
                         for step in data.get("steps") or []]
    upgraded["ending_debrief"] = None
    upgraded["ending_questions"] = []
    return upgraded


def _check(data: dict) -> str | None:
    """Check every field a report or a playthrough page reads; a one-line reason when one is
    wrong. Records come from students' machines and may be damaged in any way."""
    story = data.get("story")
    if not isinstance(story, dict) or not _text(story.get("id")) or not story["id"]:
        return "does not name its story"
    if not all(_text(story.get(key), optional=True) for key in ("title", "hash", "path")):
        return "has a damaged story name or hash"
    for key in ("player", "classroom", "started", "finished", "ending", "ending_title",
                "ending_debrief", "fault"):
        if not _text(data.get(key), optional=True):
            return f"has a damaged {key.replace('_', ' ')}"
    if data.get("status") not in (COMPLETE, ABANDONED, STUCK_STATUS):
        return "has an unknown status"
    if data["status"] == COMPLETE and not data.get("ending"):
        return "is complete but names no ending"
    if not _numbers(data.get("meters")):
        return "has damaged final meters"
    if data.get("start_meters") is not None and not _numbers(data["start_meters"]):
        return "has damaged starting meters"
    for key in ("meter_labels", "response_labels"):
        table = data.get(key)
        if not isinstance(table, dict) or not all(_text(v) for v in table.values()):
            return f"has damaged {key.replace('_', ' ')}"
    ranges = data.get("meter_ranges")
    if not isinstance(ranges, dict) or not all(_range(v) for v in ranges.values()):
        return "has damaged meter ranges"
    questions = data.get("ending_questions")
    if not isinstance(questions, list) or not all(_text(q) for q in questions):
        return "has damaged questions"
    steps = data.get("steps")
    if not isinstance(steps, list):
        return "has no list of steps"
    for number, step in enumerate(steps, start=1):
        problem = _check_step(step)
        if problem:
            return f"has a damaged {problem} in step {number}"
    return None


def _check_step(step: object) -> str | None:
    if not isinstance(step, dict):
        return "entry"
    for key in ("scene", "choice"):
        if not _text(step.get(key)) or not step[key]:
            return key
    for key in ("scene_title", "text", "response"):
        if not _text(step.get(key), optional=True):
            return key.replace("_", " ")
    outcome = step.get("outcome")
    if outcome is not None and (not isinstance(outcome, int) or isinstance(outcome, bool)):
        return "outcome"
    seconds = step.get("seconds")
    if seconds is not None and (not _number(seconds) or seconds < 0):
        return "time"
    effects = step.get("effects", {})
    if not _numbers(effects) or not all(isinstance(v, int) for v in effects.values()):
        return "effects"
    if not _numbers(step.get("meters", {})):
        return "meters"
    feedback = step.get("feedback", [])
    if not isinstance(feedback, list) or not all(_text(f) for f in feedback):
        return "feedback"
    return None


def _text(value: object, optional: bool = False) -> bool:
    return isinstance(value, str) or (optional and value is None)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        math.isfinite(value) and abs(value) < 1e15


def _numbers(table: object) -> bool:
    return isinstance(table, dict) and all(_number(v) for v in table.values())


def _range(value: object) -> bool:
    return (isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)
            and value[0] < value[1])
