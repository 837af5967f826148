"""Reading the game's own JSON files without trusting them (engine/json_files.py): any bytes give
the value or `DamagedJson`, never a RecursionError, and no more than the limit is ever read."""

import json
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.json_files import MAX_DEPTH, DamagedJson, nesting_depth, parse_json, read_json

FAST = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


def nested(depth: int, opening: str = "[", closing: str = "]", inner: str = "") -> bytes:
    return (opening * depth + inner + closing * depth).encode()


@given(json_values)
@FAST
def test_any_json_value_the_game_could_write_reads_back_the_same(value):
    assert parse_json(json.dumps(value).encode()) == value


@given(st.binary(max_size=300))
@FAST
def test_any_bytes_give_a_value_or_damaged_json(raw):
    try:
        parse_json(raw)
    except DamagedJson as problem:
        assert str(problem).startswith("it is ")


@given(st.integers(0, 3000), st.sampled_from(["list", "object"]))
@FAST
def test_nesting_at_any_depth_is_read_only_up_to_the_limit(depth, kind):
    raw = nested(depth, inner="0") if kind == "list" else nested(depth, '{"a":', "}", "1")
    if depth <= MAX_DEPTH:
        assert nesting_depth(parse_json(raw), MAX_DEPTH) == depth
    else:
        with pytest.raises(DamagedJson, match="nested more than 32 deep"):
            parse_json(raw)


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000,  # the attack: unclosed, deeper than the interpreter recurses
        b"{" * 100_000,
        nested(100_000),
        b'{"a":' * 100_000,
        nested(900),  # within the interpreter's reach, beyond the game's limit
        b"1" * 5000,  # a number too long to read
        b"",
    ],
)
def test_the_attacks_are_damaged_json(raw):
    with pytest.raises(DamagedJson):
        parse_json(raw)


def test_the_depth_is_counted_without_recursion():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert nesting_depth(deep, MAX_DEPTH) == MAX_DEPTH + 1
    assert nesting_depth(1, MAX_DEPTH) == 0
    assert nesting_depth({"a": [1, {"b": []}]}, MAX_DEPTH) == 4


def test_a_huge_file_is_refused_after_reading_one_byte_past_the_limit(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as file:  # a sparse file: a gigabyte that takes no disk space
        file.truncate(1024**3)
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(DamagedJson, match="larger than 64 KiB"):
        read_json(path, 64 * 1024)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 1024**2 and elapsed < 5


def test_a_file_within_the_limit_is_read(tmp_path):
    path = tmp_path / "small.json"
    path.write_text('{"pi": 3.25, "list": [1, [2]]}', "utf-8")
    assert read_json(path, 100) == {"pi": 3.25, "list": [1, [2]]}
    with pytest.raises(DamagedJson, match="larger than 20 bytes"):
        read_json(path, 20)
    with pytest.raises(FileNotFoundError):
        read_json(tmp_path / "none.json", 100)
