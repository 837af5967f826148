"""The terminal player in-process, on the shared Game: records, continuing, interruptions."""

import io
import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import load_story
from engine.classroom.game import ClassroomGame
from engine.classroom.settings import Classroom
from engine.play.game import SLOTS
from engine.story.text import typed_text_problem
from engine.terminal.player import TextPlayer, ask_player

from ..conftest import STORIES, run_main

TINY = STORIES / "tiny.yaml"


def answers(*lines, then=EOFError):
    """An `ask` that gives these answers, then raises `then` (EOF: the input ran out)."""
    queue = list(lines)

    def ask(prompt):
        ask.prompts.append(prompt)
        if queue:
            return queue.pop(0)
        raise then()

    ask.prompts = []
    return ask


def player_for(tmp_path, *lines, then=EOFError, classroom=None, interactive=True):
    game = ClassroomGame(
        load_story(TINY),
        tmp_path / "saves",
        seed=2,
        classroom=classroom or Classroom(records=tmp_path / "records"),
    )
    out = io.StringIO()
    return TextPlayer(game, out=out, ask=answers(*lines, then=then), interactive=interactive), out


def records(tmp_path):
    return [json.loads(p.read_text("utf-8")) for p in sorted((tmp_path / "records").glob("*"))]


def test_ctrl_c_leaves_an_abandoned_record_and_the_place_saved(tmp_path):
    player, out = player_for(tmp_path, "", "", "1", then=KeyboardInterrupt)
    assert player.start() == 130
    assert "interrupted: your place is saved." in out.getvalue()
    (record,) = records(tmp_path)
    assert record["status"] == "abandoned" and len(record["steps"]) == 1
    assert (tmp_path / "saves" / "tiny" / "autosave.json").is_file()


def test_a_game_continued_later_keeps_one_record_and_its_times(tmp_path):
    player, _ = player_for(tmp_path, "", "", "1", "quit")  # partner name, pronouns, a choice
    player.start()
    assert [r["status"] for r in records(tmp_path)] == ["abandoned"]
    again, _ = player_for(tmp_path, "y", "1", "")  # continue? yes; the last choice; finish
    assert again.start() == 0
    assert again.ask.prompts[0].startswith("You have a game in progress (kitchen, 1 choice")
    (record,) = records(tmp_path)  # the same file, now complete
    assert record["status"] == "complete" and len(record["steps"]) == 2
    assert all(isinstance(step["seconds"], float) for step in record["steps"])


def test_declining_to_continue_starts_afresh(tmp_path):
    player_for(tmp_path, "", "", "1", "quit")[0].start()
    player, out = player_for(tmp_path, "n", "", "", "quit")
    player.start()
    assert player.game.session.history == []
    assert len(records(tmp_path)) == 1  # the fresh game has made no choice: nothing to record


def test_times_of_choices_made_before_a_save_without_its_playthrough_are_unknown(tmp_path):
    player, _ = player_for(tmp_path, "", "", "1", "quit")
    player.start()
    sidecar = tmp_path / "saves" / "tiny" / "autosave.playthrough.json"
    sidecar.unlink()
    again, _ = player_for(tmp_path, interactive=False)
    again.start(load="autosave", script=["1"])
    complete = [r for r in records(tmp_path) if r["status"] == "complete"]
    assert complete[0]["steps"][0]["seconds"] is None  # unknown, not zero
    assert complete[0]["steps"][1]["seconds"] == 0.0  # scripted


def test_a_class_code_is_asked_first_and_cannot_be_a_command(tmp_path):
    asked = []

    def ask(prompt):
        asked.append(prompt)
        return ["quit", "B7", "", "", "quit"][len(asked) - 1]

    game = ClassroomGame(
        load_story(TINY),
        tmp_path / "saves",
        seed=2,
        classroom=Classroom(ask_player="code", records=tmp_path / "records"),
    )
    TextPlayer(game, out=io.StringIO(), ask=ask, interactive=True).start()
    assert asked[:2] == ["Your code (from your teacher): "] * 2
    assert asked[2].startswith("Your partner's name")
    assert game.playthrough.player == "B7"


def test_the_player_is_warned_when_a_class_wants_a_code_and_none_is_given(tmp_path):
    player, out = player_for(tmp_path, classroom=Classroom(ask_player="code"), interactive=False)
    player.start(script=["1"])
    assert "give it with --player" in out.getvalue()


