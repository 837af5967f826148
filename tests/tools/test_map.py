"""The story map: the graph, the layout, the three formats and the `map` command, on real
stories loaded from YAML."""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import replace
from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import load_story
from engine.story.loader import StoryFiles, build_story, check_story
from engine.story.model import frozen_map
from engine.tools.map.dot import render as render_dot
from engine.tools.map.edges import LabelPlacer
from engine.tools.map.graph import CHOICE, ENDING, OUTCOME, ROUTE, ROUTER, SCENE, build_graph
from engine.tools.map.labels import ELLIPSIS, fit, one_line, shorten, text_width
from engine.tools.map.layout import BREADTH_FIRST, LONGEST_PATH, LayoutOptions, layout_graph
from engine.tools.map.mermaid import escape as mermaid_escape
from engine.tools.map.mermaid import node_ids
from engine.tools.map.mermaid import render as render_mermaid
from engine.tools.map.svg import node_size
from engine.tools.map.svg import render as render_svg

from ..conftest import ROOT, STORIES

SVG = "{http://www.w3.org/2000/svg}"
TINY = STORIES / "tiny.yaml"
MEDIUM = STORIES / "map_medium.yaml"
BUNDLED = ROOT / "scenes" / "balance_of_power"

LOOPS = dedent("""\
    title: Loops
    start: a
    scenes:
      a:
        text: A
        choices:
          - {text: On, goto: b}
          - {text: Again, goto: a}
      b:
        text: B
        choices:
          - {text: Back, goto: a}
          - {text: On, goto: c}
      c:
        text: C
        next:
          - {if: visited('a') > 2, goto: end}
          - {goto: b}
      end:
        text: The end.
        ending: {title: End}
      lost:
        text: Nobody comes here.
        choices:
          - {text: Round, goto: lost_too}
      lost_too:
        text: Nor here.
        choices:
          - {text: Round again, goto: lost}
          - {text: Out, goto: end}
    """)

# Choice texts that break naive exporters: quotes, markup, entities, brackets, pipes, emoji.
AWKWARD = 'Say "no" <b>&amp;</b> [then] {{leave}} | #1; 50% `tick` 🎉 \\n'
ESCAPES = dedent("""\
    title: 'Quotes "and" <tags> & more'
    start: "first-scene"
    responses:
      fight: 'Fight "back" & <win>'
    scenes:
      "first-scene":
        title: 'The "first" <scene> & [co]'
        text: Hello.
        choices:
          - text: 'AWKWARD'
            response: fight
            goto: end.scene
      end.scene:
        text: Bye.
        ending: {title: "End [of] <it> & \\"that\\""}
    """).replace("AWKWARD", AWKWARD.replace("'", "''"))


