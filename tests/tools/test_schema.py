"""The editor schema: generated from the validator's tables, agreeing with the validator, and
reporting each error at the key that is wrong."""

import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import best_match

from engine.story.keys import OBJECTS
from engine.story.loader import StoryFiles, build_story, check_story
from engine.story.text import CONTROL, check_placeholders
from engine.tools.commands import schema
from engine.tools.commands.schema import SCHEMA_FILE, schema_text, story_schema

from ..conftest import ROOT, STORIES

VALIDATOR = jsonschema.Draft7Validator(story_schema())


def accepted(*files: tuple[str, str]) -> bool:
    """Whether the validator accepts the story made of these (name, text) files; a story of
    several files is a folder whose first file is its story.yaml."""
    root = "story.yaml" if len(files) == 1 else "story"
    named = [(name if len(files) == 1 else f"story/{name}", text.encode()) for name, text in files]
    story, _ = build_story(StoryFiles(root, "story", named))
    return story is not None


def test_the_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text("utf-8") == schema_text(), (
        "regenerate it: python main.py schema -o docs/story.schema.json"
    )


def test_the_schema_is_valid_draft_7():
    jsonschema.Draft7Validator.check_schema(story_schema())


def test_every_key_of_the_format_is_in_the_schema_with_its_description():
    definitions = story_schema()["definitions"]
    for kind, keys in OBJECTS.items():
        if kind == "scenes_file":  # a file of scenes is checked as a story file with 'scenes' only
            assert {key.name for key in keys} <= set(definitions["story"]["properties"])
            continue
        for key in keys:
            assert definitions[kind]["properties"][key.name]["description"] == key.description


def good_stories():
    yield from sorted(STORIES.glob("*.yaml"))
    yield ROOT / "tests" / "golden" / "stories" / "warnings.yaml"
    guide = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    for block in re.findall(r"```yaml\n(.*?)```", guide, re.DOTALL):
        if re.search(r"^start:", block, re.MULTILINE):
            yield block
    bundled = ROOT / "scenes" / "balance_of_power"
    if bundled.is_dir():
        yield from sorted(bundled.glob("**/*.yaml"))


@pytest.mark.parametrize("story", list(good_stories()), ids=str)
def test_stories_the_validator_accepts_match_the_schema(story):
    text = story.read_text("utf-8") if isinstance(story, Path) else story
    if isinstance(story, Path) and ROOT / "tests" in story.parents:
        assert check_story(story)[0] is not None
    errors = [error.message for error in VALIDATOR.iter_errors(yaml.safe_load(text))]
    assert errors == []


@pytest.mark.parametrize(
    "story",
    [
        # YAML reads these texts and ids as numbers and true; the validator takes them as written
        "title: 1984\nstart: 1\nscenes:\n"
        "  1: {text: Yes, choices: [{text: No, id: 2, goto: 2.5}]}\n"
        "  2.5: {text: 12, ending: {title: 3.5}}\n",
        "title: T\nstart: yes\nscenes:\n  yes: {text: A, ending: {title: E}}\n",
        # empty maps read as null
        "title: T\nstart: a\nmeters:\nflags:\nresponses:\nscenes:\n"
        "  a: {text: A, choices: [{text: x, goto: b, effects: , set: }]}\n"
        "  b: {text: B, ending: {title: E}}\n",
        # a number is a condition; a router needs no text; empty lists where they may be
        "title: T\nstart: a\ninvariants: []\nscenes:\n"
        "  a: {next: [{if: 5, goto: b}, {goto: b}]}\n"
        "  b: {text: B, ending: {title: E, questions: [], expect: true}}\n",
        # the bounds themselves, and a choice that is locked with its 'if'
        "title: T\nstart: a\nmeters: {m: {start: 1000000, min: -1000000, max: 1000000}}\n"
        "responses: {yes_: Yes}\nflags: {f: no}\nscenes:\n"
        "  a: {text: 'A {{b}} {They} {are/is}', choices: [{text: x, goto: b, if: m > 0, "
        "locked: L, response: yes_, effects: {m: '%-100'}, set: {f: yes}}, "
        "{text: y, outcomes: [{goto: b, weight: 1000000, effects: {m: -1000000}}]}]}\n"
        "  b: {text: B, ending: {title: E}}\n",
    ],
)
def test_odd_stories_the_validator_accepts_match_the_schema(story):
    assert accepted(("story.yaml", story))
    assert [error.message for error in VALIDATOR.iter_errors(yaml.safe_load(story))] == []


