"""The bundled story, "Balance of Power": it validates, every scene and ending can be reached,
it has the shape the issue asks for, and its numbers follow the article it teaches.

Reachability is checked twice: by an exhaustive search over the story's states (scene, meters,
flags and the visit counts that conditions read), which branches on every offered choice and
every outcome that can apply, and by seeded random play through the real `Session`. The search
steps the story model itself, so that it can branch on each outcome without random draws; a
test checks that it moves exactly as the Session does.

The rules are checked on the real story with the Session, setting meters directly where a
controlled comparison needs it.
"""

from __future__ import annotations

import collections
import random
import re
import statistics
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from engine import Session, check_story, load_story
from engine.story.model import ADD, ENDING, FAIR_DOWN, Story
from engine.story.text import PRONOUN_SETS, Partner, render
from engine.tools.playtester import explore

STORY_PATH = Path(__file__).resolve().parent.parent / "scenes" / "balance_of_power"
RESPONSES = ("accept", "fight", "walk_away")
# The decision points where the partner's refusal meets all three responses, in story order.
DECISIONS = (
    "weekend",
    "open_mic",
    "friends_dinner",
    "family_lunch",
    "money",
    "holiday",
    "night_out",
    "moving_in",
    "new_job",
)
NEUTRAL = {"trust": 50, "security": 50, "self_esteem": 55, "balance": 50}
SEEDS = range(400)


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(STORY_PATH)


# Helpers -------------------------------------------------------------------------------------


def delta(turn, meter: str) -> int:
    """How much a turn moved a meter (0 when the turn did not touch it)."""
    return sum(change.delta for change in turn.changes if change.meter == meter)


def readable_texts(story: Story) -> list[str]:
    """Every piece of text a player can read: head, scenes, choices, feedback, endings."""
    texts = [story.title, story.description or "", story.content_note or "", story.support or ""]
    for scene in story.scenes.values():
        texts += [scene.title or "", scene.text]
        for choice in scene.choices:
            texts += [choice.text, choice.feedback or "", choice.locked or ""]
            texts += [outcome.feedback or "" for outcome in choice.outcomes]
        if scene.ending:
            texts += [scene.ending.title, scene.ending.debrief or "", *scene.ending.questions]
    return [text for text in texts if text]


def distances_to(story: Story, target: str) -> dict[str, int]:
    """How many steps each scene is from `target` in the story's graph (ignoring conditions)."""
    sources: dict[str, list[str]] = collections.defaultdict(list)
    for scene in story.scenes.values():
        for goto in scene.targets():
            sources[goto].append(scene.id)
    distance = {target: 0}
    queue = collections.deque([target])
    while queue:
        here = queue.popleft()
        for source in sources[here]:
            if source not in distance:
                distance[source] = distance[here] + 1
                queue.append(source)
    return distance


def session_at(
    story: Story, target: str, seed: int = 0, meters: dict[str, int] | None = None
) -> Session:
    """A real session that has just arrived at `target`, steering by the story's graph.

    Before every choice the meters are set to `meters` (neutral ones by default), and the
    partner's control (drawn by chance at the spare key) is set off, so that the routers on the
    way take their ordinary branch and the scene is reached in a known state.
    """
    distance = distances_to(story, target)
    session = Session(story, seed=seed)
    for _ in range(100):
        if session.scene_id == target:
            return session
        assert session.state == "playing", f"play ended before reaching {target!r}"
        session.meters.update(meters or NEUTRAL)
        session.flags["controlling"] = False
        choice = min(
            session.offered(), key=lambda c: min(distance.get(goto, 10_000) for goto in c.targets())
        )
        session.choose(choice.id)
    raise AssertionError(f"could not steer to {target!r}")


def restore(
    story: Story,
    data: dict,
    seed: int | None = None,
    meters: dict[str, int] | None = None,
    flags: dict[str, bool] | None = None,
) -> Session:
    """A session restored from saved data, with some meters and flags changed in the data first
    (so the choices on offer are worked out from them), and, given a seed, random draws from a
    generator seeded with it (a save carries its generator's state as [version, state, gauss]).
    """
    data = {
        **data,
        "meters": {**data["meters"], **(meters or {})},
        "flags": {**data["flags"], **(flags or {})},
    }
    if seed is not None:
        version, internal, gauss = random.Random(seed).getstate()
        data["rng"] = [version, list(internal), gauss]
    session, _ = Session.from_save(story, data)
    return session


