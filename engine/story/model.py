"""The story model: an immutable, validated story, as the loader builds it and the session plays it.

Every class here is a frozen dataclass; mappings are read-only views. Nothing here reads files or
knows about YAML: `engine.story.loader` builds these objects, `engine.play.session` walks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from engine.story.conditions import Condition
from engine.story.text import Partner

# Effect kinds, as an author writes them: +5 / -5, "=5", "%+5", "%-5".
ADD = "add"
SET = "set"
FAIR_UP = "fair_up"
FAIR_DOWN = "fair_down"

# Scene kinds: what a scene does once it is entered.
CHOICES = "choices"
ROUTER = "next"
ENDING = "ending"


def frozen_map(items: Mapping | None = None) -> Mapping:
    """A read-only copy of a mapping."""
    return MappingProxyType(dict(items or {}))


@dataclass(frozen=True, slots=True)
class Meter:
    """A number the story tracks (trust, security ...), always kept within [minimum, maximum]."""

    id: str
    label: str
    start: int
    minimum: int = 0
    maximum: int = 100
    description: str | None = None
    centre: int | None = None  # a two-sided scale's even point (a balance of power)

    def clamp(self, value: int) -> int:
        """`value` brought within [minimum, maximum]."""
        if value < self.minimum:
            return self.minimum
        return self.maximum if value > self.maximum else value


@dataclass(frozen=True, slots=True)
class Effect:
    """A change to one meter: add `amount`, set it, or move it `amount`% of the way to an end."""

    meter: str
    kind: str
    amount: int

    def apply(self, value: int, meter: Meter) -> int:
        """The meter's new value. Fair math moves `amount`% of the distance to the end, rounded
        to the nearest whole number with halves moving the full step (10% of 25 moves 3), in
        whole-number arithmetic so no float rounding creeps in. Kept in one function, as the
        session calls it for every effect of every choice."""
        kind = self.kind
        if kind == ADD:
            value += self.amount
        elif kind == SET:
            value = self.amount
        elif kind == FAIR_UP:
            whole, rest = divmod((meter.maximum - value) * self.amount, 100)
            value += whole + (rest >= 50)
        else:
            whole, rest = divmod((value - meter.minimum) * self.amount, 100)
            value -= whole + (rest >= 50)
        if value < meter.minimum:
            return meter.minimum
        return meter.maximum if value > meter.maximum else value


@dataclass(frozen=True, slots=True)
class Outcome:
    """One possible result of a choice, drawn by weight among those whose condition holds."""

    goto: str
    weight: float = 1.0
    condition: Condition | None = None
    effects: tuple[Effect, ...] = ()
    sets: tuple[tuple[str, bool], ...] = ()
    feedback: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """An option the player may pick in a scene."""

    id: str
    text: str
    goto: str | None = None
    outcomes: tuple[Outcome, ...] = ()
    response: str | None = None
    condition: Condition | None = None
    locked: str | None = None  # shown disabled with this reason when the condition is false
    effects: tuple[Effect, ...] = ()
    sets: tuple[tuple[str, bool], ...] = ()
    feedback: str | None = None

    def targets(self) -> tuple[str, ...]:
        """Every scene this choice can lead to."""
        if self.goto is not None:
            return (self.goto,)
        return tuple(outcome.goto for outcome in self.outcomes)


@dataclass(frozen=True, slots=True)
class Route:
    """One entry of a router scene's `next` list: go to `goto` if `condition` holds."""

    goto: str
    condition: Condition | None = None


@dataclass(frozen=True, slots=True)
class Ending:
    """How a story ends, with what a class may discuss about it."""

    title: str
    debrief: str | None = None
    questions: tuple[str, ...] = ()
    support: bool = False
    expect: Condition | None = None  # must hold whenever this ending is reached (playtest)


@dataclass(frozen=True, slots=True)
class Place:
    """Where something was defined: a file and a 1-based line and column."""

    file: str
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Invariant:
    """A rule the author states for the whole story: `check` must hold after every turn. The
    playtester checks it on every path it plays (`engine/tools/playtester.py`)."""

    name: str
    check: Condition
    place: Place | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Mood:
    """A palette scenes may be shown in (a season, a chapter): its accent colour as red, green
    and blue. The front ends decide whether it stands out enough to use."""

    id: str
    accent: tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Image:
    """A scene's picture: a PNG or JPEG file of the story, checked when the story was loaded
    (`engine.story.images`), with the words that stand for it where it is not seen."""

    file: str  # relative to the story's folder, with '/' between folders
    path: str  # the path to open: the story's folder joined with `file`
    alt: str  # the alternative text (with placeholders, filled in as the scene's text is)
    width: int  # the size in pixels its header gave
    height: int


@dataclass(frozen=True, slots=True)
class Scene:
    """A node of the story: choices to make, a router to follow at once, or an ending."""

    id: str
    text: str
    kind: str
    title: str | None = None
    choices: tuple[Choice, ...] = ()
    routes: tuple[Route, ...] = ()
    ending: Ending | None = None
    place: Place | None = field(default=None, compare=False)
    image: Image | None = None
    mood: str | None = None  # one of the story's moods

    def targets(self) -> tuple[str, ...]:
        """Every scene this one can lead to, in order, without repeats."""
        found: dict[str, None] = {}
        for choice in self.choices:
            for target in choice.targets():
                found[target] = None
        for route in self.routes:
            found[route.goto] = None
        return tuple(found)


@dataclass(frozen=True, slots=True)
class StorySource:
    """Where a story came from: its path, its files and a hash of their content."""

    path: str
    files: tuple[str, ...]
    content_hash: str


@dataclass(frozen=True, slots=True)
class Story:
    """A whole, validated story. Build one with `engine.load_story`."""

    id: str
    title: str
    start: str
    scenes: Mapping[str, Scene]
    meters: Mapping[str, Meter] = field(default_factory=frozen_map)
    responses: Mapping[str, str] = field(default_factory=frozen_map)
    flags: Mapping[str, bool] = field(default_factory=frozen_map)
    moods: Mapping[str, Mood] = field(default_factory=frozen_map)
    content_note: str | None = None
    credits: str | None = None
    support: str | None = None
    partner: Partner = Partner("Sam")
    author: str | None = None
    description: str | None = None
    allow_undo: bool = True
    invariants: tuple[Invariant, ...] = ()
    source: StorySource | None = field(default=None, compare=False)

    @property
    def content_hash(self) -> str:
        """The hash of the files the story was loaded from ('' for a story made in code)."""
        return self.source.content_hash if self.source else ""

    def endings(self) -> tuple[Scene, ...]:
        """Every ending scene, in the story's order."""
        return tuple(scene for scene in self.scenes.values() if scene.kind == ENDING)

    def initial_meters(self) -> dict[str, int]:
        """Each meter's starting value, by id."""
        return {meter.id: meter.start for meter in self.meters.values()}
