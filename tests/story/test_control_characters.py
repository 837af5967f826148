"""Control characters: refused in every text a story holds (E019, at the escape that wrote it), and
never written to a terminal by the printer of diagnostics (issue 11, item 5, the story half)."""

import json
from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.story.diagnostics import SourceLines, render_text
from engine.story.files import StoryFiles
from engine.story.loader import build_story, check_story
from engine.story.text import CONTROL

from ..tools.test_cli import run

STORY = dedent("""\
    title: {title}
    start: a
    author: {author}
    description: {description}
    content_note: {content_note}
    credits: {credits}
    support: {support}
    partner: {{name: {name}, pronouns: she}}
    meters:
      trust: {{label: {label}, start: 50, description: {meter_description}}}
    responses:
      accept: {response}
    scenes:
      a:
        title: {scene_title}
        text: {text}
        choices:
          - text: {choice}
            response: accept
            effects: {{trust: +1}}
            if: trust > 0
            locked: {locked}
            feedback: {feedback}
            outcomes:
              - goto: b
                feedback: {outcome}
          - text: Go.
            goto: b
      b:
        text: The end.
        ending:
          title: {ending}
          debrief: {debrief}
          questions: [{question}]
    """)
PLACES = {
    "title": "the story's title",
    "author": "'author'",
    "description": "'description'",
    "content_note": "'content_note'",
    "credits": "'credits'",
    "support": "'support'",
    "name": "the partner's name",
    "label": "a meter's label",
    "meter_description": "a meter's description",
    "response": "the label of response 'accept'",
    "scene_title": "a scene's title",
    "text": "the text of scene 'a'",
    "choice": "the text of choice 1 of scene 'a'",
    "locked": "a choice's 'locked' reason",
    "feedback": "a choice's feedback",
    "outcome": "an outcome's feedback",
    "ending": "an ending's title",
    "debrief": "a debrief",
    "question": "a question",
}


def story_with(**values: str) -> str:
    texts = {place: "Plain words" for place in PLACES} | values
    return STORY.format(**texts)


def diagnose(tmp_path, text: str):
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    return check_story(path)


def test_the_story_without_control_characters_is_clean(tmp_path):
    story, diagnostics = diagnose(tmp_path, story_with())
    assert story is not None, [d.headline() for d in diagnostics]


@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_nul_is_refused_wherever_text_is_read(tmp_path, place):
    # Before: "Bad\0title" (and the like everywhere) validated clean.
    text = story_with(**{place: '"Bad\\0here"'})
    story, diagnostics = diagnose(tmp_path, text)
    assert story is None
    assert [d.code for d in diagnostics] == ["E019"], [d.headline() for d in diagnostics]
    error = diagnostics[0]
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Bad\\0here" in row)
    column = text.splitlines()[line - 1].index("\\0") + 1
    assert (error.line, error.col, error.length) == (line, column, 2)
    assert error.message == f"{PLACES[place]} holds the control character U+0000 (NUL) after 'Bad'"


@pytest.mark.parametrize(
    "escape, described",
    [
        ("\\a", "U+0007 (BEL)"),
        ("\\b", "U+0008 (BS)"),
        ("\\e", "U+001B (ESC)"),
        ("\\x1b", "U+001B (ESC)"),
        ("\\u0007", "U+0007 (BEL)"),
        ("\\U0000001b", "U+001B (ESC)"),
        ("\\r", "U+000D (CR)"),
        ("\\v", "U+000B (VT)"),
        ("\\f", "U+000C (FF)"),
        ("\\N", "U+0085 (NEL)"),
        ("\\x7f", "U+007F (DEL)"),
        ("\\x9b", "U+009B"),
    ],
)
def test_every_escape_of_a_control_character_is_found_at_its_place(tmp_path, escape, described):
    text = story_with(text=f'"é\\"{escape}x"')  # an accented letter and an escape before it
    _, diagnostics = diagnose(tmp_path, text)
    (error,) = diagnostics
    row = text.splitlines()[error.line - 1]
    assert row[error.col - 1 : error.col - 1 + error.length] == escape
    assert error.message.endswith(f"holds the control character {described} after 'é\"'")


