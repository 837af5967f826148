"""Loading in two processes gives exactly what loading in one gives: the same story, scenes in
the same order and places, the same diagnostics, for good stories and broken ones."""

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import parallel_load
from engine.loader import _Builder, read_story_files
from engine.story_cache import check_story_cached

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_story import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def both_ways(folder):
    """(serial story, serial diagnostics), (parallel story, parallel diagnostics)."""
    files = read_story_files(folder)
    builder = _Builder(files)
    serial = builder.build(), sorted(builder.diagnostics, key=_key)
    result = parallel_load.build(files, _Builder, min_bytes=0, min_cores=1, min_share=0)
    assert result is not None, "the parallel load fell back to one process"
    return serial, (result[0], sorted(result[1], key=_key))


def _key(diagnostic):
    return (diagnostic.file, diagnostic.line, diagnostic.col, diagnostic.code, diagnostic.message)


def assert_same(serial, parallel):
    (story, diagnostics), (other, other_diagnostics) = serial, parallel
    assert other_diagnostics == diagnostics
    assert (story is None) == (other is None)
    if story is not None:
        assert other == story
        assert list(other.scenes) == list(story.scenes)
        assert [s.place for s in other.scenes.values()] == [s.place for s in story.scenes.values()]


def test_a_generated_story_loads_the_same_in_two_processes(tmp_path):
    generate(tmp_path, scenes=400, files=6)
    serial, parallel = both_ways(tmp_path)
    assert serial[0] is not None and len(serial[0].scenes) == 400
    assert_same(serial, parallel)


HEAD = """\
title: Split
start: a
responses: {accept: Accept, fight: Fight}
meters:
  trust: {start: 50}
  unused: {start: 5}
flags:
  told: false
  asked: false
"""

FIRST = """\
scenes:
  a:
    text: A.
    choices:
      - text: On
        response: accept
        effects: {trust: +5}
        set: {told: true}
        goto: b
      - text: Far
        if: visited('z') or trust > 500
        goto: z
  b:
    text: B.
    choices:
      - text: Dupe
        goto: c
  lonely:
    text: Nobody comes here.
    ending: {title: Alone}
"""

SECOND = """\
scenes:
  c:
    text: C.
    choices:
      - text: Back
        if: told and asked
        goto: a
      - text: Typo
        goto: bb
  b:
    text: B again, defined twice.
    ending: {title: Twice}
  z:
    text: Z.
    choices:
      - text: Missing
        if: visited('nowhere')
        goto: a
      - text: End
        goto: end
      - text: Never
        if: trust > 500
        goto: end
  end:
    text: The end.
    ending: {title: End}
"""


def write_split(folder, head=HEAD, first=FIRST, second=SECOND):
    folder.mkdir(exist_ok=True)
    (folder / "story.yaml").write_text(head)
    (folder / "a_first.yaml").write_text(first)
    (folder / "b_second.yaml").write_text(second)
    return folder


def test_problems_across_the_cut_are_found_as_in_one_process(tmp_path):
    serial, parallel = both_ways(write_split(tmp_path))
    codes = [d.code for d in serial[1]]
    # a scene defined in both halves, a reference and a visited() to a missing scene, a
    # condition that can never hold
    assert {"E013", "E020"} <= set(codes), codes
    duplicate = next(d for d in serial[1] if d.code == "E013")
    assert duplicate.file.endswith("b_second.yaml") and "a_first.yaml:13:3" in duplicate.message
    assert_same(serial, parallel)


def test_warnings_of_the_whole_story_match(tmp_path):
    second = SECOND.replace("  b:\n    text: B again, defined twice.\n    ending: {title: Twice}\n",
                            "").replace("goto: bb", "goto: c").replace(
        "if: visited('nowhere')", "if: visited('lonely')")
    serial, parallel = both_ways(write_split(tmp_path, second=second))
    assert serial[0] is not None
    codes = {d.code for d in serial[1]}
    assert {"W101", "W104", "W106", "W107", "W108"} <= codes, codes
    assert_same(serial, parallel)


def test_an_unreadable_file_in_either_half(tmp_path):
    serial, parallel = both_ways(write_split(tmp_path / "one", second="scenes: [oops"))
    assert any(d.code == "E001" for d in serial[1])
    help_texts = [d.help for d in serial[1] if d.code == "E020"]
    assert help_texts and all("b_second.yaml" in text for text in help_texts)
    assert_same(serial, parallel)
    serial, parallel = both_ways(write_split(tmp_path / "two", first="scenes:\n\t- tab"))
    assert_same(serial, parallel)


def test_an_unreadable_head_still_reports_the_other_files(tmp_path):
    serial, parallel = both_ways(write_split(tmp_path, head="title: [", second="scenes: {x"))
    assert serial[0] is None
    assert {d.file.rsplit("/", 1)[-1] for d in serial[1]} == {"story.yaml", "b_second.yaml"}
    assert_same(serial, parallel)


