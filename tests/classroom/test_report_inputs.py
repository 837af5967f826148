"""The class report against records students could have made or copied: which story it is on,
copies counted once, nothing echoed that a terminal would obey, no cell a spreadsheet would run,
names in natural order (issue 11, items 9, 10, 11, 14 and 19)."""

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
from engine.classroom.report_csv import FORMULA_STARTS, render_csv
from engine.classroom.summary import gather, summarize_class
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


# Item 9: no formulas in the CSV, and the class's name only with --names ---------------------------

FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
            "  =1", "\uff1d1+1", "\n=1"]  # fmt: skip


def spreadsheet_cells(raw: bytes):
    """The cells as a spreadsheet reads the file: every field of every row, any line break
    outside quotes (a lone carriage return too) ending a row."""
    text = raw.decode("utf-8")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_no_cell_of_the_csv_can_start_a_formula(tmp_path):
    folder = tmp_path / "records"
    for number, formula in enumerate(FORMULAS):
        record = tiny_record(number, player=formula, classroom=formula)
        steps = tuple(
            replace(step, scene_title=formula, text=formula, choice=f"{formula}{index}")
            for index, step in enumerate(record.steps)
        )
        record = replace(
            record,
            steps=steps,
            ending_title=formula,
            meter_labels={"trust": formula, "security": formula},
            response_labels={"fight": formula, "accept": formula},
        )
        folder.mkdir(exist_ok=True)
        write_record(folder / f"r{number}.json", record)
    assert run_cli("report", folder, "-o", tmp_path / "c.csv", "--names").returncode == 0
    raw = (tmp_path / "c.csv").read_bytes()
    assert b"\r" not in raw  # a carriage return would end a row where a spreadsheet reads it
    cells = spreadsheet_cells(raw)
    quoted = [cell for cell in cells if cell.startswith("'")]
    for cell in cells:
        if cell.startswith("'"):
            continue
        assert cell[:1] not in FORMULA_STARTS and cell.lstrip(" ")[:1] not in FORMULA_STARTS
    for formula in FORMULAS:  # each is still there, as text
        shown = "'" + formula.replace("\r", "\n")
        assert any(cell.startswith(shown) for cell in quoted), formula


def test_the_class_name_is_written_only_with_names(tmp_path):
    folder = tmp_path / "records"
    write_class(folder, count=3, classroom="Mr Smith's 10B")
    assert run_cli("report", folder, "-o", tmp_path / "c.csv").returncode == 0
    assert run_cli("report", folder, "-o", tmp_path / "c.html").returncode == 0
    for name in ("c.csv", "c.html"):
        assert "Smith" not in (tmp_path / name).read_text("utf-8")
    assert run_cli("report", folder, "-o", tmp_path / "n.csv", "--names").returncode == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "n.csv").read_text("utf-8"))))
    assert [row["key"] for row in rows if row["section"] == "class"] == ["Mr Smith's 10B"]


def test_neutral_numbers_are_left_as_numbers():
    record = tiny_record(1)
    rows = list(csv.DictReader(io.StringIO(render_csv(summarize_class([record])))))
    assert all(row["value"].replace(".", "").isdigit() for row in rows)


# Item 19: names in natural order -----------------------------------------------------------------


def test_names_sort_naturally(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    codes = ["A10", "A2", "A11", "A1", "b3", "A02x"]
    for number, code in enumerate(codes):
        write_record(folder / f"r{number}.json", tiny_record(number, player=code))
    summary = summarize_class(gather([str(folder)]).records, names=True)
    assert [player for player, _ in summary.players] == ["A1", "A2", "A02x", "A10", "A11", "b3"]
    assert run_cli("report", folder, "-o", tmp_path / "c.csv", "--names").returncode == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text("utf-8"))))
    assert [row["key"] for row in rows if row["section"] == "player"] == [
        "A1", "A2", "A02x", "A10", "A11", "b3"
    ]  # fmt: skip


def test_a_very_long_number_in_a_name_sorts_without_trouble(tmp_path):
    records = [tiny_record(1, player="A" + "9" * 5000), tiny_record(2, player="A2")]
    summary = summarize_class(records, names=True)
    assert [player[:2] for player, _ in summary.players] == ["A2", "A9"]


# A record path the system refuses --------------------------------------------------------------


def test_a_name_too_long_for_the_system_is_named_not_a_crash(tmp_path):
    result = run_cli("report", "x" * 5000, "-o", tmp_path / "c.html")
    assert result.returncode == 1
    assert b": skipped: it cannot be read (" in result.stderr  # the system's reason follows
    assert b"internal error" not in result.stderr
    json.dumps(result.stderr.decode())  # one plain message, printable as it is