def choose_response(session: Session, response: str):
    """Choose the one offered choice that carries `response`; returns the turn."""
    offered = [choice for choice in session.offered() if choice.response == response]
    assert len(offered) == 1, f"{len(offered)} choices offer {response!r} in {session.scene_id}"
    return session.choose(offered[0].id)


# The exhaustive search ---------------------------------------------------------------------

# The playtester's own exhaustive search (engine.tools.playtester), meter values merged within
# 11 points: about 85,000 states (a state holds the flags, the count of acceptances that the
# finale reads and the visits that the rules read), under ten seconds, and every choice and
# outcome reached. (Merging keeps the first state seen of each bucket, so a coarser bucket can
# miss an outcome that needs a value it merged away: at 10 points, the lido's grudging yes.)
BUCKET = 11


@pytest.fixture(scope="module")
def exploration(story) -> dict:
    report = explore(story, max_states=2_000_000, bucket=BUCKET)
    assert not report.bound_hit
    return {
        "reached": report.scenes_seen,
        "endings": set(report.endings),
        "problems": [fault.message for fault in report.faults],
        "taken": report.outcomes_seen,
        "always_offered": report.responses_always,
        "states": report.states,
        "broken_rules": [v.rule.name for v in report.violations.values()],
    }


# Validation ----------------------------------------------------------------------------------


def test_story_validates_with_no_errors_and_no_warnings():
    story, diagnostics = check_story(STORY_PATH)
    assert story is not None
    assert [d.headline() for d in diagnostics] == []


def test_head_gives_care_information(story):
    assert story.id == "balance_of_power"
    assert story.start == "start"
    assert story.content_note and len(story.content_note.split()) >= 20
    assert story.partner.pronouns == "they"
    assert set(story.responses) == set(RESPONSES)
    assert set(story.meters) >= {"trust", "security", "self_esteem"}
    for meter in story.meters.values():
        assert (meter.minimum, meter.maximum) == (0, 100)


def test_help_text_is_general_with_no_invented_phone_numbers(story):
    support = story.support or ""
    assert "someone you trust" in support
    assert "doctor" in support
    assert "helpline" in support
    assert not re.search(r"\d{3,}|\d[\d \-]{5,}\d", support), "no phone numbers in the help text"


# Reachability --------------------------------------------------------------------------------


def test_exhaustive_search_reaches_every_scene_and_ending_and_never_gets_stuck(story, exploration):
    assert exploration["problems"] == []
    assert sorted(set(story.scenes) - exploration["reached"]) == []
    assert set(exploration["endings"]) == {scene.id for scene in story.endings()}


def test_exhaustive_search_takes_every_choice_and_every_outcome(story, exploration):
    """No dead text: every choice can be offered and every outcome can happen."""
    every = {
        (scene.id, choice.id, index)
        for scene in story.scenes.values()
        for choice in scene.choices
        for index in (range(len(choice.outcomes)) if choice.outcomes else [None])
    }
    assert sorted(every - exploration["taken"], key=str) == []


PolicyFn = Callable[[Session, tuple, random.Random], object]


def prefer(response: str) -> PolicyFn:
    def policy(session, offered, rng):
        preferred = [c for c in offered if c.response == response]
        return rng.choice(preferred) if preferred and rng.random() < 0.8 else rng.choice(offered)

    return policy


def uniform(session, offered, rng):
    return rng.choice(offered)


POLICIES = {"uniform": uniform, **{f"mostly_{r}": prefer(r) for r in RESPONSES}}


def random_play(story: Story, seeds: Iterable[int], policy: PolicyFn) -> list[Session]:
    sessions = []
    for seed in seeds:
        rng = random.Random(seed)
        session = Session(
            story, seed=seed, partner=Partner("Robin", rng.choice(list(PRONOUN_SETS)))
        )
        for _ in range(200):
            if session.state != "playing":
                break
            session.choose(policy(session, session.offered(), rng).id)
        sessions.append(session)
    return sessions