@pytest.mark.parametrize(
    "broken",
    [
        "title: T\nstart: a\nscenes:\n  a: {text: A, ending: {title: E}, colour: red}\n",
        "title: T\nstart: a\nscenes:\n  a: {text: A}\n",
        "title: T\nstart: a\nscenes:\n  a: {text: A, next: [{goto: a}], ending: {title: E}}\n",
        "title: T\nstart: a\nscenes:\n  a: {text: A, choices: [{text: x}]}\n",
        "title: T\nstart: a\nmeters: {t: {start: 1}}\nscenes:\n"
        "  a: {text: A, choices: [{text: x, goto: a, effects: {t: '*2'}}]}\n",
        "title: T\nstart: a\nscenes:\n  a: {text: A, choices: []}\n",
        "title: T\nstart: a\nmeters: {trust: {label: T}}\nscenes: {}\n",
        "start: a\nscenes: {}\n",
        "title: T\nstart: a\npartner: {pronouns: it}\nscenes: {}\n",
        "title: T\nstart: a\nscenes:\n  'a b': {text: A, ending: {title: E}}\n",
    ],
)
def test_stories_the_validator_refuses_for_their_shape_are_refused_by_the_schema(tmp_path, broken):
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    story, diagnostics = check_story(path)
    assert story is None and diagnostics
    assert list(VALIDATOR.iter_errors(yaml.safe_load(broken)))


HEAD = "title: T\nstart: a\nmeters: {trust: {start: 50}}\nflags: {met: false}\n"


def one_scene(scene: str, head: str = HEAD) -> str:
    """A story whose scene 'a' is `scene`, with a scene 'b' to go to."""
    return head + f"scenes:\n  a: {scene}\n  b: {{text: B, ending: {{title: E}}}}\n"


def choice(choice: str) -> str:
    return one_scene(f"{{text: A, choices: [{choice}]}}")


CHOICE = ["scenes", "a", "choices", 0]
WRONG_KEYS = [  # a broken story, the path of its best error, and the rule it breaks
    (choice("{text: x, gotoo: b}"), CHOICE, "additionalProperties"),
    (choice("{text: x, goto: b, effects: {trust: [5]}}"), [*CHOICE, "effects", "trust"], "type"),
    (
        choice("{text: x, goto: b, effects: {trust: 2000000}}"),
        [*CHOICE, "effects", "trust"],
        "maximum",
    ),
    (
        choice("{text: x, goto: b, effects: {trust: '+2000000'}}"),
        [*CHOICE, "effects", "trust"],
        "pattern",
    ),
    (
        choice("{text: x, goto: b, effects: {trust: '%+150'}}"),
        [*CHOICE, "effects", "trust"],
        "pattern",
    ),
    (choice("{text: x, goto: b, outcomes: [{goto: b}]}"), CHOICE, "oneOf"),
    (choice("{text: x}"), CHOICE, "oneOf"),
    (choice("{text: x, goto: b, locked: not yet}"), CHOICE, "dependencies"),
    (choice("{text: x, goto: b, response: 1x}"), [*CHOICE, "response"], "pattern"),
    (choice('{text: x, goto: b, if: "met\\x07"}'), [*CHOICE, "if"], "pattern"),
    (
        choice("{text: x, outcomes: [{goto: b, weight: 0}]}"),
        [*CHOICE, "outcomes", 0, "weight"],
        "exclusiveMinimum",
    ),
    (choice("{text: x, outcomes: []}"), [*CHOICE, "outcomes"], "minItems"),
    (one_scene("{text: A, next: [{goto: b}], ending: {title: E}}"), ["scenes", "a"], "oneOf"),
    (one_scene("{text: A}"), ["scenes", "a"], "oneOf"),
    (one_scene("{choices: [{text: x, goto: b}]}"), ["scenes", "a"], "dependencies"),
    (one_scene("{text: 'Hello {partnr}', ending: {title: E}}"), ["scenes", "a", "text"], "pattern"),
    (
        one_scene("{text: A, ending: {title: E, support: maybe}}"),
        ["scenes", "a", "ending", "support"],
        "type",
    ),
    (one_scene("{text: A, next: [{if: met}]}"), ["scenes", "a", "next", 0], "required"),
    (
        one_scene(
            "{text: A, ending: {title: E}}",
            "title: T\nstart: a\nmeters: {trust: {start: 2000000}}\n",
        ),
        ["meters", "trust", "start"],
        "maximum",
    ),
    (
        one_scene("{text: A, ending: {title: E}}", "title: T\nstart: a\nflags: {not: true}\n"),
        ["flags"],
        "pattern",
    ),
    (
        one_scene("{text: A, ending: {title: E}}", "title: T\nstart: a\npartner: {pronouns: it}\n"),
        ["partner", "pronouns"],
        "enum",
    ),
    (
        one_scene("{text: A, ending: {title: E}}", "title: T\nstart: a\ninvariants: [{name: n}]\n"),
        ["invariants", 0],
        "required",
    ),
    (
        one_scene("{text: A, ending: {title: E}}", "title: T\nstart: a\nformat: 2\n"),
        ["format"],
        "const",
    ),
    (one_scene("{text: A, ending: {title: E}}", "title: T\n"), [], "required"),
]


