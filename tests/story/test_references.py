"""Pass 2: scenes built from the index, every reference checked against what pass 1 found."""

from engine.story.files import StoryFiles
from engine.story.outline import read_outline
from engine.story.references import References
from engine.story.scenes import build_scenes

HEAD = """\
title: T
start: a
meters: {trust: {start: 50}}
flags: {met: false}
scenes:
  a:
    text: A
    choices:
"""


def pass_two(choices: str, more: bytes | None = None):
    files = [("story.yaml", (HEAD + choices).encode("utf-8"))]
    if more is not None:
        files.append(("more.yaml", more))
    diagnostics = []
    outline = read_outline(StoryFiles("story", "story", files), diagnostics)
    references = References(outline.head, outline.index.entries, outline.unreadable)
    scenes = build_scenes(outline.index, references)
    return scenes, references, diagnostics


def test_a_condition_met_twice_is_checked_once_and_shared():
    scenes, references, diagnostics = pass_two(
        "      - {text: x, if: trust > 10 and not met, goto: a}\n"
        "      - {text: y, if: trust > 10 and not met, goto: a}\n"
    )
    first, second = scenes["a"].choices
    assert diagnostics == []
    assert first.condition is second.condition
    assert references.usage.flags_read == {"met"}


def test_a_bad_condition_is_reported_at_every_place_it_appears():
    _, _, diagnostics = pass_two(
        "      - {text: x, if: trust > 10 and mt, goto: a}\n"
        "      - {text: y, if: trust > 10 and mt, goto: a}\n"
    )
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("E031", 9, 38), ("E031", 10, 38)]


def test_each_distinct_effect_is_one_object():
    scenes, references, _ = pass_two(
        "      - {text: x, effects: {trust: +5}, goto: a}\n"
        "      - {text: y, effects: {trust: '+5'}, goto: a}\n"
    )
    first, second = scenes["a"].choices
    assert first.effects == second.effects and first.effects[0] is not second.effects[0]
    assert references.usage.meters_changed == {"trust"}
    scenes, _, _ = pass_two(
        "      - {text: x, effects: {trust: +5}, goto: a}\n"
        "      - {text: y, effects: {trust: +5}, goto: a}\n"
    )
    first, second = scenes["a"].choices
    assert first.effects[0] is second.effects[0]


def test_a_scene_in_another_file_is_found_and_its_problems_reported_there():
    scenes, _, diagnostics = pass_two(
        "      - {text: x, goto: b}\n",
        b"scenes:\n  b:\n    text: B\n    choices: [{text: y, goto: nowhere}]\n",
    )
    assert scenes["a"].choices[0].goto == "b"
    (missing,) = diagnostics
    assert (missing.file, missing.line, missing.code) == ("more.yaml", 4, "E020")
    assert scenes["b"].place.file == "more.yaml"


def test_a_missing_scene_may_be_in_a_file_that_could_not_be_read():
    _, _, diagnostics = pass_two("      - {text: x, goto: b}\n", b"scenes:\n\tb: {}\n")
    missing = next(d for d in diagnostics if d.code == "E020")
    assert missing.help == (
        "it may be defined in more.yaml, which could not be read: fix that file first"
    )
