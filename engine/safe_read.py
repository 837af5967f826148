"""Reading a file the user or a student can hand us, safely: only a regular file is ever
opened, and never more than a limit is read.

A pipe, a device or a socket is refused without being opened (opening one can block, or read
forever, or have effects of its own), and the file is checked again once open, in case the path
changed in between. A story's files and the printer of its diagnostics, the classroom file,
records, saves, settings and the file kept beside a save all read through `read_limited`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class Refused(Exception):
    """A file that is not read, and why, in words for the author (`reason`)."""

    def __init__(self, reason: str, too_large: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.too_large = too_large


NOT_THERE = "it is a link to something that is not there"
NOT_REGULAR = "it is not a regular file (a device, a pipe or a socket)"
A_FOLDER = "it is a folder"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def read_limited(path: Path, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at `path`, or `Refused` when it is not one or holds more
    than `limit` bytes; OSError when it cannot be read. With `follow_links` off, a path that is
    a link is not opened (OSError)."""
    try:
        info = os.stat(path, follow_symlinks=follow_links)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise Refused(NOT_THERE) from None
        raise
    _check(info, limit)
    flags = _OPEN_FLAGS | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    descriptor = os.open(path, flags)
    try:
        _check(os.fstat(descriptor), limit)  # the same file, now that it is open
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # it grew while being read
            raise Refused(f"it holds more than {megabytes(limit)}", too_large=True)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def open_limited(path: Path, limit: int) -> BinaryIO:
    """The regular file at `path` opened for reading in binary, to read only part of it (a
    picture's header), or `Refused` when it is not a regular file or holds more than `limit`
    bytes; OSError when it cannot be opened."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise Refused(NOT_THERE) from None
        raise
    _check(info, limit)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        _check(os.fstat(descriptor), limit)  # the same file, now that it is open
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _check(info: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise Refused(A_FOLDER)
    if not stat.S_ISREG(info.st_mode):
        raise Refused(NOT_REGULAR)
    if info.st_size > limit:
        raise Refused(f"it holds more than {megabytes(limit)}", too_large=True)
