"""The class report's numbers: many playthrough records in, one summary of the class out.

`gather` reads record files (folders and globs accepted), skipping and naming any that cannot be
used; `summarize_class` turns the records of one story into counts a teacher projects: who
played, the endings reached, at each decision point the share of students who chose each
response, the meters at the end, time per decision, and the ending's discussion questions.
Rendering to HTML and CSV lives in `report_html` and `report_csv` beside this module.
"""

from __future__ import annotations

import glob
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from engine.classroom.records import ABANDONED, COMPLETE, STUCK_STATUS, read_record


@dataclass(slots=True)
class Gathered:
    records: list[dict] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: reason" lines for the teacher


def expand(inputs: list[str]) -> list[Path]:
    """Files from file names, folders (every .json below) and glob patterns, each once."""
    found: dict[Path, None] = {}
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            candidates = sorted(path.rglob("*.json"))
        elif any(mark in item for mark in "*?["):
            candidates = sorted(Path(p) for p in glob.glob(item, recursive=True))
        else:
            candidates = [path]
        for candidate in candidates:
            found.setdefault(candidate, None)
    return list(found)


def gather(inputs: list[str], story_id: str | None = None) -> Gathered:
    """Read every record; keep those of one story (the first one seen, unless named)."""
    result = Gathered()
    for path in expand(inputs):
        if not path.exists():
            result.skipped.append(f"{path}: skipped: no such file or folder")
            continue
        if not path.is_file():
            continue
        record, problem = read_record(path)
        if record is None:
            result.skipped.append(f"{path}: skipped: it {problem}")
            continue
        record_story = record["story"]["id"]
        if story_id is None:
            story_id = record_story
        if record_story != story_id:
            result.skipped.append(f"{path}: refused: a record of the story '{record_story}', "
                                 f"not '{story_id}'")
            continue
        result.records.append(record)
        result.sources.append(path)
    return result


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
        tally = Counter(max(0, min(int((value - self.low) / width), count - 1))
                        for value in self.values)
        bands = []
        for index in range(count):
            first = math.ceil(self.low + index * width)
            last = math.floor(self.high) if index == count - 1 else \
                math.ceil(self.low + (index + 1) * width) - 1
            band = f"{first}–{last}" if last > first else f"{first}"
            bands.append((band, tally.get(index, 0)))
        return bands


@dataclass(slots=True)
class ClassSummary:
    story_title: str
    story_id: str
    played: int
    statuses: dict[str, int]
    endings: list[EndingCount]
    decision_points: list[DecisionPoint]
    meters: list[MeterSpread]
    mean_seconds: float | None
    median_seconds: float | None
    response_labels: dict[str, str]
    story_versions: int
    players: list[tuple[str, str]]  # (player, ending title or status), only for --names
    classrooms: list[str]  # the classroom names the records carry


def summarize_class(records: list[dict], names: bool = False) -> ClassSummary:
    if not records:
        raise ValueError("no records to summarise")
    first = records[0]
    statuses = Counter(record["status"] for record in records)
    return ClassSummary(
        story_title=first["story"].get("title") or first["story"]["id"],
        story_id=first["story"]["id"],
        played=len(records),
        statuses={status: statuses.get(status, 0)
                  for status in (COMPLETE, ABANDONED, STUCK_STATUS)},
        endings=_endings(records),
        decision_points=_decision_points(records),
        meters=_meters([record for record in records if record["status"] == COMPLETE]),
        classrooms=sorted({record["classroom"] for record in records if record.get("classroom")}),
        mean_seconds=_mean_time(records),
        median_seconds=_median_time(records),
        response_labels={k: str(v) for k, v in _labels(records, "response_labels").items()},
        story_versions=len({record["story"].get("hash") for record in records}),
        players=_players(records) if names else [],
    )


def _labels(records: list[dict], key: str) -> dict:
    """A name -> value table merged from every record (the first record to name it wins)."""
    labels: dict = {}
    for record in records:
        for name, label in record[key].items():
            labels.setdefault(name, label)
    return labels


def _endings(records: list[dict]) -> list[EndingCount]:
    counts = Counter(record["ending"] for record in records if record["status"] == COMPLETE)
    details: dict[str, dict] = {}
    for record in records:
        if record["status"] == COMPLETE:
            details.setdefault(record["ending"], record)
    return [EndingCount(ending, details[ending].get("ending_title") or ending, count,
                        tuple(str(q) for q in details[ending].get("ending_questions") or ()))
            for ending, count in counts.most_common()]


def _decision_points(records: list[dict]) -> list[DecisionPoint]:
    """Each student's first choice in each scene, grouped by scene in story order."""
    firsts: dict[str, list[dict]] = {}
    order: dict[str, list[int]] = {}
    for record in records:
        seen: set[str] = set()
        for index, step in enumerate(record["steps"]):
            order.setdefault(step["scene"], []).append(index)
            if step["scene"] in seen:
                continue
            seen.add(step["scene"])
            firsts.setdefault(step["scene"], []).append(step)
    points = []
    for scene, steps in firsts.items():
        responses = Counter(step.get("response") or "" for step in steps)
        texts: dict[str, str] = {}
        choices = Counter()
        for step in steps:
            choices[step["choice"]] += 1
            texts.setdefault(step["choice"], str(step.get("text") or step["choice"]))
        times = [step["seconds"] for step in steps if step.get("seconds")]
        title = next((step.get("scene_title") for step in steps if step.get("scene_title")),
                     None) or scene
        if not any(responses):
            continue  # a scene where no choice carries a response is not a decision point
        points.append(DecisionPoint(
            scene, title, len(steps), dict(responses.most_common()),
            {choice: (texts[choice], count) for choice, count in choices.most_common()},
            statistics.fmean(times) if times else None,
        ))
    points.sort(key=lambda point: (statistics.fmean(order[point.scene]), point.scene))
    return points


def _meters(records: list[dict]) -> list[MeterSpread]:
    labels = _labels(records, "meter_labels")
    ranges = _labels(records, "meter_ranges")
    names = list(labels) or sorted({name for record in records for name in record["meters"]})
    spreads = []
    for name in names:
        values = tuple(sorted(int(record["meters"][name]) for record in records
                              if name in record["meters"]))
        if not values:
            continue
        low, high = _range(ranges.get(name), values)
        spreads.append(MeterSpread(name, str(labels.get(name, name)), values, low, high))
    return spreads


def _range(declared: object, values: tuple[int, ...]) -> tuple[int, int]:
    if isinstance(declared, list) and len(declared) == 2 and all(
            isinstance(v, int) for v in declared) and declared[0] < declared[1]:
        return declared[0], declared[1]
    return min(0, *values), max(100, *values)


def _times(records: list[dict]) -> list[float]:
    return [step["seconds"] for record in records for step in record["steps"]
            if step.get("seconds")]


def _mean_time(records: list[dict]) -> float | None:
    times = _times(records)
    return statistics.fmean(times) if times else None


def _median_time(records: list[dict]) -> float | None:
    times = _times(records)
    return statistics.median(times) if times else None


def _players(records: list[dict]) -> list[tuple[str, str]]:
    rows = []
    for record in records:
        player = record.get("player") or "(anonymous)"
        outcome = record.get("ending_title") if record["status"] == COMPLETE else \
            record["status"]
        rows.append((str(player), str(outcome)))
    return sorted(rows)
