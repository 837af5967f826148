"""A story in several files loads as one: problems found across files (a scene defined in two,
a reference into another file, a file that cannot be read, a head that cannot be read) and the
warnings that need the whole story.

These were first written to compare a load in two processes with a load in one; the two-process
load is gone, and they now pin what the one loader reports.
"""

from engine.story.loader import check_story

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


def load(folder):
    story, diagnostics = check_story(folder)
    return story, diagnostics


def test_problems_across_files_are_found(tmp_path):
    story, diagnostics = load(write_split(tmp_path))
    codes = [d.code for d in diagnostics]
    # a scene defined in both files, a reference and a visited() to a missing scene
    assert story is None and {"E013", "E020"} <= set(codes), codes
    duplicate = next(d for d in diagnostics if d.code == "E013")
    assert duplicate.file.endswith("b_second.yaml") and "a_first.yaml:13:3" in duplicate.message


def test_warnings_that_need_the_whole_story(tmp_path):
    second = (
        SECOND.replace("  b:\n    text: B again, defined twice.\n    ending: {title: Twice}\n", "")
        .replace("goto: bb", "goto: c")
        .replace("if: visited('nowhere')", "if: visited('lonely')")
    )
    story, diagnostics = load(write_split(tmp_path, second=second))
    assert story is not None
    codes = {d.code for d in diagnostics}
    assert {"W101", "W104", "W106", "W107", "W108"} <= codes, codes


def test_an_unreadable_file_is_named_where_its_scenes_are_missed(tmp_path):
    story, diagnostics = load(write_split(tmp_path / "one", second="scenes: [oops"))
    assert story is None and any(d.code == "E001" for d in diagnostics)
    help_texts = [d.help for d in diagnostics if d.code == "E020"]
    assert help_texts and all("b_second.yaml" in text for text in help_texts)
    story, diagnostics = load(write_split(tmp_path / "two", first="scenes:\n\t- tab"))
    assert story is None and diagnostics[0].file.endswith("a_first.yaml")


def test_an_unreadable_head_still_reports_the_other_files(tmp_path):
    story, diagnostics = load(write_split(tmp_path, head="title: [", second="scenes: {x"))
    assert story is None
    assert {d.file.rsplit("/", 1)[-1] for d in diagnostics} == {"story.yaml", "b_second.yaml"}


def test_an_unreadable_head_still_reports_scenes_defined_twice(tmp_path):
    first = FIRST + "  a:\n    text: A again.\n    ending: {title: Again}\n"
    story, diagnostics = load(write_split(tmp_path, head="title: [", first=first))
    assert story is None
    assert [d.message.split(":")[0] for d in diagnostics if d.code == "E013"] == [
        "the scene 'a' is defined twice",
        "the scene 'b' is defined twice",
    ]
