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
from engine.story.checks import MAX_INVARIANTS
from engine.story.conditions import RESERVED
from engine.story.nodes import ID_HELP
from engine.story.references import MAX_PERCENT
from engine.story.scenes import MAX_WEIGHT
from engine.story.text import CONTROL, KNOWN_PLACEHOLDERS, PRONOUN_SETS

DESCRIPTION = __doc__  # shown by `main.py COMMAND --help`

SCHEMA_FILE = paths.STORY_SCHEMA


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


def story_schema() -> dict:
    definitions = {kind: _object(kind) for kind in schema.OBJECTS if kind != "scenes_file"}
    definitions["story"] = _any_file()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://balance-of-power.example/story.schema.json",
        "title": f"Balance of Power story (format {schema.FORMAT_VERSION})",
        "description": "A story file, or one file of a folder story (see docs/authoring.md): "
        "a file with 'scenes' alone is a folder story's file of scenes; any other needs 'title' "
        "and 'start'.",
        "allOf": [{"$ref": "#/definitions/story"}],
        "definitions": definitions,
    }


def _any_file() -> dict:
    """Any file of a story: its head (the story's keys, `title` and `start` required), or in a
    folder story a file of scenes alone. One object rather than a choice of two, so that an
    error deep inside is reported at its own place, not as "no alternative matches" at the top."""
    result = _object("story")
    del result["required"]
    scenes_only = {
        "propertyNames": {"enum": sorted(schema.KEY_NAMES["scenes_file"])},
        "required": list(schema.REQUIRED["scenes_file"]),
    }
    result["if"] = scenes_only
    result["else"] = {"required": list(schema.REQUIRED["story"])}
    return result


def _object(kind: str) -> dict:
    """One object of keys.OBJECTS: its keys' values, then the rules between its keys (after
    them, so that when a key is wrong, that key's error is the one reported first)."""
    properties = {}
    key_rules = _key_rules()
    for key in schema.OBJECTS[kind]:
        prop = _value(key.type)
        for keyword, rule in key_rules.get((kind, key.name), {}).items():
            if rule is None:
                del prop[keyword]
            else:
                prop[keyword] = rule
        if "$ref" not in prop:
            prop["description"] = key.description
        else:
            prop = {"allOf": [prop], "description": key.description}
        properties[key.name] = prop
    result: dict = {"type": "object", "properties": properties, "additionalProperties": False}
    if schema.REQUIRED[kind]:
        result["required"] = list(schema.REQUIRED[kind])
    if kind in NEEDS:
        result["dependencies"] = NEEDS[kind]
    if kind in EXACTLY_ONE_OF:
        result["oneOf"] = [{"required": [key]} for key in EXACTLY_ONE_OF[kind]]
    return result


# Rules between the keys of one object, as engine/story/scenes.py checks them.
EXACTLY_ONE_OF = {"scene": ("choices", "next", "ending"), "choice": ("goto", "outcomes")}
NEEDS = {  # key -> the keys it needs beside it
    "scene": {"choices": ["text"], "ending": ["text"]},  # only a router may go without text
    "choice": {"locked": ["if"]},
}


def _key_rules() -> dict[tuple[str, str], dict]:
    """What the validator asks of single keys beyond their value type (None: a keyword of the
    type that does not apply)."""
    return {
        ("story", "format"): {"const": schema.FORMAT_VERSION},
        ("story", "invariants"): {"maxItems": MAX_INVARIANTS},
        ("partner", "pronouns"): {"enum": list(PRONOUN_SETS)},
        ("scene", "choices"): {"minItems": 1},
        ("scene", "next"): {"minItems": 1},
        ("choice", "outcomes"): {"minItems": 1},
        # a response declared in the head, so a name rather than any id
        ("choice", "response"): {"type": ["string", "boolean"], "minimum": None, **NAME},
        ("outcome", "weight"): {"exclusiveMinimum": 0, "maximum": MAX_WEIGHT},
        ("mood", "accent"): {
            "type": "string",
            "pattern": _pattern(schema.COLOUR_PATTERN),
            "patternErrorMessage": "a colour: '#' and six hexadecimal digits, such as '#d9a066'",
        },
        ("scene", "mood"): {"type": ["string", "boolean"], "minimum": None, **NAME},
    }


