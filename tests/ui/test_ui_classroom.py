"""A class in the window: undo off, meters kept for the ending, the player's name or code, a
record of every finished or abandoned playthrough with its decision times, the report export."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser

import pygame
import pytest

from engine.classroom.records import read_record
from engine.classroom.settings import Classroom
from tests.conftest import ROOT
from tests.ui.conftest import SIZES, TINY
from tests.ui.test_ui_play import start_new_game


def records_in(folder) -> list[dict]:
    """Every record in a folder, checked as a report reads it, as the data its file holds."""
    found = []
    for path in sorted(folder.glob("*.json")):
        record, problem = read_record(path)
        assert problem is None, f"{path.name} {problem}"
        found.append(record.to_data())
    return found


def drawn(driver, what: str) -> list[str]:
    """The kinds of text drawn in the last frame whose description contains `what`."""
    driver.app.draw_frame()
    return [entry[0] for entry in driver.app.text_log.entries if what in entry[0]]


def play_to_the_ending(driver) -> None:
    """From the hall of tiny.yaml: Let it go, read the feedback, talk it through."""
    driver.key(pygame.K_1)
    if driver.top.name == "feedback":
        driver.key(pygame.K_RETURN)
    driver.key(pygame.K_1)
    assert driver.app.find("ending") is not None  # perhaps under a message


class ParseCheck(HTMLParser):
    """Parses a page and checks that the elements that must be closed are, in order."""

    CLOSED = {"html", "head", "body", "section", "svg", "table", "ol", "ul", "h1", "h2", "p"}

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.CLOSED:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.CLOSED:
            assert self.open and self.open[-1] == tag, (self.open, tag)
            self.open.pop()

    def handle_data(self, data):
        self.texts.append(data)


# Undo ------------------------------------------------------------------------------------------


def test_a_class_with_undo_off_ignores_u_and_shows_no_undo(make_driver):
    driver = make_driver(TINY, classroom=Classroom(allow_undo=False))
    driver.app.change_settings(allow_undo=True)  # the player's own setting cannot turn it on
    start_new_game(driver)
    session = driver.app.game.session
    assert session.allow_undo is False
    assert "undo" not in [tool.key for tool in driver.top.toolbar.tools]  # no header button
    driver.key(pygame.K_1)
    assert driver.top.name == "feedback"
    assert [b.key for b in driver.top.button_list.buttons] == ["continue"]
    driver.key(pygame.K_u)
    assert driver.top.name == "feedback"
    driver.key(pygame.K_RETURN)
    assert session.scene_id == "kitchen"
    for key in (pygame.K_u, pygame.K_BACKSPACE):
        driver.key(key)
    assert session.scene_id == "kitchen" and len(session.history) == 1
    assert driver.top.name == "play" and driver.top.notice is None
    driver.key(pygame.K_ESCAPE)
    assert "undo" not in [b.key for b in driver.top.button_list.buttons]
    driver.key(pygame.K_ESCAPE)
    driver.key(pygame.K_F2)
    undo = next(b for b in driver.top.button_list.buttons if b.key == "undo")
    assert not undo.enabled and undo.value == "Off" and "class" in undo.detail
    driver.key(pygame.K_F1)
    assert driver.top.name == "help"
    assert not any("undo" in block.text for block in driver.top.document.blocks)


def test_undo_stays_off_in_a_class_when_a_save_from_elsewhere_is_continued(make_driver):
    free = make_driver(TINY)
    start_new_game(free)
    free.key(pygame.K_1)
    free.key(pygame.K_RETURN)
    assert free.app.game.session.allow_undo
    driver = make_driver(TINY, classroom=Classroom(allow_undo=False))
    driver.click_button("continue")
    assert driver.top.name == "play" and driver.app.game.session.allow_undo is False
    driver.key(pygame.K_u)
    assert len(driver.app.game.session.history) == 1


# Meters ----------------------------------------------------------------------------------------


def test_hidden_meters_stay_hidden_in_play_and_feedback_and_show_at_the_ending(make_driver):
    driver = make_driver(TINY, size=(800, 600), classroom=Classroom(show_meters=False))
    start_new_game(driver)
    assert driver.app.frame.meters.height == 0  # no room kept for them either
    assert drawn(driver, "meter") == []
    driver.key(pygame.K_1)
    assert driver.top.name == "feedback"
    texts = [block.text for block in driver.top.document.blocks]
    assert "You keep the peace." in texts  # the feedback is still there
    assert not any("Trust" in text or "What changed" in text for text in texts)
    assert drawn(driver, "meter") == []
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_1)
    assert driver.top.name == "ending"
    assert any(block.draw is not None for block in driver.top.document.blocks)  # the chart
    driver.key(pygame.K_END)
    assert drawn(driver, "chart legend")


def test_a_choice_with_only_meter_changes_skips_the_feedback_when_meters_are_hidden(
    make_driver, tmp_path
):
    story = tmp_path / "quiet.yaml"
    story.write_text(
        "title: Quiet\nstart: a\nmeters:\n  trust: {start: 50}\nscenes:\n"
        "  a:\n    text: Start.\n    choices:\n      - text: On.\n"
        "        effects: {trust: +5}\n        goto: b\n"
        "  b:\n    text: Next.\n    choices:\n      - text: End.\n        goto: z\n"
        "  z:\n    text: Done.\n    ending: {title: Done}\n"
    )
    driver = make_driver(story, classroom=Classroom(show_meters=False))
    start_new_game(driver)
    driver.key(pygame.K_1)
    assert driver.top.name == "play" and driver.app.game.session.scene_id == "b"


# The player's name or code, and records --------------------------------------------------------


def test_a_class_that_asks_for_a_code_requires_it_and_puts_it_in_the_record(make_driver, tmp_path):
    records = tmp_path / "records"
    driver = make_driver(
        TINY, classroom=Classroom(name="Year 10", ask_player="code", records=records)
    )
    assert "Class: Year 10" in driver.top.header_text()
    driver.key(pygame.K_RETURN)  # New game
    assert driver.top.name == "player" and driver.top.kind == "code"
    driver.key(pygame.K_RETURN)  # nothing typed yet: it is required
    assert driver.top.name == "player" and "Please type your code" in driver.top.problem
    driver.type("K-7")
    driver.type(" ")
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "partner"
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    play_to_the_ending(driver)
    [record] = records_in(records)
    assert record["player"] == "K-7" and record["classroom"] == "Year 10"
    assert record["status"] == "complete" and len(record["steps"]) == 2
    assert record["ending_title"] == "Balance"


def test_the_code_field_takes_at_most_60_characters(make_driver):
    driver = make_driver(TINY, classroom=Classroom(ask_player="name"))
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "player" and driver.top.kind == "name"
    driver.type("x" * 100)
    assert len(driver.top.text) == 60
    assert driver.spills() == []


def test_a_player_given_on_the_command_line_is_not_asked(make_driver, tmp_path):
    records = tmp_path / "records"
    driver = make_driver(
        TINY, classroom=Classroom(ask_player="code", records=records), player="P-1"
    )
    start_new_game(driver)
    play_to_the_ending(driver)
    assert records_in(records)[0]["player"] == "P-1"


def test_going_back_to_the_title_abandons_and_finishing_later_rewrites_the_same_record(
    make_driver, tmp_path
):
    records = tmp_path / "records"
    driver = make_driver(TINY, classroom=Classroom(ask_player="name", records=records))
    driver.key(pygame.K_RETURN)
    driver.type("Ana")
    driver.key(pygame.K_RETURN)
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_ESCAPE)
    driver.click_button("title")  # no choice made yet: nothing to record
    assert not list(records.glob("*.json"))
    driver.click_button("new")
    driver.type("Ana")
    driver.key(pygame.K_RETURN)
    driver.focus("begin")
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_ESCAPE)
    driver.click_button("title")
    [record] = records_in(records)
    assert record["status"] == "abandoned" and record["player"] == "Ana"
    assert len(record["steps"]) == 1
    assert record["finished"] is not None
    driver.click_button("continue")  # the same playthrough: no need to ask again
    assert driver.top.name == "play"
    driver.key(pygame.K_ESCAPE)
    driver.click_button("title")  # nothing new since: no new file, no rewrite
    assert len(list(records.glob("*.json"))) == 1
    driver.click_button("continue")
    driver.key(pygame.K_1)
    assert driver.top.name == "ending"
    [record] = records_in(records)
    assert record["status"] == "complete" and len(record["steps"]) == 2
    assert record["player"] == "Ana"


def test_quitting_abandons_and_continuing_another_day_finishes_the_same_record(
    make_driver, tmp_path
):
    records = tmp_path / "records"
    driver = make_driver(TINY, classroom=Classroom(records=records))
    start_new_game(driver)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_ESCAPE)
    driver.click_button("quit")
    assert not driver.app.running
    [record] = records_in(records)
    assert record["status"] == "abandoned" and len(record["steps"]) == 1
    again = make_driver(TINY, classroom=Classroom(records=records))  # another day
    again.click_button("continue")
    again.key(pygame.K_1)
    assert again.top.name == "ending"
    [record] = records_in(records)  # the same playthrough, the same file
    assert record["status"] == "complete" and len(record["steps"]) == 2
    assert record["steps"][0]["seconds"] is not None  # its first time was kept with the save


def test_loading_another_save_abandons_the_playthrough_in_progress(make_driver, tmp_path):
    records = tmp_path / "records"
    driver = make_driver(TINY, classroom=Classroom(records=records))
    start_new_game(driver)
    driver.key(pygame.K_s)
    driver.click_button("slot:slot-1")  # saved before any choice
    driver.key(pygame.K_ESCAPE)
    driver.key(pygame.K_1)
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_l)
    driver.click_button("slot:slot-1")
    assert driver.top.name == "play" and not driver.app.game.session.history
    [record] = records_in(records)
    assert record["status"] == "abandoned" and len(record["steps"]) == 1


def test_decision_times_start_when_the_choices_show_and_undone_ones_are_dropped(
    make_driver, tmp_path
):
    records = tmp_path / "records"
    driver = make_driver(TINY, classroom=Classroom(records=records))
    clock = [100.0]
    driver.app.game.now = lambda: clock[0]
    driver.app.change_settings(text_speed="typewriter")
    driver.app.fixed_dt = 0.001
    start_new_game(driver)
    assert driver.top.document.revealing
    assert driver.app.game.playthrough.shown_at is None  # still being written out
    clock[0] = 105.0
    driver.key(pygame.K_SPACE)  # shows the whole text, and with it the choices
    assert driver.app.game.playthrough.shown_at == 105.0
    driver.app.change_settings(text_speed="instant")
    clock[0] = 108.5
    driver.key(pygame.K_1)
    assert driver.app.game.playthrough.seconds == [3.5]
    clock[0] = 150.0
    driver.key(pygame.K_RETURN)  # feedback read: the next scene's choices show at 150
    driver.key(pygame.K_u)  # taken back: its time goes with it
    assert driver.app.game.playthrough.seconds == []
    clock[0] = 160.0
    driver.key(pygame.K_1)
    assert driver.app.game.playthrough.seconds == [10.0]  # from the undo (150) to now
    driver.key(pygame.K_RETURN)
    clock[0] = 162.25
    driver.key(pygame.K_1)
    [record] = records_in(records)
    assert [step["seconds"] for step in record["steps"]] == [10.0, 2.25]


def test_a_record_that_cannot_be_written_says_so_and_play_goes_on(make_driver, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the records folder should be")
    driver = make_driver(TINY, classroom=Classroom(records=blocked))
    start_new_game(driver)
    driver.key(pygame.K_1)  # the record is written after every choice: this one fails
    assert driver.top.name == "message" and driver.top.title == "The record was not written"
    assert driver.spills() == []
    driver.key(pygame.K_RETURN)
    assert driver.top.name in ("feedback", "play") and driver.app.running
    play_on = pygame.K_RETURN if driver.top.name == "feedback" else pygame.K_1
    driver.key(play_on)
    if driver.top.name == "play":
        driver.key(pygame.K_1)
    assert driver.top.name == "ending"  # said once, not after every choice
    assert driver.app.game.record_failed and not driver.app.game.notices


# The report ------------------------------------------------------------------------------------


@pytest.mark.parametrize("in_class", [True, False])
def test_the_export_button_writes_a_report_page_and_says_where(make_driver, tmp_path, in_class):
    records = tmp_path / "records"
    saves = tmp_path / "saves"
    classroom = Classroom(records=records) if in_class else None
    driver = make_driver(TINY, classroom=classroom, saves=str(saves))
    start_new_game(driver)
    play_to_the_ending(driver)
    driver.click_button("export")
    assert driver.top.name == "message" and driver.top.title == "Report exported"
    folder = records if in_class else saves / "reports"
    [page] = folder.glob("*.html")
    assert driver.top.details == [str(page.resolve())]
    assert driver.spills() == []
    check = ParseCheck()
    check.feed(page.read_text("utf-8"))
    check.close()
    assert check.open == []
    text = " ".join(check.texts)
    assert "Tiny" in text and "Balance" in text and "What shifted?" in text
    driver.key(pygame.K_RETURN)
    driver.focus("export")
    driver.key(pygame.K_RETURN)  # by keyboard too; the same file again
    assert driver.top.name == "message" and len(list(folder.glob("*.html"))) == 1
    if in_class:
        assert page.stem == next(records.glob("*.json")).stem  # beside its record


# Classroom files -------------------------------------------------------------------------------


def test_a_classroom_file_chooses_the_story_and_names_the_class(make_driver, tmp_path):
    settings = tmp_path / "class.yaml"
    settings.write_text(f"name: Room 4\nstory: {TINY}\nshow_meters: false\n")
    driver = make_driver(None, classroom=settings)
    assert driver.top.name == "title" and driver.app.game.story.title == "Tiny"
    assert driver.app.game.classroom.records == (tmp_path / "records").resolve()
    assert drawn(driver, "header") and "Class: Room 4" in driver.top.header_text()


def test_a_wrong_classroom_file_shows_its_problems_and_the_game_keeps_running(
    make_driver, tmp_path
):
    settings = tmp_path / "class.yaml"
    settings.write_text("name: Room 4\nallow_undo: sometimes\nask_player: email\n")
    driver = make_driver(None, classroom=settings)
    assert driver.top.name == "story_errors" and driver.top.what == "classroom"
    assert all(line.startswith(f"{settings}:") for line in driver.top.headlines)
    assert any(":2:13: error:" in line for line in driver.top.headlines)
    for size in SIZES:
        driver.resize(*size)
        assert driver.spills() == []
    settings.write_text(f"name: Room 4\nstory: {TINY}\n")
    driver.key(pygame.K_F5)  # fixed: try again
    assert driver.top.name == "title" and driver.app.running


def test_the_flags_override_the_classroom_file(make_driver, tmp_path):
    settings = tmp_path / "class.yaml"
    settings.write_text(f"story: {TINY}\nallow_undo: true\n")
    driver = make_driver(
        None,
        classroom=settings,
        classroom_overrides={
            "allow_undo": False,
            "show_meters": False,
            "ask_player": None,
            "records": None,
        },
    )
    classroom = driver.app.game.classroom
    assert classroom.allow_undo is False and classroom.show_meters is False


def test_main_with_a_classroom_draws_its_screens(tmp_path):
    settings = tmp_path / "class.yaml"
    settings.write_text(f"name: Year 10\nstory: {TINY}\nshow_meters: false\nask_player: code\n")
    for screen in ("title", "player", "play"):
        out = tmp_path / f"{screen}.png"
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "--classroom",
                str(settings),
                "--screenshot",
                str(out),
                "--size",
                "800x600",
                "--screen",
                screen,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        pygame.display.init()
        assert pygame.image.load(str(out)).get_size() == (800, 600)
    assert not (tmp_path / "records").exists()  # a screenshot writes no records


def test_main_with_a_wrong_classroom_file_draws_its_problems(tmp_path):
    settings = tmp_path / "class.yaml"
    settings.write_text("name: [unclosed\n")
    out = tmp_path / "errors.png"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--classroom",
            str(settings),
            "--screenshot",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert out.is_file()


# Every new screen keeps its text inside its box ------------------------------------------------

CLASS_SCREENS = [
    "title",
    "player",
    "play",
    "feedback",
    "ending",
    "pause",
    "settings",
    "export",
    "record_failed",
]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", CLASS_SCREENS)
def test_classroom_screens_keep_their_text_inside_its_box(make_driver, tmp_path, size, screen):
    from engine.ui.screenshot import build_screen

    records = tmp_path / ("blocked" if screen == "record_failed" else "records")
    if screen == "record_failed":
        records.write_text("")
    classroom = Classroom(
        name="Year 10, Tuesday afternoon, room 4 (the long one)",
        allow_undo=False,
        show_meters=False,
        ask_player="code",
        records=records,
    )
    driver = make_driver(TINY, size=size, classroom=classroom, player=None)
    game = driver.app.game
    if screen == "export":
        game.next_player = "K" * 60
        start_new_game_in_class(driver)
        play_to_the_ending(driver)
        driver.click_button("export")
        assert driver.top.name == "message"
    elif screen == "record_failed":
        game.next_player = "K" * 60
        start_new_game_in_class(driver)
        driver.key(pygame.K_1)  # the first choice's record cannot be written
        assert driver.top.name == "message"
    elif screen == "player":
        build_screen(driver.app, "player", [])
        driver.key(pygame.K_RETURN)  # shows the "required" note
        driver.type("W" * 60)
    else:
        game.autosaving = False
        build_screen(driver.app, screen, ["1"] if screen not in ("ending",) else [])
    driver.app.draw_frame()
    assert driver.app.text_log.entries
    assert driver.app.text_log.spills(driver.app.window) == []


def start_new_game_in_class(driver) -> None:
    """New game in a class that asks for a code, with `game.next_player` already set."""
    driver.app.game.new()
    from engine.ui.navigation import start_playing

    start_playing(driver.app)
    driver.run()


def test_continuing_a_game_whose_player_is_unknown_asks_first(make_driver, tmp_path):
    records = tmp_path / "records"
    free = make_driver(TINY)
    start_new_game(free)
    free.key(pygame.K_1)
    free.key(pygame.K_RETURN)
    driver = make_driver(TINY, classroom=Classroom(ask_player="name", records=records))
    driver.click_button("continue")
    assert driver.top.name == "player"
    driver.type("Bo")
    driver.key(pygame.K_RETURN)
    assert driver.top.name == "play" and driver.app.game.session.scene_id == "kitchen"
    driver.key(pygame.K_1)
    assert records_in(records)[0]["player"] == "Bo"


def test_an_ending_reached_again_by_another_path_after_undo_rewrites_the_record(
    make_driver, tmp_path
):
    records = tmp_path / "records"
    driver = make_driver(TINY, classroom=Classroom(records=records), seed=1)
    start_new_game(driver)
    play_to_the_ending(driver)  # Let it go, then Talk it through
    first = records_in(records)[0]
    driver.click_button("undo")
    driver.key(pygame.K_u)  # back in the hall
    assert driver.app.game.session.scene_id == "hall"
    driver.key(pygame.K_2)  # Push back
    driver.key(pygame.K_RETURN)
    driver.key(pygame.K_1)
    assert driver.top.name == "ending"
    [second] = records_in(records)  # the same file, with the new path
    assert second["steps"][0]["choice"] == "argue" != first["steps"][0]["choice"]
    assert second["status"] == "complete"