def test_random_seeded_play_reaches_every_scene_and_ending_and_never_gets_stuck(story):
    visited: set[str] = set()
    endings = collections.Counter()
    for policy in POLICIES.values():
        for session in random_play(story, range(500), policy):
            assert session.state == "ended", session.fault
            visited |= set(session.visits)
            endings[session.scene_id] += 1
    assert sorted(set(story.scenes) - visited) == []
    assert set(endings) == {scene.id for scene in story.endings()}


# Shape ---------------------------------------------------------------------------------------


def decision_points(exploration: dict) -> list[str]:
    """Scenes where accept, fight and walk away are all on offer in every state searched."""
    return sorted(
        scene
        for scene, responses in exploration["always_offered"].items()
        if responses >= set(RESPONSES)
    )


def test_story_has_at_least_thirty_scenes_each_with_a_title(story):
    assert len(story.scenes) >= 30
    assert [scene.id for scene in story.scenes.values() if not scene.title] == []


def test_story_has_at_least_eight_decision_points_offering_all_three_responses(exploration):
    points = decision_points(exploration)
    assert len(points) >= 8
    assert set(DECISIONS) <= set(points)


def test_story_has_at_least_six_thousand_words(story):
    words = sum(len(render(text, story.partner).split()) for text in readable_texts(story))
    assert words >= 6000


def test_every_ending_has_a_debrief_tied_to_the_article_and_three_questions(story):
    endings = story.endings()
    assert len(endings) >= 5
    for scene in endings:
        ending = scene.ending
        assert ending.debrief and len(ending.debrief.split()) >= 80, scene.id
        assert "article" in ending.debrief, scene.id
        assert len(ending.questions) == 3, scene.id
        assert all(question.rstrip().endswith("?") for question in ending.questions), scene.id


def test_the_safety_path_leads_only_to_the_ending_that_shows_help(story):
    """The frightening evening ends in `end_safety`; help is also shown after the two endings
    that show isolation (issue 14: "add help where isolation is shown")."""
    path_scenes = set()
    queue = ["night_out_tense"]
    while queue:
        scene = story.scenes[queue.pop()]
        for goto in scene.targets():
            if goto not in path_scenes:
                path_scenes.add(goto)
                queue.append(goto)
    endings = {s for s in path_scenes if story.scenes[s].kind == ENDING}
    assert endings == {"end_safety"}
    assert story.scenes["end_safety"].ending.support is True
    shows_help = {s.id for s in story.endings() if s.ending.support}
    assert shows_help == {"end_safety", "end_given_up", "end_held_on"}


# Text ----------------------------------------------------------------------------------------

_SINGULAR_WITH_THEY = re.compile(r"\bthey (is|was|has|does|doesn't|wasn't|hasn't)\b", re.I)
_PLURAL_WITH_SHE_HE = re.compile(r"\b(she|he) (are|were|have|do|don't|weren't|haven't)\b", re.I)
# "she rings the studio and ask ...": a second verb of the same subject left without its -s.
_SECOND_VERB = (
    "ask|say|go|take|come|make|look|turn|pack|leave|tell|sit|put|stay|pretend|send|"
    "ring|carry|hold|want|need|give|keep|find|try|get|use|nod|shrug|cook|write|wait"
)
_UNAGREED_SECOND_VERB = re.compile(
    r"\b(she|he) [a-z]+s\b[^.\"]*?\band (" + _SECOND_VERB + r")\b", re.I
)


@pytest.mark.parametrize("pronouns", list(PRONOUN_SETS))
def test_text_renders_cleanly_with_every_pronoun_set(story, pronouns):
    partner = Partner("Robin", pronouns)
    wrong = _SINGULAR_WITH_THEY if pronouns == "they" else _PLURAL_WITH_SHE_HE
    for text in readable_texts(story):
        rendered = render(text, partner)
        assert "{" not in rendered and "}" not in rendered, rendered[:80]
        assert not wrong.search(rendered), wrong.search(rendered).group(0) + ": " + rendered[:80]
        if pronouns != "they":
            second = _UNAGREED_SECOND_VERB.search(" ".join(rendered.split()))
            assert not second, second.group(0)


def test_credits_name_the_article_and_its_three_studies():
    credits = load_story(STORY_PATH).credits
    assert "Managing the Balance of Power in Relationships" in credits
    assert "Holmes" in credits and "Verywell Mind" in credits
    for doi in ("10.1037/pspi0000059", "10.1098/rstb.2010.0157", "10.1891/1946-6560.6.3.298"):
        assert doi in credits


