"""Numbers: every number a story holds is bounded at load (E042, at its place), and arithmetic in
conditions never raises at play time (issue 11, item 6)."""

from textwrap import dedent

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Session
from engine.story import lint, model
from engine.story.conditions import (
    Condition,
    ConditionError,
    Names,
    parse_condition,
    resolve_condition,
)
from engine.story.keys import NUMBER_LIMIT
from engine.story.loader import check_story

from ..tools.test_cli import run

BIG = "9" * 400


def story(condition: str = "trust > 1", effect: str = "+1", meter: str = "{start: 50}") -> str:
    return dedent("""\
        title: Numbers
        start: a
        meters:
          trust: {meter}
        scenes:
          a:
            text: Hello.
            choices:
              - text: Maybe.
                if: "{condition}"
                effects: {{trust: "{effect}"}}
                goto: a
              - text: Leave.
                goto: b
          b:
            text: The end.
            ending: {{title: End}}
        """).format(condition=condition, effect=effect, meter=meter)


def diagnose(tmp_path, text: str):
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    return check_story(path)


def only(diagnostics, code):
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1 and all(d.code == code for d in diagnostics if d.is_error), [
        d.headline() for d in diagnostics
    ]
    return found[0]


@pytest.mark.parametrize(
    "condition, column",
    [
        ("trust < 1e999", 22),  # before: the lint called int(inf)
        (f"trust > {BIG}/3", 22),  # before: OverflowError in the lint
        (f"visited('a') > 0 and {BIG}/3 > trust", 35),  # before: validated, then play crashed
        ("trust > 1000001", 22),
        ("trust > -1000001", 23),
        ("trust > 0.5e7", 22),
    ],
)
def test_a_number_out_of_range_in_a_condition_is_an_error_at_its_place(tmp_path, condition, column):
    story_, diagnostics = diagnose(tmp_path, story(condition))
    assert story_ is None
    error = only(diagnostics, "E042")
    assert (error.line, error.col) == (10, column)
    assert "is out of range" in error.message
    assert "between -1,000,000 and 1,000,000" in error.hint


@pytest.mark.parametrize(
    "effect, words",
    [
        ("+" + "9" * 4400, "holds the number +99999999999... (4401 characters)"),
        ("=" + "9" * 5000, "holds the number 999999999999... (5000 characters)"),
        ("%+" + "9" * 5000, "holds the number 999999999999..."),
        ("-1000001", "holds the number -1000001, out of range"),
    ],
)
def test_an_effect_out_of_range_is_an_error_not_a_crash(tmp_path, effect, words):
    _, diagnostics = diagnose(tmp_path, story(effect=effect))
    assert words in only(diagnostics, "E042").message


@pytest.mark.parametrize(
    "meter, words",
    [
        ("{start: 0, min: -1000001}", "a meter's min is -1000001, out of range"),
        ("{start: 0, max: " + "9" * 5000 + "}", "a meter's max is 999999999999..."),
        ("{start: 10000000, max: 100}", "a meter's start is 10000000, out of range"),
    ],
)
def test_a_meter_range_out_of_bounds_is_an_error(tmp_path, meter, words):
    _, diagnostics = diagnose(tmp_path, story(meter=meter))
    assert words in only(diagnostics, "E042").message


def test_a_weight_too_large_to_be_a_number_is_out_of_range(tmp_path):
    text = story().replace("goto: b\n", "outcomes: [{goto: b, weight: 1.0e+999}]\n", 1)
    _, diagnostics = diagnose(tmp_path, text)
    assert "an outcome's weight is 1.0e+999, out of range" in only(diagnostics, "E042").message


def test_the_bounds_themselves_are_allowed(tmp_path):
    text = story(
        "trust > -1000000 and trust < 1000000.0",
        "=1000000",
        "{start: -1000000, min: -1000000, max: 1000000}",
    )
    story_, diagnostics = diagnose(tmp_path, text)
    assert story_ is not None, [d.headline() for d in diagnostics]


def test_the_crashing_conditions_of_the_report_are_stopped_before_play(tmp_path):
    path = tmp_path / "visited.yaml"
    path.write_text(story(f"visited('a') > 0 and {BIG}/3 > trust"), encoding="utf-8")
    for command in (["validate"], ["play", "--text", "--choices", "1,1,2"], ["playtest"]):
        result = run(*command, path)
        assert result.returncode == 1, result.stderr
        assert "[E042]" in result.stdout + result.stderr
        assert "internal error" not in result.stderr


def huge_condition() -> str:
    """Within every bound, but its products are far too large for a float."""
    group = "(" + "*".join(["m"] * 40) + ")"
    return "*".join([group] * 5) + "/3*0.5-" + "*".join([group] * 4) + ">m/0"


def test_arithmetic_beyond_floats_plays_and_playtests(tmp_path):
    text = story(huge_condition(), "-1000000", "{start: 100, min: -1000000, max: 1000000}")
    path = tmp_path / "huge.yaml"
    path.write_text(text.replace("trust", "m"), encoding="utf-8")
    assert run("validate", path).returncode == 0
    played = run("play", path, "--text", "--choices", "2")
    assert played.returncode == 0, played.stderr
    tested = run("playtest", path, "--runs", "50")
    assert tested.returncode == 0, tested.stderr
    assert "faults: none" in tested.stdout


