"""Balance of Power's engine: load a YAML story, check it, and play it.

The whole public API a game, a tool or a test needs:

    story = load_story("scenes/balance_of_power")     # raises StoryError with diagnostics
    session = Session(story, seed=7)
    session.paragraphs(), session.options, session.meters   # what to show
    turn = session.apply(Choose("argue"))               # feedback and meter changes
    session.apply(Undo())
    data = session.to_save(); Session.from_save(story, data)

Each name is imported when it is first used (PEP 562), so `import engine` costs nothing and a
front end that needs only part of the engine (the splash screen, a tool) loads only that part.
The packages beneath are described in docs/architecture.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "load_story": "engine.story.loader",
    "check_story": "engine.story.loader",
    "StoryError": "engine.story.loader",
    "Diagnostic": "engine.story.diagnostics",
    "Story": "engine.story.model",
    "Scene": "engine.story.model",
    "Choice": "engine.story.model",
    "Ending": "engine.story.model",
    "Meter": "engine.story.model",
    "Paragraph": "engine.story.text",
    "Partner": "engine.story.text",
    "Session": "engine.play.session",
    "Snapshot": "engine.play.snapshot",
    "Flow": "engine.play.flow",
    "SessionError": "engine.play.errors",
    "ChoiceNotOffered": "engine.play.errors",
    "Choose": "engine.play.actions",
    "Undo": "engine.play.actions",
    "Turn": "engine.play.turns",
    "Option": "engine.play.turns",
    "MeterChange": "engine.play.turns",
}

__all__ = [
    "Choice",
    "ChoiceNotOffered",
    "Choose",
    "Diagnostic",
    "Ending",
    "Flow",
    "Meter",
    "MeterChange",
    "Option",
    "Paragraph",
    "Partner",
    "Scene",
    "Session",
    "SessionError",
    "Snapshot",
    "Story",
    "StoryError",
    "Turn",
    "Undo",
    "check_story",
    "load_story",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next use finds it at once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # what editors and type checkers see
    from engine.play.actions import Choose, Undo
    from engine.play.errors import ChoiceNotOffered, SessionError
    from engine.play.flow import Flow
    from engine.play.session import Session
    from engine.play.snapshot import Snapshot
    from engine.play.turns import MeterChange, Option, Turn
    from engine.story.diagnostics import Diagnostic
    from engine.story.loader import StoryError, check_story, load_story
    from engine.story.model import Choice, Ending, Meter, Scene, Story
    from engine.story.text import Paragraph, Partner