def test_ask_player_gives_up_at_the_end_of_input():
    assert ask_player("name", answers("  ", "quit")) is None


def test_a_class_code_is_asked_when_the_lines_come_through_a_pipe(tmp_path):
    """Issue 11, item 16: without a keyboard the code was not asked, so the code typed was read
    as a choice and refused, and the record stayed anonymous."""
    classroom = Classroom(ask_player="code", records=tmp_path / "records")
    player, out = player_for(
        tmp_path, "K9", "argue", "quit", classroom=classroom, interactive=False
    )
    assert player.start() == 0
    assert player.ask.prompts[:2] == ["Your code (from your teacher): ", "> "]
    assert "There is no choice" not in out.getvalue()
    (record,) = records(tmp_path)
    assert record["player"] == "K9"


def test_a_code_or_partner_name_that_is_not_printable_text_is_asked_again(tmp_path):
    undecodable = UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    lines = ["A\x00", undecodable, "\udcff\udcfe", "\u2066x", "Z1", "Al\x07", "Kim", ""]

    def ask(prompt):
        ask.prompts.append(prompt)
        if not lines:
            raise EOFError
        line = lines.pop(0)
        if isinstance(line, Exception):
            raise line
        return line

    ask.prompts = []
    game = ClassroomGame(
        load_story(TINY),
        tmp_path / "saves",
        seed=2,
        classroom=Classroom(ask_player="code", records=tmp_path / "records"),
    )
    out = io.StringIO()
    TextPlayer(game, out=out, ask=ask, interactive=True).start(script=None)
    shown = out.getvalue()
    assert "That cannot be used: it holds a control character (U+0000). Please" in shown
    assert "That line could not be read as text; please type it again." in shown
    assert "it holds bytes that are not text" in shown
    assert "(U+2066 LEFT-TO-RIGHT ISOLATE)" in shown
    assert "(U+0007)" in shown
    assert game.playthrough.player == "Z1" and game.session.partner.name == "Kim"
    assert ask.prompts.count("Your code (from your teacher): ") == 5


@given(st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_what_typed_text_problem_accepts_can_be_saved_and_printed(text):
    problem = typed_text_problem(text)
    if problem is None:
        encoded = json.dumps({"player": text}, ensure_ascii=False).encode("utf-8")
        assert json.loads(encoded)["player"] == text
        assert all(unicodedata.category(c) not in ("Cc", "Cs", "Zl", "Zp") for c in text)
    else:
        assert problem.startswith("it holds ")


def test_the_terminal_offers_the_same_save_slots_as_the_window(tmp_path):
    """Issue 11, item 19: the window offered six slots and the terminal nine; one constant now."""
    player, out = player_for(tmp_path, "", "", f"save {SLOTS}", f"save {SLOTS + 1}", "help", "quit")
    player.start()
    shown = out.getvalue()
    assert f"Saved in slot {SLOTS}." in shown
    assert f"Save in a slot from 1 to {SLOTS}, for example 'save 2'." in shown
    assert f"save in slot N, 1 to {SLOTS} (default 1)" in shown
    window_slots = [info.slot for info in player.game.slots()]
    assert window_slots == ["autosave", *(f"slot-{n}" for n in range(1, SLOTS + 1))]
    assert [info.slot for info in player.game.store.list()] == ["autosave", f"slot-{SLOTS}"]


def test_the_terminal_has_a_page_on_where_to_get_help():
    """Issue 14: the content note says help is in the menu, and the terminal had no such page.
    'support' shows the story's help text at any time; the title and 'help' say so."""
    result = run_main("play", "--text", "--seed", "1", input="support\nhelp\nquit\n")
    assert result.returncode == 0, result.stderr
    title, _, rest = result.stdout.partition("--- Three months in ---")
    assert "Type 'support' at any time to see where to get help." in title
    page = rest.split("=== Where to get help ===", 1)[1]
    assert "Talk to someone you trust" in page and "emergency number" in page
    assert "support    where to get help" in page


def test_a_story_without_a_help_page_does_not_offer_one(tmp_path):
    player, out = player_for(tmp_path, "", "", "support", "help", "quit")
    player.start()
    shown = out.getvalue()
    assert "This story has no page on where to get help." in shown
    assert "Type 'support'" not in shown and "support    where" not in shown
