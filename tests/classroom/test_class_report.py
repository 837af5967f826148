"""Class reports from simulated students: every count checked against what the students did."""

import csv
import io
import json
import random
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from engine import Session, load_story
from engine.classroom.records import build_record, read_record, record_file_name, write_record
from engine.classroom.report_csv import render_csv
from engine.classroom.report_html import render_html
from engine.classroom.summary import gather, summarize_class

from ..conftest import ROOT, STORIES

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def simulate(story, students, folder, abandon_every=0):
    """Students play with seeded random choices; return what each did, and write records."""
    truth = []
    for number in range(students):
        rng = random.Random(number)
        session = Session(story, seed=number)
        seconds = []
        limit = 1 if abandon_every and number % abandon_every == 0 else 999
        while session.state == "playing" and len(session.history) < limit:
            offered = session.offered()
            session.choose(rng.choice(offered).id)
            seconds.append(round(rng.uniform(2, 40), 3))
        record = build_record(
            session,
            seconds,
            START + timedelta(minutes=number),
            START + timedelta(minutes=number + 5),
            player=f"student {number}",
        )
        write_record(folder / record_file_name(record), record)
        truth.append((session, seconds))
    return truth


@pytest.fixture
def story():
    return load_story(STORIES / "tiny.yaml")


@pytest.fixture
def records(tmp_path, story):
    truth = simulate(story, 30, tmp_path, abandon_every=7)
    return tmp_path, truth


def test_every_count_matches_what_the_students_did(records):
    folder, truth = records
    gathered = gather([str(folder)])
    assert gathered.skipped == [] and len(gathered.records) == 30
    summary = summarize_class(gathered.records)
    ended = [session for session, _ in truth if session.ended]
    assert summary.played == 30
    assert summary.statuses == {
        "complete": len(ended),
        "in_progress": 0,
        "abandoned": 30 - len(ended),
        "stuck": 0,
    }
    assert {e.id: e.count for e in summary.endings} == Counter(s.scene_id for s in ended)
    titles = {"good_end": "Balance", "bad_end": "Apart"}
    assert all(titles[e.id] == e.title for e in summary.endings)
    hall = next(point for point in summary.decision_points if point.scene == "hall")
    firsts = [session.history[0] for session, _ in truth]
    assert hall.students == 30 and hall.title == "The hall"
    assert hall.responses == dict(Counter(turn.response for turn in firsts))
    assert {c: n for c, (_, n) in hall.choices.items()} == Counter(t.choice for t in firsts)
    trust = next(meter for meter in summary.meters if meter.id == "trust")
    assert trust.values == tuple(sorted(session.meters["trust"] for session in ended))
    # The kitchen's one choice carries no response: it is not a decision point.
    assert [point.scene for point in summary.decision_points] == ["hall"]
    every_time = [t for _, seconds in truth for t in seconds]
    assert summary.mean_seconds == pytest.approx(sum(every_time) / len(every_time))


def test_the_csv_opens_with_the_csv_module_and_sums_correctly(records):
    folder, truth = records
    summary = summarize_class(gather([str(folder)]).records)
    rows = list(csv.DictReader(io.StringIO(render_csv(summary))))
    by_section = {}
    for row in rows:
        by_section.setdefault(row["section"], []).append(row)
    assert sum(int(r["value"]) for r in by_section["played"]) == 30
    complete = int(next(r["value"] for r in by_section["played"] if r["key"] == "complete"))
    assert sum(int(r["value"]) for r in by_section["ending"]) == complete
    assert sum(float(r["share"]) for r in by_section["ending"]) == pytest.approx(1, abs=1e-3)
    for scene in ("hall",):
        responses = [r for r in by_section["response"] if r["key"].startswith(scene + "/")]
        choices = [r for r in by_section["choice"] if r["key"].startswith(scene + "/")]
        point = next(p for p in summary.decision_points if p.scene == scene)
        assert sum(int(r["value"]) for r in responses) == point.students
        assert sum(int(r["value"]) for r in choices) == point.students
        assert sum(float(r["share"]) for r in responses) == pytest.approx(1, abs=1e-3)
    trust_bins = [r for r in by_section["meter"] if r["key"].startswith("trust/")]
    assert len(trust_bins) == 10 and sum(int(r["value"]) for r in trust_bins) == complete
    assert trust_bins[0]["label"] == "Trust 0–9" and trust_bins[-1]["label"] == "Trust 90–100"