# The article's rules -------------------------------------------------------------------------


ACCEPTANCES_BEFORE = (
    {"gave_in_once": False, "gave_in_twice": False},
    {"gave_in_once": True, "gave_in_twice": False},
    {"gave_in_once": True, "gave_in_twice": True},
)


def acceptance_costs(story: Story, scene: str, how_many_before: int) -> list[int]:
    """The self-esteem an acceptance costs at `scene` after 0, 1, ... earlier acceptances."""
    data = session_at(story, scene).to_save()
    costs = []
    for flags in ACCEPTANCES_BEFORE[: how_many_before + 1]:
        session = restore(story, data, meters=NEUTRAL, flags=flags)
        costs.append(-delta(choose_response(session, "accept"), "self_esteem"))
    return costs


@pytest.mark.parametrize("scene", DECISIONS[2:])
def test_accepting_costs_more_self_esteem_each_time_it_becomes_the_pattern(story, scene):
    first, second, pattern = acceptance_costs(story, scene, 2)
    assert 0 < first < second <= pattern


def test_at_the_second_decision_a_second_acceptance_costs_more_than_a_first(story):
    # Only one acceptance can come before the open mic: the lido.
    first, second = acceptance_costs(story, "open_mic", 1)
    assert 0 < first < second


def test_a_second_acceptance_in_play_lowers_self_esteem_more_than_the_first(story):
    session = Session(story, seed=1)
    session.choose("full_life")
    session.choose("keep_key")
    first = delta(choose_response(session, "accept"), "self_esteem")  # the lido
    second = delta(choose_response(session, "accept"), "self_esteem")  # the open mic
    assert second < first < 0


def test_no_acceptance_is_written_to_raise_trust(story):
    """Issue 14, item 2: accepting raised trust (+3, then +1), so a player who always accepted
    reached the trust at which the partner gives ground. Keeping the peace is not being able
    to count on each other."""
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.response != "accept":
                continue
            effects = [*choice.effects] + [e for o in choice.outcomes for e in o.effects]
            raises = [e for e in effects if e.meter == "trust" and e.kind != "set" and e.amount > 0]
            assert not raises, f"{scene.id}:{choice.id} raises trust"


def test_in_play_an_acceptance_never_raises_trust(story):
    for seed in range(300):
        picker = random.Random(seed)
        session = Session(story, seed=seed)
        while session.state == "playing":
            offered = session.offered()
            choice = offered[picker.randrange(len(offered))]
            turn = session.choose(choice.id)
            if turn.response == "accept":
                assert delta(turn, "trust") <= 0, (seed, turn.scene, turn.choice)


def fight_success_rate(story: Story, scene: str, trust: int, trials: int) -> float:
    data = session_at(story, scene).to_save()
    wins = 0
    for seed in range(trials):
        session = restore(story, data, seed, meters={**NEUTRAL, "trust": trust})
        wins += delta(session.choose("fight"), "trust") > 0  # cooperation won builds trust
    return wins / trials


@pytest.mark.parametrize("scene", DECISIONS)
def test_fighting_succeeds_more_often_at_high_trust_than_at_low_trust(story, scene):
    high = fight_success_rate(story, scene, trust=80, trials=300)
    low = fight_success_rate(story, scene, trust=20, trials=300)
    assert 0 < low < high
    assert high - low > 0.15
    assert high < 1, "fighting stays a risk even with trust"


def walk_away_turns(
    story: Story,
    scene: str,
    security: int,
    self_esteem: int = 60,
    trials: int = 200,
    footing: bool = False,
    trust: int = 50,
) -> list:
    """The turns of `trials` seeded walk-aways at `scene` from the given meters, with or without
    footing outside the relationship (the walk-away on offer, whichever of its forms it is)."""
    data = session_at(story, scene).to_save()
    meters = {**NEUTRAL, "trust": trust, "security": security, "self_esteem": self_esteem}
    turns = []
    for seed in range(trials):
        session = restore(story, data, seed, meters=meters, flags={"footing": footing})
        turns.append(choose_response(session, "walk_away"))
    return turns