def test_tabs_and_line_breaks_stay_allowed(tmp_path):
    text = story_with(
        text='"one\\ttwo\\nthree"',
        debrief="|\n            A line\twith a tab.\n\n            More.",
    )
    story, diagnostics = diagnose(tmp_path, text)
    assert story is not None, [d.headline() for d in diagnostics]
    assert story.scenes["a"].text == "one\ttwo\nthree"


def test_text_on_several_lines_is_reported_at_its_start(tmp_path):
    text = story_with(text='"first line\n      and \\e second"')
    _, diagnostics = diagnose(tmp_path, text)
    (error,) = diagnostics
    assert (error.code, error.line, error.col) == ("E019", 16, 11)
    assert "after 'first line and '" in error.message


def test_a_control_character_in_a_condition_is_named(tmp_path):
    # Before: a NUL made Python's parser fail, reported as "nested too deeply".
    text = story_with().replace("if: trust > 0", 'if: "trust > 0\\0"')
    _, diagnostics = diagnose(tmp_path, text)
    (error,) = diagnostics
    assert error.code == "E019"
    assert error.message == "in condition: the condition holds the control character U+0000 (NUL)"


def test_a_raw_control_character_in_the_file_is_found_at_its_place(tmp_path):
    path = tmp_path / "raw.yaml"
    path.write_bytes(
        'title: T\nstart: a\nscenes:\n  a: {text: "é\x1b[31mred", ending: {title: E}}\n'.encode()
    )
    _, diagnostics = check_story(path)
    (error,) = diagnostics
    assert (error.code, error.line, error.col) == ("E019", 4, 15)
    assert error.message == "the file holds the control character U+001B (ESC)"
    result = run("validate", "--no-cache", path)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    assert '4 |   a: {text: "é\ufffd[31mred"' in result.stdout


def test_the_printer_never_writes_a_control_character(tmp_path):
    # A key's name, a file's name: echoed in messages, they reach the terminal.
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "story.yaml").write_text(
        story_with().replace("  a:\n    title:", '  a:\n    "k\\e[2J": 1\n    title:'),
        encoding="utf-8",
    )
    (folder / "bad\x1b[31m.yaml").write_text("scenes: [", encoding="utf-8")
    (folder / "c1.yaml").write_text('scenes: {"c\\x9b\\x7f": 1}', encoding="utf-8")
    result = run("validate", "--no-cache", folder)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert not CONTROL.search(output), output
    assert "unknown key 'k\\x1b[2J'" in output and "bad\\x1b[31m.yaml" in output
    as_json = run("validate", "--no-cache", "--format", "json", folder)
    assert not CONTROL.search(as_json.stdout), as_json.stdout
    assert "unknown key 'k\\u001b[2J'" in as_json.stdout
    assert {d["message"] for d in json.loads(as_json.stdout)} >= {
        "unknown key 'k\x1b[2J' in the scene 'a'"
    }


_characters = st.characters(  # braces left out: placeholders are checked elsewhere
    max_codepoint=0xFFFF, blacklist_categories=("Cs",), blacklist_characters="{}"
)


@given(st.text(_characters, max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_title_is_refused_exactly_when_it_holds_a_control_character(title):
    written = json.dumps(title)  # JSON's escapes are YAML's: a double-quoted scalar
    text = f"title: {written}\nstart: a\nscenes:\n  a: {{text: x, ending: {{title: E}}}}\n"
    story, diagnostics = build_story(StoryFiles("t.yaml", "t", [("t.yaml", text.encode())]))
    first = CONTROL.search(title)
    codes = [d.code for d in diagnostics if d.is_error]
    if first is None:
        assert codes == [] and story.title == title
        return
    assert codes == ["E019"]
    error = diagnostics[0]
    escape = json.dumps(title[first.start()])[1:-1]
    assert text.splitlines()[0][error.col - 1 :].startswith(escape)
    assert not CONTROL.search(render_text(error, SourceLines()))


def test_the_rendered_diagnostic_points_at_the_escape(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(story_with(title='"Bad\\0title"'), encoding="utf-8")
    result = run("validate", "--no-cache", path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:5] == [
        f"{path}:1:12: error: the story's title holds the control character U+0000 (NUL) after "
        "'Bad' [E019]",
        "  |",
        '1 | title: "Bad\\0title"',
        "  |            ^^",
        "  = help: remove it: text may hold tabs and line breaks, but no other control characters "
        "(in double quotes, escapes such as \\0, \\a or \\x1b write them)",
    ]
