"""Lint: the story's warnings beyond hard errors, and the numbers in the validate summary.

The loader's second pass uses these while it builds the story, since it holds the source marks:
conditions that can never hold given the meters' ranges (`never_holds`), texts longer than a
player will read on one screen (`too_long`), and what the story uses (`Usage`), from which
`checks.check_usage` warns about meters nothing changes, flags set but never read (or read but
never set) and responses never used. Routers and outcomes with no fallback are warned about as
their scenes are built.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.story import model
from engine.story.conditions import Condition, names_by_kind, tree_size

# How many combinations of meter values and flags a condition may be tried on to prove it can
# never hold: enough for any condition on one meter (and a few flags), where proof is cheap. A
# condition with more combinations is never tried at all: it gets the benefit of the doubt.
MAX_TRIALS = 2_000

# How much trying the whole story may do, counted in condition parts evaluated (a trial of a
# condition costs its number of parts, `conditions.tree_size`). One condition takes at most
# 2 * MAX_TRIALS trials (the likely values, then every value); when a story has spent this, its
# remaining conditions are not judged, so no input makes the lint evaluate more than this.
STORY_BUDGET = 5_000_000


class Budget:
    """What is left of a story's STORY_BUDGET; `spend` says whether a cost still fits."""

    __slots__ = ("left",)

    def __init__(self, total: int = STORY_BUDGET) -> None:
        self.left = total

    def spend(self, cost: int) -> bool:
        if cost > self.left:
            return False
        self.left -= cost
        return True


# Word limits for text a player reads: a scene's text should fit a screen; a choice, a line.
TEXT_LIMITS: dict[str, int] = {
    "scene text": 350,
    "choice": 30,
    "locked reason": 25,
    "feedback": 150,
    "ending title": 12,
    "debrief": 300,
}


@dataclass(slots=True)
class Usage:
    """What the story's choices and conditions touch, gathered while loading."""

    meters_changed: set[str] = field(default_factory=set)
    flags_read: set[str] = field(default_factory=set)
    flags_set: set[str] = field(default_factory=set)
    responses_used: set[str] = field(default_factory=set)


def word_count(text: str | None) -> int:
    return len(text.split()) if text else 0


def too_long(role: str, text: str | None) -> str | None:
    """A warning message when `text` is over the limit for its role."""
    limit = TEXT_LIMITS[role]
    if text is None or len(text) < 2 * limit:  # n words take at least 2n - 1 characters
        return None
    words = word_count(text)
    if words <= limit:
        return None
    return f"this {role} is {words} words long, over the {limit} a player reads comfortably"


def never_holds(
    condition: Condition,
    meters: Mapping[str, model.Meter],
    names: Mapping[str, set] | None = None,
    budget: Budget | None = None,
) -> bool:
    """True when no values of the meters (within their ranges) and flags make `condition` hold.

    Only a condition with at most MAX_TRIALS combinations of its meters' values and flags is
    judged: likely witnesses first (each meter at its ends and next to every number in the
    condition), then, when none of those holds, every combination. Each trial is paid for from
    `budget` (the story's), and a condition whose trials it cannot pay for, one that counts
    visits, choices or turns, or one with too many combinations gets the benefit of the doubt
    (False). The combinations are counted before any is made, and made one at a time, so the
    work never exceeds these limits whatever the condition.
    """
    if names is None:  # `names_by_kind(condition.tree)`, when the caller has it already
        names = names_by_kind(condition.tree)
    if "visited" in names or "chosen" in names or "turns" in names:
        return False  # the path's counts are not judged
    meter_names = sorted(names.get("meter", ()))
    flag_names = sorted(names.get("flag", ()))
    if _trials(meter_names, flag_names, meters) is None:
        return False
    if budget is None:  # a condition judged on its own gets a story's budget
        budget = Budget()
    cost = tree_size(condition.tree)
    numbers = [
        value
        for value in names.get("const", ())
        if not isinstance(value, bool) and (isinstance(value, int) or math.isfinite(value))
    ]
    likely = []
    for name in meter_names:
        meter = meters[name]
        near = {meter.minimum, meter.maximum}
        for number in numbers:
            if meter.minimum - 1 <= number <= meter.maximum + 1:
                near.update(int(number) + step for step in (-1, 0, 1))
        likely.append(sorted(v for v in near if meter.minimum <= v <= meter.maximum))
    if _holds_somewhere(condition, meter_names, likely, flag_names, budget, cost) is not False:
        return False  # it holds somewhere, or the story's budget ran out before that was known
    every = [range(meters[n].minimum, meters[n].maximum + 1) for n in meter_names]
    return _holds_somewhere(condition, meter_names, every, flag_names, budget, cost) is False


def _trials(
    meter_names: list[str], flag_names: list[str], meters: Mapping[str, model.Meter]
) -> int | None:
    """How many combinations of values the meters and flags have, or None when over
    MAX_TRIALS (found without multiplying past it: each factor is at least 2)."""
    trials = 1
    for name in meter_names:
        trials *= meters[name].maximum - meters[name].minimum + 1
        if trials > MAX_TRIALS:
            return None
    for _ in flag_names:
        trials *= 2
        if trials > MAX_TRIALS:
            return None
    return trials


def _holds_somewhere(
    condition: Condition,
    meter_names: list[str],
    values: list,
    flag_names: list[str],
    budget: Budget,
    cost: int,
) -> bool | None:
    """Whether the condition holds for some combination of `values` (one list per meter) and
    flags, made one at a time, never all at once; None when `budget` runs out first (each
    trial costs `cost`)."""
    test = condition.test
    meter_state: dict[str, int] = {}
    flag_state: dict[str, bool] = {}
    flag_values = [(False, True)] * len(flag_names)
    for combination in itertools.product(*values, *flag_values):
        if not budget.spend(cost):
            return None
        meter_state.update(zip(meter_names, combination, strict=False))
        flag_state.update(zip(flag_names, combination[len(meter_names) :], strict=True))
        if test(meter_state, flag_state, {}):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Summary:
    scenes: int
    choices: int
    endings: int
    words: int

    def line(self) -> str:
        return (
            f"{self.scenes} scenes, {self.choices} choices, {self.endings} endings, "
            f"{self.words:,} words"
        )


def summarize(story: model.Story) -> Summary:
    """Counts for the validate summary; words are everything a player can read."""
    choices = endings = words = 0
    for scene in story.scenes.values():
        words += word_count(scene.text) + word_count(scene.title)
        for choice in scene.choices:
            choices += 1
            words += (
                word_count(choice.text) + word_count(choice.feedback) + word_count(choice.locked)
            )
            words += sum(word_count(outcome.feedback) for outcome in choice.outcomes)
        if scene.ending is not None:
            endings += 1
            ending = scene.ending
            words += word_count(ending.title) + word_count(ending.debrief)
            words += sum(word_count(question) for question in ending.questions)
    return Summary(len(story.scenes), choices, endings, words)
