"""Node readers: typed values read from one file's YAML nodes, each problem reported there."""

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.story.nodes import IDENTIFIER, SCENE_ID, NodeReader
from engine.story.yaml_source import parse_yaml


def read(text: str, file: str = "a.yaml", diagnostics: list | None = None):
    data = text.encode("utf-8")
    root = parse_yaml(data, file).root
    return NodeReader(file, [] if diagnostics is None else diagnostics, data), root


def test_a_reader_reports_in_the_file_it_was_given():
    shared: list = []
    first, first_root = read("title: [not text]\n", "first.yaml", shared)
    second, second_root = read("count: many\n", "second.yaml", shared)
    # Interleaved on purpose: no reader depends on which file was read last.
    assert second.integer(second_root.value[0][1], "'count'") is None
    assert first.text(first_root.value[0][1], "the title") is None
    assert [(d.file, d.line, d.col, d.code) for d in shared] == [
        ("second.yaml", 1, 8, "E010"),
        ("first.yaml", 1, 8, "E010"),
    ]
    assert shared[1].message == "the title must be text, not a list"


def test_scalars_are_read_as_their_yaml_types():
    reader, root = read("a: 12\nb: 1.5\nc: yes\nd: hello\ne: 0x10\n")
    values = {key.value: node for key, node in root.value}
    assert reader.integer(values["a"], "a") == 12 and reader.integer(values["e"], "e") == 16
    assert reader.number(values["a"], "a") == 12.0 and reader.number(values["b"], "b") == 1.5
    assert reader.boolean(values["c"], "c") is True
    assert reader.text(values["d"], "d") == "hello"
    assert reader.diagnostics == []
    assert reader.integer(values["b"], "the count") is None
    assert reader.diagnostics[0].message == "the count must be a whole number, not the number 1.5"


def test_a_mapping_is_checked_against_the_formats_keys():
    reader, root = read("title: T\ntitle: U\nstrat: a\n")
    fields = reader.mapping(root, "story", "a story file")
    assert list(fields) == ["title"]
    assert [d.code for d in reader.diagnostics] == ["E004", "E011", "E012"]
    assert reader.diagnostics[1].help == "did you mean 'start'?"
    assert reader.diagnostics[2].message == "a story file has no 'start'"


def test_an_id_map_yields_only_good_ids():
    reader, root = read("ok: 1\nnot: 2\n'bad id': 3\nok: 4\n")
    assert [key.value for key, _ in reader.id_map(root, "'meters'", IDENTIFIER, "meter")] == ["ok"]
    assert [d.code for d in reader.diagnostics] == ["E015", "E015", "E004"]
    reader, root = read("a.b: 1\na.b: 2\n")
    names = [
        key.value
        for key, _ in reader.id_map(root, "'scenes'", SCENE_ID, "scene", check_dupes=False)
    ]
    assert names == ["a.b", "a.b"] and reader.diagnostics == []


def test_a_tag_that_is_not_plain_data_is_refused():
    reader, root = read("a: !!python/object:os.system ls\n")
    assert reader.text(root.value[0][1], "a") is None
    (problem,) = reader.diagnostics
    assert problem.code == "E005" and "'!!python/object:os.system'" in problem.message


def test_a_bad_placeholder_is_reported_where_it_stands_in_block_text():
    reader, root = read("text: |\n  first line\n  then {partnr} here\n")
    assert reader.text(root.value[0][1], "the text") is not None
    (problem,) = reader.diagnostics
    assert (problem.file, problem.line, problem.col, problem.length) == ("a.yaml", 3, 8, 8)


_texts = st.lists(st.sampled_from(list("ab:-[]{}!&*#|>'\"\n  %@,?019=+.~")), max_size=80).map(
    "".join
)


def _nodes(node):
    yield node
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _nodes(key)
            yield from _nodes(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nodes(item)


@given(_texts)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_whatever_the_nodes_every_problem_is_in_the_readers_file(text):
    reader, root = read(text, "given.yaml")
    if root is None:
        return
    for node in _nodes(root):
        reader.text(node, "x")
        reader.integer(node, "x")
        reader.number(node, "x")
        reader.boolean(node, "x")
        reader.sequence(node, "x")
        reader.mapping(node, "scene", "x")
        list(reader.id_map(node, "x", SCENE_ID, "scene"))
    assert all(d.file == "given.yaml" and d.line >= 1 and d.col >= 1 for d in reader.diagnostics)