class _Page(HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "rect"}

    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.text, self.urls = [], Counter(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] += 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    page = _Page()
    page.feed(html)
    page.close()
    assert page.stack == []
    return page


def test_the_html_parses_is_self_contained_and_has_its_charts(records):
    folder, _ = records
    gathered = gather([str(folder)])
    summary = summarize_class(gathered.records)
    page = parse(render_html(summary, []))
    text = " ".join(page.text)
    # The summary's two (where the class split, the endings), one per decision point, one per
    # meter.
    assert page.tags["svg"] == 2 + len(summary.decision_points) + len(summary.meters)
    assert page.urls == [] and page.tags["script"] == 0 and page.tags["link"] == 0
    for ending in summary.endings:
        assert ending.title in text
    assert "What shifted?" in text  # the ending's discussion question
    assert "student 3" not in text  # names only with --names


def test_names_appear_only_when_asked(records):
    folder, _ = records
    summary = summarize_class(gather([str(folder)]).records, names=True)
    text = " ".join(parse(render_html(summary, [])).text)
    assert "student 3" in text and "student 29" in text
    assert "student 3" in render_csv(summary)
    assert "student 3" not in render_csv(summarize_class(gather([str(folder)]).records))


def test_text_from_records_is_escaped(tmp_path, story):
    session = Session(story, seed=1)
    session.choose("1")
    record = build_record(session, [3.0], START, START, player="<script>alert(1)</script>")
    step = replace(record.steps[0], text='<b>bold</b> & "quoted"')
    record = replace(record, steps=(step, *record.steps[1:]))
    write_record(tmp_path / "r.json", record)
    summary = summarize_class(gather([str(tmp_path)]).records, names=True)
    html = render_html(summary, [])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in html
    parse(html)


def test_bad_records_are_named_and_skipped(records, tmp_path_factory):
    folder, _ = records
    (folder / "empty.json").write_text("", "utf-8")
    (folder / "cut.json").write_text('{"format": "balance-of-power-transcript", "ver', "utf-8")
    (folder / "other.json").write_text('{"hello": 1}', "utf-8")
    (folder / "newer.json").write_text(
        '{"format": "balance-of-power-transcript", "version": 9}', "utf-8"
    )
    damaged = json.loads(next(folder.glob("tiny-*.json")).read_text("utf-8"))
    damaged["steps"][0]["seconds"] = "slow"
    (folder / "damaged.json").write_text(json.dumps(damaged), "utf-8")
    foreign = dict(damaged, story={"id": "another", "title": "Another", "hash": "x"})
    foreign["steps"][0]["seconds"] = 1
    (folder / "foreign.json").write_text(json.dumps(foreign), "utf-8")
    gathered = gather([str(folder)], story_id="tiny")
    assert len(gathered.records) == 30
    reasons = "\n".join(gathered.skipped)
    assert "empty.json: skipped: it is not valid JSON" in reasons
    assert "cut.json: skipped: it is not valid JSON" in reasons
    assert "other.json: skipped: it is not a playthrough record" in reasons
    assert "newer.json: skipped: it was made by a newer version of the game" in reasons
    assert "damaged.json: skipped: it has a damaged time in step 1" in reasons
    assert (
        "foreign.json: left out: a record of the story 'another', and this report is on 'tiny', "
        "the story asked for with --story" in reasons
    )


def test_a_version_1_record_is_read(tmp_path, story):
    session = Session(story, seed=4)
    session.choose("argue")
    session.choose("1")
    record = build_record(session, [5.0, 7.0], START, START).to_data()
    old = {
        key: record[key]
        for key in (
            "format",
            "story",
            "seed",
            "player",
            "partner",
            "started",
            "finished",
            "complete",
            "ending",
            "ending_title",
            "fault",
            "meters",
        )
    }
    old["version"] = 1
    old["steps"] = [
        {k: v for k, v in step.items() if k != "scene_title"} for step in record["steps"]
    ]
    (tmp_path / "old.json").write_text(json.dumps(old), "utf-8")
    upgraded, problem = read_record(tmp_path / "old.json")
    assert problem is None and upgraded.to_data()["version"] == 3
    assert upgraded.status == "complete"
    assert upgraded.meter_labels == {"trust": "Trust", "security": "Security"}
    summary = summarize_class([upgraded])
    assert summary.endings[0].title == record["ending_title"]


