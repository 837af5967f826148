"""What a record holds (version 3): a random id per playthrough, never the partner's typed name,
and the ending's own text and support text, which the playthrough page shows (issue 11, items
14, 17 and 18)."""

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime

from engine import Session, load_story
from engine.classroom.game import ClassroomGame
from engine.classroom.playthrough_page import render_playthrough
from engine.classroom.records import build_record, read_record, write_record
from engine.classroom.report_csv import render_csv
from engine.classroom.report_html import render_html
from engine.classroom.settings import Classroom
from engine.classroom.summary import gather, summarize_class
from engine.story.text import Partner

from ..conftest import ROOT, STORIES

NOW = datetime(2026, 11, 30, tzinfo=UTC)
TYPED = "Zebedee"  # a partner's name a student might type: a real person's, perhaps

# The partner's name in every text a record keeps, and a safety ending with the support text.
SAFETY_STORY = """\
title: Safety
start: hall
partner: {name: Sam, pronouns: they}
support: |
  If you are afraid of a partner, talk to someone you trust.

  A doctor will listen in confidence.
meters:
  trust: {label: Trust, start: 50}
responses:
  accept: Accept
  walk_away: Walk away
scenes:
  hall:
    title: With {partner}
    text: "{partner} says no."
    choices:
      - id: ask
        text: Ask {partner} why.
        response: accept
        effects: {trust: +5}
        feedback: "{partner} shrugs at you."
        goto: later
      - id: leave
        text: Leave {them} be.
        response: walk_away
        goto: safety
  later:
    text: Later.
    choices:
      - id: go_on
        text: Go on with {partner}.
        response: accept
        goto: later_still
  later_still:
    text: Later still.
    choices:
      - id: keep_going
        text: Keep going.
        response: accept
        goto: last
  last:
    text: The last scene.
    choices:
      - id: stop
        text: Stop here, {partner}.
        response: walk_away
        goto: safety
  safety:
    text: |
      This is where the story stops, {partner}.

      {partner}: "I did not mean it."
    ending:
      title: Safety first with {partner}
      debrief: "{partner} was not fair to {them}self or to you."
      support: true
      questions: ["What could {partner} have done?"]
"""


