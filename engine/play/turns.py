"""What a session shows and returns: the choices on offer (`Option`), and what one choice did
(`Turn`, with a `MeterChange` for each meter it moved). Plain, immutable data: turns go into the
history, saves, transcripts and records.

They are named tuples rather than frozen dataclasses: as immutable, and cheaper to create, which
the playtester's many thousands of choices a second need (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from engine.story.model import Choice


class MeterChange(NamedTuple):
    """A meter's value before and after a turn."""

    meter: str
    old: int
    new: int

    @property
    def delta(self) -> int:
        return self.new - self.old


class Turn(NamedTuple):
    """What one choice did. Plain data: it goes into history, saves and transcripts."""

    scene: str  # the scene the choice was made in
    choice: str  # the choice's id
    text: str  # the choice as the player saw it
    response: str | None
    outcome: int | None  # the index of the outcome drawn, when the choice had outcomes
    feedback: tuple[str, ...]
    changes: tuple[MeterChange, ...]
    flags: tuple[tuple[str, bool], ...]
    path: tuple[str, ...]  # every scene entered, routers included; the last is where play is now
    meters: Mapping[str, int]  # every meter after the turn
    fault: str | None = None  # set when the turn left the story stuck

    def to_data(self) -> dict[str, Any]:
        return {
            "scene": self.scene,
            "choice": self.choice,
            "text": self.text,
            "response": self.response,
            "outcome": self.outcome,
            "feedback": list(self.feedback),
            "changes": [[c.meter, c.old, c.new] for c in self.changes],
            "flags": [[name, value] for name, value in self.flags],
            "path": list(self.path),
            "meters": dict(self.meters),
            "fault": self.fault,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Turn:
        """A turn from saved data; TypeError or ValueError when a field has the wrong kind of
        value (a damaged save: what reads it turns that into a SessionError)."""
        return cls(
            scene=str(data["scene"]),
            choice=str(data["choice"]),
            text=str(data["text"]),
            response=_optional(data.get("response"), str, "response"),
            outcome=_optional(data.get("outcome"), int, "outcome"),
            feedback=tuple(str(f) for f in data.get("feedback", ())),
            changes=tuple(MeterChange(str(m), int(o), int(n)) for m, o, n in data["changes"]),
            flags=tuple((str(name), bool(value)) for name, value in data.get("flags", ())),
            path=tuple(str(p) for p in data["path"]),
            meters={str(k): int(v) for k, v in data["meters"].items()},
            fault=_optional(data.get("fault"), str, "fault"),
        )


def _optional(value: object, kind: type, what: str) -> Any:
    """`value` when it is None or of `kind` (a bool is not a whole number here), else TypeError."""
    if value is None or (isinstance(value, kind) and not isinstance(value, bool)):
        return value
    raise TypeError(f"the turn's {what} is {type(value).__name__}, not {kind.__name__}")


class Option(NamedTuple):
    """A choice as the player sees it now: offered (with its number) or locked (with a reason)."""

    choice: Choice
    number: int | None  # 1-based among the offered choices; None when locked

    @property
    def id(self) -> str:
        return self.choice.id

    @property
    def text(self) -> str:
        return self.choice.text

    @property
    def offered(self) -> bool:
        return self.number is not None

    @property
    def locked_reason(self) -> str | None:
        return None if self.offered else self.choice.locked
