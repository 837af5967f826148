"""Lint: the warnings beyond errors, each on a small real story, and the summary counts."""

from textwrap import dedent

import pytest

from engine.story.lint import summarize
from engine.story.loader import check_story, load_story

from ..conftest import STORIES

CLEAN = dedent("""\
    title: Clean
    start: a
    meters:
      trust: {start: 50}
    flags:
      met: false
    responses:
      accept: Accept
    scenes:
      a:
        text: One two three.
        choices:
          - text: Go on.
            response: accept
            effects: {trust: +1}
            set: {met: true}
            goto: r
      r:
        next:
          - {if: met, goto: b}
          - goto: b
      b:
        text: Four five.
        ending: {title: End}
    """)


def warnings_for(tmp_path, text):
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    story, diagnostics = check_story(path)
    assert story is not None, [d.headline() for d in diagnostics]
    return [(d.code, d.line, d.message) for d in diagnostics]


def test_a_clean_story_has_no_warnings(tmp_path):
    assert warnings_for(tmp_path, CLEAN) == []


@pytest.mark.parametrize(
    "change, code, line, words",
    [
        (("effects: {trust: +1}", "effects: {}"), "W104", 4, "nothing changes the meter 'trust'"),
        (
            ("- {if: met, goto: b}", "- {if: trust > 0, goto: b}"),
            "W105",
            6,
            "'met' is set but no condition reads it",
        ),
        (("set: {met: true}", "set: {}"), "W106", 6, "'met' is read but never set: it stays false"),
        (("        response: accept\n", ""), "W107", 8, "no choice has the response 'accept'"),
        (("      - goto: b\n", ""), "W102", 20, "last entry of 'next' has an 'if'"),
        (("- {if: met, goto: b}", "- {if: trust > 100, goto: b}"), "W108", 20, "can never hold"),
        (
            (
                "- {if: met, goto: b}",
                "- {if: trust < 20 and trust > 30 or met and not met, goto: b}",
            ),
            "W108",
            20,
            "this entry is never taken",
        ),
        (
            ("text: One two three.", "text: " + "word " * 351),
            "W109",
            11,
            "scene text is 351 words long",
        ),
    ],
)
def test_each_lint_warning(tmp_path, change, code, line, words):
    old, new = change
    assert old in CLEAN
    found = warnings_for(tmp_path, CLEAN.replace(old, new))
    matching = [entry for entry in found if entry[0] == code]
    assert matching, found
    assert matching[0][1] == line and words in matching[0][2]


def test_outcomes_without_a_fallback_and_impossible_choices(tmp_path):
    text = CLEAN.replace(
        "        goto: r\n",
        (
            "        outcomes:\n"
            "          - {if: trust > 60, goto: r}\n"
            "          - {if: trust <= 60, goto: b}\n"
            "      - text: Impossible.\n"
            "        if: trust * 2 > 201\n"
            "        locked: Never.\n"
            "        goto: b\n"
        ),
    )
    found = warnings_for(tmp_path, text)
    assert (
        "W103",
        17,
        "every outcome has an 'if': when none holds, the choice strands the player",
    ) in found
    assert any(
        code == "W108" and "the choice is never offered" in message for code, _, message in found
    )


def test_possible_conditions_are_not_flagged(tmp_path):
    for condition in (
        "trust >= 100",
        "trust <= 0",
        "trust == 37",
        "not met and trust > 99",
        "visited('a') > 5",
        "trust / 3 > 33",
    ):
        text = CLEAN.replace("- {if: met, goto: b}", f'- {{if: "{condition}", goto: b}}')
        assert not [c for c in warnings_for(tmp_path, text) if c[0] == "W108"], condition


def test_usage_warnings_wait_until_the_errors_are_fixed(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(CLEAN.replace("effects: {trust: +1}", "effects: {trst: +1}"), "utf-8")
    _, diagnostics = check_story(path)
    assert [d.code for d in diagnostics] == ["E021"]


def test_the_summary_counts_scenes_choices_endings_and_words():
    summary = summarize(load_story(STORIES / "tiny.yaml"))
    # Counted by hand from tests/stories/tiny.yaml: every title, text, choice, feedback,
    # locked reason and question a player can read.
    assert (summary.scenes, summary.choices, summary.endings, summary.words) == (5, 4, 2, 59)
    assert summary.line() == "5 scenes, 4 choices, 2 endings, 59 words"
