"""The class report's numbers: many playthrough records in, one summary of the class out.

`gather` reads record files (folders and globs accepted), skipping and naming any that cannot be
used; `summarize_class` turns the records of one story into counts a teacher projects: who
played, the endings reached, at each decision point the share of students who chose each
response, the meters at the end, time per decision, where those who left early stopped, and the
ending's discussion questions.
Rendering to HTML and CSV lives in `report_html` and `report_csv` beside this module.
"""

from __future__ import annotations

import glob
import math
import re
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from engine.classroom.records import MAX_BYTES, Record, Status, Step, read_record

T = TypeVar("T")


MAX_TOTAL_BYTES = 64 * 1024 * 1024  # what one report reads at most: thousands of records
# The choices one report holds at most: a class of 100 through a story of 200 choices is 20,000;
# the bound keeps a report's memory to a few hundred MB whatever its records hold.
MAX_TOTAL_STEPS = 50_000
SHOWN = 80  # characters of a story's id shown in a message


@dataclass(slots=True)
class Gathered:
    """The records read for a report, the files they came from, and the files left out."""

    records: list[Record] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: reason" lines for the teacher
    story_id: str | None = None  # the story reported on


def expand(inputs: list[str]) -> list[Path]:
    """Files from file names, folders (every .json below) and glob patterns, each once."""
    found: dict[Path, None] = {}
    for item in inputs:
        path = Path(item)
        try:
            if path.is_dir():
                candidates = sorted(path.rglob("*.json"))
            elif any(mark in item for mark in "*?["):
                candidates = sorted(Path(p) for p in glob.glob(item, recursive=True))
            else:
                candidates = [path]
        except OSError:  # a name the system refuses: `gather` says why
            candidates = [path]
        for candidate in candidates:
            found.setdefault(candidate, None)
    return list(found)


def gather(inputs: list[str], story_id: str | None = None) -> Gathered:
    """Read every record and keep those of one story: `story_id`, else the story most records
    share. A playthrough whose record was copied (the same id in several files) counts once.
    Every file left out is named, with why."""
    result = Gathered()
    found: list[tuple[Path, Record]] = []
    total = steps = 0
    for path in expand(inputs):
        try:
            if not path.exists():
                result.skipped.append(f"{path}: skipped: no such file or folder")
                continue
            if path.is_dir():
                result.skipped.append(f"{path}: skipped: it is a folder, not a record file")
                continue
            if not path.is_file():
                result.skipped.append(
                    f"{path}: skipped: it is not a regular file (a device, a pipe or a socket)"
                )
                continue
            size = path.stat().st_size
        except OSError as error:
            result.skipped.append(f"{path}: skipped: it cannot be read ({error.strerror or error})")
            continue
        if total + min(size, MAX_BYTES) > MAX_TOTAL_BYTES:
            result.skipped.append(
                f"{path}: left out: the records before it already come to "
                f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB, as much as one report reads"
            )
            continue
        total += min(size, MAX_BYTES)
        record, problem = read_record(path)
        if record is None:
            result.skipped.append(f"{path}: skipped: it {problem}")
            continue
        if steps + len(record.steps) > MAX_TOTAL_STEPS:
            result.skipped.append(
                f"{path}: left out: the records before it already hold {steps:,} choices, and "
                f"one report holds at most {MAX_TOTAL_STEPS:,}"
            )
            continue
        steps += len(record.steps)
        found.append((path, record))
    found = _one_per_playthrough(found, result.skipped)
    asked = story_id is not None
    if story_id is None:
        story_id = _most_shared([record.story.id for _, record in found])
    result.story_id = story_id
    for path, record in found:
        if record.story.id != story_id:
            result.skipped.append(f"{path}: left out: {_why_other_story(record, story_id, asked)}")
            continue
        result.records.append(record)
        result.sources.append(path)
    return result


def _one_per_playthrough(
    found: list[tuple[Path, Record]], skipped: list[str]
) -> list[tuple[Path, Record]]:
    """One record per playthrough (per story and id), in the order found: of several files
    with the same id, the one furthest on (an ending, then the most choices, then the latest
    finished); the others are named as copies."""
    groups: dict[tuple[str, str], list[tuple[Path, Record]]] = {}
    for path, record in found:
        groups.setdefault((record.story.id, record.id), []).append((path, record))
    kept: dict[Path, None] = {}
    for copies in groups.values():
        best = max(copies, key=lambda item: _progress(item[1]))  # the first of equals
        kept[best[0]] = None
        for path, _ in copies:
            if path != best[0]:
                skipped.append(
                    f"{path}: left out: a copy of the playthrough in {best[0]} (the same "
                    "playthrough id), counted once"
                )
    return [(path, record) for path, record in found if path in kept]


