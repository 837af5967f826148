"""The editor schema: generated from the validator's tables, and agreeing with the validator."""

import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from engine.story.keys import OBJECTS
from engine.story.loader import check_story
from engine.tools.commands.schema import SCHEMA_FILE, schema_text, story_schema

from ..conftest import ROOT, STORIES

VALIDATOR = jsonschema.Draft7Validator(story_schema())


def test_the_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text("utf-8") == schema_text(), (
        "regenerate it: python main.py schema -o docs/story.schema.json"
    )


def test_the_schema_is_valid_draft_7():
    jsonschema.Draft7Validator.check_schema(story_schema())


def test_every_key_of_the_format_is_in_the_schema_with_its_description():
    definitions = story_schema()["definitions"]
    for kind, keys in OBJECTS.items():
        for key in keys:
            assert definitions[kind]["properties"][key.name]["description"] == key.description


def good_stories():
    yield STORIES / "tiny.yaml"
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
    errors = [error.message for error in VALIDATOR.iter_errors(yaml.safe_load(text))]
    assert errors == []


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
