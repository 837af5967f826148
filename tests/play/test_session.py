"""The Session: every rule of play, on real stories loaded from YAML."""

import json
import random
from collections import Counter
from textwrap import dedent

import pytest

from engine import ChoiceNotOffered, Choose, Partner, Session, SessionError, Undo, load_story
from engine.story.model import Effect, Meter

STORY = dedent("""\
    title: Rules
    start: hall
    meters:
      trust: {start: 50}
      security: {start: 40, min: 10, max: 90}
    flags:
      met: false
    responses:
      accept: Accept
      fight: Fight
    scenes:
      hall:
        title: Hall
        text: "{partner} will not come. {They} {are/is} tired."
        choices:
          - id: accept
            text: Let it go.
            response: accept
            effects: {trust: +5, security: "%-50"}
            feedback: "You let {them} be."
            goto: kitchen
          - id: fight
            text: Push.
            response: fight
            outcomes:
              - {weight: 3, if: trust >= 50, goto: kitchen, effects: {trust: "%+20"},
                 feedback: It works.}
              - {weight: 1, goto: kitchen, effects: {trust: -10}, feedback: A row.}
          - id: secret
            text: Hidden unless met.
            if: met
            goto: kitchen
          - id: locked
            text: Leave.
            if: security > 60
            locked: You feel too unsure.
            goto: done
      kitchen:
        text: Later.
        choices:
          - id: meet
            text: Meet the family.
            set: {met: true}
            effects: {security: "=90", trust: 200}
            goto: router
          - id: back
            text: Go back.
            goto: hall
      router:
        next:
          - {if: visited('hall') >= 2 and met, goto: done}
          - goto: hall
      done:
        text: Over.
        ending: {title: Done, questions: [Why?]}
    """)


