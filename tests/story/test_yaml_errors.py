"""YAML syntax errors reported where the author made the slip, in the author's words.

Each case is a small broken file, with the place and words PyYAML (libyaml) gives for it (the
"before", kept to show what an author used to see, and checked to still be where PyYAML stops),
and the diagnostic the loader now prints: line:col, message and help.
"""

from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.story.diagnostics import SourceLines, render_text
from engine.story.loader import StoryFiles, build_story, check_story
from engine.story.yaml_errors import explain
from engine.story.yaml_source import Loader, parse_yaml

from ..conftest import ROOT


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    before: str  # PyYAML's place and words
    after: str  # ours: "line:col message"
    help: str


CASES = [
    Case(
        "missing colon after a scene's key",
        """\
        scenes:
          a:
            text Hello
            choices:
              - {text: On, goto: a}
        """,
        "4:12 mapping values are not allowed in this context",
        "3:9 missing ':' after the key 'text'",
        "write `text: Hello`",
    ),
    Case(
        "missing colon at the top",
        """\
        title My story
        start: a
        """,
        "2:6 mapping values are not allowed in this context",
        "1:6 missing ':' after the key 'title'",
        "write `title: My story`",
    ),
    Case(
        "missing colon before a key in the same column",
        """\
        title: My story
        start a
        meters:
          trust: {start: 50}
        """,
        "3:1 could not find expected ':'",
        "2:6 missing ':' after the key 'start'",
        "write `start: a`",
    ),
    Case(
        "missing colon after a key with nothing after it",
        """\
        scenes:
          a:
            text: Hello
            choices
              - {text: On, goto: a}
        """,
        "5:14 could not find expected ':'",
        "4:12 missing ':' after the key 'choices'",
        "write `choices:`",
    ),
    Case(
        "no space after a colon",
        """\
        choices:
          - text: On
            goto:b
            feedback: Done.
        """,
        "4:5 could not find expected ':'",
        "3:9 the ':' after the key 'goto' needs a space after it",
        "write `goto: b`",
    ),
    Case(
        "a quote never closed, to the end of the file",
        """\
        scenes:
          a:
            text: "Hello
            ending: {title: End}
        """,
        "5:1 found unexpected end of stream",
        "3:11 this quote is never closed",
        'end the text with a closing quote: write "Hello"',
    ),
    Case(
        "a quote never closed, closed by the next text's quote",
        """\
        scenes:
          a:
            text: "Hello
            choices:
              - text: "Go on"
                goto: a
        """,
        "5:16 did not find expected key",
        "3:11 this quote is never closed",
        'end the text with a closing quote: write "Hello"',
    ),
    Case(
        "an apostrophe in single quotes",
        """\
        choices:
          - text: 'Don't go'
            goto: a
        """,
        "2:16 did not find expected key",
        "2:15 this apostrophe ends the text in single quotes",
        """write "Don't go" (in single quotes, an apostrophe is written twice: '')""",
    ),
    Case(
        "text after a closing quote",
        """\
        scenes:
          a:
            text: "Hello" she said.
            ending: {title: End}
        """,
        "3:19 did not find expected key",
        "3:19 the text goes on after its closing quote",
        """put the whole text in quotes: '"Hello" she said.'""",
    ),
    Case(
        "an unquoted %-20 in a map on one line",
        """\
        choices:
          - text: Give in
            effects: {self_esteem: %-20}
            goto: a
        """,
        "3:28 found character that cannot start any token",
        "3:28 an effect written %-20 must be quoted",
        'write "%-20"',
    ),
    Case(
        "an unquoted %-20 on a line of its own",
        """\
        choices:
          - text: Give in
            effects:
              self_esteem: %-20
            goto: a
        """,
        "4:20 found character that cannot start any token",
        "4:20 an effect written %-20 must be quoted",
        'write "%-20"',
    ),
    Case(
        "a key indented more than the keys before it",
        """\
        choices:
          - text: Go on
            effects: {trust: +5}
             goto: b
        """,
        "4:6 did not find expected key",
        "4:6 this line is indented differently from the lines before it",
        "indent it by 4 spaces, like 'effects' on line 3",
    ),
    Case(
        "a key indented less than the keys before it",
        """\
        choices:
          - text: Go on
            effects: {trust: +5}
           goto: b
        """,
        "4:4 did not find expected '-' indicator",
        "4:4 this line is indented differently from the lines before it",
        "indent it by 4 spaces, like 'effects' on line 3",
    ),
    Case(
        "a key indented more, read as more of the text before it",
        """\
        scenes:
          a:
            text: Hello
             ending: {title: End}
        """,
        "4:12 mapping values are not allowed in this context",
        "4:6 this line is indented differently from the lines before it",
        "indent it by 4 spaces, like 'text' on line 3",
    ),
    Case(
        "the first key of a map indented apart from the rest of the file",
        """\
        scenes:
          a:
             text: Hello
            ending: {title: End}
          b:
            text: Bye
            ending: {title: End}
        """,
        "4:5 did not find expected key",
        "3:6 this line is indented differently from the lines after it",
        "indent 'text' by 4 spaces, like 'ending' on line 4",
    ),
    Case(
        "a list item indented less than the items before it",
        """\
        choices:
          - text: Go on
            goto: b
         - text: Stay
           goto: c
        """,
        "4:2 did not find expected key",
        "4:2 this line is indented differently from the lines before it",
        "indent it by 2 spaces, like the '-' on line 2",
    ),
    Case(
        "a first line of text indented more than the next",
        """\
        scenes:
          a:
            text: >-
                It was late.
              Nobody came.
            ending: {title: End}
        """,
        "5:7 did not find expected key",
        "4:9 this line is indented differently from the lines after it",
        "indent it by 6 spaces, like line 5: the first line of a text sets the indentation of "
        "the rest",
    ),
    Case(
        "the first list item without its dash",
        """\
        choices:
            text: Go on
            goto: b
          - text: Stay
            goto: c
        """,
        "4:3 did not find expected key",
        "2:5 a list item needs '- ' before it",
        "write `- text: Go on`, like the item on line 4",
    ),
    Case(
        "a later list item on one line without its dash",
        """\
        choices:
          - {text: Go on, goto: b}
            {text: Stay, goto: c}
        """,
        "3:5 did not find expected '-' indicator",
        "3:5 a list item needs '- ' before it",
        "write `- {text: Stay, goto: c}`, like the item on line 2",
    ),
    Case(
        "a '{' never closed",
        """\
        choices:
          - text: Go on
            effects: {trust: +5
            goto: b
        """,
        "4:9 did not find expected ',' or '}'",
        "3:14 this '{' is never closed",
        "close it with '}' at the end of the line",
    ),
    Case(
        "': ' inside text",
        """\
        scenes:
          a:
            text: She said: no.
            ending: {title: End}
        """,
        "3:19 mapping values are not allowed in this context",
        "3:19 a ': ' inside text needs the whole text in quotes",
        'write `text: "She said: no."`',
    ),
    Case(
        "a list item on its key's line",
        """\
        scenes:
          a:
            text: Hello
            choices: - text: Go on
        """,
        "4:14 block sequence entries are not allowed in this context",
        "4:14 a list item must start on a line of its own",
        "put `- text: Go on` on the next line, indented under 'choices'",
    ),
    Case(
        "a tab in the indentation",
        "scenes:\n\ta: 1\n",
        "2:1 found character that cannot start any token",
        "2:1 this line is indented with a tab",
        "YAML indents with spaces, never tabs: replace the tab at the start of this line",
    ),
]