def _value(type_name: str) -> dict:
    """The schema of a value of one of keys.OBJECTS' types."""
    if type_name.startswith("list:"):
        return {"type": "array", "items": _value(type_name[5:])}
    if type_name.startswith("map:"):
        item = type_name[4:]
        return {  # an empty map (`flags:` alone) reads as null, which the validator takes
            "type": ["object", "null"],
            "propertyNames": ID if item == "scene" else NAME,
            "additionalProperties": _value(item),
        }
    if type_name in schema.OBJECTS:
        return {"$ref": f"#/definitions/{type_name}"}
    limit = schema.NUMBER_LIMIT
    simple = {
        "text": {"type": SCALAR, **TEXT},
        "id": {"type": SCALAR, "minimum": 0, **ID},  # a number id is read as written: not -1
        "integer": {"type": "integer", "minimum": -limit, "maximum": limit},
        "number": {"type": "number"},
        "boolean": {"type": "boolean"},
        "condition": {"type": SCALAR, **CONDITION},
        "effects": {
            "type": ["object", "null"],
            "propertyNames": NAME,
            "additionalProperties": {
                "type": ["integer", "string"],
                "minimum": -limit,
                "maximum": limit,
                **EFFECT,
            },
        },
        "flag_set": {
            "type": ["object", "null"],
            "propertyNames": NAME,
            "additionalProperties": {"type": "boolean"},
        },
    }
    return dict(simple[type_name])


# The validator reads any plain scalar's written form as text, an id or a condition; YAML 1.1
# reads `1984`, `2.5` and `yes` as numbers and true, so the schema lets those through too.
SCALAR = ["string", "number", "boolean"]


# Patterns -------------------------------------------------------------------------------------
# Each keeps to what both Python's re (jsonschema) and ECMAScript (editors) read alike, and has a
# `patternErrorMessage` for VS Code to show instead of the pattern itself.


def _pattern(python_pattern: str) -> str:
    """A Python pattern as an anchored ECMAScript one (named groups become plain groups)."""
    return "^" + re.sub(r"\(\?P<\w+>", "(", python_pattern) + "$"


def _escaped(characters: str) -> str:
    """Control characters in a pattern written as \\uXXXX escapes (JSON would hide some)."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda match: f"\\u{ord(match[0]):04x}", characters)


CONTROL_RANGES = _escaped(CONTROL.pattern[1:-1])  # the ranges inside [...]: what E019 refuses


def _text_pattern() -> str:
    """Text without control characters (E019) whose braces are placeholders the engine knows
    or doubled (E018), as `engine.story.text` checks them."""
    names = "|".join(sorted(KNOWN_PLACEHOLDERS))
    either = rf"[^{{}}/{CONTROL_RANGES}]*/[^{{}}/{CONTROL_RANGES}]*"  # {are/is}
    return rf"^(?:[^{{}}{CONTROL_RANGES}]|\{{\{{|\}}\}}|\{{(?:{names}|{either})\}})*$"


def _name_pattern() -> str:
    """A name of a meter, flag or response: keys.IDENTIFIER_PATTERN but no reserved word."""
    reserved = "|".join(sorted(RESERVED))
    return f"^(?!(?:{reserved})$){schema.IDENTIFIER_PATTERN}$"


def _up_to(limit: int) -> str:
    """A pattern for the whole numbers 0..limit as written, leading zeros allowed."""
    digits = str(limit)
    ways = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []  # fewer digits
    for place, digit in enumerate(digits):  # as many digits: the same up to `place`, then less
        lowest = 1 if place == 0 and len(digits) > 1 else 0  # a leading 0 is a shorter way
        if int(digit) > lowest:
            rest = len(digits) - place - 1
            after = rf"\d{{{rest}}}" if rest else ""
            ways.append(f"{digits[:place]}[{lowest}-{int(digit) - 1}]{after}")
    ways.append(digits)
    return "0*(?:" + "|".join(ways) + ")"


def _effect_pattern() -> str:
    """keys.EFFECT_PATTERN with its numbers bounded as the validator bounds them: at most
    NUMBER_LIMIT (E042), a percentage at most MAX_PERCENT (E040)."""

    def bounded(group: re.Match) -> str:
        limit = MAX_PERCENT if group["name"] == "pct" else schema.NUMBER_LIMIT
        return "(" + group["body"].replace(r"\d+", _up_to(limit)) + ")"

    groups = r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)"
    return "^" + re.sub(groups, bounded, schema.EFFECT_PATTERN) + "$"


ID = {"pattern": _pattern(schema.ID_PATTERN), "patternErrorMessage": "an id: " + ID_HELP}
NAME = {
    "pattern": _name_pattern(),
    "patternErrorMessage": "a name: letters, digits and '_', not starting with a digit, and not "
    "a word of conditions (" + ", ".join(sorted(RESERVED)) + ")",
}
TEXT = {
    "pattern": _text_pattern(),
    "patternErrorMessage": "text without control characters, whose braces are placeholders such "
    "as {partner}, {they} or {are/is}, or doubled ({{ or }}) for a brace",
}
CONDITION = {
    "pattern": f"^[^{CONTROL_RANGES}]*$",
    "patternErrorMessage": "a condition without control characters",
}
EFFECT = {
    "pattern": _effect_pattern(),
    "patternErrorMessage": f"a change such as +5, -3, =10 (set to) or %+50 (that part of the way "
    f"to the max, at most %+{MAX_PERCENT}), with numbers up to {schema.NUMBER_LIMIT:,}",
}
