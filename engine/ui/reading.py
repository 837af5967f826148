"""Reading a story for the game (at the start, and at each reload), and what is wrong with a
story or classroom file as lines for the screen that shows them, one problem a line
(`path:line:col: error: message [CODE]`, errors first)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.classroom.settings import ClassroomError
from engine.story.diagnostics import ERROR, Diagnostic
from engine.story.loader import StoryError, load_story
from engine.story.model import Story


@dataclass(frozen=True)
class Problems:
    """Why the game cannot start: what could not be used, where, and each problem on a line."""

    what: str  # 'story' or 'classroom'
    path: str
    headlines: list[str]


def headlines(problem: StoryError | ClassroomError) -> list[str]:
    """Each problem on a line (`path:line:col: error: message [CODE]`), errors first."""
    found = sorted(
        problem.diagnostics, key=lambda d: not isinstance(d, Diagnostic) or d.severity != ERROR
    )
    return [d.headline() if isinstance(d, Diagnostic) else str(d) for d in found] or [str(problem)]


def count_problems(lines: list[str]) -> str:
    """'2 errors and 3 warnings', from headlines."""
    errors = sum(": error:" in line for line in lines)
    warnings = sum(": warning:" in line for line in lines)
    others = len(lines) - errors - warnings
    parts = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((errors, "error"), (warnings, "warning"), (others, "problem"))
        if n
    ]
    return (
        " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts) or "a problem"
    )


def read_story(story_path: str | Path) -> tuple[Story | None, list[str]]:
    """The story at a path, or None and its problems, one line each (file:line:col: ...)."""
    try:
        return load_story(story_path, cache=True), []
    except StoryError as problem:
        return None, headlines(problem)
    except OSError as problem:
        return None, [f"{story_path}: {problem.strerror or problem}"]
