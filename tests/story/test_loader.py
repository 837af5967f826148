"""The loader: the story format, and every problem it reports with its file, line and column."""

import time
from textwrap import dedent

import pytest

from engine.story import model
from engine.story.loader import StoryError, check_story, load_story

HEAD = """\
title: Test
start: a
meters:
  trust: {label: Trust, start: 50}
  security: {start: 40, min: 10, max: 90}
flags:
  met: false
responses:
  accept: Accept
"""


def write(tmp_path, text, name="story.yaml"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def diagnose(tmp_path, text):
    story, diagnostics = check_story(write(tmp_path, text))
    return story, diagnostics


def only(diagnostics, code):
    found = [d for d in diagnostics if d.code == code]
    assert found, f"no {code} among {[d.headline() for d in diagnostics]}"
    return found[0]


def test_a_valid_story_loads_into_the_model(tmp_path):
    story = load_story(
        write(
            tmp_path,
            HEAD
            + dedent("""\
        scenes:
          a:
            title: First
            text: Hello.
            choices:
              - id: yes
                text: Accept it.
                response: accept
                if: trust > 10 and not met
                effects: {trust: +5, security: "%-50"}
                set: {met: true}
                feedback: Done.
                goto: b
              - text: Other
                outcomes:
                  - {if: trust > 90, weight: 3, goto: b}
                  - {goto: c, effects: {trust: "=20"}}
          b:
            next:
              - {if: met, goto: c}
              - goto: c
          c:
            text: The end.
            ending: {title: Over, debrief: Why., questions: [One?, Two?]}
        """),
        )
    )
    assert story.title == "Test" and story.start == "a" and story.id == "story"
    assert story.meters["security"] == model.Meter("security", "security", 40, 10, 90)
    first, second = story.scenes["a"].choices
    assert first.id == "yes" and second.id == "2"  # an id defaults to the 1-based position
    assert first.effects == (
        model.Effect("trust", model.ADD, 5),
        model.Effect("security", model.FAIR_DOWN, 50),
    )
    assert first.sets == (("met", True),)
    assert second.outcomes[0].weight == 3 and second.outcomes[1].weight == 1
    assert story.scenes["b"].kind == model.ROUTER and story.scenes["c"].ending.questions == (
        "One?",
        "Two?",
    )
    assert story.scenes["a"].place.line == 11


def test_a_folder_story_merges_its_files(tmp_path):
    write(tmp_path, HEAD + "scenes:\n  a:\n    text: A\n    choices: [{text: go, goto: b}]\n")
    write(tmp_path, "scenes:\n  b:\n    text: B\n    ending: {title: End}\n", "act1/more.yaml")
    story = load_story(tmp_path)
    assert set(story.scenes) == {"a", "b"}
    assert story.id == tmp_path.name
    assert story.source.files[0].endswith("story.yaml")


def test_a_scene_defined_twice_names_both_places(tmp_path):
    write(tmp_path, HEAD + "scenes:\n  a:\n    text: A\n    ending: {title: E}\n")
    write(
        tmp_path,
        "scenes:\n  z: {text: Z, ending: {title: Z}}\n  a:\n    text: again\n"
        "    ending: {title: E}\n",
        "more.yaml",
    )
    _, diagnostics = check_story(tmp_path)
    error = only(diagnostics, "E013")
    assert error.file.endswith("more.yaml") and (error.line, error.col) == (3, 3)
    assert f"{tmp_path / 'story.yaml'}:11:3" in error.message


def test_a_folder_without_story_yaml_is_an_error(tmp_path):
    write(tmp_path, "scenes: {}\n", "other.yaml")
    _, diagnostics = check_story(tmp_path)
    assert only(diagnostics, "E017").message == "the story folder has no story.yaml"


BROKEN = [
    # (what, yaml after the head, code, line, col, words in the message)
    ("yaml syntax", "scenes:\n  a: [unclosed\n", "E001", 11, 6, "never closed"),
    ("tab indent", "scenes:\n\ta: 1\n", "E001", 11, 1, "indented with a tab"),
    (
        "duplicate key",
        "scenes:\n  a:\n    text: A\n    text: B\n    ending: {title: E}\n",
        "E004",
        13,
        5,
        "appears twice",
    ),
    (
        "duplicate head key",
        "title: Again\nscenes:\n  a: {text: A, ending: {title: E}}\n",
        "E004",
        10,
        1,
        "'title' appears twice",
    ),
    (
        "python tag",
        "scenes:\n  a: !!python/object/apply:os.system [ls]\n",
        "E005",
        11,
        6,
        "!!python/object/apply:os.system",
    ),
    (
        "local tag",
        "scenes:\n  a:\n    text: !secret A\n    ending: {title: E}\n",
        "E005",
        12,
        11,
        "'!secret'",
    ),
    (
        "wrong type",
        "scenes:\n  a:\n    text: [A]\n    ending: {title: E}\n",
        "E010",
        12,
        11,
        "must be text, not a list",
    ),
    (
        "unknown key",
        "scenes:\n  a:\n    txt: A\n    ending: {title: E}\n",
        "E011",
        12,
        5,
        "unknown key 'txt'",
    ),
    (
        "missing start",
        "scenes:\n  b: {text: B, ending: {title: E}}\n",
        "E020",
        2,
        8,
        "missing scene 'a'",
    ),
    (
        "missing goto",
        "scenes:\n  a:\n    text: A\n    choices:\n      - {text: x, goto: nope}\n",
        "E020",
        14,
        25,
        "missing scene 'nope'",
    ),
    (
        "missing next",
        "scenes:\n  a:\n    next:\n      - goto: gone\n",
        "E020",
        13,
        15,
        "missing scene 'gone'",
    ),
    (
        "unknown meter in effects",
        "scenes:\n  a:\n    text: A\n    choices:\n"
        "      - {text: x, goto: a, effects: {trst: 1}}\n",
        "E021",
        14,
        38,
        "unknown meter 'trst'",
    ),
    (
        "unknown flag in set",
        "scenes:\n  a:\n    text: A\n    choices:\n      - {text: x, goto: a, set: {mett: true}}\n",
        "E022",
        14,
        34,
        "unknown flag 'mett'",
    ),
    (
        "unknown name in condition",
        "scenes:\n  a:\n    text: A\n    choices:\n      - text: x\n        if: trust > 3 and mt\n"
        "        goto: a\n",
        "E031",
        15,
        27,
        "unknown name 'mt'",
    ),
    (
        "bad condition syntax",
        "scenes:\n  a:\n    text: A\n    choices:\n      - text: x\n        if: trust >> 3\n"
        "        goto: a\n",
        "E030",
        15,
        13,
        "only + - * /",
    ),
    (
        "unknown response",
        "scenes:\n  a:\n    text: A\n    choices:\n      - {text: x, goto: a, response: fite}\n",
        "E023",
        14,
        38,
        "unknown response 'fite'",
    ),
    ("no way on", "scenes:\n  a:\n    text: A\n", "E050", 11, 3, "no way on"),
    (
        "two ways on",
        "scenes:\n  a:\n    text: A\n    next: [{goto: a}]\n    ending: {title: E}\n",
        "E050",
        14,
        5,
        "both 'next' and 'ending'",
    ),
    (
        "both goto and outcomes",
        "scenes:\n  a:\n    text: A\n    choices:\n      - text: x\n        goto: a\n"
        "        outcomes: [{goto: a}]\n",
        "E051",
        16,
        9,
        "both 'goto' and 'outcomes'",
    ),
    (
        "neither goto nor outcomes",
        "scenes:\n  a:\n    text: A\n    choices:\n      - text: x\n",
        "E051",
        14,
        9,
        "neither 'goto' nor 'outcomes'",
    ),
    (
        "empty choices",
        "scenes:\n  a:\n    text: A\n    choices: []\n",
        "E052",
        13,
        14,
        "empty list",
    ),
    (
        "bad effect",
        "scenes:\n  a:\n    text: A\n    choices:\n"
        "      - {text: x, goto: a, effects: {trust: '*2'}}\n",
        "E040",
        14,
        45,
        "'*2'",
    ),
    (
        "fair math over 100%",
        "scenes:\n  a:\n    text: A\n    choices:\n"
        "      - {text: x, goto: a, effects: {trust: '%+120'}}\n",
        "E040",
        14,
        45,
        "at most 100%",
    ),
    (
        "set outside range",
        "scenes:\n  a:\n    text: A\n    choices:\n"
        "      - {text: x, goto: a, effects: {security: '=95'}}\n",
        "E040",
        14,
        48,
        "10..90",
    ),
    (
        "locked without if",
        "scenes:\n  a:\n    text: A\n    choices:\n      - {text: x, goto: a, locked: Not yet}\n",
        "E012",
        14,
        28,
        "'locked' needs an 'if'",
    ),
    (
        "duplicate choice id",
        "scenes:\n  a:\n    text: A\n    choices:\n"
        "      - {id: go, text: x, goto: a}\n      - {id: go, text: y, goto: a}\n",
        "E014",
        15,
        9,
        "have the id 'go'",
    ),
    (
        "zero weight",
        "scenes:\n  a:\n    text: A\n    choices:\n"
        "      - {text: x, outcomes: [{goto: a, weight: 0}]}\n",
        "E010",
        14,
        48,
        "above 0",
    ),
    (
        "bad placeholder",
        "scenes:\n  a:\n    text: |\n      Hi {partnr}.\n    ending: {title: E}\n",
        "E018",
        13,
        10,
        "'{partnr}'",
    ),
    (
        "unquoted placeholder",
        "scenes:\n  a:\n    text: A\n    choices:\n"
        "      - text: x\n        feedback: {partner}\n        goto: a\n",
        "E010",
        15,
        19,
        "read it as a map",
    ),
    (
        "merge key",
        "scenes:\n  a:\n    <<: {text: A}\n    ending: {title: E}\n",
        "E011",
        12,
        5,
        "merge keys",
    ),
]


@pytest.mark.parametrize(
    "what, body, code, line, col, words", BROKEN, ids=[case[0] for case in BROKEN]
)
def test_each_problem_is_reported_at_its_line_and_column(
    tmp_path, what, body, code, line, col, words
):
    story, diagnostics = diagnose(tmp_path, HEAD + body)
    assert story is None
    error = only(diagnostics, code)
    assert (error.line, error.col) == (line, col), error.headline()
    assert words in error.message
    assert error.severity == "error" and error.hint


def test_head_problems(tmp_path):
    _, diagnostics = diagnose(
        tmp_path,
        dedent("""\
        title: T
        start: a
        format: 2
        meters:
          trust: {start: 150}
          low: {start: 5, min: 10, max: 5}
          not: {start: 1}
          both: {start: 1}
        flags:
          both: true
          odd: maybe
        scenes:
          a: {text: A, ending: {title: E}}
        """),
    )
    messages = {d.code: d for d in diagnostics}
    assert "format 2" in messages["E016"].message
    assert [d.message for d in diagnostics if d.code == "E041"] == [
        "the meter 'trust' starts at 150, outside 0..100",
        "the meter 'low' has min 10 not below max 5",
    ]
    assert any("reserved word" in d.message for d in diagnostics if d.code == "E015")
    assert any("both a meter and a flag" in d.message for d in diagnostics)
    assert any("must be true or false" in d.message for d in diagnostics)


def test_a_meters_centre_lies_within_its_range(tmp_path):
    story, diagnostics = diagnose(
        tmp_path,
        dedent("""\
        title: T
        start: a
        meters:
          balance: {start: 50, centre: 50}
          off: {start: 5, centre: 200}
        scenes:
          a: {text: A, ending: {title: E}}
        """),
    )
    assert [d.message for d in diagnostics if d.code == "E041"] == [
        "the meter 'off' has its centre at 200, outside 0..100"
    ]
    error = next(d for d in diagnostics if d.code == "E041")
    assert (error.line, error.col) == (5, 27)
    story, diagnostics = diagnose(
        tmp_path,
        "title: T\nstart: a\nmeters:\n  b: {start: 5, centre: 50}\n"
        "scenes:\n  a: {text: A, ending: {title: E}}\n",
    )
    assert story.meters["b"].centre == 50


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    _, diagnostics = diagnose(
        tmp_path,
        HEAD
        + dedent("""\
        scenes:
          a:
            text: A
            choices:
              - {text: x, goto: nope}
              - {text: y, goto: gone, effects: {bad: 1}}
        """),
    )
    assert sorted(d.code for d in diagnostics) == ["E020", "E020", "E021"]
    assert diagnostics == sorted(diagnostics, key=lambda d: (d.line, d.col))


def test_unreachable_scenes_and_endings_are_warnings(tmp_path):
    story, diagnostics = diagnose(
        tmp_path,
        HEAD
        + dedent("""\
        scenes:
          a: {text: A, ending: {title: E}}
          lost:
            text: nobody comes
            choices: [{text: x, goto: gone_end}]
          gone_end: {text: Z, ending: {title: Z}}
        """),
    )
    assert story is not None  # warnings do not stop a story from loading
    assert [(d.code, d.severity, d.line) for d in diagnostics if d.code in ("W100", "W101")] == [
        ("W100", "warning", 12),
        ("W101", "warning", 15),
    ]


def test_empty_file_and_comment_only_file(tmp_path):
    for text in ("", "# only a comment\n"):
        _, diagnostics = diagnose(tmp_path, text)
        assert [d.code for d in diagnostics] == ["E003"]


def test_a_file_that_is_not_utf8_is_reported_at_the_bad_byte(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_bytes(b"title: T\nstart: a\nscenes:\n  a: {text: caf\xe9, ending: {title: E}}\n")
    _, diagnostics = check_story(path)
    error = only(diagnostics, "E002")
    assert (error.line, error.col) == (4, 16)
    assert "0xe9" in error.message


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_bytes(
        b"\xef\xbb\xbftitle: T\nstart: a\nscenes:\n  a: {text: A, ending: {title: E}}\n"
    )
    assert load_story(path).title == "T"


def test_a_missing_path_is_an_error_not_a_crash(tmp_path):
    _, diagnostics = check_story(tmp_path / "nothing.yaml")
    assert "does not exist" in only(diagnostics, "E017").message


def test_yaml_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    _, diagnostics = diagnose(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5  # expanding it would take hours and all memory
    assert "alias bomb" in only(diagnostics, "E006").message


def test_recursive_alias_and_deep_nesting_are_refused(tmp_path):
    _, diagnostics = diagnose(tmp_path, "title: &t [*t]\n")
    assert only(diagnostics, "E006")
    _, diagnostics = diagnose(tmp_path, "title: " + "[" * 50_000 + "\n")
    # Our own check says "nests more than 200 levels"; newer libyaml stops first, at 1000.
    assert "nest" in only(diagnostics, "E001").message


def test_anchors_and_aliases_that_stay_small_are_allowed(tmp_path):
    story = load_story(
        write(
            tmp_path,
            HEAD
            + dedent("""\
        scenes:
          a:
            text: A
            choices:
              - {text: x, goto: b, effects: &small {trust: +1}}
              - {text: y, goto: b, effects: *small}
          b: {text: B, ending: {title: E}}
        """),
        )
    )
    assert story.scenes["a"].choices[1].effects == story.scenes["a"].choices[0].effects


def test_scalars_are_read_as_authors_mean_them(tmp_path):
    story = load_story(
        write(
            tmp_path,
            dedent("""\
        title: 2024-01-01
        start: no
        scenes:
          no:
            text: yes
            ending: {title: 42}
        """),
        )
    )
    assert story.title == "2024-01-01" and story.start == "no"
    assert story.scenes["no"].text == "yes" and story.scenes["no"].ending.title == "42"


def test_load_story_raises_story_error_with_all_diagnostics(tmp_path):
    path = write(tmp_path, HEAD + "scenes:\n  a: {text: A, choices: [{text: x, goto: b}]}\n")
    with pytest.raises(StoryError) as raised:
        load_story(path)
    assert raised.value.diagnostics[0].code == "E020"
    assert "story.yaml:11:" in str(raised.value)


def test_a_pipe_a_device_or_a_broken_link_is_refused_without_being_opened(tmp_path):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    _, diagnostics = check_story(fifo)  # would hang forever if it were read
    assert "not a regular file" in only(diagnostics, "E017").message
    _, diagnostics = check_story("/dev/null")
    assert "not a regular file" in only(diagnostics, "E017").message
    folder = tmp_path / "story"
    write(folder, HEAD + "scenes:\n  a: {text: A, ending: {title: E}}\n")
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    _, diagnostics = check_story(folder)
    error = only(diagnostics, "E017")
    assert (
        error.file.endswith("gone.yaml") and "link to something that is not there" in error.message
    )


def test_outcome_weights_have_a_ceiling(tmp_path):
    _, diagnostics = diagnose(
        tmp_path,
        HEAD + "scenes:\n  a:\n    text: A\n    choices:\n"
        "      - {text: x, outcomes: [{goto: a, weight: 1.0e+308}]}\n",
    )
    assert "at most 1,000,000" in only(diagnostics, "E010").message


def test_a_scene_missing_because_its_file_is_broken_says_so(tmp_path):
    write(tmp_path, HEAD + "scenes:\n  a:\n    text: A\n    choices: [{text: x, goto: b}]\n")
    write(tmp_path, "scenes:\n  b:\n\ttext: B\n", "more.yaml")
    _, diagnostics = check_story(tmp_path)
    assert "spaces, never tabs" in only(diagnostics, "E001").hint
    assert "more.yaml, which could not be read" in only(diagnostics, "E020").hint
