"""A scene's picture, checked without decoding it: where its file may be, and what its header says.

A picture is a PNG or a JPEG file in the story's folder, named relative to the folder of the file
that declares it. `picture_path` says whether a name is allowed (relative, with '/' between
folders, never leaving the story's folder); `read_header` opens only a regular file of at most
IMAGE_BYTES_LIMIT bytes and reads no more than its header: PNG's signature and IHDR chunk (with
its CRC), or JPEG's markers up to the frame header. Nothing here decodes pixels: the front ends
do that, after checking the header again (`read_header`) when they load the file.
"""

from __future__ import annotations

import os
import posixpath
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePath

from engine.safe_read import Refused, megabytes, open_limited

IMAGE_BYTES_LIMIT = 5 * 1024 * 1024  # the most a picture's file may hold
IMAGE_SIDE_LIMIT = 4096  # the most pixels a picture may have on a side
PNG = "png"
JPEG = "jpeg"
CONTENT_TYPES = {PNG: "image/png", JPEG: "image/jpeg"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Colour types and the bit depths each allows (the PNG specification, table 11.1).
_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
# JPEG's start-of-frame markers: C0-CF except C4 (Huffman tables), C8 (reserved), CC (arithmetic).
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset(range(0xD0, 0xD8)) | {0x01}  # RSTn and TEM carry no length
_JPEG_MAX_SEGMENTS = 1000  # far more than any real header holds


@dataclass(frozen=True, slots=True)
class ImageHeader:
    """What a picture's header says: its kind (PNG or JPEG) and its size in pixels."""

    kind: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


class ImageProblem(Exception):
    """Why a picture cannot be used: `code` is the diagnostic's (E060 to E062), `message` says
    why in words for the author."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def picture_path(name: str) -> str | None:
    """`name` made canonical ('a/./b.png' -> 'a/b.png'), or None when it may not name a picture:
    empty, absolute, with a drive or a backslash, or with a '..' at its start once made
    canonical (it would leave the folder it is relative to)."""
    if not name or "\\" in name or "\0" in name or name.startswith("/") or ":" in name:
        return None
    canonical = posixpath.normpath(name)
    if canonical in (".", "..") or canonical.startswith("../"):
        return None
    return canonical


def locate(story_root: str, declaring_file: str, name: str) -> tuple[str, str] | None:
    """The picture `name` written in `declaring_file` of a story whose folder is `story_root`:
    (its path relative to the story's folder, with '/', and the path to open), or None when the
    name is not allowed or leads out of the story's folder."""
    if picture_path(f"x/{name}") is None:  # '..' may climb out of the file's folder
        return None
    root = PurePath(story_root)
    folder = PurePath(declaring_file).parent
    try:
        within = folder.relative_to(root).as_posix()
    except ValueError:
        within = "."
    relative = picture_path(posixpath.join(within, name))
    if relative is None:
        return None
    return relative, str(root / relative)


def inside(path: str, story_root: str) -> bool:
    """Whether the file at `path`, links followed, is inside the story's folder (a link to a
    file elsewhere is refused, as for a story's .yaml files)."""
    try:
        return Path(path).resolve().is_relative_to(Path(story_root).resolve())
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python 3.11)
        return False


def read_header(path: str | Path) -> ImageHeader:
    """The header of the PNG or JPEG file at `path`, read without reading the rest of the file;
    ImageProblem when it is missing, unreadable, not a PNG or JPEG, damaged, or too large in
    bytes (IMAGE_BYTES_LIMIT) or in pixels (IMAGE_SIDE_LIMIT a side)."""
    try:
        with open_limited(Path(path), IMAGE_BYTES_LIMIT) as file:
            start = file.read(8)
            if start == _PNG_SIGNATURE:
                header = _png(file)
            elif start[:3] == b"\xff\xd8\xff":
                file.seek(2)
                header = _jpeg(file)
            else:
                raise ImageProblem("E061", "the file is not a PNG or JPEG picture")
    except FileNotFoundError:
        raise ImageProblem("E060", "the picture's file is not there") from None
    except Refused as refused:
        if refused.too_large:
            raise ImageProblem(
                "E062", f"the picture's file holds more than {megabytes(IMAGE_BYTES_LIMIT)}"
            ) from None
        raise ImageProblem("E060", f"cannot read the picture's file: {refused.reason}") from None
    except OSError as error:
        raise ImageProblem(
            "E060", f"cannot read the picture's file: {error.strerror or error}"
        ) from None
    if header.width > IMAGE_SIDE_LIMIT or header.height > IMAGE_SIDE_LIMIT:
        raise ImageProblem(
            "E062",
            f"the picture is {header.width}x{header.height} pixels, more than "
            f"{IMAGE_SIDE_LIMIT}x{IMAGE_SIDE_LIMIT}",
        )
    return header


def _damaged(kind: str, why: str) -> ImageProblem:
    return ImageProblem("E061", f"the {kind} file's header cannot be read: {why}")


def _png(file) -> ImageHeader:
    chunk = file.read(25)  # length, type, 13 bytes of IHDR, CRC
    if len(chunk) < 25:
        raise _damaged("PNG", "the file ends inside it")
    length, kind = struct.unpack(">I4s", chunk[:8])
    if kind != b"IHDR" or length != 13:
        raise _damaged("PNG", "it does not start with an IHDR chunk")
    if zlib.crc32(chunk[4:21]) != struct.unpack(">I", chunk[21:])[0]:
        raise _damaged("PNG", "its IHDR chunk's checksum is wrong")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunk[8:21]
    )
    if width == 0 or height == 0 or width >= 2**31 or height >= 2**31:
        raise _damaged("PNG", f"it gives a size of {width}x{height} pixels")
    if depth not in _PNG_DEPTHS.get(colour, ()) or compression or filtering or interlace > 1:
        raise _damaged("PNG", "its IHDR chunk holds values PNG does not define")
    return ImageHeader(PNG, width, height)


def _jpeg(file) -> ImageHeader:
    for _ in range(_JPEG_MAX_SEGMENTS):
        byte = file.read(1)
        if byte != b"\xff":
            raise _damaged("JPEG", "a marker was expected")
        marker = 0xFF
        while marker == 0xFF:  # a marker may be preceded by any number of fill bytes
            read = file.read(1)
            if not read:
                raise _damaged("JPEG", "the file ends before its frame header")
            marker = read[0]
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0xD8, 0xD9, 0xDA, 0x00):  # SOI again, EOI or scan data before a frame
            raise _damaged("JPEG", "there is no frame header before the picture's data")
        size = file.read(2)
        if len(size) < 2 or struct.unpack(">H", size)[0] < 2:
            raise _damaged("JPEG", "a segment's length is wrong")
        length = struct.unpack(">H", size)[0]
        if marker in _JPEG_FRAMES:
            frame = file.read(6)
            if len(frame) < 6 or length < 8:
                raise _damaged("JPEG", "the file ends inside the frame header")
            _precision, height, width, _components = struct.unpack(">BHHB", frame)
            if width == 0 or height == 0:
                raise _damaged("JPEG", f"it gives a size of {width}x{height} pixels")
            return ImageHeader(JPEG, width, height)
        file.seek(length - 2, os.SEEK_CUR)
    raise _damaged("JPEG", "it has too many segments before its frame header")