def walk_away_cost(story: Story, scene: str, security: int, self_esteem: int = 60, **kw) -> float:
    turns = walk_away_turns(story, scene, security, self_esteem, **kw)
    return statistics.mean(-(delta(t, "security") + delta(t, "self_esteem")) for t in turns)


@pytest.mark.parametrize("scene", DECISIONS)
def test_walking_away_costs_more_at_low_security(story, scene):
    assert walk_away_cost(story, scene, security=25) > walk_away_cost(story, scene, security=75)


@pytest.mark.parametrize("scene", DECISIONS)
def test_walking_away_costs_more_at_low_self_esteem(story, scene):
    low = walk_away_cost(story, scene, security=60, self_esteem=25)
    high = walk_away_cost(story, scene, security=60, self_esteem=75)
    assert low > high


@pytest.mark.parametrize("scene", DECISIONS)
def test_walking_away_while_shaken_mostly_takes_no_power(story, scene):
    """Issue 14, item 3: going alone while shaken (security < 40 or self-esteem < 35, and no
    footing elsewhere) is not wanting less of the relationship, so it mostly takes no power;
    the mixed outcome, drawn one time in four, still gives some."""
    turns = walk_away_turns(story, scene, security=25, self_esteem=25, trials=80)
    took_power = sum(delta(turn, "balance") > 0 for turn in turns)
    assert took_power <= len(turns) * 0.4


@pytest.mark.parametrize("scene", DECISIONS)
def test_walking_away_goes_better_with_footing_outside_the_relationship(story, scene):
    """Issue 14, item 5: friends and a life of your own (the full life, the choir) make a
    walk-away from middling ground go better."""
    # Shaken without footing; and middling, where footing makes the steady outcome possible
    # (at the job, footing matters only to someone shaken: there the "no" holds or it does not).
    for security in (36, 46) if scene != "new_job" else (36,):
        alone = walk_away_cost(story, scene, security=security, self_esteem=42, trials=80)
        with_footing = walk_away_cost(
            story, scene, security=security, self_esteem=42, footing=True, trials=80
        )
        assert with_footing < alone, security


@pytest.mark.parametrize("scene", DECISIONS[:-1])
def test_a_steady_walk_away_sometimes_costs_trust(story, scene):
    """Issue 14, item 3: a secure walk-away cost nothing and the partner always came round."""
    turns = walk_away_turns(story, scene, security=75, self_esteem=75, trust=50, trials=100)
    cost_trust = sum(delta(turn, "trust") < 0 for turn in turns)
    assert 0 < cost_trust < len(turns) / 2
    assert all(delta(turn, "balance") > 0 for turn in turns)


@pytest.mark.parametrize("scene", DECISIONS)
def test_accepting_cedes_power_and_walking_away_takes_it(story, scene):
    data = session_at(story, scene).to_save()
    for seed in range(40):
        session = restore(story, data, seed, meters=NEUTRAL)
        assert delta(choose_response(session, "accept"), "balance") < 0
        session = restore(story, data, seed, meters={**NEUTRAL, "security": 70, "self_esteem": 70})
        assert delta(choose_response(session, "walk_away"), "balance") > 0


def test_partner_yields_where_trust_has_been_built_and_holds_where_it_has_not(story):
    data = session_at(story, "family_lunch").to_save()
    paths = {}
    for trust in (85, 25):
        session = restore(
            story, data, meters={**NEUTRAL, "trust": trust}, flags={"yielded_generously": False}
        )
        paths[trust] = choose_response(session, "accept").path
    assert "partner_yields" in paths[85] and "partner_holds" not in paths[85]
    assert "partner_holds" in paths[25] and "partner_yields" not in paths[25]


def test_partner_sometimes_yields_in_play_and_more_often_with_trust(story):
    sessions = random_play(story, range(600), uniform)
    yielded = [s for s in sessions if s.flags["partner_yielded"]]
    assert 0 < len(yielded) < len(sessions)
    assert statistics.mean(s.meters["trust"] for s in yielded) > statistics.mean(
        s.meters["trust"] for s in sessions if not s.flags["partner_yielded"]
    )


def test_walking_away_from_strength_can_bring_the_partner_round(story):
    data = session_at(story, "holiday").to_save()
    came_round = 0
    for seed in range(200):
        session = restore(
            story,
            data,
            seed,
            meters={"trust": 70, "security": 70, "self_esteem": 70, "balance": 50},
            flags={"partner_yielded": False},
        )
        session.choose("walk_away")
        came_round += session.flags["partner_yielded"]
    assert 0 < came_round < 200


