"""Property tests: no input, however odd, gives a traceback; random valid stories play soundly."""

import contextlib
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Session, SessionError
from engine.play.flow import Flow
from engine.story.diagnostics import Diagnostic
from engine.story.loader import StoryFiles, build_story

FAST = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_bytes(data: bytes):
    files = StoryFiles("prop.yaml", "prop", [("prop.yaml", data)])
    story, diagnostics = build_story(files)
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    assert (story is None) == any(d.is_error for d in diagnostics)
    for d in diagnostics:
        assert d.line >= 0 and d.col >= 0 and d.message and d.code
    return story, diagnostics


@given(st.binary(max_size=300))
@FAST
def test_random_bytes_never_raise(data):
    check_bytes(data)


_yaml_chars = st.sampled_from(list("abc:-[]{}!&*#|>'\"\n  \t%@`,?0123456789=+.~"))


@given(st.lists(_yaml_chars, max_size=200).map("".join))
@FAST
def test_random_yaml_like_text_never_raises(text):
    check_bytes(text.encode("utf-8"))


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=20),
)
_keys = st.sampled_from(
    [
        "title",
        "start",
        "meters",
        "scenes",
        "text",
        "choices",
        "goto",
        "next",
        "ending",
        "if",
        "effects",
        "set",
        "outcomes",
        "weight",
        "id",
        "flags",
        "responses",
        "response",
        "locked",
        "feedback",
        "label",
        "min",
        "max",
        "a",
        "b",
    ]
)
_trees = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)
    ),
    max_leaves=30,
)


@given(st.dictionaries(_keys, _trees, max_size=6))
@FAST
def test_random_structures_dumped_as_yaml_never_raise(tree):
    check_bytes(yaml.safe_dump(tree, allow_unicode=True).encode("utf-8"))


def _node_tags(node, out):
    out.append((type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _node_tags(key, out)
            _node_tags(value, out)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _node_tags(item, out)
    return out


@given(
    st.one_of(
        st.lists(_yaml_chars, max_size=120).map("".join),
        st.dictionaries(_keys, _trees, max_size=6).map(
            lambda tree: yaml.safe_dump(tree, allow_unicode=True)
        ),
    )
)
@FAST
def test_our_loader_gives_every_node_the_tag_pyyaml_gives(text):
    """The loader's shortcuts in resolving tags change no tag."""
    from engine.story.yaml_source import Loader

    try:
        stock = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return
    ours = yaml.compose(text, Loader=Loader)
    if stock is None:
        assert ours is None
    else:
        assert _node_tags(ours, []) == _node_tags(stock, [])


# Random valid stories ---------------------------------------------------------------------


@st.composite
def stories(draw):
    """A random story that is valid by construction: choices, outcomes, routers and endings."""
    count = draw(st.integers(2, 12))
    ids = [f"s{i}" for i in range(count)]
    endings = set(draw(st.lists(st.sampled_from(ids[1:]), min_size=1, max_size=3)))
    scenes = {}
    conditions = st.sampled_from(
        [
            "trust > 40",
            "not met",
            "met or trust < 30",
            "visited('s0') > 1",
            "trust + 10 >= 60",
            "true",
        ]
    )
    effects = st.dictionaries(
        st.just("trust"), st.sampled_from(["+5", "-7", "=50", "%+20", "%-35", "+100"]), max_size=1
    )
    for scene_id in ids:
        if scene_id in endings:
            scenes[scene_id] = {"text": "The end.", "ending": {"title": scene_id}}
            continue
        if draw(st.integers(0, 5)) == 0:
            routes = [
                {"if": draw(conditions), "goto": draw(st.sampled_from(ids))}
                for _ in range(draw(st.integers(0, 2)))
            ]
            routes.append({"goto": draw(st.sampled_from(sorted(endings)))})
            scenes[scene_id] = {"next": routes}
            continue
        choices = []
        for number in range(draw(st.integers(1, 3))):
            choice = {"text": f"Choice {number}", "effects": draw(effects)}
            if number and draw(st.booleans()):
                choice["if"] = draw(conditions)
            if draw(st.booleans()):
                choice["set"] = {"met": draw(st.booleans())}
            if draw(st.booleans()):
                choice["outcomes"] = [
                    {
                        "weight": draw(st.integers(1, 5)),
                        "if": draw(conditions),
                        "goto": draw(st.sampled_from(ids)),
                    },
                    {"goto": draw(st.sampled_from(ids)), "effects": draw(effects)},
                ]
            else:
                choice["goto"] = draw(st.sampled_from(ids))
            choices.append(choice)
        scenes[scene_id] = {"text": f"Scene {scene_id}", "choices": choices}
    return {
        "title": "Random",
        "start": "s0",
        "meters": {"trust": {"start": 50}},
        "flags": {"met": False},
        "scenes": scenes,
    }


@given(stories(), st.integers(0, 2**32 - 1), st.lists(st.integers(0, 10), max_size=40))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_stories_load_play_save_and_undo_soundly(tree, seed, picks):
    story, diagnostics = check_bytes(yaml.safe_dump(tree).encode("utf-8"))
    assert story is not None, [d.headline() for d in diagnostics]
    session = Session(story, seed=seed)
    for pick in picks:
        if session.state != Flow.PLAYING:
            break
        offered = session.offered()
        assert offered  # a playing session always offers something
        turn = session.choose(offered[pick % len(offered)].id)
        assert all(0 <= value <= 100 for value in session.meters.values())
        assert turn.path[-1] == session.scene_id
    assert session.state in ("playing", "ended", "stuck")
    data = json.loads(json.dumps(session.to_save()))
    restored, notes = Session.from_save(story, data)
    assert restored.to_save() == session.to_save() and notes == []
    # Replaying the same choices from the same seed gives the same history.
    replay = Session(story, seed=seed)
    for turn in session.history:
        replay.choose(turn.choice)
    assert replay.history == session.history
    while session.can_undo:
        session.undo()
    assert session.to_save()["meters"] == Session(story, seed=seed).to_save()["meters"]


@given(
    st.recursive(
        _scalars,
        lambda c: st.one_of(
            st.lists(c, max_size=3), st.dictionaries(st.text(max_size=8), c, max_size=3)
        ),
        max_leaves=12,
    ),
    st.sampled_from(
        [
            "scene",
            "meters",
            "flags",
            "visits",
            "rng",
            "history",
            "origin",
            "seed",
            "flow",
            "turns",
            "partner",
            "story",
            "fault",
        ]
    ),
)
@settings(max_examples=300, deadline=None)
def test_damaged_session_data_only_ever_raises_session_error(junk, field):
    tree = {
        "title": "T",
        "start": "a",
        "meters": {"trust": {"start": 5}},
        "scenes": {"a": {"text": "A", "choices": [{"text": "x", "goto": "a"}]}},
    }
    story, _ = check_bytes(yaml.safe_dump(tree).encode())
    session = Session(story, seed=1)
    session.choose("1")
    data = json.loads(json.dumps(session.to_save()))
    data[field] = junk
    with contextlib.suppress(SessionError):
        Session.from_save(story, data)