def run_cli(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_report_command(records, tmp_path_factory):
    folder, truth = records
    out = tmp_path_factory.mktemp("out")
    (folder / "junk.json").write_text("nope", "utf-8")
    result = run_cli("report", folder, "-o", out / "class.html")
    assert result.returncode == 0
    assert "junk.json: skipped" in result.stderr
    assert "30 records of 'Tiny', 1 left out" in result.stdout
    assert "junk.json" in (out / "class.html").read_text("utf-8")
    result = run_cli("report", str(folder / "tiny-*.json"), "-o", out / "class.csv", "--names")
    assert result.returncode == 0
    assert "student 0" in (out / "class.csv").read_text("utf-8")
    assert run_cli("report", folder, "-o", out / "class.pdf").returncode == 2
    assert run_cli("report", out / "nothing-here", "-o", out / "x.html").returncode == 1


def test_a_one_page_playthrough_report(tmp_path, story):
    from engine.classroom.playthrough_page import render_playthrough

    session = Session(story, seed=4)
    session.choose("argue")
    session.choose("1")
    record = build_record(session, [4.0, 9.5], START, START)
    page = parse(render_playthrough(record))
    text = " ".join(page.text)
    assert page.tags["svg"] == 1 and page.tags["polyline"] == 2  # one line per meter
    assert page.urls == [] and page.tags["script"] == 0
    assert record.ending_title in text and "What shifted?" in text
    for step in record.steps:
        assert step.text in text
        for feedback in step.feedback:
            assert feedback in text
    write_record(tmp_path / "mine.json", record)
    result = run_cli("report", tmp_path / "mine.json", "--playthrough", "-o", tmp_path / "me.html")
    assert result.returncode == 0 and (tmp_path / "me.html").read_text("utf-8").startswith(
        "<!DOCTYPE html>"
    )


def test_the_class_is_named_and_shares_round_halves_up(tmp_path, story):
    from engine.classroom.report_html import _percent

    session = Session(story, seed=1)
    session.choose("1")
    record = build_record(session, [2.0], START, START, classroom="Year 10, Tuesday")
    write_record(tmp_path / "r.json", record)
    summary = summarize_class(gather([str(tmp_path)]).records, names=True)
    assert "Class: Year 10, Tuesday." in render_html(summary, [])
    assert 'class,"Year 10, Tuesday"' in render_csv(summary)
    unnamed = summarize_class(gather([str(tmp_path)]).records)  # carried by each student's record
    assert "Year 10" not in render_html(unnamed, []) + render_csv(unnamed)
    assert (_percent(1, 8), _percent(3, 8), _percent(1, 3)) == ("13%", "38%", "33%")


def test_where_early_leavers_stopped_matches_what_they_did(records):
    folder, truth = records
    summary = summarize_class(gather([str(folder)]).records)
    left = [session for session, _ in truth if not session.ended]
    assert left and sum(stop.students for stop in summary.early_stops) == len(left)
    assert {stop.scene: stop.students for stop in summary.early_stops} == Counter(
        session.history[-1].scene for session in left
    )
    text = " ".join(parse(render_html(summary, [])).text)
    assert "Where early leavers stopped" in text and "Where the class split" in text


def test_times_per_decision_show_tenths_of_a_second(tmp_path, story):
    """Issue 11: the mean time per decision was rounded to whole seconds, so 2.4 s read as 2."""
    for number, seconds in enumerate([2.25, 2.55]):
        session = Session(story, seed=1)
        session.choose("1")
        record = build_record(session, [seconds], START, START)
        write_record(tmp_path / f"r{number}.json", record)
    html = render_html(summarize_class(gather([str(tmp_path)]).records), [])
    assert "<b>2.4</b>seconds per decision (mean)" in html
    assert "Mean time to decide: 2.4 s." in html