def test_generous_yield_needs_trust_and_says_why_when_locked(story):
    for trust, offered in ((40, False), (75, True)):
        session = session_at(story, "family_lunch", meters={**NEUTRAL, "trust": trust})
        options = {option.choice.id: option for option in session.options}
        assert ("yield_generously" in {c.id for c in session.offered()}) is offered
        assert options["yield_generously"].offered is offered
        if not offered:
            assert "trust" in options["yield_generously"].locked_reason


def test_a_generous_yield_is_not_giving_in(story):
    data = session_at(story, "weekend", meters={**NEUTRAL, "trust": 70}).to_save()

    yielding = restore(story, data)
    turn = yielding.choose("yield_generously")
    assert turn.response is None
    assert delta(turn, "trust") > 0 and delta(turn, "self_esteem") >= 0
    assert yielding.flags["yielded_generously"]
    assert not yielding.flags["gave_in_once"]

    giving_in = restore(story, data)
    turn = choose_response(giving_in, "accept")
    assert turn.response == "accept"
    assert delta(turn, "self_esteem") < 0
    assert giving_in.flags["gave_in_once"] and not giving_in.flags["yielded_generously"]

    # The next acceptance after a generous yield still costs what a first one costs.
    after_yield = choose_response(yielding, "accept")
    after_giving_in = choose_response(giving_in, "accept")
    assert after_yield.choice == "accept" and after_giving_in.choice == "accept_again"
    assert delta(after_yield, "self_esteem") > delta(after_giving_in, "self_esteem")


def test_every_generous_yield_is_gated_by_trust(story):
    yields = [
        (scene.id, choice)
        for scene in story.scenes.values()
        for choice in scene.choices
        if choice.id == "yield_generously"
    ]
    assert len(yields) >= 4
    for scene_id, choice in yields:
        if scene_id == "new_job_asked":  # reached only with trust of 65 or more
            continue
        assert choice.condition is not None and "trust" in choice.condition.source, scene_id
        assert choice.locked, scene_id


def test_small_trustworthy_acts_build_trust(story):
    session = Session(story, seed=2)
    session.choose("some_life")
    assert delta(session.choose("give_key"), "trust") > 0
    session = session_at(story, "bad_week")
    assert delta(session.choose("bring_dinner"), "trust") > 0


def test_power_moving_both_ways_is_the_ending_of_mutual_generosity(story):
    """The good ending needs both partners to have given ground; giving in cannot reach it."""
    route = story.scenes["finale"].routes
    both_ways = next(r for r in route if r.goto == "end_both_ways").condition.source
    for needed in ("partner_yielded", "yielded_generously", "not final_gave_in", "trust"):
        assert needed in both_ways
    endings = collections.Counter(s.scene_id for s in random_play(story, SEEDS, prefer("accept")))
    assert endings.most_common(1)[0][0] == "end_given_up"
    assert endings["end_both_ways"] < len(SEEDS) * 0.05


# The second draft (issue 14) ---------------------------------------------------------------


def only(response: str) -> PolicyFn:
    """Always the choice with `response` when one is offered; otherwise any choice."""

    def policy(session, offered, rng):
        preferred = [c for c in offered if c.response == response]
        return preferred[0] if preferred else rng.choice(offered)

    return policy


def test_the_story_states_its_rules_and_every_ending_its_expectation(story):
    assert {rule.name for rule in story.invariants} >= {
        "accept_tiers_follow_acceptances",
        "fear_comes_from_the_partner",
        "losses_never_pin_self_esteem_or_balance",
    }
    assert all(scene.ending.expect is not None for scene in story.endings())


def test_every_rule_and_every_endings_expectation_holds_on_every_path_found(exploration):
    assert exploration["broken_rules"] == []


def test_every_rule_holds_in_random_play_by_every_policy(story):
    from engine.tools.playtester import random_runs

    assert not random_runs(story, 1500, seed=7).violations