def write(folder: Path, text: str, name: str = "story.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny():
    return build_graph(load_story(TINY))


@pytest.fixture(scope="module")
def medium():
    return build_graph(load_story(MEDIUM))


@pytest.fixture
def loops(tmp_path):
    return build_graph(load_story(write(tmp_path, LOOPS)))


@pytest.fixture
def awkward(tmp_path):
    return build_graph(load_story(write(tmp_path, ESCAPES)))


def lay_out(graph, options=None):
    sizes = {node.id: node_size(node) for node in graph.nodes}
    return layout_graph(
        [node.id for node in graph.nodes],
        [(edge.source, edge.target) for edge in graph.edges],
        graph.start,
        sizes,
        options,
    )


def breadth_first_depth(graph, roots):
    following = {}
    for edge in graph.edges:
        following.setdefault(edge.source, []).append(edge.target)
    depth = {root: 0 for root in roots}
    queue = deque(roots)
    while queue:
        node = queue.popleft()
        for target in following.get(node, ()):
            if target not in depth:
                depth[target] = depth[node] + 1
                queue.append(target)
    return depth


# The graph -----------------------------------------------------------------------------------


def test_the_graph_has_a_node_per_scene_with_its_kind_and_label(tiny):
    kinds = {node.id: node.kind for node in tiny.nodes}
    assert kinds == {
        "hall": SCENE,
        "kitchen": SCENE,
        "router": ROUTER,
        "good_end": ENDING,
        "bad_end": ENDING,
    }
    labels = {node.id: node.label for node in tiny.nodes}
    assert labels["hall"] == "The hall"  # the scene's title
    assert labels["good_end"] == "Balance"  # an ending's title
    assert labels["kitchen"] == "kitchen"  # else the id
    assert [node.id for node in tiny.nodes if node.start] == ["hall"]


def test_the_graph_has_an_edge_per_choice_outcome_target_and_route(tiny):
    edges = [(e.source, e.target, e.kind, e.response) for e in tiny.edges]
    assert edges == [
        ("hall", "kitchen", CHOICE, "accept"),
        ("hall", "kitchen", OUTCOME, "fight"),  # two outcomes to one scene: one edge
        ("hall", "good_end", CHOICE, "walk_away"),
        ("kitchen", "router", CHOICE, None),
        ("router", "good_end", ROUTE, None),
        ("router", "bad_end", ROUTE, None),
    ]
    fight = tiny.edges[1]
    assert fight.detail == "if trust >= 50, weight 2 | weight 1"
    assert tiny.edges[2].detail == "if security > 60"  # the choice's own condition
    assert [e.label for e in tiny.edges[4:]] == ["if trust > 50 and met_family", "otherwise"]


def test_scenes_the_start_does_not_reach_are_marked(loops):
    outside = {node.id for node in loops.nodes if not node.reachable}
    assert outside == {"lost", "lost_too"}


# Mermaid -------------------------------------------------------------------------------------


def test_mermaid_has_every_scene_and_every_edge(medium):
    text = render_mermaid(medium)
    lines = text.splitlines()
    assert lines[:4] == [
        "---",
        'title: "Crossroads: a test story for the map"',
        "---",
        "flowchart TD",
    ]
    ids = node_ids(medium)
    for node in medium.nodes:
        assert sum(1 for line in lines if re.match(rf"\s+{ids[node.id]}[(\[{{]", line)) == 1
    edge_lines = [line.strip() for line in lines if re.search(r" (-->|-\.->)\|", line)]
    assert len(edge_lines) == len(medium.edges)
    for edge, line in zip(medium.edges, edge_lines, strict=True):
        assert line.startswith(ids[edge.source] + " ")
        assert line.endswith(" " + ids[edge.target])
        assert ("-.->" in line) == (edge.kind != CHOICE)


def test_mermaid_ids_are_safe_and_unique(tmp_path):
    story = dedent("""\
        title: Ids
        start: a-b
        scenes:
          a-b: {text: x, choices: [{text: go, goto: a_b}]}
          a_b: {text: x, choices: [{text: go, goto: end}]}
          end: {text: x, ending: {title: The end}}
        """)
    graph = build_graph(load_story(write(tmp_path, story)))
    ids = node_ids(graph)
    assert ids == {"a-b": "s_a_b", "a_b": "s_a_b_2", "end": "s_end"}
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", value) for value in ids.values())


def test_mermaid_labels_are_quoted_and_escaped(awkward):
    text = render_mermaid(awkward)
    edge = next(line for line in text.splitlines() if "-->|" in line)
    label = re.search(r'\|"(.*)"\|', edge).group(1)
    plain = re.sub(r"#\w+;", "", label)  # what is left outside Mermaid's entities
    for raw in '"<>&|`;#%':
        assert raw not in plain
    assert label.startswith("Say #quot;no#quot; #lt;b#gt;#amp;amp#59;#lt;/b#gt; [then]")
    assert "🎉" in mermaid_escape(AWKWARD)
    assert "[fight]" in label
    title = next(line for line in text.splitlines() if line.strip().startswith("s_first_scene"))
    assert "#quot;first#quot; #lt;scene#gt; #amp; [co]" in title


def test_mermaid_puts_unreachable_scenes_in_a_subgraph(loops):
    text = render_mermaid(loops)
    opening = 'subgraph unreachable ["Not reachable from the start"]'
    inside = text.split(opening)[1].split("end\n")[0]
    assert "s_lost(" in inside and "s_lost_too(" in inside and "s_a(" not in inside


# DOT -----------------------------------------------------------------------------------------

_DOT_STRING = r'"(?:[^"\\]|\\.)*"'


def test_dot_has_every_scene_and_every_edge(medium):
    text = render_dot(medium)
    assert text.startswith('digraph "Crossroads: a test story for the map" {')
    assert text.rstrip().endswith("}")
    for node in medium.nodes:
        assert len(re.findall(rf'^\s+"{re.escape(node.id)}" \[label=', text, re.M)) == 1
    edges = re.findall(rf"^\s+({_DOT_STRING}) -> ({_DOT_STRING}) \[", text, re.M)
    assert [(a.strip('"'), b.strip('"')) for a, b in edges] == [
        (edge.source, edge.target) for edge in medium.edges
    ]


def test_dot_strings_are_escaped(awkward):
    text = render_dot(awkward)
    # Every line is a sequence of well-formed DOT strings and plain tokens: no stray quote.
    for line in text.splitlines():
        assert '"' not in re.sub(_DOT_STRING, "", line), line
    assert r"Say \"no\" <b>&amp;amp;</b> [then]" in text
    assert "\\\\n" in text  # a backslash is doubled, so it is not DOT's line break
    assert r'label="The \"first\" <scene> &amp; [co]\nfirst-scene"' in text


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_draws_the_dot_output(awkward, medium, tmp_path):
    drawn = []
    for graph in (medium, awkward):
        source = write(tmp_path, render_dot(graph), "map.dot")
        result = subprocess.run(
            ["dot", "-Tsvg", str(source)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0 and not result.stderr, result.stderr
        parse_svg(result.stdout)
        drawn.append(result.stdout)
    # Graphviz shows the choice's text as written: "&amp;" stays five characters.
    assert "Say &quot;no&quot; &lt;b&gt;&amp;amp;&lt;/b&gt;" in drawn[1]


def test_dot_puts_unreachable_scenes_in_a_cluster(loops):
    text = render_dot(loops)
    cluster = text.split("subgraph cluster_unreachable {")[1].split("  }")[0]
    assert '"lost"' in cluster and '"lost_too"' in cluster and '"a"' not in cluster


# SVG -----------------------------------------------------------------------------------------


def parse_svg(text):
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    return root


def groups(root, css):
    """The map's groups of a class (the legend's samples, which share the class, left out)."""
    legend = {
        id(g)
        for item in root.iter(f"{SVG}g")
        if item.get("class") == "legend"
        for g in item.iter(f"{SVG}g")
    }
    return [
        g for g in root.iter(f"{SVG}g") if css in g.get("class", "").split() and id(g) not in legend
    ]


def test_svg_has_a_node_per_scene_styled_by_kind(medium):
    root = parse_svg(render_svg(medium))
    nodes = [g for g in groups(root, "node") if g.get("data-scene") is not None]
    assert sorted(g.get("data-scene") for g in nodes) == sorted(n.id for n in medium.nodes)
    by_id = {g.get("data-scene"): g for g in nodes}
    for node in medium.nodes:
        group = by_id[node.id]
        classes = group.get("class").split()
        assert node.kind in classes
        assert ("start" in classes) == node.start
        assert ("unreachable" in classes) == (not node.reachable)
        shapes = [child.tag.removeprefix(SVG) for child in group]
        if node.kind == ROUTER:
            assert "polygon" in shapes  # a hexagon
        elif node.kind == ENDING:
            assert shapes.count("rect") == 2  # a double border
        else:
            assert shapes.count("rect") == 1
        assert group.find(f"{SVG}title").text.startswith(node.label)


def test_svg_has_an_arrow_and_a_label_per_edge(medium):
    root = parse_svg(render_svg(medium))
    arrows = groups(root, "edge")
    assert [(g.get("data-source"), g.get("data-target")) for g in arrows] == [
        (edge.source, edge.target) for edge in medium.edges
    ]
    for group, edge in zip(arrows, medium.edges, strict=True):
        assert edge.kind in group.get("class").split()
        assert group.find(f"{SVG}path").get("d").startswith("M")
    labels = groups(root, "edge-label")
    assert len(labels) == len(medium.edges)
    texts = [g.find(f"{SVG}text").text for g in labels]
    assert "Listen first. [accept]" in texts
    assert "otherwise" in texts


def test_svg_escapes_texts_and_keeps_the_full_text_in_tooltips(awkward):
    text = render_svg(awkward)
    root = parse_svg(text)
    label = groups(root, "edge-label")[0]
    assert label.find(f"{SVG}text").text.startswith('Say "no" <b>&amp;</b>')
    assert label.find(f"{SVG}text").text.endswith(ELLIPSIS + " [fight]")
    assert AWKWARD.strip() in label.find(f"{SVG}title").text
    scene = next(g for g in groups(root, "node") if g.get("data-scene") == "first-scene")
    assert scene.find(f"{SVG}title").text.startswith('The "first" <scene> & [co] (first-scene)')
    assert root.find(f"{SVG}title").text == 'Story map: Quotes "and" <tags> & more'
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "legend-text"]
    assert '[fight] Fight "back" & <win>' in legend


def test_control_characters_and_line_breaks_never_reach_the_output(tmp_path):
    story = (
        'title: "Ctl \\x01 \\uffff"\nstart: a\nscenes:\n'
        '  a: {title: "A\\x07b", text: x, choices: [\n'
        '       {text: "go\\x0b\\x1f now\\x85\\u2028z\\nz", goto: b}]}\n'
        '  b: {text: x, ending: {title: "E\\x00"}}\n'
    )
    # A story that loads can no longer hold them (E019); the map still guards a story made in
    # code, so the same texts are put into a story that loaded without them.
    assert {d.code for d in check_story(write(tmp_path, story))[1]} == {"E019"}
    clean = load_story(write(tmp_path, re.sub(r"\\(x..|u....)", "", story)))
    hall, end = clean.scenes["a"], clean.scenes["b"]
    choice = replace(hall.choices[0], text="go\x0b\x1f now\x85\u2028z\nz")
    scenes = {
        "a": replace(hall, title="A\x07b", choices=(choice,)),
        "b": replace(end, ending=replace(end.ending, title="E\x00")),
    }
    graph = build_graph(replace(clean, title="Ctl \x01 \uffff", scenes=frozen_map(scenes)))
    assert graph.edges[0].label == "go\x0b\x1f now\x85\u2028z\nz"
    parse_svg(render_svg(graph))  # XML 1.0 forbids most control characters
    for text in (render_mermaid(graph), render_dot(graph)):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028]", text)
        assert "go now z z" in text


def test_svg_cuts_long_titles_with_an_ellipsis(tmp_path):
    long_title = "A very long title " * 6
    story = dedent(f"""\
        title: Long
        start: a
        scenes:
          a: {{title: {long_title.strip()}, text: x, choices: [{{text: go, goto: b}}]}}
          b: {{text: x, ending: {{title: End}}}}
        """)
    graph = build_graph(load_story(write(tmp_path, story)))
    root = parse_svg(render_svg(graph))
    node = next(g for g in groups(root, "node") if g.get("data-scene") == "a")
    shown = next(t.text for t in node.iter(f"{SVG}text") if t.get("class") == "label")
    assert shown.endswith(ELLIPSIS) and len(shown) < len(long_title)
    assert node.find(f"{SVG}title").text.startswith(long_title.strip())


def test_svg_labels_keep_the_response_when_the_text_is_cut(tmp_path):
    story = dedent("""\
        title: Wide text
        start: a
        responses: {accept: Accept}
        scenes:
          a:
            text: x
            choices:
              - {text: 日本語のテキストが長い場合にどうなるか確認する, response: accept, goto: b}
          b: {text: x, ending: {title: End}}
        """)
    graph = build_graph(load_story(write(tmp_path, story)))
    root = parse_svg(render_svg(graph))
    shown = groups(root, "edge-label")[0].find(f"{SVG}text").text
    assert shown.startswith("日本語") and shown.endswith(ELLIPSIS + " [accept]")
    assert text_width(shown, 11) <= 190


def test_svg_frames_unreachable_scenes(loops):
    root = parse_svg(render_svg(loops))
    frames = groups(root, "unreachable-area")
    assert len(frames) == 1
    caption = frames[0].find(f"{SVG}text").text
    assert caption == "Not reachable from the start (2 scenes)"


@pytest.mark.parametrize("path", [TINY, MEDIUM, BUNDLED], ids=["tiny", "medium", "bundled"])
def test_svg_labels_cover_no_box_and_no_other_label(path):
    if not path.exists():
        pytest.skip("the bundled story is not here")
    graph = build_graph(load_story(path))
    layout = lay_out(graph)
    assert_sound(graph, layout)
    root = parse_svg(render_svg(graph))
    assert len(groups(root, "edge-label")) == len(graph.edges)
    rects = [g.find(f"{SVG}rect") for g in groups(root, "edge-label")]
    labels = [
        (
            float(r.get("x")),
            float(r.get("y")),
            float(r.get("x")) + float(r.get("width")),
            float(r.get("y")) + float(r.get("height")),
        )
        for r in rects
    ]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
        for box in layout.boxes.values():
            assert not (a[0] < box.right and box.x < a[2] and a[1] < box.bottom and box.y < a[3]), (
                a,
                box,
            )


# The layout ----------------------------------------------------------------------------------


def assert_sound(graph, layout):
    """Every node has a box, no two boxes overlap, every edge's ends exist."""
    assert set(layout.boxes) == {node.id for node in graph.nodes}
    boxes = sorted(layout.boxes.items(), key=lambda item: item[1].x)
    for i, (name, box) in enumerate(boxes):
        assert box.width > 0 and box.height > 0
        for other_name, other in boxes[i + 1 :]:
            if other.x >= box.right:
                break
            assert not box.overlaps(other), (name, other_name)
    for edge in graph.edges:
        assert edge.source in layout.boxes and edge.target in layout.boxes


@pytest.mark.parametrize("layering", [LONGEST_PATH, BREADTH_FIRST])
def test_layout_puts_the_start_first_and_follows_the_breadth_first_depth(medium, layering):
    layout = lay_out(medium, LayoutOptions(layering=layering))
    assert_sound(medium, layout)
    start = layout.boxes[medium.start]
    assert start.layer == 0 and start.row == 0
    assert all(box.y >= start.y for box in layout.boxes.values())
    depth = breadth_first_depth(medium, [medium.start])
    for node, level in depth.items():
        box = layout.boxes[node]
        if layering == BREADTH_FIRST:
            assert box.layer == level
        else:
            assert box.layer >= level  # a branch that rejoins goes below the scenes it joins
    # Rows go down the picture in layer order.
    reachable = [row for row in layout.rows if row.reachable]
    assert [row.layer for row in reachable] == sorted(row.layer for row in reachable)
    assert all(a.y + a.height < b.y for a, b in zip(layout.rows, layout.rows[1:], strict=False))


def test_longest_path_layers_put_a_rejoining_branch_between(tiny):
    layout = lay_out(tiny, LayoutOptions(layering=LONGEST_PATH))
    layer = {node: box.layer for node, box in layout.boxes.items()}
    assert layer == {"hall": 0, "kitchen": 1, "router": 2, "good_end": 3, "bad_end": 3}
    # hall -> good_end spans three layers: it passes the two between in lanes of its own.
    lanes = layout.lanes[("hall", "good_end")]
    assert len(lanes) == 2
    for lane, row in zip(lanes, layout.rows[1:3], strict=True):
        assert lane.top == row.y
        for node in row.ids:
            box = layout.boxes[node]
            assert not box.x <= lane.x <= box.right


def test_layout_handles_loops_and_unreachable_scenes(loops):
    layout = lay_out(loops)
    assert_sound(loops, layout)
    frame = layout.unreachable
    assert frame is not None
    for node in loops.nodes:
        box = layout.boxes[node.id]
        inside = (
            frame.x <= box.x
            and box.right <= frame.x + frame.width
            and frame.y <= box.y
            and box.bottom <= frame.y + frame.height
        )
        assert inside == (not node.reachable) == (not box.reachable)
    assert layout.boxes["lost"].layer == 0  # the unreachable loop is laid out from its first
    forward = [
        e
        for e in loops.edges
        if e.source != e.target and layout.boxes[e.target].layer > layout.boxes[e.source].layer
    ]
    assert {(e.source, e.target) for e in forward} >= {("a", "b"), ("b", "c"), ("c", "end")}


def test_a_wide_layer_wraps_onto_rows(tmp_path):
    choices = "\n".join(f"      - {{text: Door {n}, goto: end{n}}}" for n in range(40))
    endings = "\n".join(f"  end{n}: {{text: x, ending: {{title: Room {n}}}}}" for n in range(40))
    story = (
        f"title: Wide\nstart: hall\nscenes:\n  hall:\n    text: x\n    choices:\n"
        f"{choices}\n{endings}\n"
    )
    graph = build_graph(load_story(write(tmp_path, story)))
    layout = lay_out(graph, LayoutOptions(max_row_width=900))
    assert_sound(graph, layout)
    rows = [row for row in layout.rows if row.layer == 1]
    assert len(rows) > 1
    for row in rows:
        boxes = [layout.boxes[node] for node in row.ids]
        assert max(b.right for b in boxes) - min(b.x for b in boxes) <= 900
    assert sum(len(row.ids) for row in rows) == 40


def test_ordering_removes_avoidable_crossings(tmp_path):
    # a leads to b then c; b and c lead to d and e crosswise in story order.
    story = dedent("""\
        title: Cross
        start: a
        scenes:
          a: {text: x, choices: [{text: 1, goto: b}, {text: 2, goto: c}]}
          b: {text: x, choices: [{text: 1, goto: e}]}
          c: {text: x, choices: [{text: 1, goto: d}]}
          d: {text: x, ending: {title: D}}
          e: {text: x, ending: {title: E}}
        """)
    graph = build_graph(load_story(write(tmp_path, story)))
    layout = lay_out(graph)
    assert layout.crossings == 0
    assert (layout.boxes["b"].x < layout.boxes["c"].x) == (
        layout.boxes["e"].x < layout.boxes["d"].x
    )


def test_a_huge_tangle_falls_back_to_breadth_first_layers(tmp_path):
    # A chain of 60 scenes where each also jumps to the last: longest-path layers would need
    # 1,770 lane points (a lane in every layer for every jump), beyond the limit of 500.
    lines = ["title: Chain", "start: s0", "scenes:"]
    for n in range(60):
        lines.append(
            f"  s{n}: {{text: x, choices: [{{text: on, goto: s{n + 1}}}, "
            f"{{text: jump, goto: s60}}]}}"
        )
    lines.append("  s60: {text: x, ending: {title: End}}")
    graph = build_graph(load_story(write(tmp_path, "\n".join(lines) + "\n")))
    loose = lay_out(graph, LayoutOptions(max_long_edge_points=2000))
    assert loose.layering == LONGEST_PATH
    assert_sound(graph, loose)
    tangle = lay_out(graph)
    assert tangle.layering == BREADTH_FIRST
    assert_sound(graph, tangle)
    assert tangle.boxes["s60"].layer == 1


# Texts ---------------------------------------------------------------------------------------


def test_texts_are_made_one_line_and_cut_with_an_ellipsis():
    assert one_line("  two\n lines\tand\x00 a control ") == "two lines and a control"
    assert shorten("Let it go, and say nothing at all.", 20) == "Let it go, and say" + ELLIPSIS
    assert shorten("short", 20) == "short"
    cut = fit("Wait for them to send the first message tonight", 11, 120)
    assert cut.endswith(ELLIPSIS) and text_width(cut, 11) <= 120
    assert fit("🎉" * 40, 11, 100).endswith(ELLIPSIS)
    assert text_width("WWW", 10) > text_width("iii", 10)


def test_the_label_placer_moves_a_label_off_one_already_placed():
    from engine.tools.map.edges import EdgePath, straight

    placer = LabelPlacer([], band=17.0)
    path = EdgePath((straight((100.0, 0.0), (100.0, 200.0)),))
    first = placer.place(path, 80.0)
    second = placer.place(path, 80.0)
    assert first != second
    assert (
        first[3] <= second[1]
        or second[3] <= first[1]
        or first[2] <= second[0]
        or second[2] <= first[0]
    )


# Random stories ------------------------------------------------------------------------------


@st.composite
def story_yaml(draw):
    """A random story graph, as YAML: scenes with choices, routers and endings, any links."""
    count = draw(st.integers(1, 14))
    names = [f"s{n}" for n in range(count)]
    lines = ["title: Random", "start: s0", "scenes:"]
    for name in names:
        kind = draw(st.sampled_from(["choices", "choices", "next", "ending"]))
        targets = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4))
        if kind == "ending":
            lines.append(f"  {name}: {{text: x, ending: {{title: 'End {name}'}}}}")
        elif kind == "next":
            routes = [
                f"{{if: visited('{name}') > {i}, goto: {t}}}" for i, t in enumerate(targets[:-1])
            ] + [f"{{goto: {targets[-1]}}}"]
            lines.append(f"  {name}: {{next: [{', '.join(routes)}]}}")
        else:
            choices = [f"{{text: 'Go \"{t}\" <&>', goto: {t}}}" for t in targets]
            lines.append(f"  {name}: {{text: x, choices: [{', '.join(choices)}]}}")
    return "\n".join(lines) + "\n"


