"""The story's head (pass 1): its title and other texts, the partner, and the meters, flags and
responses that scenes refer to, each declared once with the key that declared it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yaml.nodes import Node, ScalarNode

from engine.story import keys, model
from engine.story.nodes import IDENTIFIER, SCENE_ID, Fields, NodeReader
from engine.story.text import PRONOUN_SETS, Partner

TEXTS = ("content_note", "credits", "support", "author", "description")


@dataclass(slots=True)
class Head:
    """What the head file declares, read and checked, with where it was read from."""

    reader: NodeReader  # the head file's reader
    fields: Fields  # the head's keys, for 'start' (checked in pass 2, against every scene)
    values: dict[str, object] = field(default_factory=dict)  # the Story's fields read here
    meters: dict[str, model.Meter] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    responses: dict[str, str] = field(default_factory=dict)
    moods: dict[str, model.Mood] = field(default_factory=dict)
    # The keys that declared each meter, flag and response, for the usage warnings.
    declared: dict[str, dict[str, ScalarNode]] = field(
        default_factory=lambda: {"meter": {}, "flag": {}, "response": {}}
    )


def read_head(reader: NodeReader, fields: Fields, story_id: str) -> Head:
    """Read the head's keys; `story_id` is the id when the head gives none (or a bad one)."""
    head = Head(reader, fields)
    values = head.values
    values["title"] = reader.text_field(fields, "title", "the story's title") or ""
    values["id"] = story_id
    if "id" in fields:
        values["id"] = reader.id_value(fields["id"][1], "the story's id", SCENE_ID) or story_id
    for name in TEXTS:
        values[name] = reader.text_field(fields, name, f"'{name}'")
    if "partner" in fields:
        values["partner"] = _partner(reader, fields["partner"][1])
    if "allow_undo" in fields:
        values["allow_undo"] = reader.boolean(fields["allow_undo"][1], "'allow_undo'") is not False
    if "format" in fields:
        node = fields["format"][1]
        version = reader.integer(node, "'format'")
        if version is not None and version != keys.FORMAT_VERSION:
            reader.error(
                node,
                "E016",
                f"this story is written for format {version}; "
                f"this engine reads format {keys.FORMAT_VERSION}",
            )
    if "meters" in fields:
        _read_meters(reader, fields["meters"][1], head)
    if "flags" in fields:
        _read_flags(reader, fields["flags"][1], head)
    if "moods" in fields:
        _read_moods(reader, fields["moods"][1], head)
    if "responses" in fields:
        for key, node in reader.id_map(
            fields["responses"][1], "'responses'", IDENTIFIER, "response"
        ):
            label = reader.text(node, f"the label of response '{key.value}'")
            head.declared["response"][key.value] = key
            if label is not None:
                head.responses[key.value] = label
    return head


def _partner(reader: NodeReader, node: Node) -> Partner:
    fields = reader.mapping(node, "partner", "'partner'") or {}
    name = reader.text_field(fields, "name", "the partner's name") or "Sam"
    pronouns = reader.text_field(fields, "pronouns", "the partner's pronouns") or "they"
    if pronouns not in PRONOUN_SETS:
        reader.error(
            fields["pronouns"][1], "E010", f"unknown pronouns {pronouns!r}", "use they, she or he"
        )
        pronouns = "they"
    return Partner(name, pronouns)


def _read_meters(reader: NodeReader, node: Node, head: Head) -> None:
    for key, value in reader.id_map(node, "'meters'", IDENTIFIER, "meter"):
        meter_id = key.value
        head.declared["meter"][meter_id] = key
        fields = reader.mapping(value, "meter", f"the meter '{meter_id}'")
        if fields is None:
            head.meters[meter_id] = model.Meter(meter_id, meter_id, 0)
            continue
        label = reader.text_field(fields, "label", "a meter's label") or meter_id
        start = reader.integer(fields["start"][1], "a meter's start") if "start" in fields else None
        low = reader.integer(fields["min"][1], "a meter's min") if "min" in fields else 0
        high = reader.integer(fields["max"][1], "a meter's max") if "max" in fields else 100
        range_ok = low is None or high is None or low < high
        if not range_ok:
            reader.error(
                fields.get("max", fields.get("min"))[1],
                "E041",
                f"the meter '{meter_id}' has min {low} not below max {high}",
            )
            high = low + 1
        # A meter with a bad value is still declared, so its uses raise no further errors.
        low = 0 if low is None else low
        high = max(low + 1, 100 if high is None else high)
        if start is not None and range_ok and not low <= start <= high:
            reader.error(
                fields["start"][1],
                "E041",
                f"the meter '{meter_id}' starts at {start}, outside {low}..{high}",
            )
        start = low if start is None else min(max(start, low), high)
        centre = (
            reader.integer(fields["centre"][1], "a meter's centre") if "centre" in fields else None
        )
        if centre is not None and range_ok and not low <= centre <= high:
            reader.error(
                fields["centre"][1],
                "E041",
                f"the meter '{meter_id}' has its centre at {centre}, outside {low}..{high}",
            )
            centre = None
        head.meters[meter_id] = model.Meter(
            meter_id,
            label,
            start,
            low,
            high,
            reader.text_field(fields, "description", "a meter's description"),
            centre,
        )


def _read_moods(reader: NodeReader, node: Node, head: Head) -> None:
    for key, value in reader.id_map(node, "'moods'", IDENTIFIER, "mood"):
        fields = reader.mapping(value, "mood", f"the mood '{key.value}'") or {}
        accent = reader.text_field(fields, "accent", "a mood's accent") if fields else None
        if accent is None:
            head.moods[key.value] = model.Mood(key.value, (0, 0, 0))  # its error is reported
            continue
        if not COLOUR.match(str(accent)):
            reader.error(
                fields["accent"][1],
                "E010",
                f"a mood's accent must be a colour written '#rrggbb', not {accent!r}",
                "write the colour as '#' and six hexadecimal digits, in quotes: '#d9a066'",
            )
            accent = "#000000"  # declared even so, to avoid follow-on errors
        colour = int(accent[1:], 16)
        head.moods[key.value] = model.Mood(
            key.value, (colour >> 16, (colour >> 8) & 0xFF, colour & 0xFF)
        )


COLOUR = re.compile(keys.COLOUR_PATTERN + r"\Z")


def _read_flags(reader: NodeReader, node: Node, head: Head) -> None:
    for key, value_node in reader.id_map(node, "'flags'", IDENTIFIER, "flag"):
        value = reader.boolean(value_node, f"the flag '{key.value}'")
        head.declared["flag"][key.value] = key
        if key.value in head.meters:
            reader.error(
                key,
                "E015",
                f"'{key.value}' is both a meter and a flag",
                "give the flag another name",
            )
        else:  # declared even when its value is wrong, to avoid follow-on errors
            head.flags[key.value] = bool(value)
