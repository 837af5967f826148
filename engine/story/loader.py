"""The story loader: YAML files in, a validated `Story` (or every problem found) out.

Two passes over the composed YAML nodes, which keep their source marks:

1. read each file's head and index every scene by id, noting where each was defined;
2. build each scene with every reference checked against that index (scenes, meters, flags,
   responses), then check that every scene can be reached from the start.

Every problem becomes a `Diagnostic`; loading goes on after a problem so an author sees them all at
once. `check_story` returns the story (or None) with the diagnostics; `load_story` raises
`StoryError` when there are errors. `engine.story.cache` wraps both with a compiled cache.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.story import keys as schema
from engine.story import lint, model
from engine.story.conditions import (
    RESERVED,
    Condition,
    ConditionError,
    Names,
    names_by_kind,
    parse_condition,
    resolve_condition,
)
from engine.story.diagnostics import ERROR, WARNING, Diagnostic, has_errors, sort_key, suggest
from engine.story.text import PLACEHOLDERS, PRONOUN_SETS, Partner, check_placeholders
from engine.story.yaml_source import (
    PLAIN_TAGS,
    QUOTE_PLACEHOLDER_HELP,
    describe_node,
    is_plain_tag,
    parse_yaml,
)

HEAD_FILE = "story.yaml"
MAX_WEIGHT = 1_000_000  # weights are relative; a cap keeps their sum a plain finite number
STORY_SUFFIX = ".yaml"

_IDENTIFIER = re.compile(schema.IDENTIFIER_PATTERN + r"\Z")
_SCENE_ID = re.compile(schema.ID_PATTERN + r"\Z")
_EFFECT = re.compile(schema.EFFECT_PATTERN + r"\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_SCALARS = yaml.constructor.SafeConstructor()


class StoryError(Exception):
    """A story could not be loaded; `diagnostics` says every reason, with places."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.is_error]
        first = errors[0].headline() if errors else "the story could not be loaded"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first + more)


@dataclass(slots=True)
class StoryFiles:
    """The files that make up a story, read once: the head file first."""

    path: str
    story_id: str
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (display path, content)
    problems: list[Diagnostic] = field(default_factory=list)

    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for display, data in self.files:
            digest.update(display.encode("utf-8") + b"\0" + data + b"\0")
        return digest.hexdigest()


