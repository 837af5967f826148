"""What the class server's pages show, as plain data for the templates, and the templates'
environment (Jinja2, autoescaped: nothing a student, a teacher or a story writes is ever put
in a page unescaped)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from engine import templating
from engine.classroom.playthrough_page import meter_chart
from engine.classroom.records import Record, build_record
from engine.classroom.settings import Classroom
from engine.play.session import Session
from engine.play.turns import Turn
from engine.story.model import Story
from engine.story.text import markup_blocks

TEMPLATES = Path(__file__).parent / "templates"
PREFERENCES = frozenset({"contrast", "large"})
BACK_PAGES = frozenset({"/", "/play", "/help"})

ERRORS = {
    400: "That request could not be used",
    403: "This page is not open to you",
    404: "There is no such page",
    405: "That is not how this page is used",
    408: "That took too long to arrive",
    413: "That was too much to send",
    429: "Too many tries",
    500: "Something went wrong on the server",
}


def environment() -> jinja2.Environment:
    """The server's templates (engine/templating.py: every value escaped)."""
    pages = templating.environment(TEMPLATES)
    pages.auto_reload = False  # the templates are part of the installed game: no stat per page
    pages.filters["percent"] = percent
    return pages


def render(name: str, **context) -> str:
    return templating.render(environment(), name, **context)


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def error_message(status: int, detail: str | None) -> tuple[str, str | None]:
    title = ERRORS.get(status, "That did not work")
    if status == 413:
        detail = "The form sent was larger than any page of the game sends (16 KB at most)."
    if detail and detail.endswith(("Not Found", "Method Not Allowed")):
        detail = None
    if detail:
        detail = detail[:1].upper() + detail[1:]
        if not detail.endswith((".", "?", "!", ")")):
            detail += "."
    return title, detail


@dataclass(frozen=True, slots=True)
class MeterView:
    id: str
    label: str
    value: int
    minimum: int
    maximum: int
    change: int  # in the last turn
    description: str | None


def meters(session: Session, turn: Turn | None) -> list[MeterView]:
    changes = {change.meter: change.delta for change in turn.changes} if turn else {}
    return [
        MeterView(
            meter.id,
            session.render(meter.label),
            session.meters[meter.id],
            meter.minimum,
            meter.maximum,
            changes.get(meter.id, 0),
            session.render(meter.description) if getattr(meter, "description", None) else None,
        )
        for meter in session.story.meters.values()
    ]


def last_turn(session: Session) -> Turn | None:
    return session.history[-1] if session.history else None


def turn_context(session: Session, turn: Turn | None) -> dict:
    """The last choice and what it did, for the top of the next page."""
    if turn is None:
        return {"turn": None, "turn_response": None}
    labels = session.story.responses
    return {
        "turn": turn,
        "turn_response": labels.get(turn.response, turn.response) if turn.response else None,
    }


def picture(session: Session) -> dict | None:
    """The scene's picture for an `<img>`: the address that serves it (`Server.picture`, by
    the scene's id), its alternative text with the student's partner, and its size."""
    image = session.scene.image
    if image is None:
        return None
    return {
        "src": f"/picture/{session.scene_id}",
        "alt": " ".join(session.render(image.alt).split()),
        "width": image.width,
        "height": image.height,
    }


def scene_context(session: Session, classroom: Classroom) -> dict:
    turn = last_turn(session)
    scene = session.scene
    labels = session.story.responses
    return {
        "title": session.render(scene.title) if scene.title else None,
        "image": picture(session),
        "paragraphs": session.paragraphs(),
        "options": [
            {
                "number": option.number,
                "text": session.render(option.choice.text),
                "response": labels.get(option.choice.response, option.choice.response)
                if option.choice.response
                else None,
                "id": option.choice.id,
                "locked": session.render(option.choice.locked)
                if option.number is None and option.choice.locked
                else None,
            }
            for option in session.options
        ],
        "meters": meters(session, turn),
        "show_meters": classroom.rules().show_meters,
        "can_undo": session.can_undo,
        "stuck": session.fault,
        **turn_context(session, turn),
    }


def ending_context(session: Session, classroom: Classroom) -> dict:
    """The ending page: its text and debrief with the student's own partner, the path, the
    chart (from the playthrough's record, so it matches the printed page), the questions."""
    ending = session.ending
    story = session.story
    now = datetime.now(UTC)
    record: Record = build_record(session, [], now, now)
    counts = session.response_counts()
    decisions = session.decisions()
    return {
        "ending_title": session.render(ending.title),
        "image": picture(session),
        "paragraphs": session.paragraphs(),
        "debrief": session.render(ending.debrief) if ending.debrief else None,
        "questions": [session.render(q) for q in ending.questions],
        "support": support_blocks(story) if ending.support and story.support else None,
        "path": [
            (story.responses.get(r, r) if r else "No response named", n, decisions.get(r, []))
            for r, n in counts.items()
        ],
        "turns": len(session.history),
        "chart": meter_chart(record),  # escaped by its own template
        "chart_rows": chart_rows(record),
        "meters": meters(session, None),
        **turn_context(session, last_turn(session)),
    }


def chart_rows(record: Record) -> dict:
    """The chart's values as a table, its text alternative: one row per meter."""
    labels = record.meter_labels
    start = record.start_meters or {}
    rows = []
    for name, label in labels.items():
        values = [start.get(name)] + [step.meters.get(name) for step in record.steps]
        rows.append((label, [v for v in values if v is not None]))
    return {"columns": len(record.steps) + 1, "rows": rows}


_MARKER = re.compile(r"(?:[-*]|\d+[.)])\s+")


def support_blocks(story: Story) -> list[tuple[str, object]]:
    """The story's 'where to get help' text as ("heading", text), ("paragraph", text) and
    ("list", [items]), list items run together into one list."""
    blocks: list[tuple[str, object]] = []
    for block in markup_blocks(story.support) if story.support else []:
        if block.kind == "item":
            item = _MARKER.sub("", block.text, count=1)
            if blocks and blocks[-1][0] == "list":
                blocks[-1][1].append(item)
            else:
                blocks.append(("list", [item]))
        else:
            blocks.append(("heading" if block.kind == "heading" else "paragraph", block.text))
    return blocks


def record_json(record: Record) -> str:
    return json.dumps(record.to_data(), ensure_ascii=False, indent=2) + "\n"


# The printable playthrough is the desktop game's self-contained page, with its stylesheet
# inside it: it may style itself, and nothing else (no scripts, no requests).
PRINTABLE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
