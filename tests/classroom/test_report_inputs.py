"""The class report against records students could have made or copied: which story it is on,
copies counted once, nothing echoed that a terminal would obey (issue 11, items 10, 11, 14)."""

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Session, load_story
from engine.classroom.records import RecordStory, build_record, write_record
from engine.classroom.summary import gather
from engine.tools.commands.report import plain

from ..conftest import ROOT, STORIES

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def run_cli(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        timeout=120,
    )


def tiny_record(number, player=None, classroom=None, choices=("argue", "1")):
    session = Session(load_story(STORIES / "tiny.yaml"), seed=number)
    for choice in choices:
        session.choose(choice)
    when = START + timedelta(minutes=number)
    return build_record(session, [2.0] * len(choices), when, when, player, classroom)


def write_class(folder, count=5, **details):
    folder.mkdir(parents=True, exist_ok=True)
    records = [tiny_record(number, **details) for number in range(count)]
    for number, record in enumerate(records):
        write_record(folder / f"tiny-{number}.json", record)
    return records


def of_another_story(record, story_id="other", title="Other"):
    return replace(record, story=RecordStory(story_id, title, None, None))


# Item 10: the story most records share ----------------------------------------------------------


def test_one_record_of_another_story_sorted_first_cannot_hijack_the_report(tmp_path):
    folder = tmp_path / "records"
    write_class(folder)
    write_record(folder / "!0000.json", of_another_story(tiny_record(99)))
    result = run_cli("report", folder, "-o", tmp_path / "class.html")
    assert result.returncode == 0
    assert b"5 records of 'Tiny', 1 left out" in result.stdout
    assert (
        b"!0000.json: left out: a record of the story 'other', and this report is on 'tiny', "
        b"the story most records share (use --story other for a report on the other)"
    ) in result.stderr
    assert "!0000.json: left out" in (tmp_path / "class.html").read_text("utf-8")


def test_the_story_asked_for_is_reported_and_the_others_named(tmp_path):
    folder = tmp_path / "records"
    write_class(folder, count=3)
    write_record(folder / "!0000.json", of_another_story(tiny_record(99)))
    gathered = gather([str(folder)], story_id="other")
    assert [record.story.id for record in gathered.records] == ["other"]
    assert len(gathered.skipped) == 3
    assert all("the story asked for with --story" in line for line in gathered.skipped)


def test_stories_equally_shared_go_to_the_one_found_first(tmp_path):
    write_record(tmp_path / "a.json", of_another_story(tiny_record(1), "zeta"))
    write_record(tmp_path / "b.json", tiny_record(2))
    assert gather([str(tmp_path)]).story_id == "zeta"


# Item 14: copies count once -----------------------------------------------------------------------


def test_a_copied_record_counts_once_and_is_named(tmp_path):
    folder = tmp_path / "records"
    write_class(folder)
    original = folder / "tiny-2.json"
    (folder / "copy (1).json").write_bytes(original.read_bytes())
    (folder / "usb").mkdir()
    (folder / "usb" / "renamed.json").write_bytes(original.read_bytes())
    result = run_cli("report", folder, "-o", tmp_path / "class.csv")
    assert result.returncode == 0
    assert b"5 records of 'Tiny', 2 left out" in result.stdout
    kept = folder / "copy (1).json"  # found first of the three equal files
    for copy in (original, folder / "usb" / "renamed.json"):
        assert (
            f"{copy}: left out: a copy of the playthrough in {kept} (the same playthrough "
            "id), counted once"
        ).encode() in result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "class.csv").read_text("utf-8"))))
    assert sum(int(row["value"]) for row in rows if row["section"] == "played") == 5


def test_of_two_copies_the_one_furthest_on_is_kept(tmp_path):
    done = tiny_record(3)
    early = replace(done, status="in_progress", steps=done.steps[:1], ending=None)
    write_record(tmp_path / "a-early.json", early)  # found first, but not as far on
    write_record(tmp_path / "b-done.json", done)
    gathered = gather([str(tmp_path)])
    assert [record.complete for record in gathered.records] == [True]
    assert gathered.sources == [tmp_path / "b-done.json"]
    assert "a-early.json: left out: a copy of the playthrough in" in gathered.skipped[0]


# Item 11: nothing a terminal would obey --------------------------------------------------------

ESCAPES = "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b]8;;http://x\x1b\\link \x9b2J \x07\x08\u202egnp"


def test_escape_sequences_from_records_and_file_names_are_not_echoed(tmp_path):
    folder = tmp_path / "records"
    write_class(folder, count=2)
    titled = of_another_story(tiny_record(7), "tiny", f"Tiny {ESCAPES}")
    write_record(folder / "!first.json", titled)  # its title names the report
    write_record(folder / "\x1b[2J.json", of_another_story(tiny_record(8), f"x{ESCAPES}"))
    (folder / "bad\x1b]0;owned\x07.json").write_text("not json", "utf-8")
    for extra in ((), ("--story", f"x{ESCAPES}")):
        result = run_cli("report", folder, "-o", tmp_path / "class.html", *extra)
        assert result.returncode == 0
        printed = (result.stdout + result.stderr).decode("utf-8")
        assert "left out" in printed
        for line in printed.split("\n"):
            assert line == plain(line)
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in line), line
            assert "\u202e" not in line
    result = run_cli("report", folder / "!first.json", "--playthrough", "-o", tmp_path / "p.html")
    assert b"the playthrough of 'Tiny red  link  gnp'" in result.stdout  # OSC's title dropped


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_plain_text_has_no_control_character_left(text):
    shown = plain(text)
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in shown)
    assert not any(ch in shown for ch in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066")
    assert plain(shown) == shown


# A record path the system refuses --------------------------------------------------------------


def test_a_name_too_long_for_the_system_is_named_not_a_crash(tmp_path):
    result = run_cli("report", "x" * 5000, "-o", tmp_path / "c.html")
    assert result.returncode == 1
    assert b": skipped: it cannot be read (File name too long)" in result.stderr
    assert b"internal error" not in result.stderr
    json.dumps(result.stderr.decode())  # one plain message, printable as it is