def place(described: str) -> tuple[int, int]:
    line, col = described.split(" ", 1)[0].split(":")
    return int(line), int(col)


def pyyaml_error(text: str, loader: type = Loader) -> yaml.MarkedYAMLError:
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.compose(text, Loader=loader)
    return raised.value


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_syntax_error_is_reported_where_the_author_made_it(case):
    text = dedent(case.text)
    stock = pyyaml_error(text).problem_mark
    assert (stock.line + 1, stock.column + 1) == place(case.before)
    [problem] = parse_yaml(text.encode("utf-8"), "story.yaml").problems
    assert (problem.code, problem.severity) == ("E001", "error")
    assert f"{problem.line}:{problem.col} {problem.message}" == case.after
    assert problem.help == case.help


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_pure_python_loader_explains_the_same(case):
    """Without libyaml, PyYAML words its errors differently; the explanation is the same."""
    text = dedent(case.text)
    found = explain(pyyaml_error(text, yaml.SafeLoader), text, yaml.SafeLoader)
    assert f"{found.line + 1}:{found.column + 1} {found.message}" == case.after
    assert found.help == case.help


def test_the_rendered_diagnostic_points_at_the_missing_colon(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text("title: My story\nstart a\nmeters:\n  trust: {start: 50}\n", "utf-8")
    [problem] = check_story(path)[1]
    assert render_text(problem, SourceLines()) == dedent(f"""\
        {path}:2:6: error: missing ':' after the key 'start' [E001]
          |
        2 | start a
          |      ^
          = help: write `start: a`""")


def test_an_unquoted_percent_effect_underlines_the_whole_effect(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text("effects: {self_esteem: %-20}\n", "utf-8")
    [problem] = check_story(path)[1]
    assert render_text(problem, SourceLines()).splitlines()[1:] == [
        "  |",
        "1 | effects: {self_esteem: %-20}",
        "  |                        ^^^^",
        '  = help: write "%-20"',
    ]


SATURDAY = """\
title: Saturday
start: plans
scenes:
  plans:
    text: Your partner says they would rather stay in than go to the lake.
    choices:
      - text: Stay in together.
        goto: evening
      - text: Go to the lake alone.
        goto: lake
  evening:
    text: The evening is quiet. Nobody mentions the lake.
    ending:
      title: A quiet evening
  lake:
    text: The lake is cold and bright.
    ending:
      title: A day apart
"""


@pytest.mark.parametrize(
    "slip",
    [
        ("start: plans", "start plans"),
        ("      - text: Go to the lake alone.", "        text: Go to the lake alone."),
    ],
    ids=["missing colon", "missing dash"],
)
def test_the_guide_shows_what_the_loader_prints(tmp_path, monkeypatch, slip):
    monkeypatch.chdir(tmp_path)  # so that the file is named as in the guide
    story = Path("saturday.yaml")
    story.write_text(SATURDAY, "utf-8")
    assert check_story(story)[1] == []  # the story without the slip is clean
    story.write_text(SATURDAY.replace(*slip, 1), "utf-8")
    [problem] = check_story(story)[1]
    guide = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    assert f"```text\n{render_text(problem, SourceLines())}\n```" in guide


# After a file is read: a missing '-' and a missing ':' that YAML accepts -------------------------

HEAD = """\
title: Test
start: a
meters:
  trust: {start: 50}
"""


def diagnose(tmp_path, text: str) -> list[str]:
    path = tmp_path / "story.yaml"
    path.write_text(HEAD + dedent(text), "utf-8")
    return [d.headline().split(": ", 1)[1] for d in check_story(path)[1]]


def test_a_list_item_without_its_dash_is_a_missing_dash_not_a_repeated_key(tmp_path):
    # Before: two E004 (the keys 'text' and 'goto' twice in one map) and W101 for the ending
    # 'c', which only the lost second choice reached.
    assert diagnose(
        tmp_path,
        """\
        scenes:
          a:
            text: Hello
            choices:
              - text: Go on
                goto: b
                text: Stay
                effects: {trst: +5}
                goto: c
          b: {text: B, ending: {title: B}}
          c: {text: C, ending: {title: C}}
        """,
    ) == [
        "error: a list item needs '- ' before it [E001]",
        "error: unknown meter 'trst' [E021]",  # the second choice is read as a choice of its own
    ]


def test_the_missing_dash_is_reported_at_the_second_item_with_the_line_to_write(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(
        HEAD
        + dedent("""\
        scenes:
          a:
            text: Hello
            choices:
              - text: Go on
                goto: b
                text: Stay
                goto: c
          b: {text: B, ending: {title: B}}
          c: {text: C, ending: {title: C}}
        """),
        "utf-8",
    )
    story, diagnostics = check_story(path)
    assert story is None
    [problem] = diagnostics
    assert (problem.line, problem.col, problem.code, problem.length) == (11, 9, "E001", 4)
    assert problem.message == "a list item needs '- ' before it"
    assert problem.help == "write `- text: Stay`, like the item on line 9"


def test_an_item_missing_its_dash_after_an_item_that_starts_differently(tmp_path):
    # The second item starts with 'text', the first with 'id': more than one key comes again.
    assert diagnose(
        tmp_path,
        """\
        scenes:
          a:
            text: Hello
            choices:
              - id: go
                text: Go on
                goto: b
                text: Stay
                goto: c
          b: {text: B, ending: {title: B}}
          c: {text: C, ending: {title: C}}
        """,
    ) == ["error: a list item needs '- ' before it [E001]"]


def scenes_with_choices(choices: str) -> str:
    return (
        "scenes:\n  a:\n    text: Hello\n    choices:\n"
        + choices
        + "  b: {text: B, ending: {title: B}}\n  c: {text: C, ending: {title: C}}\n"
    )


def test_one_key_written_twice_in_a_list_item_stays_a_repeated_key(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(
        HEAD + scenes_with_choices("      - text: Go on\n        goto: b\n        goto: c\n"),
        "utf-8",
    )
    errors = [d for d in check_story(path)[1] if d.is_error]
    assert [(d.line, d.col, d.code) for d in errors] == [(11, 9, "E004")]
    assert errors[0].help == (
        "a key may appear once in an item: remove one, or, if this line starts another item, "
        "write `- goto: c`"
    )


def test_a_key_repeated_in_a_map_on_one_line_stays_a_repeated_key(tmp_path):
    found = diagnose(tmp_path, scenes_with_choices("      - {text: Go on, goto: b, text: Stay}\n"))
    assert [line for line in found if line.startswith("error")] == [
        "error: the key 'text' appears twice in this map (first at line 9) [E004]"
    ]


def test_a_list_of_one_item_written_without_its_dash_says_how_to_write_it(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(HEAD + scenes_with_choices("        text: Go on\n        goto: b\n"), "utf-8")
    [error] = [d for d in check_story(path)[1] if d.is_error]
    assert (error.line, error.col, error.code) == (9, 9, "E010")
    assert error.message == "the choices of scene 'a' must be a list, not a map"
    assert error.help == "start each item of a list with '- ': write `- text: Go on`"


def test_a_missing_colon_before_a_map_yaml_accepts_is_reported_and_its_value_read(tmp_path):
    # `effects {trst: +5}` is valid YAML: the key 'effects {trst' with the value '+5}'. Before:
    # unknown keys 'effects {trst' and 'ending {title', and "the scene 'b' has no way on".
    path = tmp_path / "story.yaml"
    path.write_text(
        HEAD
        + dedent("""\
        scenes:
          a:
            text: Hello
            choices:
              - text: Go on
                effects {trst: +5}
                goto: b
          b:
            text: B
            ending {title: B}
        """),
        "utf-8",
    )
    assert [(d.line, d.col, d.code, d.message, d.help) for d in check_story(path)[1]] == [
        (10, 16, "E001", "missing ':' after the key 'effects'", "write `effects: {trst: +5}`"),
        (
            10,
            18,
            "E021",
            "unknown meter 'trst'",
            "did you mean 'trust'?",
        ),  # the value is read where it stands
        (14, 11, "E001", "missing ':' after the key 'ending'", "write `ending: {title: B}`"),
    ]


# No warnings piled on a story with a file that could not be read --------------------------------


def test_a_file_that_does_not_parse_brings_no_unreachable_warnings(tmp_path):
    (tmp_path / "story.yaml").write_text(
        HEAD
        + dedent("""\
        scenes:
          a:
            text: Start.
            choices:
              - {text: On, effects: {trust: +5}, goto: b}
          c:
            text: The end.
            ending: {title: C}
          lost:
            text: Only the broken file came here.
            ending: {title: Lost}
        """),
        "utf-8",
    )
    (tmp_path / "more.yaml").write_text(
        "scenes:\n  b:\n    text Middle.\n    choices:\n      - {text: End, goto: c}\n", "utf-8"
    )
    _, diagnostics = check_story(tmp_path)
    # Before: also "the ending 'c' is never reached" and "the ending 'lost' is never reached".
    assert [(d.file.rsplit("/", 1)[-1], d.line, d.col, d.code) for d in diagnostics] == [
        ("more.yaml", 3, 9, "E001"),
        ("story.yaml", 9, 48, "E020"),  # a real error: 'b' is missing, its file unread
    ]
    assert not any(d.severity == "warning" for d in diagnostics)


def test_the_same_story_without_the_syntax_error_still_warns(tmp_path):
    (tmp_path / "story.yaml").write_text(
        HEAD
        + "scenes:\n  a: {text: A, ending: {title: A}}\n  lost: {text: L, ending: {title: L}}\n",
        "utf-8",
    )
    _, diagnostics = check_story(tmp_path)
    assert [d.code for d in diagnostics] == ["W104", "W101"]


# Never a traceback ------------------------------------------------------------------------------

STORY = dedent("""\
    title: "A story"
    start: a
    meters:
      trust: {label: Trust, start: 50}
    scenes:
      a:
        text: >-
          It was late.
          Nobody came.
        choices:
          - id: go
            text: 'Go on'
            effects: {trust: "%-20"}
            goto: b
          - text: Stay
            outcomes:
              - {if: trust > 50, goto: b}
              - goto: b
      b:
        text: The end.
        ending: {title: End, questions: [Why?]}
    """)
_EDITS = st.tuples(
    st.sampled_from(["delete", "insert", "indent", "dedent"]),
    st.integers(0, len(STORY)),
    st.sampled_from(list(":-\"'{}[]% \t#|>@`,\n")),
)


def _edit(text: str, edit: tuple[str, int, str]) -> str:
    kind, at, character = edit
    at = min(at, len(text))
    line_start = text.rfind("\n", 0, at) + 1
    if kind == "delete":
        return text[:at] + text[at + 1 :]
    if kind == "insert":
        return text[:at] + character + text[at:]
    if kind == "indent":
        return text[:line_start] + " " + text[line_start:]
    return (
        text[:line_start] + text[line_start + 1 :]
        if text[line_start : line_start + 1] == " "
        else text
    )


@given(st.lists(_EDITS, min_size=1, max_size=3))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_story_with_any_slip_gives_diagnostics_within_the_file_never_a_traceback(edits):
    text = STORY
    for edit in edits:
        text = _edit(text, edit)
    data = text.encode("utf-8")
    _, diagnostics = build_story(StoryFiles("s.yaml", "s", [("s.yaml", data)]))
    lines = text.count("\n") + 1
    for d in diagnostics:
        assert 0 <= d.line <= lines and d.col >= 0 and d.message and d.length >= 1