@given(story_yaml(), st.sampled_from(["auto", BREADTH_FIRST]), st.integers(300, 2400))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_stories_lay_out_every_scene_without_overlaps(text, layering, row_width):
    story, diagnostics = build_story(
        StoryFiles("random.yaml", "random", [("random.yaml", text.encode("utf-8"))])
    )
    assert story is not None, [d.headline() for d in diagnostics]
    graph = build_graph(story)
    layout = lay_out(graph, LayoutOptions(layering=layering, max_row_width=row_width))
    assert_sound(graph, layout)
    assert layout.boxes["s0"].layer == 0
    root = parse_svg(render_svg(graph))
    assert len([g for g in groups(root, "node") if g.get("data-scene")]) == len(graph.nodes)
    assert len(groups(root, "edge")) == len(graph.edges)


# The command ---------------------------------------------------------------------------------


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env=dict(os.environ),
    )


@pytest.mark.parametrize("suffix", [".svg", ".mmd", ".dot"])
def test_the_command_writes_each_format(tmp_path, suffix, medium):
    out = tmp_path / "maps" / f"medium{suffix}"
    result = run("map", MEDIUM, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}: ")
    assert (
        f"{len(medium.nodes)} scenes and {len(medium.edges)} arrows "
        "(0 errors, 3 warnings: see `python main.py validate`)"
    ) in result.stdout
    text = out.read_text("utf-8")
    if suffix == ".svg":
        parse_svg(text)
    elif suffix == ".mmd":
        assert "flowchart TD" in text
    else:
        assert text.startswith("digraph")
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_the_command_needs_an_output_with_a_known_extension(tmp_path):
    missing = run("map", TINY)
    assert missing.returncode == 2
    assert "-o/--output" in missing.stderr and "Traceback" not in missing.stderr
    unknown = run("map", TINY, "-o", tmp_path / "map.png")
    assert unknown.returncode == 2
    assert "cannot tell the map's format from" in unknown.stderr
    assert ".dot, .gv, .mermaid, .mmd, .svg" in unknown.stderr
    assert not (tmp_path / "map.png").exists()


def test_the_command_prints_a_broken_storys_diagnostics(tmp_path):
    broken = write(
        tmp_path,
        "title: Broken\nstart: hall\nscenes:\n  hall:\n    text: Hi\n"
        "    choices:\n      - {text: Go, goto: nowhere}\n",
    )
    out = tmp_path / "map.svg"
    result = run("map", broken, "-o", out)
    assert result.returncode == 1
    assert f"{broken}:7:" in result.stderr and "[E020]" in result.stderr
    assert result.stderr.rstrip().endswith("1 error, 0 warnings: no map drawn")
    assert "Traceback" not in result.stderr
    assert not out.exists()
    nothing = run("map", tmp_path / "absent.yaml", "-o", out)
    assert nothing.returncode == 1 and "[E017]" in nothing.stderr


def test_the_command_reports_an_output_it_cannot_write(tmp_path):
    folder = tmp_path / "taken.svg"
    folder.mkdir()
    result = run("map", TINY, "-o", folder)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot write {folder}: ")
    assert "Traceback" not in result.stderr


def test_the_command_is_listed_in_the_help():
    result = run("--help")
    assert "map" in result.stdout and "Mermaid, Graphviz or SVG" in result.stdout
