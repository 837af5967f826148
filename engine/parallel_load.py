"""Loading a large story in two processes, one per half of its files.

Composing YAML and checking scenes is most of a cold load, and it is done file by file, so on a
machine with two or more cores a forked child takes the later files while this process takes
the head and the earlier ones. The two meet twice, through pipes:

1. each indexes its files' scenes; the child sends its scene ids (with their places), the files
   it could not read and its problems; this process answers with its own ids and unreadable
   files, so both know every scene of the story before checking any reference;
2. each builds its scenes; the child sends them as plain records (`engine.scene_records`), with
   its problems and what its scenes use, and exits.

Messages are lines of JSON: plain data only, nothing unpickled or executed.

This process then runs the checks of the whole story (reachability, usage) as a single process
would. The result is the same story and the same diagnostics as a load in one process; tests
compare the two. When forking is not possible or not worth it (one core, a small story, other
threads running) or anything goes wrong between the processes, `build` returns None and the
caller loads in one process.
"""

from __future__ import annotations

import contextlib
import json
import os

from engine.diagnostics import Diagnostic
from engine.forking import can_fork, child_process, cores, reap
from engine.scene_records import SceneDecoder, SceneEncoder

MIN_BYTES = 2_000_000  # smaller stories load in under a second: a fork would not pay
MIN_SHARE = 0.2  # the child's files must be at least this part of the story


def split(sizes: list[int], min_bytes: int = MIN_BYTES, min_share: float = MIN_SHARE
          ) -> int | None:
    """Where to cut the files (sizes in order, the head first): the child takes the files from
    the returned index on. None when the story is too small or cannot be split evenly."""
    total = sum(sizes)
    if len(sizes) < 2 or total < min_bytes:
        return None
    head = sizes[0]  # both processes read the head: it weighs on neither side
    best, best_gap = None, total
    taken = 0  # the files after the head that this process keeps
    for cut in range(1, len(sizes)):
        later = total - head - taken  # the child's files: cut and after
        gap = abs(taken - later)
        if gap < best_gap:
            best, best_gap = cut, gap
        taken += sizes[cut]
    if best is None or (total - sum(sizes[:best])) < min_share * total:
        return None
    return best


class ChildFailed(Exception):
    """The child process stopped before sending what it owed."""


def build(files, builder_type, min_bytes: int = MIN_BYTES, min_cores: int = 2,
          min_share: float = MIN_SHARE):
    """Build the story of `files` in two processes; (story or None, diagnostics), or None
    when it cannot be done that way. (Tests lower the limits to check small stories.)"""
    if not can_fork() or cores() < min_cores:
        return None
    cut = split([len(data) for _, data in files.files], min_bytes, min_share)
    if cut is None:
        return None
    from_child, to_parent = os.pipe()
    try:
        from_parent, to_child = os.pipe()
    except OSError:
        os.close(from_child)
        os.close(to_parent)
        return None

    def in_child() -> None:
        os.close(from_child)
        os.close(to_child)
        _child(files, builder_type, cut, os.fdopen(to_parent, "wb"),
               os.fdopen(from_parent, "rb"))

    pid = child_process(in_child)
    os.close(to_parent)
    os.close(from_parent)
    if pid is None:
        os.close(from_child)
        os.close(to_child)
        return None
    reader, writer = os.fdopen(from_child, "rb"), os.fdopen(to_child, "wb")
    finished = False
    try:
        result = _parent(files, builder_type, cut, reader, writer)
        finished = True
        return result
    except (OSError, ChildFailed, ValueError, TypeError, KeyError, IndexError):
        return None
    finally:
        for stream in (reader, writer):
            with contextlib.suppress(OSError):
                stream.close()
        reap(pid, kill=not finished)


def _send(stream, message) -> None:
    stream.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    stream.write(b"\n")  # JSON never holds a raw line break: a line is a message
    stream.flush()


def _receive(stream):
    line = stream.readline()
    if not line.endswith(b"\n"):
        raise ChildFailed("the other process stopped")
    return json.loads(line)


def _places(message) -> list[tuple[str, tuple]]:
    return [(scene_id, tuple(place)) for scene_id, place in message]


def _problems(diagnostics: list[Diagnostic]) -> list[list]:
    return [[d.file, d.line, d.col, d.severity, d.code, d.message, d.help, d.length]
            for d in diagnostics]


def _diagnostics(message) -> list[Diagnostic]:
    return [Diagnostic(*fields) for fields in message]


def _child(files, builder_type, cut: int, writer, reader) -> None:
    builder = builder_type(files)
    builder.read_files([0])  # the head: meters, flags and responses (its problems are not ours)
    builder.diagnostics.clear()
    builder.entries.clear()
    builder.duplicates.clear()
    builder.unreadable.clear()
    builder.read_files(range(cut, len(files.files)))
    _send(writer, [builder.scene_places(), builder.unreadable, _problems(builder.diagnostics)])
    builder.diagnostics = []
    places, unreadable, has_head = _receive(reader)
    builder.unreadable[:0] = unreadable
    builder.know_scenes(_places(places), before=True)
    scenes = builder.build_scenes() if has_head else {}  # no head: one process stops here too
    encoder = SceneEncoder()
    records = [[scene_id, encoder.record(scene)] for scene_id, scene in scenes.items()]
    usage = builder.usage
    _send(writer, [records, encoder.conditions, _problems(builder.diagnostics),
                   [sorted(usage.meters_changed), sorted(usage.flags_read),
                    sorted(usage.flags_set), sorted(usage.responses_used)]])


def _parent(files, builder_type, cut: int, reader, writer):
    builder = builder_type(files)
    builder.read_files(range(cut))
    places, unreadable, problems = _receive(reader)
    builder.diagnostics.extend(_diagnostics(problems))
    _send(writer, [builder.scene_places(), builder.unreadable, bool(builder.head)])
    builder.unreadable.extend(unreadable)
    builder.know_scenes(_places(places), before=False)
    scenes = builder.build_scenes() if builder.head else {}
    records, conditions, problems, used = _receive(reader)
    builder.diagnostics.extend(_diagnostics(problems))
    if not builder.head:
        return None, builder.diagnostics
    decoder = SceneDecoder(conditions, builder.conditions)
    for scene_id, record in records:
        scenes[scene_id] = decoder.scene(scene_id, record)
    usage = builder.usage
    for mine, theirs in zip((usage.meters_changed, usage.flags_read, usage.flags_set,
                             usage.responses_used), used, strict=True):
        mine.update(theirs)
    story = builder.finish(scenes)
    return story, builder.diagnostics