def _progress(record: Record) -> tuple[bool, int, str]:
    return record.complete, len(record.steps), record.finished or ""


def _most_shared(story_ids: list[str]) -> str | None:
    """The story most records share; of stories equally shared, the one found first."""
    counts = Counter(story_ids)
    return max(counts, key=counts.__getitem__) if counts else None  # max keeps the first


def _why_other_story(record: Record, story_id: str, asked: bool) -> str:
    chosen = "the story asked for with --story" if asked else "the story most records share"
    other = _shown(record.story.id)
    return (
        f"a record of the story '{other}', and this report is on '{_shown(story_id)}', "
        f"{chosen} (use --story {other} for a report on the other)"
    )


def _shown(text: str) -> str:
    """A story id as a message shows it: on one line, at most SHOWN characters."""
    text = " ".join(text.split())
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


@dataclass(frozen=True, slots=True)
class EndingCount:
    id: str
    title: str
    count: int
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DecisionPoint:
    """One scene where students chose: how many, and how they split by response and choice."""

    scene: str
    title: str
    students: int
    responses: dict[str, int]  # response id (or "" for none) -> students choosing it first
    choices: dict[str, tuple[str, int]]  # choice id -> (text, students)
    mean_seconds: float | None


@dataclass(frozen=True, slots=True)
class EarlyStop:
    """Where students who left before an ending stopped: the scene of their last choice."""

    scene: str
    title: str
    students: int
    choices: float  # how many choices they had made, on average


