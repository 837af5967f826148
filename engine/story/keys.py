"""The story format's keys, declared once as data.

The loader checks every map against these tables (unknown keys, missing required keys), and the
documentation and editor schema are generated from them, so the three cannot drift apart.

A key's `type` is a value type (`text`, `id`, `integer`, `number`, `boolean`, `condition`,
`effects`: meter ids to changes, `flag_set`: flag names to true or false) or the name of another
object in `OBJECTS`; `list:X` is a list of X, `map:X` a map from ids to X.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_VERSION = 1

# Every number in a story lies within -NUMBER_LIMIT..NUMBER_LIMIT: a meter's min, max and start,
# a change in an effect, a number in a condition, the format. Stories count in tens; the bound
# keeps every sum and product the engine works out an ordinary number.
NUMBER_LIMIT = 1_000_000

# Patterns the loader and the editor schema share (anchored at the start; the loader adds \Z).
COLOUR_PATTERN = r"#[0-9A-Fa-f]{6}"  # a mood's colours
IDENTIFIER_PATTERN = r"[A-Za-z_][A-Za-z0-9_]*"  # meters, flags, responses: names in conditions
ID_PATTERN = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"  # scenes, choices, the story
EFFECT_PATTERN = (
    r"\s*(?:(?P<add>[+-]?\d+)|=\s*(?P<set>[+-]?\d+)"
    r"|%\s*(?P<sign>[+-])\s*(?P<pct>\d+))\s*"
)


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    type: str
    description: str
    required: bool = False


_TEXT_NOTE = "Blank lines separate paragraphs."

OBJECTS: dict[str, tuple[Key, ...]] = {
    "story": (
        Key("title", "text", "The story's title, shown on the title screen.", required=True),
        Key("start", "id", "The id of the scene the story starts in.", required=True),
        Key("id", "id", "A short id for saves and records; defaults to the file or folder name."),
        Key("format", "integer", "The story format version this file is written for (1)."),
        Key("author", "text", "Who wrote the story."),
        Key("description", "text", "One or two sentences about the story."),
        Key("content_note", "text", "Shown before play starts: what the story deals with."),
        Key(
            "credits",
            "text",
            "Credits and further reading, shown from the title screen; a "
            "paragraph starting with '#' is a heading.",
        ),
        Key(
            "support",
            "text",
            "Where to get help, in general terms; shown from the menu and "
            "after endings marked 'support: true'.",
        ),
        Key(
            "partner",
            "partner",
            "The partner's default name and pronouns; players may change them before play.",
        ),
        Key("allow_undo", "boolean", "Whether players may take back a choice (default true)."),
        Key("meters", "map:meter", "The numbers the story tracks, by id."),
        Key("responses", "map:text", "Response categories a choice may carry (id -> label)."),
        Key("flags", "map:boolean", "Named true/false facts and their starting values."),
        Key(
            "moods",
            "map:mood",
            "Palettes a scene may name with 'mood' (a season, a chapter): the desktop game "
            "colours its accents with them.",
        ),
        Key("scenes", "map:scene", "Scenes by id (a folder story may keep them in other files)."),
        Key(
            "invariants",
            "list:invariant",
            "Rules that must hold after every turn; `playtest` checks them on every path.",
        ),
    ),
    "invariant": (
        Key("name", "text", "What the rule says, in a few words (in reports).", required=True),
        Key("check", "condition", "The condition that must hold after every turn.", required=True),
    ),
    "scenes_file": (Key("scenes", "map:scene", "Scenes by id.", required=True),),
    "partner": (
        Key("name", "text", "The partner's default name, filled in for {partner}."),
        Key("pronouns", "text", "they, she or he (default they): fills in {they}, {them} ..."),
    ),
    "meter": (
        Key("label", "text", "The name players see; defaults to the id."),
        Key("start", "integer", "The starting value.", required=True),
        Key("min", "integer", "The lowest value (default 0)."),
        Key("max", "integer", "The highest value (default 100)."),
        Key("description", "text", "What the meter stands for."),
        Key(
            "centre",
            "integer",
            "For a scale with two sides (who holds the power): the value that is neither "
            "side's. The game draws the meter from it and its changes as neither good nor bad.",
        ),
    ),
    "scene": (
        Key("text", "text", "What the player reads. " + _TEXT_NOTE),
        Key("title", "text", "A short title, shown in saves, history and the story map."),
        Key("choices", "list:choice", "The options offered to the player."),
        Key("next", "list:route", "A router: the first entry whose condition holds is taken."),
        Key("ending", "ending", "Makes this scene an ending."),
        Key("image", "image", "A picture shown above the text, with its alternative text."),
        Key("mood", "id", "One of the head's 'moods': the palette the scene is shown in."),
    ),
    "mood": (
        Key(
            "accent",
            "text",
            "The accent colour as '#rrggbb' (headings' rules, speakers' names, the focus ring); "
            "the game keeps its own where this one would not stand out enough.",
            required=True,
        ),
    ),
    "image": (
        Key(
            "file",
            "text",
            "A PNG or JPEG file in the story's folder, relative to the folder of this file "
            "(at most 5 MB and 4096x4096 pixels). The validator checks it is there (E060), "
            "a PNG or JPEG whose header reads (E061), within the limits (E062), and inside the "
            "story's folder (E063).",
            required=True,
        ),
        Key(
            "alt",
            "text",
            "What the picture shows, in a sentence: read by screen readers, self-voicing and "
            "the terminal player instead of the picture; required, never blank (E064).",
            required=True,
        ),
    ),
    "choice": (
        Key("text", "text", "The option as the player sees it.", required=True),
        Key("id", "id", "Unique within the scene; defaults to the choice's 1-based position."),
        Key("response", "id", "A response category declared under the head's 'responses'."),
        Key("if", "condition", "Offer the choice only when this holds."),
        Key(
            "locked",
            "text",
            "With 'if': show the choice disabled, with this reason, when the "
            "condition does not hold.",
        ),
        Key("effects", "effects", "Changes to meters when the choice is made."),
        Key("set", "flag_set", "Flags to set when the choice is made."),
        Key("feedback", "text", "The consequence the player reads after choosing."),
        Key("goto", "id", "The scene the choice leads to."),
        Key("outcomes", "list:outcome", "Possible results, drawn by weight (instead of goto)."),
    ),
    "outcome": (
        Key("goto", "id", "The scene this outcome leads to.", required=True),
        Key("if", "condition", "The outcome is possible only when this holds."),
        Key("weight", "number", "Relative chance among the possible outcomes (default 1)."),
        Key("effects", "effects", "Changes to meters when this outcome happens."),
        Key("set", "flag_set", "Flags to set when this outcome happens."),
        Key("feedback", "text", "Text shown after the choice's own feedback."),
    ),
    "route": (
        Key("goto", "id", "The scene to go to.", required=True),
        Key("if", "condition", "Take this route only when this holds (no 'if': always)."),
    ),
    "ending": (
        Key("title", "text", "The ending's title.", required=True),
        Key("debrief", "text", "What happened and why, for the player and a class."),
        Key("questions", "list:text", "Discussion questions for a class."),
        Key("support", "boolean", "Show the story's 'support' text after this ending."),
        Key(
            "expect",
            "condition",
            "Must hold whenever this ending is reached; `playtest` checks it on every path.",
        ),
    ),
}

KEY_NAMES: dict[str, frozenset[str]] = {
    kind: frozenset(key.name for key in keys) for kind, keys in OBJECTS.items()
}
REQUIRED: dict[str, tuple[str, ...]] = {
    kind: tuple(key.name for key in keys if key.required) for kind, keys in OBJECTS.items()
}
# A required key whose absence has a code of its own (any other missing key is E012).
MISSING_CODES: dict[tuple[str, str], str] = {("image", "alt"): "E064"}
