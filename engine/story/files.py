"""Finding and reading a story's files: one YAML file, or a folder holding a story.yaml (the head)
and any number of other .yaml files of scenes. Each file is read once, as bytes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from engine.story.diagnostics import ERROR, Diagnostic

HEAD_FILE = "story.yaml"
STORY_SUFFIX = ".yaml"


@dataclass(slots=True)
class StoryFiles:
    """The files that make up a story, read once: the head file first."""

    path: str
    story_id: str
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (display path, content)
    problems: list[Diagnostic] = field(default_factory=list)
    _hash: str | None = field(default=None, repr=False, compare=False)

    def content_hash(self) -> str:
        """A hash of every file's display path and content, in order (worked out once: the
        cache's key and its check of an entry both need it)."""
        if self._hash is None:
            digest = hashlib.sha256()
            for display, data in self.files:
                digest.update(display.encode("utf-8") + b"\0" + data + b"\0")
            self._hash = digest.hexdigest()
        return self._hash


def read_story_files(path: str | Path) -> StoryFiles:
    """Find and read a story's files: one YAML file, or a folder with a story.yaml. A file that
    cannot be read becomes an E017 problem, never an exception."""
    root = Path(path)
    display_root = str(path)
    found = StoryFiles(display_root, _default_id(root))
    try:
        if root.is_dir():
            head = root / HEAD_FILE
            if not head.is_file():
                found.problems.append(
                    Diagnostic(
                        str(head), 0, 0, ERROR, "E017", f"the story folder has no {HEAD_FILE}"
                    )
                )
                return found
            others = sorted(
                p
                for p in root.rglob("*" + STORY_SUFFIX)
                if p != head and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
            for file in [head, *others]:
                if file.is_file():
                    found.files.append((str(file), file.read_bytes()))
                else:
                    found.problems.append(
                        Diagnostic(str(file), 0, 0, ERROR, "E017", _not_a_file(file))
                    )
        elif root.is_file():
            found.files.append((display_root, root.read_bytes()))
        elif root.exists():
            found.problems.append(
                Diagnostic(
                    display_root,
                    0,
                    0,
                    ERROR,
                    "E017",
                    _not_a_file(root),
                    "give a story's .yaml file or its folder",
                )
            )
        else:
            found.problems.append(
                Diagnostic(
                    display_root,
                    0,
                    0,
                    ERROR,
                    "E017",
                    "no story here: the path does not exist",
                    "give a story's .yaml file or its folder",
                )
            )
    except OSError as error:
        found.problems.append(
            Diagnostic(
                display_root,
                0,
                0,
                ERROR,
                "E017",
                f"cannot read the story: {error.strerror or error}",
            )
        )
    return found


def _not_a_file(path: Path) -> str:
    """Why a path that is there cannot be read as a story file (never opening it: a pipe or a
    device would hang or never end)."""
    if path.is_symlink() and not path.exists():
        return "cannot read the file: it is a link to something that is not there"
    return "cannot read the file: it is not a regular file (a device, a pipe or a socket)"


def _default_id(root: Path) -> str:
    """The story's id when its head gives none: the folder's or the file's name, as a slug."""
    name = root.resolve().name if root.is_dir() else root.stem
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.-")
    return slug or "story"
