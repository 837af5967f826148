"""W108's work is bounded whatever the condition: the trials are counted before any is made, and a
story's conditions share one budget (issue 11, item 1)."""

from textwrap import dedent

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.story import lint, model
from engine.story.conditions import (
    Condition,
    ConditionError,
    Names,
    parse_condition,
    resolve_condition,
    tree_size,
)
from engine.story.loader import check_story

from ..conftest import ROOT
from ..tools.test_cli import run


class CountedCondition(Condition):
    """The real condition, compiled, with its test counting how often the lint calls it."""

    __slots__ = ("calls",)


def counting(source: str, meters: dict[str, model.Meter], flags: list[str]) -> CountedCondition:
    tree, problems = resolve_condition(parse_condition(source), Names(meters, flags, ()))
    assert not problems, problems
    condition = CountedCondition(source, tree)
    compiled = condition.test
    condition.calls = 0

    def test(m, f, v):
        condition.calls += 1
        assert condition.calls <= 2 * lint.MAX_TRIALS, "the lint tried more than its limit"
        return compiled(m, f, v)

    condition.test = test
    return condition


def meters_named(count: int, low: int = 0, high: int = 100) -> dict[str, model.Meter]:
    return {f"m{i}": model.Meter(f"m{i}", f"m{i}", low, low, high) for i in range(count)}


def test_a_sum_of_thirty_meters_is_not_tried_value_by_value():
    # Before: every meter's likely values were combined first: 2**30 trials (hours).
    meters = meters_named(30)
    condition = counting("+".join(meters) + " > 100000", meters, [])
    assert lint.never_holds(condition, meters) is False  # too many combinations: not judged
    assert condition.calls == 0


def test_twenty_four_flags_are_not_combined_in_memory():
    # Before: the 2**24 combinations of the flags were built as a list (MemoryError after 15 s).
    flags = [f"f{i}" for i in range(24)]
    condition = counting(" or ".join(flags) + " or false", meters_named(1), flags)
    assert lint.never_holds(condition, meters_named(1)) is False
    assert condition.calls == 0


def test_a_condition_within_the_trials_is_still_judged_exactly():
    meters = meters_named(1)
    impossible = counting("m0 > 100 or m0 < 0", meters, ["f"])
    assert lint.never_holds(impossible, meters) is True
    assert impossible.calls <= 2 * lint.MAX_TRIALS
    possible = counting("m0 == 57 and f", meters, ["f"])
    assert lint.never_holds(possible, meters) is False


def test_the_story_budget_stops_the_proofs_and_says_nothing():
    meters = meters_named(1, 0, 999)  # 1,000 values to try in each proof
    one = lint.Budget()
    assert lint.never_holds(counting("m0 > 999", meters, []), meters, budget=one) is True
    cost = lint.STORY_BUDGET - one.left  # what one proof of such a condition costs
    assert cost == (3 + 1000) * 3  # likely values 0, 998, 999, then all 1,000; 3 parts a trial
    budget = lint.Budget(2 * cost)
    answers = []
    for number in range(1000, 1005):
        condition = counting(f"m0 > {number}", meters, [])
        answers.append(lint.never_holds(condition, meters, budget=budget))
    assert answers == [True, True, False, False, False]
    assert budget.left == 0


_names = st.sampled_from(["m0", "m1", "m2", "f0", "f1", "f2", "3", "50", "-7", "0.5"])
_operators = st.sampled_from([" and ", " or ", " < ", " >= ", " == ", " + ", " * ", " / "])


@st.composite
def conditions(draw):
    parts = [draw(_names)]
    for _ in range(draw(st.integers(0, 12))):
        parts += [draw(_operators), draw(_names)]
    return "".join(parts)


@given(
    conditions(),
    st.lists(st.tuples(st.integers(-50, 50), st.integers(1, 3000)), min_size=3, max_size=3),
    st.integers(0, 100_000),
)
@settings(max_examples=300, deadline=None)
def test_the_lint_never_tries_more_than_its_limits(source, ranges, total):
    meters = {
        f"m{i}": model.Meter(f"m{i}", f"m{i}", low, low, low + width)
        for i, (low, width) in enumerate(ranges)
    }
    flags = ["f0", "f1", "f2"]
    try:
        _, problems = resolve_condition(parse_condition(source), Names(meters, flags, ()))
    except ConditionError:  # a condition that does not parse is not the lint's business
        return
    if problems:  # nor one with a type error
        return
    condition = counting(source, meters, flags)
    budget = lint.Budget(total)
    lint.never_holds(condition, meters, budget=budget)
    assert condition.calls <= 2 * lint.MAX_TRIALS
    assert condition.calls * tree_size(condition.tree) == total - budget.left
    assert budget.left >= 0


def story_with(condition: str, meters: str, flags: str = "") -> str:
    return dedent("""\
        title: Wide
        start: a
        meters:
        {meters}
        {flags}
        scenes:
          a:
            text: Hello.
            choices:
              - text: Maybe.
                if: "{condition}"
                goto: b
              - text: Go.
                goto: b
          b:
            text: The end.
            ending: {{title: End}}
        """).format(meters=meters, flags=flags, condition=condition)


def test_validate_of_wide_conditions_finishes_from_the_command_line(tmp_path):
    meters = "\n".join(f"  m{i}: {{start: 0}}" for i in range(30))
    path = tmp_path / "meters.yaml"
    path.write_text(story_with("+".join(f"m{i}" for i in range(30)) + " > 100000", meters))
    flags = "flags:\n" + "\n".join(f"  f{i}: false" for i in range(24))
    flag_path = tmp_path / "flags.yaml"
    flag_path.write_text(
        story_with(" or ".join(f"f{i}" for i in range(24)) + " or false", "  m0: {start: 0}", flags)
    )
    result = run("validate", "--no-cache", path, flag_path)
    assert result.returncode == 0, result.stderr
    assert f"{path}: 0 errors, 30 warnings" in result.stdout  # W104 for each unchanged meter
    assert f"{flag_path}: 0 errors, 25 warnings" in result.stdout  # W104 and 24 times W106
    assert "W108" not in result.stdout


def test_the_bundled_story_is_judged_well_within_the_budget():
    """The lint's answers on the bundled story do not depend on the budget: it spends a small
    part of it (the golden outputs pin the answers themselves)."""
    story, _ = check_story(ROOT / "scenes" / "balance_of_power")
    assert story is not None
    budget = lint.Budget()
    for scene in story.scenes.values():
        conditions = [choice.condition for choice in scene.choices]
        conditions += [route.condition for route in scene.routes]
        conditions += [o.condition for choice in scene.choices for o in choice.outcomes]
        for condition in filter(None, conditions):
            lint.never_holds(condition, story.meters, budget=budget)
    assert lint.STORY_BUDGET - budget.left < lint.STORY_BUDGET // 10
