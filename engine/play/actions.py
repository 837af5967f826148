"""Player input as plain data: the actions a front end hands to `Session.apply`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Choose:
    """Make the offered choice with this id."""

    choice_id: str


@dataclass(frozen=True, slots=True)
class Undo:
    """Take back the last choice."""


Action = Choose | Undo