def run_cli(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def write_story(tmp_path):
    path = tmp_path / "safety.yaml"
    path.write_text(SAFETY_STORY, "utf-8")
    return path


def test_the_typed_partner_name_reaches_no_record_and_no_report(tmp_path):
    story = write_story(tmp_path)
    records = tmp_path / "records"
    result = run_cli(
        "play", story, "--text", "--partner", TYPED, "--pronouns", "she",
        "--choices", "ask,go_on,keep_going,stop", "--transcript", tmp_path / "mine.json",
        "--records", records, "--saves", tmp_path / "saves",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{TYPED} was not fair to herself" in result.stdout  # the player saw the name
    (recorded,) = records.glob("*.json")
    for path in (recorded, tmp_path / "mine.json"):
        text = path.read_text("utf-8")
        assert TYPED not in text
        data = json.loads(text)
        assert data["partner"] == {"pronouns": "she"}  # the pronouns stay
        assert data["steps"][0]["text"] == "Ask Sam why."  # the story's own name instead
        assert data["steps"][0]["feedback"] == ["Sam shrugs at you."]
        assert data["steps"][0]["scene_title"] == "With Sam"
        assert data["ending_title"] == "Safety first with Sam"
        assert data["ending_debrief"] == "Sam was not fair to herself or to you."
        assert data["ending_questions"] == ["What could Sam have done?"]
    outputs = []
    for name, extra in (("c.html", ()), ("c.csv", ()), ("n.csv", ("--names",))):
        assert run_cli("report", records, "-o", tmp_path / name, *extra).returncode == 0
        outputs.append(tmp_path / name)
    assert run_cli("report", recorded, "--playthrough", "-o", tmp_path / "p.html").returncode == 0
    outputs.append(tmp_path / "p.html")
    for output in outputs:
        assert TYPED not in output.read_text("utf-8"), output.name


def test_the_safety_ending_keeps_its_text_and_the_support_text_for_the_page(tmp_path):
    game = ClassroomGame(
        load_story(write_story(tmp_path)),
        tmp_path / "saves",
        seed=1,
        classroom=Classroom(records=tmp_path / "records"),
    )
    game.new(Partner(TYPED, "he"))
    game.choose("leave")
    record = game.record()
    assert record.ending_text == 'This is where the story stops, Sam.\n\nSam: "I did not mean it."'
    assert record.ending_support == (
        "If you are afraid of a partner, talk to someone you trust.\n\n"
        "A doctor will listen in confidence."
    )
    page = game.export_report().read_text("utf-8")  # the ending screen's export button
    assert "<h2>The ending</h2><p>This is where the story stops, Sam.</p>" in page
    assert "<p>Sam: &#34;I did not mean it.&#34;</p>" in page  # escaped by Jinja2
    assert "<h2>Where to get help</h2>" in page
    assert "<p>A doctor will listen in confidence.</p>" in page
    assert TYPED not in page


def test_an_ending_not_marked_support_has_no_support_text(tmp_path):
    session = Session(load_story(STORIES / "tiny.yaml"), seed=4)
    session.choose("argue")
    session.choose("1")
    record = build_record(session, [1.0, 1.0], NOW, NOW)
    assert record.complete and record.ending_support is None
    assert "Where to get help" not in render_playthrough(record)


def test_every_playthrough_has_its_own_id_and_keeps_it_when_continued(tmp_path):
    story = load_story(write_story(tmp_path))
    classroom = Classroom(records=tmp_path / "records")
    game = ClassroomGame(story, tmp_path / "saves", seed=1, classroom=classroom)
    game.new()
    game.choose("ask")
    game.leave()
    first = game.record().id
    later = ClassroomGame(story, tmp_path / "saves", seed=1, classroom=classroom)
    later.load("autosave")  # another day: the same playthrough, the same record and id
    later.choose("go_on")
    (path,) = (tmp_path / "records").glob("*.json")
    assert read_record(path)[0].id == first and len(read_record(path)[0].steps) == 2
    later.new()
    later.choose("ask")
    ids = {read_record(p)[0].id for p in (tmp_path / "records").glob("*.json")}
    assert len(ids) == 2 and first in ids


def version_2(record: dict, name: str) -> dict:
    """A record as version 2 wrote it: no id, the partner's name kept and in the texts."""
    old = {k: v for k, v in record.items() if k not in ("id", "ending_text", "ending_support")}
    old["version"] = 2
    old["partner"] = {"name": name, "pronouns": "she"}
    text = json.dumps(old).replace("Alex", name)
    return json.loads(text)


def test_a_version_2_record_loses_the_typed_name_and_gets_an_id_its_copies_share(tmp_path):
    story = load_story(STORIES / "tiny.yaml")
    session = Session(story, seed=4)
    session.choose("argue")
    session.choose("1")
    record = build_record(session, [1.0, 2.0], NOW, NOW).to_data()
    record["steps"][0]["feedback"] = ["Alex comes round. You thank Alex."]
    record["ending_questions"] = ["What did Alex's choice cost?"]
    old = version_2(record, TYPED)
    assert TYPED in json.dumps(old)
    (tmp_path / "old.json").write_text(json.dumps(old), "utf-8")
    (tmp_path / "copy (1).json").write_text(json.dumps(old), "utf-8")
    upgraded, problem = read_record(tmp_path / "old.json")
    assert problem is None and upgraded.to_data()["version"] == 3
    assert TYPED not in json.dumps(upgraded.to_data())
    assert upgraded.pronouns == "she"
    assert upgraded.steps[0].feedback == ("Your partner comes round. You thank your partner.",)
    assert upgraded.ending_questions == ("What did your partner's choice cost?",)
    assert upgraded.id == read_record(tmp_path / "copy (1).json")[0].id
    summary = summarize_class([upgraded], names=True)
    assert TYPED not in render_html(summary, []) + render_csv(summary)
    assert TYPED not in render_playthrough(upgraded)


def test_an_in_progress_record_is_counted_and_shown_as_such(tmp_path):
    session = Session(load_story(STORIES / "tiny.yaml"), seed=4)
    session.choose("argue")
    record = build_record(session, [1.0], NOW, NOW, in_progress=True)
    assert record.status == "in_progress" and record.finished is None
    write_record(tmp_path / "r.json", record)
    summary = summarize_class(gather([str(tmp_path)]).records)
    rows = list(csv.reader(io.StringIO(render_csv(summary))))
    assert ["played", "in_progress", "in_progress", "1", "1.0000"] in rows
    assert "in progress (or stopped without quitting)" in render_html(summary, [])
    assert "in progress when last written" in render_playthrough(record)
