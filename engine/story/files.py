"""Finding and reading a story's files: one YAML file, or a folder holding a story.yaml (the head)
and any number of other .yaml files of scenes. Each file is read once, as bytes, through
`engine.safe_read.read_limited`: only regular files are opened, a folder story's files may be
links only to files in the same folder, and a story's files may hold STORY_BYTES_LIMIT bytes
together."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from engine.safe_read import (
    A_FOLDER,
    NOT_REGULAR,
    NOT_THERE,
    Refused,
    megabytes,
    read_limited,
)
from engine.story.diagnostics import ERROR, Diagnostic
from engine.story.reading import STORY_BYTES_LIMIT

HEAD_FILE = "story.yaml"
STORY_SUFFIX = ".yaml"
# How many entries (files and folders, hidden ones included) a story folder's walk looks at.
MAX_FOLDER_ENTRIES = 10_000


@dataclass(slots=True)
class StoryFiles:
    """The files that make up a story, read once: the head file first."""

    path: str
    story_id: str
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (display path, content)
    problems: list[Diagnostic] = field(default_factory=list)
    _hash: str | None = field(default=None, repr=False, compare=False)

    def content_hash(self) -> str:
        """A hash of the story's content: each file's name within the story and its bytes, in
        order (worked out once: the cache's key and its check of an entry both need it).

        Where the story lies and how its path was written do not count, so `play`, `play
        scenes/balance_of_power` and a copy of the folder elsewhere give one hash; saves and
        records compare it to tell whether the story changed."""
        if self._hash is None:
            digest = hashlib.sha256(b"story content\0")
            for display, data in self.files:
                name = self.name_within(display).encode("utf-8", "surrogateescape")
                digest.update(b"%d:%s\0%d:" % (len(name), name, len(data)) + data)
            self._hash = digest.hexdigest()
        return self._hash

    def name_within(self, display: str) -> str:
        """A file's path relative to the story's root, with '/' between folders: '' for a story
        in one file (its own root, so renaming it changes nothing), and the name as given for a
        file made in memory under a name outside the root."""
        root, file = PurePath(self.path), PurePath(display)
        if file == root:
            return ""
        try:
            return file.relative_to(root).as_posix()
        except ValueError:
            return file.as_posix()


def read_story_files(path: str | Path) -> StoryFiles:
    """Find and read a story's files: one YAML file, or a folder with a story.yaml. A file that
    cannot be read becomes an E017 problem, never an exception, and a file that is refused (a
    pipe, a device, a link that leads out of the story's folder, more than the story may hold)
    is never opened."""
    root = Path(path)
    found = StoryFiles(str(path), _default_id(root))
    try:
        if root.is_dir():
            _read_folder(root, found)
        elif os.path.lexists(root):
            _read_file(root, found)
        else:
            found.problems.append(
                _problem(str(path), "no story here: the path does not exist", GIVE_A_STORY)
            )
    except OSError as error:
        found.problems.append(
            _problem(str(path), f"cannot read the story: {error.strerror or error}")
        )
    return found


GIVE_A_STORY = "give a story's .yaml file or its folder"


def _read_file(file: Path, found: StoryFiles) -> None:
    """A story in one file, named by the user: read it, following a link if it is one."""
    try:
        found.files.append((found.path, read_limited(file, STORY_BYTES_LIMIT)))
    except Refused as refused:
        help = GIVE_A_STORY if refused.reason == NOT_REGULAR else None
        found.problems.append(_refused(found.path, refused, help))
    except OSError as error:
        found.problems.append(_problem(found.path, _cannot_read(error)))


def _read_folder(root: Path, found: StoryFiles) -> None:
    """A story in a folder: its story.yaml first, then every other .yaml file below it in name
    order (hidden files and folders left out, links to folders not followed)."""
    head = root / HEAD_FILE
    if not os.path.lexists(head):
        found.problems.append(_problem(str(head), f"the story folder has no {HEAD_FILE}"))
        return
    others, too_many = _story_paths(root)
    real_root = root.resolve()
    room = STORY_BYTES_LIMIT
    for file in [head, *(other for other in others if other != head)]:
        display = str(file)
        try:
            data = _read_inside(file, real_root, room)
        except Refused as refused:
            found.problems.append(_refused(display, refused, alone=False))
            if refused.too_large:
                break  # the story is over its size: the files after this one are not read
            continue
        except OSError as error:
            found.problems.append(_problem(display, _cannot_read(error)))
            continue
        found.files.append((display, data))
        room -= len(data)
    if too_many:
        found.problems.append(
            _problem(
                str(root),
                f"the story folder holds more than {MAX_FOLDER_ENTRIES:,} files and folders",
                "keep only the story's .yaml files in its folder",
            )
        )


def _read_inside(file: Path, real_root: Path, room: int) -> bytes:
    """A file of a folder story, which may be a link to a file in the same folder but never to
    one outside it."""
    if os.path.islink(file) and not file.exists():
        raise Refused(NOT_THERE)
    try:
        real = file.resolve()
    except RuntimeError:  # a loop of links (Python 3.11 raises this, not OSError)
        raise Refused(NOT_THERE) from None
    if not real.is_relative_to(real_root):
        raise Refused(LEAVES_FOLDER)
    return read_limited(real, room, follow_links=False)


LEAVES_FOLDER = "it is a link that leads outside the story folder"


def _story_paths(root: Path) -> tuple[list[Path], bool]:
    """Every .yaml file below `root`, sorted, skipping hidden names and not following links to
    folders; and whether the walk stopped at MAX_FOLDER_ENTRIES entries."""
    found: list[Path] = []
    looked = 0
    folders = [root]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                looked += 1
                if looked > MAX_FOLDER_ENTRIES:
                    return sorted(found), True
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(Path(entry.path))
                elif entry.name.endswith(STORY_SUFFIX):
                    found.append(Path(entry.path))
    return sorted(found), False


def _refused(
    display: str, refused: Refused, help: str | None = None, alone: bool = True
) -> Diagnostic:
    """The problem of a refused file; `alone` when it is the story's only file."""
    if refused.too_large:
        limit = megabytes(STORY_BYTES_LIMIT)
        message = (
            f"the file holds more than {limit}, the most a story may hold"
            if alone
            else f"with this file, the story's files hold more than {limit}, the most a story "
            "may hold"
        )
        return _problem(
            display, message, "split the story, or remove what is not part of it from its folder"
        )
    return _problem(
        display, f"cannot read the file: {refused.reason}", help or _REFUSED_HELP[refused.reason]
    )


_REFUSED_HELP = {
    NOT_THERE: "remove the link, or put back the file it points to",
    NOT_REGULAR: "a story's files are ordinary files: take this one out of the story's folder",
    A_FOLDER: f"a story's {HEAD_FILE} is a file holding its head (title, start, meters ...)",
    LEAVES_FOLDER: "copy the file into the story's folder instead of linking to it",
}


def _cannot_read(error: OSError) -> str:
    return f"cannot read the file: {error.strerror or error}"


def _problem(display: str, message: str, help: str | None = None) -> Diagnostic:
    """An E017 problem about a whole file (line 0: no source line is shown for it, so the
    printer never opens the file)."""
    return Diagnostic(display, 0, 0, ERROR, "E017", message, help)


def _default_id(root: Path) -> str:
    """The story's id when its head gives none: the folder's or the file's name, as a slug."""
    name = root.resolve().name if root.is_dir() else root.stem
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.-")
    return slug or "story"
