"""Every field of a record, damaged in every way: reports skip or show it, and never crash."""

import copy
import json
from datetime import UTC, datetime

from engine import Session, load_story
from engine.classroom.playthrough_page import render_playthrough
from engine.classroom.records import build_record, write_record
from engine.classroom.report_csv import render_csv
from engine.classroom.report_html import render_html
from engine.classroom.summary import gather, summarize_class

from ..conftest import STORIES

WEIRD = [
    None,
    [],
    {},
    "x",
    "",
    -1,
    0,
    1.5,
    10**30,
    True,
    float("nan"),
    float("inf"),
    [[1]],
    {"a": 1},
    [None],
    ["x"],
    "<script>",
]


def field_paths(value, prefix=()):
    """Every path into a JSON value (lists: their first item)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from field_paths(item, (*prefix, key))
    elif isinstance(value, list) and value:
        yield from field_paths(value[0], (*prefix, 0))


def set_path(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def test_no_damage_to_any_field_crashes_a_report(tmp_path):
    story = load_story(STORIES / "tiny.yaml")
    session = Session(story, seed=4)
    session.choose("argue")
    session.choose("1")
    now = datetime(2026, 11, 30, tzinfo=UTC)
    built = build_record(session, [3.0, 4.0], now, now, player="A1", classroom="C")
    good = tmp_path / "good.json"
    write_record(good, built)
    record = built.to_data()
    paths = [path for path in field_paths(record) if path]
    assert len(paths) > 50
    damaged_file = tmp_path / "damaged.json"
    skipped = kept = 0
    for path in paths:
        for weird in WEIRD:
            damaged = copy.deepcopy(record)
            set_path(damaged, path, weird)
            damaged_file.write_text(json.dumps(damaged), "utf-8")
            gathered = gather([str(good), str(damaged_file)])
            skipped += len(gathered.skipped)
            kept += len(gathered.records)
            for names in (False, True):
                summary = summarize_class(gathered.records, names=names)
                render_html(summary, gathered.skipped)
                render_csv(summary)
            for one in gathered.records:
                render_playthrough(one)
    assert skipped > 0 and kept > len(paths) * len(WEIRD)  # some damage is harmless
