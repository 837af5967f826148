"""Writing files so that nothing is ever half-written: temp file, fsync, rename.

`write_atomic` writes the new content to a temporary file in the same folder, flushes it to disk,
then renames it over the old file in one step (`os.replace`), so a reader sees the old file or the
new one, never a mix. With `backup=True` the previous content is first kept as `NAME.bak`, itself
written the same way.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_atomic(path: str | Path, data: bytes, *, backup: bool = False) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if backup and path.is_file():
        previous = path.read_bytes()
        if previous:
            _replace_with(backup_path(path), previous)
    _replace_with(path, data)


def _replace_with(path: Path, data: bytes) -> None:
    handle, temp_name = tempfile.mkstemp(
        dir=path.parent, prefix=TEMP_PREFIX + path.name + ".", suffix=TEMP_SUFFIX
    )
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
