"""Transcripts: the record of one playthrough, as versioned JSON (documented in docs/records.md).

The session knows what happened; how long each decision took is wall-clock time, which only the
player around it can measure, so it is passed in. `build_transcript` is pure; `write_transcript`
writes the record atomically.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from engine.atomic import write_atomic
from engine.session import Session

FORMAT = "balance-of-power-transcript"
VERSION = 1


def build_transcript(session: Session, seconds: Sequence[float], started: datetime,
                     finished: datetime | None, player: str | None = None) -> dict:
    """The record of a session so far. `seconds[i]` is the time spent on the i-th choice."""
    story = session.story
    steps = []
    for index, turn in enumerate(session.history):
        steps.append({
            "scene": turn.scene,
            "choice": turn.choice,
            "text": turn.text,
            "response": turn.response,
            "outcome": turn.outcome,
            "effects": {change.meter: change.delta for change in turn.changes},
            "feedback": list(turn.feedback),
            "meters": dict(turn.meters),
            "seconds": round(seconds[index], 3) if index < len(seconds) else None,
        })
    ending = session.scene if session.ended else None
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
        "partner": {"name": session.partner.name, "pronouns": session.partner.pronouns},
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds") if finished else None,
        "complete": session.ended,
        "steps": steps,
        "ending": ending.id if ending else None,
        "ending_title": session.render(ending.ending.title) if ending and ending.ending else None,
        "fault": session.fault,
        "meters": dict(session.meters),
    }


def write_transcript(path: str | Path, record: dict) -> None:
    data = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, data.encode("utf-8"))