def test_an_unreadable_head_still_reports_scenes_defined_twice(tmp_path):
    first = FIRST + "  a:\n    text: A again.\n    ending: {title: Again}\n"
    serial, parallel = both_ways(write_split(tmp_path, head="title: [", first=first))
    assert serial[0] is None
    assert [d.message.split(":")[0] for d in serial[1] if d.code == "E013"] == [
        "the scene 'a' is defined twice", "the scene 'b' is defined twice"]
    assert_same(serial, parallel)


@given(st.lists(st.integers(0, 5_000_000), min_size=0, max_size=12))
def test_a_split_gives_the_child_a_fair_share(sizes):
    cut = parallel_load.split(sizes)
    if cut is None:
        return
    assert 1 <= cut < len(sizes)
    total = sum(sizes)
    child = sum(sizes[cut:])
    assert total >= parallel_load.MIN_BYTES and child >= parallel_load.MIN_SHARE * total
    parent = sum(sizes[1:cut])
    # no other cut is more even
    for other in range(1, len(sizes)):
        assert abs(parent - child) <= abs(sum(sizes[1:other]) - sum(sizes[other:]))


def test_small_stories_and_single_files_stay_in_one_process(tmp_path):
    assert parallel_load.split([100, 200, 300]) is None
    assert parallel_load.split([5_000_000]) is None
    files = read_story_files(write_split(tmp_path))
    assert parallel_load.build(files, _Builder) is None  # far below MIN_BYTES


def test_the_cached_load_of_a_large_story_goes_through_two_processes(tmp_path, monkeypatch):
    generate(tmp_path, scenes=300, files=4)
    monkeypatch.setattr(parallel_load, "MIN_BYTES", 0)
    calls = []
    real = parallel_load.build

    def counted(files, builder_type, min_bytes=0, min_cores=2):
        result = real(files, builder_type, 0, 1)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(parallel_load, "build", counted)
    story, diagnostics = check_story_cached(tmp_path, parallel=True)
    assert calls == [True] and story is not None and len(story.scenes) == 300
    again, _ = check_story_cached(tmp_path, parallel=True)  # from the cache: no build at all
    assert calls == [True] and again == story


def test_validate_on_a_story_large_enough_to_split(tmp_path):
    """The real command on a story over the size limit: the duplicate defined in the last file
    is reported, with its first place, exactly once."""
    generate(tmp_path, scenes=2600, files=4)
    last = tmp_path / "part_03.yaml"
    last.write_text(last.read_text() + "  s0:\n    text: Again.\n    ending: {title: Twice}\n")
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) > parallel_load.MIN_BYTES
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "validate", str(tmp_path),
                             "--no-cache"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.count("[E013]") == 1, result.stdout
    assert "the scene 's0' is defined twice: first at" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_scene_defined_once_before_the_cut_and_twice_after_it(tmp_path):
    """Each later definition names the first one, in the first half, as one process does."""
    second = SECOND + "  c:\n    text: C a third time.\n    ending: {title: Thrice}\n" \
        + "  b:\n    text: B a third time.\n    ending: {title: Thrice}\n"
    serial, parallel = both_ways(write_split(tmp_path, second=second))
    duplicates = [d for d in serial[1] if d.code == "E013"]
    assert len(duplicates) == 3, duplicates
    assert sum("a_first.yaml:13:3" in d.message for d in duplicates) == 2
    assert_same(serial, parallel)


_ids = st.sampled_from(["a", "b", "c", "d", "e", "f"])
_targets = st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "bb"])


@st.composite
def scene_files(draw):
    """Files of a few scenes each, ids drawn from a small set (so some are defined twice),
    pointing at scenes that may not exist, now and then a file that is not YAML."""
    files = []
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 9)) == 0:
            files.append("scenes: [not: closed")
            continue
        lines = ["scenes:"]
        for scene_id in draw(st.lists(_ids, min_size=1, max_size=4)):
            lines.append(f"  {scene_id}:\n    text: Scene {scene_id}.")
            if draw(st.booleans()):
                lines.append(f"    ending: {{title: End {scene_id}}}")
                continue
            lines.append("    choices:")
            for target in draw(st.lists(_targets, min_size=1, max_size=3)):
                condition = draw(st.sampled_from(
                    ["", f"visited('{target}')", "told", "trust > 500", "trust > 20"]))
                lines.append(f"      - text: To {target}\n        goto: {target}")
                if condition:
                    lines.append(f"        if: {condition}")
                if draw(st.booleans()):
                    lines.append("        set: {told: true}\n        effects: {trust: +5}")
        files.append("\n".join(lines) + "\n")
    return files


@given(scene_files(), st.booleans())
@settings(max_examples=60, deadline=None)
def test_random_multi_file_stories_load_the_same_in_two_processes(tmp_path_factory, bodies,
                                                                  good_head):
    folder = tmp_path_factory.mktemp("random")
    head = "title: Random\nstart: a\nmeters: {trust: {start: 50}}\nflags: {told: false}\n"
    (folder / "story.yaml").write_text(head if good_head else "title: [")
    for number, body in enumerate(bodies):
        (folder / f"part_{number}.yaml").write_text(body)
    serial, parallel = both_ways(folder)
    assert_same(serial, parallel)
