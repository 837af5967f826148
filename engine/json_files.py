"""Reading a JSON file the game wrote (a save, the settings, the playthrough kept beside a save)
without trusting it: the size read and the nesting depth are bounded, so a file made huge or
nested thousands deep (`[[[[...`) is refused as damaged like any other, never a crash, a hang
or a memory blow-up.

Parsed JSON takes far more memory than its text (a file of empty lists, `[[],[],...]`, most of
all), so each reader's limit is set from that worst case; docs/performance.md has the figures.

`read_json` raises `OSError` when the file cannot be read (`FileNotFoundError` when there is
none) and `DamagedJson`, a `ValueError` whose message says what is wrong in a player's words,
when what it holds is not JSON the game could have written.
"""

from __future__ import annotations

import json
from pathlib import Path

from engine import safe_read

MAX_DEPTH = 32  # the game's own files nest less than 10 deep
MEBIBYTE = 1024 * 1024


class DamagedJson(ValueError):
    """The file's content is not JSON the game could have written; the message says why, and
    `kind` what kind of damage it is: SIZE, DEPTH, SYNTAX or NOT_A_FILE."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


SIZE, DEPTH, SYNTAX, NOT_A_FILE = "size", "depth", "syntax", "not a file"


def read_json(path: str | Path, max_bytes: int) -> object:
    """The JSON value in the file at `path`, read only if it holds at most `max_bytes`."""
    return parse_json(read_limited(path, max_bytes))


def read_limited(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`; DamagedJson when it holds more than `max_bytes`
    or is not a regular file (a pipe would block, a device never end), read through
    `engine.safe_read`; OSError when it cannot be read."""
    try:
        return safe_read.read_limited(Path(path), max_bytes)
    except safe_read.Refused as refused:
        if refused.too_large:
            raise DamagedJson(f"it is larger than {describe_size(max_bytes)}", SIZE) from None
        raise DamagedJson(refused.reason, NOT_A_FILE) from None


def parse_json(raw: bytes, max_depth: int = MAX_DEPTH) -> object:
    """The JSON value in `raw` (UTF-8), nested at most `max_depth` deep (raises DamagedJson)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:  # nested deeper than the interpreter goes: refused cleanly
        raise DamagedJson(f"it is nested more than {max_depth} deep", DEPTH) from None
    except ValueError:  # not UTF-8, not JSON, or a number too long to read
        raise DamagedJson("it is not readable JSON (perhaps cut off)", SYNTAX) from None
    if nesting_depth(data, max_depth) > max_depth:
        raise DamagedJson(f"it is nested more than {max_depth} deep", DEPTH)
    return data


def nesting_depth(data: object, limit: int) -> int:
    """How deep lists and objects nest in `data` (a scalar is 0), counted up to `limit + 1`
    level by level, without recursion: each value is looked at once, and no more is kept than
    one level's values, so counting cannot fail however deep or wide the data goes."""
    depth = 0
    level = [data]
    while True:
        containers = [value for value in level if isinstance(value, list | dict)]
        if not containers:
            return depth
        depth += 1
        if depth > limit:
            return depth
        level = []
        for container in containers:
            level.extend(container.values() if isinstance(container, dict) else container)


def describe_size(size: int) -> str:
    """A size in bytes as a reader would say it: '4 MiB', '64 KiB', '900 bytes'."""
    if size >= MEBIBYTE and size % MEBIBYTE == 0:
        return f"{size // MEBIBYTE} MiB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KiB"
    return f"{size} bytes"
