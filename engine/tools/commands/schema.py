"""Print or write the story format as a JSON Schema, for editors (VS Code's YAML extension).

The schema is generated from the same tables the validator checks against (engine/story/keys.py),
and docs/story.schema.json is kept equal to it by a test. Put this line at the top of a story
file to have the editor complete and check it:

    # yaml-language-server: $schema=<path to>/docs/story.schema.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from engine import paths
from engine.atomic import write_atomic
from engine.story import keys as schema

DESCRIPTION = __doc__  # shown by `main.py COMMAND --help`

SCHEMA_FILE = paths.STORY_SCHEMA
NON_EMPTY_LISTS = {("scene", "choices"), ("scene", "next"), ("choice", "outcomes")}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="write the schema to this file (default: print it)",
    )


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output is None:
        print(text, end="")
        return 0
    try:
        write_atomic(args.output, text.encode("utf-8"))
    except OSError as error:
        print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}")
    return 0


def schema_text() -> str:
    return json.dumps(story_schema(), indent=2, ensure_ascii=False) + "\n"


def _pattern(python_pattern: str) -> str:
    """A Python pattern as an anchored ECMAScript one (named groups become plain groups)."""
    return "^" + re.sub(r"\(\?P<\w+>", "(", python_pattern) + "$"


def _value(type_name: str, owner: str, key: str) -> dict:
    if type_name.startswith("list:"):
        item = type_name[5:]
        result = {"type": "array", "items": _value(item, owner, key)}
        if (owner, key) in NON_EMPTY_LISTS:
            result["minItems"] = 1
        return result
    if type_name.startswith("map:"):
        item = type_name[4:]
        names = (
            schema.ID_PATTERN
            if (owner, key) == ("story", "scenes") or (owner == "scenes_file")
            else schema.IDENTIFIER_PATTERN
        )
        return {
            "type": "object",
            "propertyNames": {"pattern": _pattern(names)},
            "additionalProperties": _value(item, owner, key),
        }
    if type_name in schema.OBJECTS:
        return {"$ref": f"#/definitions/{type_name}"}
    simple = {
        "text": {"type": "string"},
        "id": {"type": "string", "pattern": _pattern(schema.ID_PATTERN)},
        "integer": {"type": "integer"},
        "number": {"type": "number", "exclusiveMinimum": 0},
        "boolean": {"type": "boolean"},
        "condition": {"type": ["string", "boolean"]},
        "effects": {
            "type": "object",
            "propertyNames": {"pattern": _pattern(schema.IDENTIFIER_PATTERN)},
            "additionalProperties": {
                "oneOf": [
                    {"type": "integer"},
                    {"type": "string", "pattern": _pattern(schema.EFFECT_PATTERN)},
                ]
            },
        },
        "flag_set": {
            "type": "object",
            "propertyNames": {"pattern": _pattern(schema.IDENTIFIER_PATTERN)},
            "additionalProperties": {"type": "boolean"},
        },
    }
    return dict(simple[type_name])


def _object(kind: str) -> dict:
    properties = {}
    for key in schema.OBJECTS[kind]:
        prop = _value(key.type, kind, key.name)
        if "$ref" not in prop:
            prop["description"] = key.description
        else:
            prop = {"allOf": [prop], "description": key.description}
        properties[key.name] = prop
    result: dict = {"type": "object", "properties": properties, "additionalProperties": False}
    required = list(schema.REQUIRED[kind])
    if required:
        result["required"] = required
    if kind == "scene":  # exactly one way on
        result["oneOf"] = [{"required": [way]} for way in ("choices", "next", "ending")]
    if kind == "choice":  # exactly one of goto and outcomes
        result["oneOf"] = [{"required": ["goto"]}, {"required": ["outcomes"]}]
    if kind == "partner":
        properties["pronouns"]["enum"] = ["they", "she", "he"]
    return result


def story_schema() -> dict:
    definitions = {kind: _object(kind) for kind in schema.OBJECTS}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://balance-of-power.example/story.schema.json",
        "title": f"Balance of Power story (format {schema.FORMAT_VERSION})",
        "description": "A story file, or one file of a folder story (see docs/authoring.md).",
        "oneOf": [{"$ref": "#/definitions/story"}, {"$ref": "#/definitions/scenes_file"}],
        "definitions": definitions,
    }