@dataclass(frozen=True, slots=True)
class MeterSpread:
    id: str
    label: str
    values: tuple[int, ...]  # every student's final value, sorted
    low: int = 0
    high: int = 100

    @property
    def mean(self) -> float:
        return statistics.fmean(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def bins(self, count: int = 10) -> list[tuple[str, int]]:
        """(band, students) for `count` equal bands of whole values over the meter's range:
        '0–9', '10–19' ... '90–100' (the last band includes the maximum)."""
        width = (self.high - self.low) / count
        tally = Counter(
            max(0, min(int((value - self.low) / width), count - 1)) for value in self.values
        )
        bands = []
        for index in range(count):
            first = math.ceil(self.low + index * width)
            last = (
                math.floor(self.high)
                if index == count - 1
                else math.ceil(self.low + (index + 1) * width) - 1
            )
            band = f"{first}–{last}" if last > first else f"{first}"
            bands.append((band, tally.get(index, 0)))
        return bands


@dataclass(slots=True)
class ClassSummary:
    story_title: str
    story_id: str
    played: int
    statuses: dict[Status, int]
    endings: list[EndingCount]
    decision_points: list[DecisionPoint]
    meters: list[MeterSpread]
    mean_seconds: float | None
    median_seconds: float | None
    response_labels: dict[str, str]
    story_versions: int
    players: list[tuple[str, str]]  # (player, ending title or status), only for --names
    classrooms: list[str]  # the classroom names the records carry, only for --names
    early_stops: list[EarlyStop] = field(default_factory=list)  # stopped before an ending


def summarize_class(records: list[Record], names: bool = False) -> ClassSummary:
    """The summary of one story's records (at least one)."""
    if not records:
        raise ValueError("no records to summarise")
    first = records[0]
    statuses = Counter(record.status for record in records)
    return ClassSummary(
        story_title=first.story.title or first.story.id,
        story_id=first.story.id,
        played=len(records),
        statuses={status: statuses.get(status, 0) for status in Status},
        endings=_endings(records),
        decision_points=_decision_points(records),
        meters=_meters([record for record in records if record.complete]),
        classrooms=_classrooms(records) if names else [],
        mean_seconds=_mean_time(records),
        median_seconds=_median_time(records),
        response_labels=_merged([record.response_labels for record in records]),
        story_versions=len({record.story.hash for record in records}),
        players=_players(records) if names else [],
        early_stops=_early_stops(records),
    )


def _merged(tables: list[Mapping[str, T]]) -> dict[str, T]:
    """A name -> value table merged from every record's (the first record to name it wins)."""
    merged: dict[str, T] = {}
    for table in tables:
        for name, value in table.items():
            merged.setdefault(name, value)
    return merged


def _endings(records: list[Record]) -> list[EndingCount]:
    complete = [record for record in records if record.complete and record.ending]
    counts = Counter(record.ending for record in complete)
    details: dict[str, Record] = {}
    for record in complete:
        details.setdefault(record.ending, record)
    return [
        EndingCount(
            ending, details[ending].ending_title or ending, count, details[ending].ending_questions
        )
        for ending, count in counts.most_common()
    ]


def _decision_points(records: list[Record]) -> list[DecisionPoint]:
    """Each student's first choice in each scene, grouped by scene in story order."""
    firsts: dict[str, list[Step]] = {}
    order: dict[str, list[int]] = {}
    for record in records:
        seen: set[str] = set()
        for index, step in enumerate(record.steps):
            order.setdefault(step.scene, []).append(index)
            if step.scene in seen:
                continue
            seen.add(step.scene)
            firsts.setdefault(step.scene, []).append(step)
    points = []
    for scene, steps in firsts.items():
        responses = Counter(step.response or "" for step in steps)
        texts: dict[str, str] = {}
        choices: Counter[str] = Counter()
        for step in steps:
            choices[step.choice] += 1
            texts.setdefault(step.choice, step.text or step.choice)
        times = [step.seconds for step in steps if step.seconds]
        title = next((step.scene_title for step in steps if step.scene_title), None) or scene
        if not any(responses):
            continue  # a scene where no choice carries a response is not a decision point
        points.append(
            DecisionPoint(
                scene,
                title,
                len(steps),
                dict(responses.most_common()),
                {choice: (texts[choice], count) for choice, count in choices.most_common()},
                statistics.fmean(times) if times else None,
            )
        )
    points.sort(key=lambda point: (statistics.fmean(order[point.scene]), point.scene))
    return points


def _early_stops(records: list[Record]) -> list[EarlyStop]:
    """The playthroughs that stopped before an ending (left, or still in progress when last
    written: a game closed by force counts here), grouped by the scene of their last choice,
    earliest first (by how many choices they had made)."""
    stops: dict[str, list[Record]] = {}
    for record in records:
        if record.status in (Status.ABANDONED, Status.IN_PROGRESS) and record.steps:
            stops.setdefault(record.steps[-1].scene, []).append(record)
    found = []
    for scene, left in stops.items():
        title = next((r.steps[-1].scene_title for r in left if r.steps[-1].scene_title), None)
        made = statistics.fmean(len(r.steps) for r in left)
        found.append(EarlyStop(scene, title or scene, len(left), made))
    return sorted(found, key=lambda stop: (stop.choices, stop.scene))


def _meters(records: list[Record]) -> list[MeterSpread]:
    labels = _merged([record.meter_labels for record in records])
    ranges = _merged([record.meter_ranges for record in records])
    names = list(labels) or sorted({name for record in records for name in record.meters})
    spreads = []
    for name in names:
        values = tuple(
            sorted(int(record.meters[name]) for record in records if name in record.meters)
        )
        if not values:
            continue
        low, high = _range(ranges.get(name), values)
        spreads.append(MeterSpread(name, labels.get(name, name), values, low, high))
    return spreads


def _range(declared: tuple[float, float] | None, values: tuple[int, ...]) -> tuple[int, int]:
    """The meter's declared range when it is whole numbers, else one that holds the values."""
    if declared is not None and all(isinstance(v, int) for v in declared):
        return int(declared[0]), int(declared[1])
    return min(0, *values), max(100, *values)


def _times(records: list[Record]) -> list[float]:
    return [step.seconds for record in records for step in record.steps if step.seconds]


def _mean_time(records: list[Record]) -> float | None:
    times = _times(records)
    return statistics.fmean(times) if times else None


def _median_time(records: list[Record]) -> float | None:
    times = _times(records)
    return statistics.median(times) if times else None


def _classrooms(records: list[Record]) -> list[str]:
    """The class names on the records: each student's record carries one, so, like the
    players' names, they are shown only when asked for."""
    return sorted({record.classroom for record in records if record.classroom}, key=natural_key)


def _players(records: list[Record]) -> list[tuple[str, str]]:
    """(player, ending title or status) for each record, in natural order: A2 before A10."""
    rows = []
    for record in records:
        player = record.player or "(anonymous)"
        if record.complete:
            outcome = record.ending_title or record.ending
        else:
            outcome = str(record.status).replace("_", " ")
        rows.append((player, outcome))
    return sorted(rows, key=lambda row: (natural_key(row[0]), natural_key(row[1]), row))


def natural_key(text: str) -> list[tuple]:
    """A sort key that orders the numbers in text by value: A1, A2, A10 (not A1, A10, A2).
    Numbers are compared by their digits, never converted, so no length of number is a
    problem."""
    key: list[tuple] = []
    for index, part in enumerate(re.split(r"(\d+)", text.casefold())):
        if index % 2:
            digits = part.lstrip("0")
            key.append((1, len(digits), digits, len(part)))
        elif part:
            key.append((0, part))
    return key
