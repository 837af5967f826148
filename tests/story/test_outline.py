"""Pass 1: a story's files found and read, its head read, and every scene indexed by id."""

from engine.story.files import StoryFiles, read_story_files
from engine.story.outline import read_outline

HEAD = (
    b"title: T\nstart: a\nmeters: {trust: {start: 5}}\nflags: {met: true}\nscenes:\n"
    b"  a: {text: A, ending: {title: E}}\n"
)


def outline_of(*files):
    diagnostics = []
    outline = read_outline(StoryFiles("story", "story", list(files)), diagnostics)
    return outline, diagnostics


def test_the_head_and_every_scene_are_read_from_all_the_files():
    outline, diagnostics = outline_of(
        ("story.yaml", HEAD), ("more.yaml", b"scenes:\n  b: {text: B}\n  c: {}\n")
    )
    assert diagnostics == []
    head = outline.head
    assert head.values["title"] == "T" and head.values["id"] == "story"
    assert list(head.meters) == ["trust"] and head.flags == {"met": True}
    assert list(head.fields) == ["title", "start", "meters", "flags", "scenes"]
    entries = outline.index.entries
    assert list(entries) == ["a", "b", "c"]
    assert [entry.reader.file for entry in entries.values()] == [
        "story.yaml",
        "more.yaml",
        "more.yaml",
    ]
    assert entries["c"].where() == "more.yaml:3:3"


def test_a_scene_defined_twice_keeps_its_first_definition():
    outline, diagnostics = outline_of(
        ("story.yaml", HEAD), ("more.yaml", b"scenes:\n  z: {}\n  a: {text: again}\n")
    )
    assert outline.index.entries["a"].reader.file == "story.yaml"
    (duplicate,) = diagnostics
    assert (duplicate.file, duplicate.line, duplicate.col, duplicate.code) == (
        "more.yaml",
        3,
        3,
        "E013",
    )
    assert duplicate.message == "the scene 'a' is defined twice: first at story.yaml:6:3"


def test_a_file_that_cannot_be_read_is_noted_and_the_others_still_are():
    outline, diagnostics = outline_of(
        ("story.yaml", HEAD), ("bad.yaml", b"scenes: [\n"), ("good.yaml", b"scenes:\n  b: {}\n")
    )
    assert outline.unreadable == ["bad.yaml"]
    assert [d.code for d in diagnostics] == ["E001"]
    assert list(outline.index.entries) == ["a", "b"]


def test_a_head_that_is_not_a_map_leaves_no_head():
    outline, diagnostics = outline_of(("story.yaml", b"- just\n- a list\n"))
    assert outline.head is None
    assert [d.code for d in diagnostics] == ["E010"]


def test_a_folder_story_is_read_head_first_then_the_rest_in_order(tmp_path):
    (tmp_path / "story.yaml").write_bytes(HEAD)
    (tmp_path / "b.yaml").write_bytes(b"scenes: {}\n")
    (tmp_path / "act").mkdir()
    (tmp_path / "act" / "a.yaml").write_bytes(b"scenes: {}\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.yaml").write_bytes(b"scenes: {}\n")
    (tmp_path / "notes.txt").write_text("not a story file")
    files = read_story_files(tmp_path)
    assert files.problems == []
    assert [name for name, _ in files.files] == [
        str(tmp_path / "story.yaml"),
        str(tmp_path / "act" / "a.yaml"),
        str(tmp_path / "b.yaml"),
    ]
    assert files.files[0][1] == HEAD and files.story_id == tmp_path.name