@pytest.mark.parametrize(("story", "path", "rule"), WRONG_KEYS, ids=lambda value: repr(value)[:60])
def test_the_best_error_is_at_the_key_that_is_wrong(story, path, rule):
    assert not accepted(("story.yaml", story))
    error = best_match(VALIDATOR.iter_errors(yaml.safe_load(story)))
    assert (list(error.absolute_path), error.validator) == (path, rule), error.message


def test_a_wrong_key_in_a_scenes_file_is_reported_at_it():
    head = "title: T\nstart: a\nscenes:\n  a: {text: A, next: [{goto: b}]}\n"
    scenes = "scenes:\n  b: {text: B, ending: {titel: E}}\n"
    assert not accepted(("story.yaml", head), ("more.yaml", scenes))
    error = best_match(VALIDATOR.iter_errors(yaml.safe_load(scenes)))
    assert list(error.absolute_path) == ["scenes", "b", "ending"]
    assert "'titel' was unexpected" in error.message


def test_a_file_with_keys_beside_scenes_is_a_story_file_and_needs_title_and_start():
    scenes = "author: A\nscenes:\n  b: {text: B, ending: {title: E}}\n"
    head = "title: T\nstart: a\nscenes:\n  a: {text: A, next: [{goto: b}]}\n"
    assert not accepted(("story.yaml", head), ("more.yaml", scenes))
    messages = {error.message for error in VALIDATOR.iter_errors(yaml.safe_load(scenes))}
    assert messages == {"'title' is a required property", "'start' is a required property"}


# The validator's own checks against the schema's patterns, on texts made of the pieces that
# matter: braces, slashes, placeholder names, control characters, signs and digits.
TEXT_PIECES = [*"{}/a \t\n\x07\x85é", "partner", "They", "them", "are"]
EFFECT_PIECES = ["", *" +-=%05x.", "99", "100", "101", "999999", "1000000", "1000001"]


@given(st.lists(st.sampled_from(TEXT_PIECES), max_size=12).map("".join))
@settings(max_examples=400, deadline=None)
def test_the_text_pattern_accepts_what_the_validator_accepts(text):
    validator_accepts = CONTROL.search(text) is None and not check_placeholders(text)
    assert jsonschema.Draft7Validator(schema.TEXT).is_valid(text) == validator_accepts


@given(st.lists(st.sampled_from(EFFECT_PIECES), max_size=5).map("".join))
@settings(max_examples=150, deadline=None)
def test_the_effect_pattern_accepts_what_the_validator_accepts(change):
    head = "title: T\nstart: a\nmeters: {m: {start: 0, min: -1000000, max: 1000000}}\n"
    story = choice(f"{{text: x, goto: b, effects: {{m: '{change}'}}}}").replace(HEAD, head)
    assert jsonschema.Draft7Validator(schema.EFFECT).is_valid(change) == accepted(("s.yaml", story))


def test_a_scenes_file_of_a_folder_story_matches():
    assert not list(
        VALIDATOR.iter_errors({"scenes": {"b": {"text": "B", "ending": {"title": "E"}}}})
    )


def test_the_schema_command_prints_it():
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "schema"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout == schema_text()
