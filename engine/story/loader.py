"""The story loader: YAML files in, a validated `Story` (or every problem found) out.

    story, diagnostics = check_story(path)      # the story (None if it has errors) and problems
    story = load_story(path)                    # the story, or StoryError with every diagnostic
    story, diagnostics = build_story(files)     # the same from files already in memory

Two passes over the composed YAML nodes, which keep their source marks:

1. `outline`: read each file's head and index every scene by id, noting where it is defined;
2. `scenes`: build each scene with every reference checked against that index (`references`),
   then `checks`: the start, reachability from it, and how the declarations are used.

Every problem becomes a `Diagnostic`; loading goes on after a problem so an author sees them all at
once. With `cache=True`, a story that validated before is read from the compiled cache
(`engine.story.cache`) instead, with the same diagnostics.
"""

from __future__ import annotations

from pathlib import Path

from engine.story import cache as compiled_cache
from engine.story import model
from engine.story.checks import check_reachable, check_start, check_usage, read_invariants
from engine.story.collector import gc_paused
from engine.story.diagnostics import Diagnostic, has_errors, sort_key
from engine.story.files import StoryFiles, read_story_files
from engine.story.outline import Outline, read_outline
from engine.story.references import References
from engine.story.scenes import build_scenes

__all__ = [
    "StoryError",
    "StoryFiles",
    "build_story",
    "check_story",
    "load_story",
    "read_story_files",
]


class StoryError(Exception):
    """A story could not be loaded; `diagnostics` says every reason, with places."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.is_error]
        first = errors[0].headline() if errors else "the story could not be loaded"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


def load_story(path: str | Path, cache: bool = False) -> model.Story:
    """Load a story, raising `StoryError` (with every diagnostic) if it has errors."""
    story, diagnostics = check_story(path, cache=cache)
    if story is None:
        raise StoryError(diagnostics)
    return story


def check_story(
    path: str | Path, cache: bool = False
) -> tuple[model.Story | None, list[Diagnostic]]:
    """Load and validate a story from disk: the story (None when it has errors) and every
    problem, sorted by place. With `cache`, read the compiled cache, and write it after a
    load without errors."""
    files = read_story_files(path)
    if not cache or files.problems:
        return build_story(files)
    entry = compiled_cache.entry_path(files)
    cached = compiled_cache.read_entry(entry, files)
    if cached is not None:
        return cached
    story, diagnostics = build_story(files)
    if story is not None:
        compiled_cache.write_entry(entry, story, diagnostics)
    return story, diagnostics


def build_story(files: StoryFiles) -> tuple[model.Story | None, list[Diagnostic]]:
    """Validate and build a story from its files (read from disk or made in memory)."""
    if files.problems:
        return None, list(files.problems)
    diagnostics: list[Diagnostic] = []
    with gc_paused():  # the YAML nodes are freed when _compile returns, before the collector wakes
        story = _compile(files, diagnostics)
    diagnostics.sort(key=sort_key)
    return (None if has_errors(diagnostics) else story), diagnostics


def _compile(files: StoryFiles, diagnostics: list[Diagnostic]) -> model.Story | None:
    """Both passes and the whole-story checks; the story, unless there are errors."""
    outline = read_outline(files, diagnostics)
    head = outline.head
    if head is None or not head.fields:
        return None
    references = References(head, outline.index.entries, outline.unreadable)
    scenes = build_scenes(outline.index, references, story_folder(files.path))
    start = check_start(head, references)
    head.values["invariants"] = read_invariants(head, references)
    # A file that could not be read hides its scenes and their links: what they would reach
    # is unknown, so warning that scenes are never reached would only add noise to its errors.
    if start is not None and start in scenes and not outline.unreadable:
        check_reachable(start, scenes, outline.index)
    if not has_errors(diagnostics):  # usage is only meaningful in a complete story
        check_usage(head, references.usage)
    if has_errors(diagnostics) or start is None:
        return None
    return _story(files, outline, start, scenes)


def story_folder(path: str) -> str:
    """The folder a story's pictures are in: the story's folder, or the folder holding a story
    in one file."""
    return path if Path(path).is_dir() else str(Path(path).parent)


def _story(
    files: StoryFiles, outline: Outline, start: str, scenes: dict[str, model.Scene]
) -> model.Story:
    head = outline.head
    return model.Story(
        start=start,
        scenes=model.frozen_map(scenes),
        meters=model.frozen_map(head.meters),
        responses=model.frozen_map(head.responses),
        flags=model.frozen_map(head.flags),
        moods=model.frozen_map(head.moods),
        **head.values,
        source=model.StorySource(
            files.path, tuple(name for name, _ in files.files), files.content_hash()
        ),
    )