@pytest.fixture
def story(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(STORY, encoding="utf-8")
    return load_story(path)


def test_a_new_session_starts_at_the_start_with_initial_values(story):
    session = Session(story, seed=1)
    assert session.scene_id == "hall" and session.state == "playing"
    assert session.meters == {"trust": 50, "security": 40}
    assert session.flags == {"met": False} and session.visits == {"hall": 1}


def test_hidden_and_locked_choices(story):
    session = Session(story, seed=1)
    shown = [(o.id, o.number, o.locked_reason) for o in session.options]
    assert shown == [
        ("accept", 1, None),
        ("fight", 2, None),
        ("locked", None, "You feel too unsure."),
    ]
    assert [c.id for c in session.offered()] == ["accept", "fight"]
    with pytest.raises(ChoiceNotOffered, match="'locked' is not offered in scene 'hall'"):
        session.choose("locked")
    with pytest.raises(ChoiceNotOffered):
        session.choose("secret")


def test_effects_add_fair_math_set_and_clamp(story):
    session = Session(story, seed=1)
    turn = session.choose("accept")
    # security 40 in [10, 90]: %-50 moves half of (40 - 10) = 15 down.
    assert [(c.meter, c.old, c.new, c.delta) for c in turn.changes] == [
        ("trust", 50, 55, 5),
        ("security", 40, 25, -15),
    ]
    turn = session.choose("meet")
    assert session.meters == {"trust": 100, "security": 90}  # +200 clamps to 100; =90 sets
    assert turn.flags == (("met", True),)


@pytest.mark.parametrize(
    "kind, amount, value, expected",
    [
        ("add", 7, 95, 100),
        ("add", -30, 20, 0),
        ("set", 42, 0, 42),
        ("fair_up", 10, 75, 78),  # 10% of 25 = 2.5: a half moves the full step
        ("fair_up", 10, 76, 78),  # 10% of 24 = 2.4 rounds to 2
        ("fair_up", 100, 3, 100),
        ("fair_up", 0, 3, 3),
        ("fair_down", 10, 25, 22),  # 10% of 25 = 2.5 down: moves 3
        ("fair_down", 50, 1, 0),
        ("fair_down", 33, 100, 67),
    ],
)
def test_fair_math_and_rounding(kind, amount, value, expected):
    assert Effect("m", kind, amount).apply(value, Meter("m", "M", 0, 0, 100)) == expected


def test_fair_math_respects_a_meters_own_range():
    meter = Meter("m", "M", 20, 10, 30)
    assert (
        Effect(
            "m",
            "fair_up",
            50,
        ).apply(20, meter)
        == 25
    )
    assert Effect("m", "fair_down", 50).apply(20, meter) == 15


def test_outcomes_are_drawn_by_weight_and_replay_from_the_seed(story):
    counts = Counter()
    for seed in range(2000):
        session = Session(story, seed=seed)
        counts[session.choose("fight").outcome] += 1
    assert 0.70 < counts[0] / 2000 < 0.80  # weights 3:1
    first = [Session(story, seed=s).choose("fight").outcome for s in range(50)]
    again = [Session(story, seed=s).choose("fight").outcome for s in range(50)]
    assert first == again


def test_an_outcome_whose_condition_fails_is_never_drawn(story):
    for seed in range(200):
        session = Session(story, seed=seed)
        session.meters["trust"] = 49
        assert session.choose("fight").outcome == 1


def test_outcome_conditions_are_judged_before_the_choice_takes_effect(story, tmp_path):
    path = tmp_path / "order.yaml"
    path.write_text(
        dedent("""\
        title: Order
        start: a
        meters: {trust: {start: 50}}
        scenes:
          a:
            text: A
            choices:
              - text: go
                effects: {trust: -20}
                outcomes:
                  - {if: trust >= 50, goto: high}
                  - {goto: low}
          high: {text: H, ending: {title: High}}
          low: {text: L, ending: {title: Low}}
        """),
        encoding="utf-8",
    )
    session = Session(load_story(path), seed=1)
    session.choose("1")
    assert session.scene_id == "high" and session.meters["trust"] == 30


def test_routers_visits_and_flags(story):
    session = Session(story, seed=1)
    session.choose("accept")
    turn = session.choose("meet")  # router: hall visited once only, so back to hall
    assert turn.path == ("router", "hall") and session.scene_id == "hall"
    assert session.visits == {"hall": 2, "kitchen": 1, "router": 1}
    assert [c.id for c in session.offered()] == ["accept", "fight", "secret", "locked"]
    session.choose("secret")
    turn = session.choose("meet")
    assert turn.path == ("router", "done")
    assert session.ended and session.ending.title == "Done" and session.offered() == ()
    with pytest.raises(SessionError, match="needs a story in play"):
        session.choose("accept")


def test_feedback_and_text_are_rendered_for_the_partner(story):
    session = Session(story, seed=1, partner=Partner("Robin", "she"))
    assert session.text == "Robin will not come. She is tired."
    assert session.choose("accept").feedback == ("You let her be.",)
    assert Session(story, seed=1).text == "Sam will not come. They are tired."


def test_undo_restores_the_exact_state_before_the_choice(story):
    session = Session(story, seed=5)
    before = json.dumps(session.to_save(), sort_keys=True)
    session.choose("fight")
    middle = json.dumps(session.to_save(), sort_keys=True)
    session.choose("meet")
    undone = session.apply(Undo())
    assert undone.choice == "meet"
    assert json.dumps(session.to_save(), sort_keys=True) == middle
    session.undo()
    assert json.dumps(session.to_save(), sort_keys=True) == before
    assert not session.can_undo
    with pytest.raises(SessionError, match="no choice to undo"):
        session.undo()


def test_undo_after_an_ending_returns_to_play(story):
    session = Session(story, seed=1)
    for choice in ("accept", "meet", "secret", "meet"):
        session.apply(Choose(choice))
    assert session.ended
    session.undo()
    assert session.state == "playing" and session.scene_id == "kitchen"


def test_a_story_can_forbid_undo(story, tmp_path):
    path = tmp_path / "no_undo.yaml"
    path.write_text(STORY.replace("title: Rules", "title: Rules\nallow_undo: false"), "utf-8")
    session = Session(load_story(path), seed=1)
    session.choose("accept")
    assert not session.can_undo
    with pytest.raises(SessionError, match="undo is turned off"):
        session.undo()


def test_resolve_takes_ids_first_then_offered_numbers(story):
    session = Session(story, seed=1)
    assert session.resolve("fight") == "fight" and session.resolve("2") == "fight"
    with pytest.raises(ChoiceNotOffered, match="'3' is not offered"):
        session.resolve("3")


def test_same_seed_and_choices_replay_the_same_history(story):
    def play(seed):
        session = Session(story, seed=seed)
        for choice in ("fight", "back", "fight", "meet"):
            if session.state == "playing" and choice in [c.id for c in session.offered()]:
                session.choose(choice)
        return [turn.to_data() for turn in session.history]

    for seed in range(20):
        assert play(seed) == play(seed)


def test_save_data_round_trips_through_json_exactly(story):
    session = Session(story, seed=9, partner=Partner("Alex", "he"))
    session.choose("fight")
    session.choose("back")
    data = json.loads(json.dumps(session.to_save()))
    restored, notes = Session.from_save(story, data)
    assert notes == []
    assert restored.to_save() == session.to_save()
    # The random generator continues identically, and undo still reaches the start.
    assert restored.choose("fight") == session.choose("fight")
    restored.undo(), restored.undo(), restored.undo()
    assert restored.scene_id == "hall" and restored.history == []


def test_a_changed_story_restores_where_the_scene_still_exists(story, tmp_path):
    session = Session(story, seed=2)
    session.choose("accept")
    data = json.loads(json.dumps(session.to_save()))
    changed = tmp_path / "v2" / "rules.yaml"  # the same story id, new content
    changed.parent.mkdir()
    changed.write_text(
        STORY.replace("text: Later.", "text: Later, much later.").replace(
            "  security: {start: 40, min: 10, max: 90}\n",
            "  security: {start: 40, min: 10, max: 90}\n  balance: {start: 50}\n",
        ),
        "utf-8",
    )
    restored, notes = Session.from_save(load_story(changed), data)
    assert restored.scene_id == "kitchen" and restored.meters["trust"] == 55
    assert restored.meters["balance"] == 50
    assert any("changed" in note for note in notes)
    assert any("balance" in note for note in notes)
    assert not restored.can_undo  # choices made before the change cannot be replayed


def test_a_save_of_a_scene_that_no_longer_exists_is_refused(story, tmp_path):
    session = Session(story, seed=2)
    session.choose("accept")
    data = session.to_save()
    gone = tmp_path / "v2" / "rules.yaml"
    gone.parent.mkdir()
    gone.write_text(STORY.replace("kitchen", "pantry"), "utf-8")
    with pytest.raises(SessionError, match="'kitchen' no longer exists"):
        Session.from_save(load_story(gone), data)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("scene"),
        lambda d: d.update(meters="lots"),
        lambda d: d.update(rng=[3, [1, 2], None]),
        lambda d: d.update(flow="dancing"),
        lambda d: d.update(story={"id": "other", "hash": "x"}),
        lambda d: d["history"].append({"scene": 1}),
        lambda d: d.update(seed="x"),
        lambda d: d["meters"].update(trust="high"),
    ],
)
def test_damaged_save_data_raises_a_session_error(story, damage):
    session = Session(story, seed=3)
    session.choose("accept")
    data = json.loads(json.dumps(session.to_save()))
    damage(data)
    with pytest.raises(SessionError):
        Session.from_save(story, data)


