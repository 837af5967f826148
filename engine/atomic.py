"""Writing files so that nothing is ever half-written: temp file, fsync, rename.

`write_atomic` writes the new content to a temporary file in the same folder, flushes it to disk,
then renames it over the old file in one step (`os.replace`), so a reader sees the old file or the
new one, never a mix. With `backup=True` the previous content is first kept as `NAME.bak`, itself
written the same way.

Files are created with the user's normal permissions (0666 less the umask, as any program's
files), so that a records folder shared with a teacher's account can be read from it. A write
killed half-way leaves its temporary file (`.NAME.XXXXXXXX.tmp`) behind; the next write into
the same folder removes those older than `STALE_AFTER` seconds, never a temporary file that
another process may still be writing.

Every failure is an `OSError` whose `strerror` says what is wrong in plain words (a folder where
the file should be, a file where a folder should be), for the caller's one-line message. A
device, a pipe or a socket is never replaced (`-o /dev/null` run as root would have put a
regular file in the device's place).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import time
from pathlib import Path

TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"
TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp\Z", re.DOTALL)  # ours, and mkstemp's of old
STALE_AFTER = 60.0  # seconds: far longer than any write takes, even to a slow shared folder
NEW_FILE_MODE = 0o666  # less the umask
TEMP_NAME_TRIES = 100
STALE_SCAN_LIMIT = 10_000  # folder entries looked at per write


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_atomic(path: str | Path, data: bytes, *, backup: bool = False) -> None:
    """Write `data` to `path` in one step; with `backup`, keep what it held as `NAME.bak`.
    Raises OSError."""
    path = Path(path)
    _check_target(path)
    make_folder_for(path)
    if backup and path.is_file() and path.stat().st_size:
        with open(path, "rb") as previous:
            _replace(backup_path(path), lambda temp: shutil.copyfileobj(previous, temp))
    _replace(path, lambda temp: temp.write(data))
    remove_stale_temp_files(path.parent)


def remove_stale_temp_files(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files a killed write left in `folder` (by their name, and only
    those untouched for `STALE_AFTER` seconds); returns those removed. Never raises."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        with os.scandir(folder) as entries:
            for looked, entry in enumerate(entries):
                if looked >= STALE_SCAN_LIMIT:
                    break
                if not TEMP_NAME.match(entry.name):
                    continue
                with contextlib.suppress(OSError):
                    status = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(status.st_mode) and now - status.st_mtime > STALE_AFTER:
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
    except OSError:
        pass
    return removed


def _check_target(path: Path) -> None:
    """Refuse what a rename must not replace: a folder, and a device, pipe or socket (renaming
    over /dev/null, as root, would put a file in its place)."""
    if "\0" in str(path):
        raise OSError(errno.EINVAL, "the name holds a NUL character", str(path))
    try:
        mode = os.stat(path).st_mode  # through a symbolic link, to what it names
    except OSError:
        return  # nothing there (or nothing readable): the write itself will say
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "it is a device, a pipe or a socket, not a file", str(path))


def make_folder_for(path: Path) -> None:
    """Make the folder that is to hold the file at `path` (and those above it); raises OSError,
    naming the file in the way when there is one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        for folder in reversed(path.parents):
            if folder.exists() and not folder.is_dir():
                raise NotADirectoryError(
                    errno.ENOTDIR, f"{folder} is a file, not a folder", str(path)
                ) from None
        raise


def _replace(path: Path, write) -> None:
    """Write a temporary file beside `path` with `write(file)`, make it durable, and rename
    it over `path`."""
    descriptor, temp_name = _create_temp(path)
    try:
        with os.fdopen(descriptor, "wb") as temp:
            write(temp)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(path.parent)


def _create_temp(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path`, created with the user's normal permissions (the
    umask applies, as it does not to `tempfile.mkstemp`'s 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(TEMP_NAME_TRIES):
        name = path.parent / f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            return os.open(name, flags, NEW_FILE_MODE), str(name)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path))


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
