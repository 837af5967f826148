"""Noticing that a story's files changed on disk, cheaply enough to ask about once a second.

`StoryWatcher.changed(now)` compares the size and modification time of every story file (and of
every folder, so a new or renamed file is noticed too) with what it saw last; it looks at most
once per `interval` seconds, and costs one `stat` per file and folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.story.files import STORY_SUFFIX

WATCH_SECONDS = 1.0


class StoryWatcher:
    def __init__(self, path: str | Path, interval: float = WATCH_SECONDS) -> None:
        self.path = Path(path)
        self.interval = interval
        self.checked_at: float | None = None
        self.seen = self.look()

    def look(self) -> tuple:
        """The size and time of every file and folder of the story, as one comparable value."""
        root = self.path
        if not root.is_dir():
            return (_stamp(root),)
        stamps = []
        for folder, folders, files in os.walk(root):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            stamps.append(_stamp(Path(folder)))
            stamps += [
                _stamp(Path(folder, name))
                for name in sorted(files)
                if name.endswith(STORY_SUFFIX) and not name.startswith(".")
            ]
        return tuple(stamps)

    def changed(self, now: float) -> bool:
        """Whether anything changed since the last look (looking at most once an interval)."""
        if self.checked_at is not None and now - self.checked_at < self.interval:
            return False
        self.checked_at = now
        seen = self.look()
        if seen == self.seen:
            return False
        self.seen = seen
        return True

    def rebase(self, seen: tuple | None = None) -> None:
        """Take the files as they were at a reload (`seen`, looked at just before reading them)
        as the starting point, so an edit made while they were read is still noticed."""
        self.seen = self.look() if seen is None else seen


def _stamp(path: Path) -> tuple:
    try:
        status = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), status.st_mtime_ns, status.st_size)
