"""Reading records from students' machines: whatever a file holds, the reader says why it cannot
be used or returns a record every report can render; it never raises (issue 11, item 3)."""

import copy
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Session, load_story
from engine.classroom.playthrough_page import render_playthrough
from engine.classroom.records import MAX_BYTES, Record, build_record, read_record
from engine.classroom.report_csv import render_csv
from engine.classroom.report_html import render_html
from engine.classroom.summary import summarize_class

from ..conftest import ROOT, STORIES
from .test_records_damage import field_paths, set_path

NOW = datetime(2026, 11, 30, tzinfo=UTC)
PROPERTIES = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def good_record() -> dict:
    story = load_story(STORIES / "tiny.yaml")
    session = Session(story, seed=4)
    session.choose("argue")
    session.choose("1")
    return build_record(session, [3.0, 4.0], NOW, NOW, player="A1", classroom="C").to_data()


GOOD = good_record()
PATHS = [path for path in field_paths(GOOD) if path]


def version_1(record: dict) -> dict:
    """The record as the first terminal player wrote it."""
    keep = ("format", "story", "seed", "player", "partner", "started", "finished", "complete")
    old = {key: record[key] for key in (*keep, "ending", "ending_title", "fault", "meters")}
    old["version"] = 1
    old["steps"] = [{k: v for k, v in s.items() if k != "scene_title"} for s in record["steps"]]
    return old


def report_everything(record: Record) -> None:
    """Every way a report shows a record, with and without names."""
    for names in (False, True):
        summary = summarize_class([record], names=names)
        render_html(summary, [])
        render_csv(summary)
    render_playthrough(record)


def read_text(text: str) -> tuple[Record | None, str | None]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "record.json"
        path.write_text(text, "utf-8")
        return read_record(path)


def check(text: str) -> None:
    record, problem = read_text(text)
    assert (record is None) != (problem is None)
    if record is None:
        assert isinstance(problem, str) and problem and "\n" not in problem
    else:
        report_everything(record)


# The reproducers of item 3 ----------------------------------------------------------------------

HUGE = int("9" * 400)


def damaged(path: tuple, value: object, version_one: bool = False) -> str:
    data = copy.deepcopy(version_1(GOOD) if version_one else GOOD)
    set_path(data, path, value)
    return json.dumps(data)


REPRODUCERS = {
    "a 400-digit meter": (damaged(("meters", "trust"), HUGE), "has damaged final meters"),
    "a 400-digit time": (damaged(("steps", 0, "seconds"), HUGE), "has a damaged time in step 1"),
    "a 400-digit meter range": (
        damaged(("meter_ranges", "trust", 1), HUGE),
        "has damaged meter ranges",
    ),
    "deep nesting": ("[" * 100_000, "is nested too deeply to be a record"),
    "nesting the parser accepts": ("[" * 500 + "]" * 500, "is nested too deeply"),
    "a version-1 response that is a list": (
        damaged(("steps", 0, "response"), ["a"], version_one=True),
        "has a damaged response in step 1",
    ),
    "a version-1 response that is a number": (
        damaged(("steps", 0, "response"), 5, version_one=True),
        "has a damaged response in step 1",
    ),
    "version-1 steps that are a number": (
        damaged(("steps",), 5, version_one=True),
        "has no list of steps",
    ),
    "version-1 meters that are a list": (
        damaged(("meters",), [1], version_one=True),
        "has damaged final meters",
    ),
}


@pytest.mark.parametrize("name", REPRODUCERS)
def test_each_reproducer_is_skipped_with_its_reason(name):
    text, reason = REPRODUCERS[name]
    record, problem = read_text(text)
    assert record is None and reason in problem


def test_a_meter_up_to_ten_to_the_fifteen_is_a_record_not_damage(tmp_path):
    """A record whose meter runs up to 10**15 (from a story written before numbers in stories
    were bounded to a million) is real and must be reported."""
    session = Session(load_story(STORIES / "tiny.yaml"), seed=4)
    session.choose("argue")
    session.choose("1")
    data = build_record(session, [1.0, 2.0], NOW, NOW).to_data()
    data["meter_ranges"]["trust"] = [0, 10**15]
    data["meters"]["trust"] = 10**15 - 1
    (tmp_path / "big.json").write_text(json.dumps(data), "utf-8")
    record, problem = read_record(tmp_path / "big.json")
    assert problem is None and record.meter_ranges["trust"] == (0, 10**15)
    report_everything(record)


def test_a_file_too_large_for_a_record_is_not_read_whole(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (MAX_BYTES + 1))
    record, problem = read_record(path)
    assert record is None and "larger than 4 MB" in problem


def test_the_report_command_skips_every_reproducer_and_reports_the_rest(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(GOOD), "utf-8")
    for number, (text, _) in enumerate(REPRODUCERS.values()):
        (folder / f"bad-{number}.json").write_text(text, "utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "report", str(folder), "-o", tmp_path / "c.html"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"1 record of 'Tiny', {len(REPRODUCERS)} left out" in result.stdout
    for number, (_, reason) in enumerate(REPRODUCERS.values()):
        assert f"bad-{number}.json: skipped: it {reason}" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# Properties -------------------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["complete", "abandoned", "in_progress", "stuck", "trust", "hall", ""]),
)
_json = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_json)
@PROPERTIES
def test_any_json_value_is_read_without_raising(value):
    check(json.dumps(value))


@given(st.data())
@PROPERTIES
def test_a_record_damaged_anywhere_is_skipped_or_reported(data):
    record = copy.deepcopy(data.draw(st.sampled_from([GOOD, version_1(GOOD)])))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [path for path in field_paths(record) if path]
        set_path(record, data.draw(st.sampled_from(paths)), data.draw(_json))
    check(json.dumps(record))


@given(st.integers(1, 3000), st.sampled_from(["[", '{"a":', '{"steps":[']))
@PROPERTIES
def test_nesting_of_any_depth_is_read_without_raising(depth, opener):
    check(opener * depth)


@given(st.binary(max_size=200))
@PROPERTIES
def test_any_bytes_are_read_without_raising(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "record.json"
        path.write_bytes(raw)
        record, problem = read_record(path)
    assert record is None and problem