def test_the_partners_control_is_drawn_by_chance_whatever_the_player_chooses(story):
    """Issue 14, item 1: the safety path was switched on by the player's own failed fights.
    Now it is drawn at the spare key, one time in eight, the same for a seed whatever the player
    chose before or chooses there."""
    drawn = 0
    for seed in range(240):
        outcomes = set()
        for life in ("full_life", "some_life", "thin_life"):
            for key in ("give_key", "keep_key"):
                session = Session(story, seed=seed)
                session.choose(life)
                session.choose(key)
                outcomes.add(session.flags["controlling"])
        assert len(outcomes) == 1, seed
        drawn += outcomes.pop()
    assert 15 < drawn < 50  # one in eight of 240 is 30


def test_the_safety_path_is_reachable_by_a_player_who_only_ever_accepts(story):
    endings = collections.Counter(s.scene_id for s in random_play(story, SEEDS, only("accept")))
    assert endings["end_safety"] > 0
    assert endings["end_given_up"] > endings["end_safety"]


def test_the_frightening_evening_is_not_scored_and_not_counted_as_a_response(story):
    """Issue 14, item 1: a safety situation is not a balance exercise."""
    for scene_id in ("first_sign", "night_out_tense", "afraid", "safety_talk", "safety_pause"):
        for choice in story.scenes[scene_id].choices:
            assert choice.response is None, (scene_id, choice.id)
            assert not choice.effects and not choice.outcomes, (scene_id, choice.id)
    for session in random_play(story, range(300), only("fight")):
        if session.scene_id != "end_safety":
            continue
        tense = next(t for t in session.history if t.scene == "night_out_tense")
        assert tense.response is None and not tense.changes
        # Six decisions come before the leaving drinks; none after it is counted.
        assert session.counts.get("chosen:fight", 0) == 6


def test_lashing_out_is_always_a_choice_the_player_makes(story):
    """Issue 14, care: lash-outs were drawn at random after the player chose a calm line."""
    lash_outs = 0
    for scene in story.scenes.values():
        for choice in scene.choices:
            for outcome in choice.outcomes:
                assert not dict(outcome.sets).get("bitter"), (scene.id, choice.id)
            if dict(choice.sets).get("bitter"):
                lash_outs += 1
                assert choice.id == "lash_out" and choice.response == "fight"
                assert "balance < 40" in choice.condition.source
    assert lash_outs >= 6


def test_losses_of_self_esteem_and_balance_are_fair_math(story):
    """Issue 14, item 7: flat losses pinned the meters at 0 and hid the growing cost."""
    for scene in story.scenes.values():
        for choice in scene.choices:
            effects = [*choice.effects] + [e for o in choice.outcomes for e in o.effects]
            for effect in effects:
                if effect.meter in ("self_esteem", "balance") and choice.response:
                    gain = effect.kind == ADD and effect.amount > 0
                    assert effect.kind == FAIR_DOWN or gain, (scene.id, choice.id)


def test_over_many_seeds_a_second_acceptance_costs_more_self_esteem_than_the_first(story):
    compared = 0
    for session in random_play(story, range(400), prefer("accept")):
        costs = [-delta(t, "self_esteem") for t in session.history if t.response == "accept"]
        if len(costs) >= 2:
            compared += 1
            assert 0 < costs[0] < costs[1], costs
    assert compared > 300


def test_the_player_holds_the_power_once_and_can_come_to_hold_too_much(story, exploration):
    """Issue 14, item 6: the partner asks, and the player's plain "no" settles it."""
    ask = story.scenes["their_ask"]
    assert {c.id for c in ask.choices} == {"go_gladly", "keep_waiting", "say_no"}
    data = session_at(story, "their_ask").to_save()
    balance = {c.id: delta(restore(story, data).choose(c.id), "balance") for c in ask.choices}
    assert balance["say_no"] > 0 and balance["keep_waiting"] > 0 > balance["go_gladly"]
    assert "end_holding_all" in exploration["endings"]


def test_endings_follow_the_path_as_well_as_the_meters(story):
    """Issue 14, item 4: "Small enough to fit" was reached by players who mostly fought."""
    for policy in (prefer("fight"), prefer("walk_away"), uniform):
        for session in random_play(story, range(300), policy):
            if session.scene_id == "end_given_up":
                assert session.counts.get("chosen:accept", 0) >= 5
            if session.scene_id == "end_right_separation":
                assert session.flags["footing"] or session.meters["security"] >= 30