def test_a_dead_end_at_run_time_leaves_the_session_stuck_not_crashed(tmp_path):
    path = tmp_path / "stuck.yaml"
    path.write_text(
        dedent("""\
        title: Stuck
        start: a
        meters: {trust: {start: 50}}
        scenes:
          a:
            text: A
            choices:
              - {text: go, goto: b}
              - {text: route, goto: r}
          b:
            text: B
            choices:
              - {text: only when trusted, if: trust > 80, goto: a}
          r:
            next:
              - {if: trust > 80, goto: a}
        """),
        encoding="utf-8",
    )
    story = load_story(path)
    session = Session(story, seed=1)
    turn = session.choose("1")
    assert session.state == "stuck" and "no choice in scene 'b'" in session.fault
    assert turn.fault == session.fault
    session.undo()
    session.choose("2")
    assert session.state == "stuck" and "no entry of 'next' in scene 'r'" in session.fault


def test_a_router_loop_is_caught(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text(
        dedent("""\
        title: Loop
        start: a
        scenes:
          a:
            text: A
            choices: [{text: go, goto: r1}]
          r1:
            next: [{goto: r2}]
          r2:
            next: [{goto: r1}]
        """),
        encoding="utf-8",
    )
    session = Session(load_story(path), seed=1)
    session.choose("1")
    assert session.state == "stuck" and "loop" in session.fault


def test_tools_can_force_an_outcome_and_move_between_snapshots(story):
    session = Session(story, seed=1)
    start = session.snapshot()
    assert session.possible_outcomes("fight") == [0, 1]
    assert session.choose("fight", outcome=1).feedback == ("A row.",)
    assert session.meters["trust"] == 40
    session.restore(start)
    assert session.choose("fight", outcome=0).feedback == ("It works.",)
    session.restore(start)
    session.meters["trust"] = 49
    assert session.possible_outcomes("fight") == [1]
    with pytest.raises(SessionError, match="outcome 0 of choice 'fight' cannot happen now"):
        session.choose("fight", outcome=0)


def test_response_counts_follow_the_story_and_count_choices_without_one(story):
    session = Session(story, seed=1)
    assert session.response_counts() == {"accept": 0, "fight": 0}
    session.choose("accept")
    session.choose("back")  # no response
    session.choose("fight")
    assert session.response_counts() == {"accept": 1, "fight": 1, None: 1}
    assert list(session.response_counts())[:2] == ["accept", "fight"]


def test_a_save_whose_history_does_not_replay_loads_without_undo(story):
    session = Session(story, seed=3)
    session.choose("accept")
    session.choose("meet")
    data = json.loads(json.dumps(session.to_save()))
    data["history"][0]["choice"] = "fight"  # the record no longer matches what happened
    restored, notes = Session.from_save(story, data)
    assert restored.scene_id == session.scene_id and restored.meters == session.meters
    assert not restored.can_undo and any("cannot be undone" in note for note in notes)


def test_undo_that_cannot_replay_leaves_play_where_it_was(story):
    session = Session(story, seed=3)
    session.choose("accept")
    session.choose("meet")
    where = json.dumps(session.to_save(), sort_keys=True)
    session.history[0] = session.history[0]._replace(choice="nonsense")
    with pytest.raises(SessionError, match="cannot be replayed"):
        session.undo()
    restored = json.loads(json.dumps(session.to_save(), sort_keys=True))
    restored["history"][0]["choice"] = "accept"
    assert json.dumps(restored, sort_keys=True) == where


def test_step_plays_exactly_like_choose_without_recording(story):
    for seed in range(40):
        recorded, unrecorded = Session(story, seed=seed), Session(story, seed=seed)
        rng = random.Random(seed)
        while recorded.state == "playing":
            choice = rng.choice(recorded.offered()).id
            turn = recorded.choose(choice)
            assert unrecorded.step(choice) == list(turn.path)
            assert unrecorded.snapshot()._replace(turns=0) == recorded.snapshot()._replace(turns=0)
        assert unrecorded.history == [] and not unrecorded.can_undo
        assert unrecorded.state == recorded.state


def test_a_snapshot_is_frozen_and_holds_copies(story):
    session = Session(story, seed=5)
    snapshot = session.snapshot()
    session.choose("accept")
    assert snapshot.scene == "hall" and snapshot.turns == 0 and snapshot.meters["trust"] == 50
    with pytest.raises(AttributeError):
        snapshot.scene = "elsewhere"  # type: ignore[misc]
    with pytest.raises(TypeError):
        snapshot.meters["trust"] = 1  # a read-only view


def test_restoring_a_snapshot_restores_the_random_draws_too(story):
    session = Session(story, seed=9)
    before = session.snapshot()
    draws = set()
    for _ in range(20):
        session.restore(before)
        draws.add(session.choose("fight").outcome)
    assert len(draws) == 1  # without the generator restored, 20 draws of two would differ
    assert session.snapshot(include_rng=False).rng is None
    moving = before._replace(rng=None)
    outcomes = set()
    for _ in range(20):
        session.restore(moving)  # leaves the generator where it is: the draws go on
        outcomes.add(session.choose("fight").outcome)
    assert outcomes == {0, 1}