def read_story_files(path: str | Path) -> StoryFiles:
    """Find and read a story's files: one YAML file, or a folder with a story.yaml."""
    root = Path(path)
    display_root = str(path)
    found = StoryFiles(display_root, _default_id(root))
    try:
        if root.is_dir():
            head = root / HEAD_FILE
            if not head.is_file():
                found.problems.append(Diagnostic(str(head), 0, 0, ERROR, "E017",
                                                 f"the story folder has no {HEAD_FILE}"))
                return found
            others = sorted(
                p for p in root.rglob("*" + STORY_SUFFIX)
                if p != head
                and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
            for file in [head, *others]:
                if file.is_file():
                    found.files.append((str(file), file.read_bytes()))
                else:
                    found.problems.append(Diagnostic(str(file), 0, 0, ERROR, "E017",
                                                     _not_a_file(file)))
        elif root.is_file():
            found.files.append((display_root, root.read_bytes()))
        elif root.exists():
            found.problems.append(Diagnostic(display_root, 0, 0, ERROR, "E017",
                                             _not_a_file(root),
                                             "give a story's .yaml file or its folder"))
        else:
            found.problems.append(Diagnostic(display_root, 0, 0, ERROR, "E017",
                                             "no story here: the path does not exist",
                                             "give a story's .yaml file or its folder"))
    except OSError as error:
        found.problems.append(Diagnostic(display_root, 0, 0, ERROR, "E017",
                                         f"cannot read the story: {error.strerror or error}"))
    return found


def _not_a_file(path: Path) -> str:
    """Why a path that is there cannot be read as a story file (never opening it: a pipe or a
    device would hang or never end)."""
    if path.is_symlink() and not path.exists():
        return "cannot read the file: it is a link to something that is not there"
    return "cannot read the file: it is not a regular file (a device, a pipe or a socket)"


def _default_id(root: Path) -> str:
    name = root.resolve().name if root.is_dir() else root.stem
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.-")
    return slug or "story"


def check_story(path: str | Path) -> tuple[model.Story | None, list[Diagnostic]]:
    """Load and validate a story from disk (no cache). Returns the story or None, and problems."""
    return build_story(read_story_files(path))


def build_story(files: StoryFiles) -> tuple[model.Story | None, list[Diagnostic]]:
    """Validate and build a story from its files."""
    if files.problems:
        return None, list(files.problems)
    with gc_paused():
        builder = _Builder(files)
        story, problems = builder.build(), builder.diagnostics
        del builder  # frees the YAML nodes before the collector wakes up and scans them
    diagnostics = sorted(problems, key=sort_key)
    return (None if has_errors(diagnostics) else story), diagnostics


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that form no cycles.

    Composing a large story allocates millions of nodes; without this, the collector walks them
    all again and again, which more than doubles the load time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_story(path: str | Path) -> model.Story:
    """Load a story, raising `StoryError` (with every diagnostic) if it has errors."""
    story, diagnostics = check_story(path)
    if story is None:
        raise StoryError(diagnostics)
    return story


KeyPlace = tuple[str, int, int, int]  # where a scene's id stands: file, line, column, length


def _key_place(file: str, key: ScalarNode) -> KeyPlace:
    """A key's place as `_Builder.error` reports it."""
    start, end = key.start_mark, key.end_mark
    length = end.column - start.column if end.line == start.line else 1
    return file, start.line + 1, start.column + 1, max(length, 1)


@dataclass(slots=True)
class _SceneEntry:
    key: ScalarNode
    node: Node
    file: str


class _Builder:
    """Builds one story from its files, collecting diagnostics as it goes."""

    def __init__(self, files: StoryFiles):
        self.files = files
        self.diagnostics: list[Diagnostic] = []
        self.file = ""
        self.head: dict[str, tuple[ScalarNode, Node]] = {}
        self.head_file = ""
        self.head_values: dict[str, object] = {}
        self.entries: dict[str, _SceneEntry] = {}  # the scenes this builder builds
        self.known_scenes: dict[str, KeyPlace] = {}  # every scene of the story
        self.duplicates: list[tuple[str, ScalarNode, str]] = []  # (id, key, file) defined again
        self.meters: dict[str, model.Meter] = {}
        self.flags: dict[str, bool] = {}
        self.responses: dict[str, str] = {}
        self.names = Names((), (), ())
        self.lines: dict[str, list[str]] = {}
        self.unreadable: list[str] = []  # files that could not be parsed
        self.usage = lint.Usage()
        self.declared: dict[str, dict[str, ScalarNode]] = {"meter": {}, "flag": {},
                                                           "response": {}}
        self.condition_facts: dict[str, tuple[frozenset[str], bool]] = {}
        self.conditions: dict[str, Condition | list[tuple[ConditionError, str]]] = {}
        self.effects: dict[tuple[str, str, str], model.Effect] = {}

    # Diagnostics -----------------------------------------------------------------------------

    def error(self, node: Node | None, code: str, message: str, help: str | None = None,
              length: int | None = None, severity: str = ERROR) -> None:
        if node is None:
            self.diagnostics.append(Diagnostic(self.file, 0, 0, severity, code, message, help))
            return
        mark = node.start_mark
        if length is None:
            end = node.end_mark
            length = end.column - mark.column if end.line == mark.line else 1
        self.diagnostics.append(Diagnostic(self.file, mark.line + 1, mark.column + 1, severity,
                                           code, message, help, max(length, 1)))

    def wrong_type(self, node: Node, expected: str, what: str) -> None:
        self.error(node, "E010", f"{what} must be {expected}, not {describe_node(node)}")

    def plain(self, node: Node) -> bool:
        """Reject tags that are not plain YAML data (such as !!python/object)."""
        if is_plain_tag(node.tag):
            return True
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.error(node, "E005", f"the YAML tag '{tag}' is not allowed", length=len(tag))
        return False

    # Pass 1: files, head, scene index ------------------------------------------------------------

    def build(self) -> model.Story | None:
        """Both passes over every file, in one process."""
        self.read_files(range(len(self.files.files)))
        self.know_scenes([], before=False)
        if not self.head:
            return None
        return self.finish(self.build_scenes())

    def read_files(self, numbers: Iterable[int]) -> None:
        """Pass 1 over some of the files: compose each, read the head, index the scenes."""
        for index in numbers:
            display, data = self.files.files[index]
            self.file = display
            parsed = parse_yaml(data, display)
            self.diagnostics.extend(parsed.problems)
            if parsed.root is None:
                self.unreadable.append(display)
                continue
            kind = "story" if index == 0 else "scenes_file"
            fields = self.mapping(parsed.root, kind, "a story file" if index == 0 else
                                  "a scenes file")
            if fields is None:
                continue
            if index == 0:
                self.head, self.head_file = fields, display
                self.read_head(fields)
            if "scenes" in fields:
                self.index_scenes(fields["scenes"][1], display)

    def scene_places(self) -> list[tuple[str, KeyPlace]]:
        """Where each scene indexed here is defined, in file order."""
        return [(scene_id, _key_place(entry.file, entry.key))
                for scene_id, entry in self.entries.items()]

    def know_scenes(self, others: list[tuple[str, KeyPlace]], before: bool) -> None:
        """Learn every scene id of the story: those indexed here and `others`, indexed by
        another process from the files that come `before` these or after them. A scene defined
        twice keeps its first definition, as when one process reads every file."""
        own = self.scene_places()
        duplicates = self.duplicates
        if not before:
            known = dict(own)
            for scene_id, place in others:
                known.setdefault(scene_id, place)
        else:
            known = dict(others)
            for scene_id, place in own:
                if scene_id in known:
                    entry = self.entries.pop(scene_id)
                    duplicates.append((scene_id, entry.key, entry.file))
                else:
                    known[scene_id] = place
        for scene_id, key, file in duplicates:
            first, line, col, _ = known[scene_id]
            self.file = file
            self.error(key, "E013", f"the scene '{scene_id}' is defined twice: first at "
                                    f"{first}:{line}:{col}")
        duplicates.clear()
        self.known_scenes = known
        self.names = Names(self.meters, self.flags, known)

    def build_scenes(self) -> dict[str, model.Scene]:
        """Pass 2: build every scene indexed here, checking its references."""
        scenes: dict[str, model.Scene] = {}
        for scene_id, entry in self.entries.items():
            self.file = entry.file
            scene = self.scene(scene_id, entry)
            if scene is not None:
                scenes[scene_id] = scene
        return scenes

    def finish(self, scenes: dict[str, model.Scene]) -> model.Story | None:
        """Checks of the whole story (the start, reachability, usage), then the story itself,
        unless there are errors."""
        self.file = self.head_file
        start = self.reference_field(self.head, "start", "'start'")
        if start is not None and start in scenes:
            self.check_reachable(start, scenes)
        if not has_errors(self.diagnostics):  # usage is only meaningful in a complete story
            self.check_usage()
        if has_errors(self.diagnostics) or start is None:
            return None
        return model.Story(
            start=start,
            scenes=model.frozen_map(scenes),
            meters=model.frozen_map(self.meters),
            responses=model.frozen_map(self.responses),
            flags=model.frozen_map(self.flags),
            **self.head_values,
            source=model.StorySource(
                self.files.path, tuple(name for name, _ in self.files.files),
                self.files.content_hash(),
            ),
        )

    def read_head(self, head: dict[str, tuple[ScalarNode, Node]]) -> None:
        values = self.head_values
        values["title"] = self.text_field(head, "title", "the story's title") or ""
        values["id"] = self.files.story_id
        if "id" in head:
            values["id"] = self.id_value(head["id"][1], "the story's id", _SCENE_ID) \
                or self.files.story_id
        for name in ("content_note", "credits", "support", "author", "description"):
            values[name] = self.text_field(head, name, f"'{name}'")
        if "partner" in head:
            values["partner"] = self.partner(head["partner"][1])
        if "allow_undo" in head:
            values["allow_undo"] = self.boolean(head["allow_undo"][1], "'allow_undo'") is not False
        if "format" in head:
            node = head["format"][1]
            version = self.integer(node, "'format'")
            if version is not None and version != schema.FORMAT_VERSION:
                self.error(node, "E016", f"this story is written for format {version}; "
                                         f"this engine reads format {schema.FORMAT_VERSION}")
        if "meters" in head:
            self.read_meters(head["meters"][1])
        if "flags" in head:
            for key, node in self.id_map(head["flags"][1], "'flags'", _IDENTIFIER, "flag"):
                value = self.boolean(node, f"the flag '{key.value}'")
                self.declared["flag"][key.value] = key
                if key.value in self.meters:
                    self.error(key, "E015", f"'{key.value}' is both a meter and a flag",
                               "give the flag another name")
                else:  # declared even when its value is wrong, to avoid follow-on errors
                    self.flags[key.value] = bool(value)
        if "responses" in head:
            for key, node in self.id_map(head["responses"][1], "'responses'", _IDENTIFIER,
                                         "response"):
                label = self.text(node, f"the label of response '{key.value}'")
                self.declared["response"][key.value] = key
                if label is not None:
                    self.responses[key.value] = label

    def partner(self, node: Node) -> Partner:
        fields = self.mapping(node, "partner", "'partner'") or {}
        name = self.text_field(fields, "name", "the partner's name") or "Sam"
        pronouns = self.text_field(fields, "pronouns", "the partner's pronouns") or "they"
        if pronouns not in PRONOUN_SETS:
            self.error(fields["pronouns"][1], "E010", f"unknown pronouns {pronouns!r}",
                       "use they, she or he")
            pronouns = "they"
        return Partner(name, pronouns)

    def read_meters(self, node: Node) -> None:
        for key, value in self.id_map(node, "'meters'", _IDENTIFIER, "meter"):
            meter_id = key.value
            self.declared["meter"][meter_id] = key
            fields = self.mapping(value, "meter", f"the meter '{meter_id}'")
            if fields is None:
                self.meters[meter_id] = model.Meter(meter_id, meter_id, 0)
                continue
            label = self.text_field(fields, "label", "a meter's label") or meter_id
            start = self.integer(fields["start"][1], "a meter's start") if "start" in fields \
                else None
            low = self.integer(fields["min"][1], "a meter's min") if "min" in fields else 0
            high = self.integer(fields["max"][1], "a meter's max") if "max" in fields else 100
            range_ok = low is None or high is None or low < high
            if not range_ok:
                self.error(fields.get("max", fields.get("min"))[1], "E041",
                           f"the meter '{meter_id}' has min {low} not below max {high}")
                high = low + 1
            # A meter with a bad value is still declared, so its uses raise no further errors.
            low = 0 if low is None else low
            high = max(low + 1, 100 if high is None else high)
            if start is not None and range_ok and not low <= start <= high:
                self.error(fields["start"][1], "E041",
                           f"the meter '{meter_id}' starts at {start}, outside {low}..{high}")
            start = low if start is None else min(max(start, low), high)
            self.meters[meter_id] = model.Meter(
                meter_id, label, start, low, high,
                self.text_field(fields, "description", "a meter's description"),
            )

    def index_scenes(self, node: Node, display: str) -> None:
        for key, value in self.id_map(node, "'scenes'", _SCENE_ID, "scene", check_dupes=False):
            scene_id = key.value
            if scene_id in self.entries:  # reported by know_scenes, which knows the first
                self.duplicates.append((scene_id, key, display))
                continue
            self.entries[scene_id] = _SceneEntry(key, value, display)

    # Pass 2: scenes --------------------------------------------------------------------------

    def scene(self, scene_id: str, entry: _SceneEntry) -> model.Scene | None:
        fields = self.mapping(entry.node, "scene", f"the scene '{scene_id}'")
        if fields is None:
            return None
        kinds = [name for name in (model.CHOICES, model.ROUTER, model.ENDING) if name in fields]
        if len(kinds) != 1:
            if kinds:
                self.error(fields[kinds[1]][0], "E050",
                           f"the scene '{scene_id}' has both '{kinds[0]}' and '{kinds[1]}'")
            else:
                self.error(entry.key, "E050", f"the scene '{scene_id}' has no way on: it needs "
                                              "'choices', 'next' or 'ending'")
            return None
        kind = kinds[0]
        text = ""
        if "text" in fields:
            text = self.text(fields["text"][1], f"the text of scene '{scene_id}'") or ""
            self.check_length(fields["text"][1], "scene text", text)
        elif kind != model.ROUTER:
            self.error(entry.key, "E012", f"the scene '{scene_id}' has no 'text'")
        title = self.text_field(fields, "title", "a scene's title")
        place = model.Place(entry.file, entry.key.start_mark.line + 1,
                            entry.key.start_mark.column + 1)
        body = fields[kind][1]
        if kind == model.CHOICES:
            choices = self.choices(body, scene_id)
            return model.Scene(scene_id, text, kind, title, choices=choices, place=place)
        if kind == model.ROUTER:
            routes = self.routes(body, scene_id)
            return model.Scene(scene_id, text, kind, title, routes=routes, place=place)
        ending = self.ending(body, scene_id)
        return model.Scene(scene_id, text, kind, title, ending=ending, place=place)

    def choices(self, node: Node, scene_id: str) -> tuple[model.Choice, ...]:
        items = self.sequence(node, f"the choices of scene '{scene_id}'")
        built: list[model.Choice] = []
        seen: dict[str, Node] = {}
        for position, item in enumerate(items, start=1):
            choice = self.choice(item, position, scene_id)
            if choice is None:
                continue
            if choice.id in seen:
                fields_node = item
                self.error(fields_node, "E014", f"two choices in scene '{scene_id}' have the id "
                                                f"'{choice.id}' (the first is at line "
                                                f"{seen[choice.id].start_mark.line + 1})")
                continue
            seen[choice.id] = item
            built.append(choice)
        return tuple(built)

    def choice(self, node: Node, position: int, scene_id: str) -> model.Choice | None:
        what = f"choice {position} of scene '{scene_id}'"
        fields = self.mapping(node, "choice", what)
        if fields is None:
            return None
        choice_id = str(position)
        if "id" in fields:
            choice_id = self.id_value(fields["id"][1], "a choice's id", _SCENE_ID) or choice_id
        text = self.text_field(fields, "text", f"the text of {what}")
        self.check_length(fields.get("text"), "choice", text)
        response = None
        if "response" in fields:
            response = self.known(fields["response"][1], self.responses, "response", "E023")
            self.usage.responses_used.add(response)
        condition = self.condition_field(fields, "the choice is never offered")
        locked = self.text_field(fields, "locked", "a choice's 'locked' reason")
        self.check_length(fields.get("locked"), "locked reason", locked)
        if locked is not None and "if" not in fields:
            self.error(fields["locked"][0], "E012", "'locked' needs an 'if': the condition that "
                                                    "unlocks the choice")
        goto, outcomes = None, ()
        has_goto, has_outcomes = "goto" in fields, "outcomes" in fields
        if has_goto == has_outcomes:
            if has_goto:
                self.error(fields["outcomes"][0], "E051", f"{what} has both 'goto' and "
                                                          "'outcomes'")
            else:
                self.error(node, "E051", f"{what} has neither 'goto' nor 'outcomes'", length=1)
        elif has_goto:
            goto = self.reference_field(fields, "goto", "'goto'")
        else:
            outcomes = self.outcomes(fields["outcomes"][1], what)
            if outcomes and all(outcome.condition is not None for outcome in outcomes):
                self.error(fields["outcomes"][0], "W103", "every outcome has an 'if': when none "
                           "holds, the choice strands the player", severity=WARNING)
        return model.Choice(
            id=choice_id,
            text=text or "",
            goto=goto,
            outcomes=outcomes,
            response=response,
            condition=condition,
            locked=locked,
            effects=self.effects_field(fields),
            sets=self.sets_field(fields),
            feedback=self.feedback_field(fields, "a choice's feedback"),
        )

    def outcomes(self, node: Node, what: str) -> tuple[model.Outcome, ...]:
        built = []
        items = self.sequence(node, f"the outcomes of {what}")
        for item in items:
            fields = self.mapping(item, "outcome", f"an outcome of {what}")
            if fields is None:
                continue
            weight = 1.0
            if "weight" in fields:
                value = self.number(fields["weight"][1], "an outcome's weight")
                if value is not None and not 0 < value <= MAX_WEIGHT:
                    self.error(fields["weight"][1], "E010", "an outcome's weight must be above 0 "
                                                            f"and at most {MAX_WEIGHT:,}")
                elif value is not None:
                    weight = value
            goto = self.reference_field(fields, "goto", "'goto'")
            built.append(model.Outcome(
                goto=goto or "",
                weight=weight,
                condition=self.condition_field(fields, "this outcome never happens"),
                effects=self.effects_field(fields),
                sets=self.sets_field(fields),
                feedback=self.feedback_field(fields, "an outcome's feedback"),
            ))
        return tuple(built)

    def routes(self, node: Node, scene_id: str) -> tuple[model.Route, ...]:
        built = []
        for item in self.sequence(node, f"'next' of scene '{scene_id}'"):
            fields = self.mapping(item, "route", f"an entry of 'next' in scene '{scene_id}'")
            if fields is None:
                continue
            goto = self.reference_field(fields, "goto", "'goto'")
            built.append(model.Route(goto or "", self.condition_field(
                fields, "this entry is never taken")))
        if built and built[-1].condition is not None:
            self.error(node.value[-1], "W102", "the last entry of 'next' has an 'if': when no "
                                               "entry holds, the player is stranded",
                       "end 'next' with an entry that has no 'if'", severity=WARNING, length=1)
        return tuple(built)

    def ending(self, node: Node, scene_id: str) -> model.Ending | None:
        fields = self.mapping(node, "ending", f"the ending of scene '{scene_id}'")
        if fields is None:
            return None
        title = self.text_field(fields, "title", "an ending's title") or ""
        self.check_length(fields.get("title"), "ending title", title)
        questions: list[str] = []
        if "questions" in fields:
            for item in self.sequence(fields["questions"][1], "'questions'", allow_empty=True):
                question = self.text(item, "a question")
                if question is not None:
                    questions.append(question)
        support = False
        if "support" in fields:
            support = self.boolean(fields["support"][1], "an ending's 'support'") is True
        debrief = self.text_field(fields, "debrief", "a debrief")
        self.check_length(fields.get("debrief"), "debrief", debrief)
        return model.Ending(title, debrief, tuple(questions), support)

    # Fields shared by choices, outcomes and routes --------------------------------------------

    def condition_field(self, fields: dict, never: str) -> Condition | None:
        """The checked condition under 'if'; `never` says what it means if it can never hold."""
        if "if" not in fields:
            return None
        node = fields["if"][1]
        if not isinstance(node, ScalarNode):
            if self.plain(node):
                self.wrong_type(node, "a condition", "'if'")
            return None
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return None
        source = node.value
        if node.tag == _BOOL_TAG:
            source = "true" if _SCALARS.construct_yaml_bool(node) else "false"
        known = self.conditions.get(source)
        if known is None:
            known = self.conditions[source] = self.parse_and_resolve(source)
        if isinstance(known, Condition):
            flags_read, impossible = self.condition_facts[source]
            self.usage.flags_read |= flags_read
            if impossible:
                self.error(node, "W108", f"this condition can never hold, whatever the meters' "
                                         f"values within their ranges: {never}",
                           "check the numbers against the meters' min and max",
                           severity=WARNING)
            return known
        for problem, code in known:
            self.condition_problem(node, problem, code)
        return None

    def parse_and_resolve(self, source: str) -> Condition | list[tuple[ConditionError, str]]:
        """A checked condition, or its problems with their codes. One Condition per distinct
        source text, so each is compiled once however often it appears."""
        try:
            parsed = parse_condition(source)
        except ConditionError as problem:
            return [(problem, "E030")]
        tree, problems = resolve_condition(parsed, self.names)
        if not problems:
            condition = Condition(source, tree)
            names = names_by_kind(tree)
            self.condition_facts[source] = (frozenset(names.get("flag", ())),
                                            lint.never_holds(condition, self.meters, names))
            return condition
        coded = []
        for problem in problems:
            code = "E032" if "cannot be" in problem.message or "compares" in problem.message \
                else "E020" if problem.message.startswith("visited()") else "E031"
            coded.append((problem, code))
        return coded

    def condition_problem(self, node: ScalarNode, problem: ConditionError, code: str) -> None:
        help = problem.help
        if code == "E020" and self.unreadable:
            help = self.unreadable_help()
        mark = node.start_mark
        column = mark.column + 1
        if node.style not in ("|", ">") and node.end_mark.line == mark.line:
            column += problem.column + (1 if node.style in ("'", '"') else 0)
        self.diagnostics.append(Diagnostic(self.file, mark.line + 1, column, ERROR, code,
                                           f"in condition: {problem.message}", help,
                                           problem.length))

    def effects_field(self, fields: dict) -> tuple[model.Effect, ...]:
        if "effects" not in fields:
            return ()
        effects = []
        for key, node in self.id_map(fields["effects"][1], "'effects'", None, "meter"):
            meter = self.meters.get(key.value)
            if meter is None:
                self.unknown(key, self.meters, "meter", "E021")
                continue
            known = (meter.id, node.value, node.tag) if node.__class__ is ScalarNode else None
            effect = self.effects.get(known) if known else None
            if effect is None:
                effect = self.effect(node, meter)
                if effect is not None and known:
                    self.effects[known] = effect  # one Effect per distinct change, checked once
            if effect is not None:
                effects.append(effect)
                self.usage.meters_changed.add(meter.id)
        return tuple(effects)

    def effect(self, node: Node, meter: model.Meter) -> model.Effect | None:
        what = f"the effect on '{meter.id}'"
        if not isinstance(node, ScalarNode):
            if self.plain(node):
                self.error(node, "E040", f"{what} must be a change such as +5, not "
                                         f"{describe_node(node)}")
            return None
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return None
        match = _EFFECT.match(node.value) if node.tag != _FLOAT_TAG else None
        if match is None:
            self.error(node, "E040", f"{what} is not a change this engine knows: "
                                     f"{node.value!r}")
            return None
        if match["add"] is not None:
            return model.Effect(meter.id, model.ADD, int(match["add"]))
        if match["set"] is not None:
            value = int(match["set"])
            if not meter.minimum <= value <= meter.maximum:
                self.error(node, "E040", f"{what} sets it to {value}, outside "
                                         f"{meter.minimum}..{meter.maximum}")
                return None
            return model.Effect(meter.id, model.SET, value)
        percent = int(match["pct"])
        if percent > 100:
            self.error(node, "E040", f"{what} moves {percent}% of the way; at most 100% is "
                                     "possible")
            return None
        kind = model.FAIR_UP if match["sign"] == "+" else model.FAIR_DOWN
        return model.Effect(meter.id, kind, percent)

    def sets_field(self, fields: dict) -> tuple[tuple[str, bool], ...]:
        if "set" not in fields:
            return ()
        sets = []
        for key, node in self.id_map(fields["set"][1], "'set'", None, "flag"):
            if key.value not in self.flags:
                self.unknown(key, self.flags, "flag", "E022")
                continue
            value = self.boolean(node, f"the value set for the flag '{key.value}'")
            if value is not None:
                sets.append((key.value, value))
                self.usage.flags_set.add(key.value)
        return tuple(sets)

    def feedback_field(self, fields: dict, what: str) -> str | None:
        feedback = self.text_field(fields, "feedback", what)
        self.check_length(fields.get("feedback"), "feedback", feedback)
        return feedback

    def check_length(self, pair: tuple[Node, Node] | Node | None, role: str,
                     text: str | None) -> None:
        message = lint.too_long(role, text)
        if message is not None:
            node = pair[1] if isinstance(pair, tuple) else pair
            self.error(node, "W109", message, "split it, or move some of it to another scene",
                       severity=WARNING, length=1)

    def check_usage(self) -> None:
        """Warnings for declarations that the story never uses as declared."""
        usage = self.usage
        self.file = self.head_file
        for name, key in self.declared["meter"].items():
            if name not in usage.meters_changed:
                self.error(key, "W104", f"nothing changes the meter '{name}': it stays at its "
                                        "start", "give some choice an effect on it, or remove it",
                           severity=WARNING)
        for name, key in self.declared["flag"].items():
            if name in usage.flags_set and name not in usage.flags_read:
                self.error(key, "W105", f"the flag '{name}' is set but no condition reads it",
                           "test it in an 'if', or stop setting it", severity=WARNING)
            elif name in usage.flags_read and name not in usage.flags_set:
                self.error(key, "W106", f"the flag '{name}' is read but never set: it stays "
                                        f"{str(self.flags.get(name, False)).lower()}",
                           "set it with 'set:' in some choice or outcome", severity=WARNING)
        for name, key in self.declared["response"].items():
            if name not in usage.responses_used:
                self.error(key, "W107", f"no choice has the response '{name}'",
                           "give it to a choice, or remove it", severity=WARNING)

    def reference_field(self, fields: dict, name: str, what: str) -> str | None:
        if name not in fields:
            return None
        node = fields[name][1]
        scene_id = self.text(node, f"{what} (a scene id)")
        if scene_id is None:
            return None
        if scene_id not in self.known_scenes:
            help = suggest(scene_id, self.known_scenes) or \
                "add the scene, or point to one that exists"
            if self.unreadable:
                help = self.unreadable_help()
            self.error(node, "E020", f"{what} names a missing scene '{scene_id}'", help)
            return None
        return scene_id

    def unreadable_help(self) -> str:
        return (f"it may be defined in {', '.join(self.unreadable)}, which could not be read: "
                "fix that file first")

    def known(self, node: Node, table: dict, kind: str, code: str) -> str | None:
        name = self.text(node, f"a {kind} id")
        if name is None:
            return None
        if name not in table:
            self.unknown(node, table, kind, code)
            return None
        return name

    def unknown(self, node: Node, table: dict, kind: str, code: str) -> None:
        name = node.value if isinstance(node, ScalarNode) else "?"
        help = suggest(name, table)
        if help is None and not table:
            help = f"the story declares no {kind}s: add '{kind}s:' to its head"
        self.error(node, code, f"unknown {kind} '{name}'", help)

    # Generic value readers ---------------------------------------------------------------------

    def mapping(self, node: Node, kind: str,
                what: str) -> dict[str, tuple[ScalarNode, Node]] | None:
        """Read a map of a schema object: check key types, duplicates, unknown and missing keys."""
        if not isinstance(node, MappingNode):
            if self.plain(node):
                self.wrong_type(node, "a map", what)
            return None
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return None
        allowed = schema.KEY_NAMES[kind]
        fields: dict[str, tuple[ScalarNode, Node]] = {}
        for key, value in node.value:
            if key.__class__ is ScalarNode and key.tag == _STR_TAG:
                name = key.value  # the usual key, checked quickly
            else:
                name = self.key_name(key)
                if name is None:
                    continue
            if name in fields:
                self.duplicate(key, fields[name][0])
            elif name not in allowed:
                self.error(key, "E011", f"unknown key '{name}' in {what}",
                           suggest(name, allowed) or _unknown_key_help(name, kind))
            else:
                fields[name] = (key, value)
        for name in schema.REQUIRED[kind]:
            if name not in fields:
                self.error(node, "E012", f"{what} has no '{name}'", length=1)
        return fields

    def id_map(self, node: Node, what: str, pattern: re.Pattern | None, kind: str,
               check_dupes: bool = True) -> Iterator[tuple[ScalarNode, Node]]:
        """Yield the (key, value) pairs of an id -> value map, checking the ids."""
        if not isinstance(node, MappingNode):
            if self.plain(node) and not _is_null(node):
                self.wrong_type(node, "a map", what)
            return
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return
        seen: dict[str, ScalarNode] = {}
        for key, value in node.value:
            name = self.key_name(key)
            if name is None:
                continue
            # Scenes are checked for duplicates across files by index_scenes, not here.
            if name in seen and check_dupes:
                self.duplicate(key, seen[name])
                continue
            seen[name] = key
            if pattern is not None and not pattern.match(name):
                self.bad_id(key, name, kind, pattern)
                continue
            if pattern is _IDENTIFIER and name in RESERVED:
                self.error(key, "E015", f"'{name}' is a reserved word and cannot name a {kind}")
                continue
            yield key, value

    def bad_id(self, node: Node, name: str, kind: str, pattern: re.Pattern) -> None:
        if pattern is _IDENTIFIER:
            help = None
        else:
            help = "use letters, digits, '_', '-' and '.' (no spaces)"
        self.error(node, "E015", f"'{name}' cannot be a {kind} id", help)

    def key_name(self, key: Node) -> str | None:
        if not isinstance(key, ScalarNode):
            self.error(key, "E010", f"a key must be a name, not {describe_node(key)}")
            return None
        if key.tag == "tag:yaml.org,2002:merge":
            self.error(key, "E011", "YAML merge keys ('<<') are not supported",
                       "write the keys out in full")
            return None
        if key.tag not in PLAIN_TAGS and not self.plain(key):
            return None
        if key.tag == _NULL_TAG and key.value in _NULLS:
            self.error(key, "E010", "a key is empty")
            return None
        return key.value

    def duplicate(self, key: ScalarNode, first: ScalarNode) -> None:
        self.error(key, "E004", f"the key '{key.value}' appears twice in this map (first at line "
                                f"{first.start_mark.line + 1})")

    def sequence(self, node: Node, what: str, allow_empty: bool = False) -> list[Node]:
        if not isinstance(node, SequenceNode):
            if self.plain(node):
                self.wrong_type(node, "a list", what)
            return []
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return []
        if not node.value and not allow_empty:
            self.error(node, "E052", f"{what} is an empty list")
        return node.value

    def text(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            if _is_placeholder_map(node):
                self.error(node, "E010", f"{what} must be text, but YAML read it as a map",
                           QUOTE_PLACEHOLDER_HELP)
            elif self.plain(node):
                self.wrong_type(node, "text", what)
            return None
        if node.tag not in PLAIN_TAGS and not self.plain(node):
            return None
        if _is_null(node):
            self.error(node, "E010", f"{what} is empty", length=1)
            return None
        value = node.value
        if "{" in value or "}" in value:
            for offset, length, message in check_placeholders(value):
                self.placeholder_problem(node, value[offset:offset + length], message, length)
        return value

    def placeholder_problem(self, node: ScalarNode, token: str, message: str,
                            length: int) -> None:
        """Report a bad placeholder where it stands in the file (found by searching its lines,
        since folded and block text do not map offsets to columns)."""
        lines = self.source_lines()
        mark = node.start_mark
        for number in range(mark.line, min(node.end_mark.line + 1, len(lines))):
            column = lines[number].find(token, mark.column if number == mark.line else 0)
            if column >= 0:
                self.diagnostics.append(Diagnostic(self.file, number + 1, column + 1, ERROR,
                                                   "E018", message, None, length))
                return
        self.error(node, "E018", message)

    def source_lines(self) -> list[str]:
        lines = self.lines.get(self.file)
        if lines is None:
            data = dict(self.files.files).get(self.file, b"")
            lines = self.lines[self.file] = data.decode("utf-8-sig", "replace").splitlines()
        return lines

    def text_field(self, fields: dict, name: str, what: str) -> str | None:
        """The text under `name`, or None when the key is absent (or the value is wrong)."""
        return self.text(fields[name][1], what) if name in fields else None

    def id_value(self, node: Node, what: str, pattern: re.Pattern) -> str | None:
        value = self.text(node, what)
        if value is not None and not pattern.match(value):
            self.error(node, "E015", f"{what} '{value}' is not a valid id",
                       "use letters, digits, '_', '-' and '.' (no spaces)")
            return None
        return value

    def integer(self, node: Node, what: str) -> int | None:
        if isinstance(node, ScalarNode) and node.tag == _INT_TAG:
            try:
                return _SCALARS.construct_yaml_int(node)
            except (ValueError, yaml.YAMLError):
                pass
        if not isinstance(node, ScalarNode) or self.plain(node):
            self.wrong_type(node, "a whole number", what)
        return None

    def number(self, node: Node, what: str) -> float | None:
        if isinstance(node, ScalarNode) and node.tag in (_INT_TAG, _FLOAT_TAG):
            try:
                constructor = _SCALARS.construct_yaml_int if node.tag == _INT_TAG else \
                    _SCALARS.construct_yaml_float
                value = float(constructor(node))
                if value == value and value not in (float("inf"), float("-inf")):
                    return value
            except (ValueError, OverflowError, yaml.YAMLError):
                pass
        if not isinstance(node, ScalarNode) or self.plain(node):
            self.wrong_type(node, "a number", what)
        return None

    def boolean(self, node: Node, what: str) -> bool | None:
        if isinstance(node, ScalarNode) and node.tag == _BOOL_TAG:
            return _SCALARS.construct_yaml_bool(node)
        if not isinstance(node, ScalarNode) or self.plain(node):
            self.wrong_type(node, "true or false", what)
        return None

    # Reachability --------------------------------------------------------------------------------

    def check_reachable(self, start: str, scenes: dict[str, model.Scene]) -> None:
        reached = {start}
        queue = deque([start])
        while queue:
            scene = scenes.get(queue.popleft())
            if scene is None:
                continue
            for target in scene.targets():
                if target not in reached:
                    reached.add(target)
                    queue.append(target)
        for scene_id, (file, line, col, length) in self.known_scenes.items():
            if scene_id in reached or scene_id not in scenes:
                continue
            if scenes[scene_id].kind == model.ENDING:
                code, message = "W101", f"the ending '{scene_id}' is never reached"
            else:
                code, message = "W100", f"the scene '{scene_id}' is never reached"
            self.diagnostics.append(Diagnostic(file, line, col, WARNING, code, message, None,
                                               length))


def _is_placeholder_map(node: Node) -> bool:
    """`text: {partner}` (unquoted) reads as a map {partner: null}: catch that author slip."""
    return (isinstance(node, MappingNode) and len(node.value) == 1
            and isinstance(node.value[0][0], ScalarNode) and _is_null(node.value[0][1])
            and node.value[0][0].value.split("/")[0] in {*PLACEHOLDERS, "They", "Their"})


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG and node.value in _NULLS


def _unknown_key_help(name: str, kind: str) -> str:
    keys = ", ".join(sorted(schema.KEY_NAMES[kind]))
    return f"the keys allowed here are: {keys}"