def evaluate(source: str, meters: dict[str, int], visits: dict[str, int] | None = None):
    names = Names(set(meters), {"f"}, {"a"})
    tree, problems = resolve_condition(parse_condition(source), names)
    assert not problems
    return Condition(source, tree)(meters, {"f": True}, visits or {})


@pytest.mark.parametrize(
    "source, expected",
    [
        ("m / 0 == 0", True),  # division by zero gives 0
        (huge_condition(), False),  # inf - inf is not a number: no comparison holds
        ("(" + "*".join(["m"] * 55) + ") / 3 > 1", True),  # an int too large for a float
        ("(" + "*".join(["m"] * 55) + ") * 0.5 > 1", True),
        ("-(" + "*".join(["m"] * 55) + ") / 3 < 1", True),
        ("(" + "*".join(["m"] * 55) + ") / (" + "*".join(["m"] * 55) + ") == 1", True),
    ],
)
def test_arithmetic_is_total(source, expected):
    assert evaluate(source, {"m": NUMBER_LIMIT}) is expected


# The property: whatever a condition is, once it parses and resolves, it evaluates without
# raising for any meter values within range, and the lint judges it without raising.

_numbers = st.one_of(
    st.sampled_from(["m0", "m1", "visited('a')"]),
    st.integers(-NUMBER_LIMIT, NUMBER_LIMIT).map(str),
    st.floats(-NUMBER_LIMIT, NUMBER_LIMIT, allow_nan=False).map(repr),
    st.sampled_from(["0", "0.0", "1e6", "-1e6", "1e-300", "1000000", "-1000000"]),
    st.builds(  # products far too large for a float: up to 3 groups of 40 factors
        lambda count, groups: "*".join(["(" + "*".join(["m0"] * count) + ")"] * groups),
        st.sampled_from([2, 20, 40]),
        st.integers(1, 3),
    ),
)
_arithmetic = st.sampled_from([" + ", " - ", " * ", " / "])


@st.composite
def sums(draw):
    text = draw(_numbers)
    for _ in range(draw(st.integers(0, 4))):
        text += draw(_arithmetic) + draw(_numbers)
    return f"({text})" if draw(st.booleans()) else text


@st.composite
def clauses(draw):
    kind = draw(st.sampled_from(["compare", "compare", "flag", "number"]))
    if kind == "flag":
        return draw(st.sampled_from(["f", "not f", "true"]))
    if kind == "number":  # a number on its own holds when it is not zero
        return draw(sums())
    symbol = draw(st.sampled_from([" < ", " <= ", " == ", " != ", " > ", " >= "]))
    return draw(sums()) + symbol + draw(sums())


@st.composite
def conditions(draw):
    text = draw(clauses())
    for _ in range(draw(st.integers(0, 3))):
        text += draw(st.sampled_from([" and ", " or "])) + draw(clauses())
    return text


@st.composite
def meter_pairs(draw):
    low = draw(st.integers(-NUMBER_LIMIT, NUMBER_LIMIT - 1))
    high = draw(st.integers(low + 1, NUMBER_LIMIT))
    return low, high


@given(conditions(), st.lists(meter_pairs(), min_size=2, max_size=2), st.data())
@settings(max_examples=400, deadline=None)
def test_every_condition_that_loads_evaluates_without_raising(source, ranges, data):
    meters = {
        f"m{i}": model.Meter(f"m{i}", f"m{i}", low, low, high)
        for i, (low, high) in enumerate(ranges)
    }
    try:
        tree, problems = resolve_condition(parse_condition(source), Names(meters, {"f"}, {"a"}))
    except ConditionError:
        return
    if problems:
        return
    condition = Condition(source, tree)
    values = {
        name: data.draw(
            st.one_of(
                st.sampled_from([meter.minimum, meter.maximum]),
                st.integers(meter.minimum, meter.maximum),
            )
        )
        for name, meter in meters.items()
    }
    visits = {"a": data.draw(st.integers(0, 10_000))}
    assert condition(values, {"f": data.draw(st.booleans())}, visits) in (True, False)
    lint.never_holds(condition, meters, budget=lint.Budget())


def test_a_session_plays_a_story_of_extreme_numbers(tmp_path):
    text = story(
        "trust * trust * trust * trust * trust * trust > trust / 0 - 1e6",
        "%+100",
        "{start: -1000000, min: -1000000, max: 1000000}",
    )
    story_, diagnostics = diagnose(tmp_path, text)
    assert story_ is not None, [d.headline() for d in diagnostics]
    session = Session(story_, seed=1)
    for _ in range(3):
        session.choose(session.offered()[0].id)
    assert session.meters["trust"] == NUMBER_LIMIT


def test_the_rendered_diagnostic_shows_the_number_cut_short(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(story(f"trust > {BIG}/3"), encoding="utf-8")
    result = run("validate", "--no-cache", path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:5] == [
        f"{path}:10:22: error: in condition: the number 999999999999... (400 characters) is "
        "out of range [E042]",
        "   |",
        '10 |         if: "trust > ' + "9" * 78 + "…",
        "   |                      " + "^" * 79,
        "   = help: every number in a story lies between -1,000,000 and 1,000,000 (meters' min, "
        "max and start; effects; numbers in conditions)",
    ]
