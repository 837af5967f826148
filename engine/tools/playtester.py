"""Automated playtests: seeded random playthroughs, and an exhaustive walk over distinct states.

Both drive the real Session. A random run with seed S picks among the offered choices with its
own generator seeded S, and plays the session with seed S too, so any run replays exactly with
`python main.py play STORY --text --seed S --choices ...`. The exhaustive walk visits every
distinct state (scene, meters, flags, the counts conditions read) reachable from the start,
taking every choice and every possible outcome, breadth first, so the first path found to an
ending is a shortest one; it stops at a bound and says so.

Both check the author's rules on every path: the head's `invariants` after every turn, and an
ending's `expect` whenever it is reached. Each rule broken is reported once, with the shortest
path found that breaks it (the first, breadth first, in the exhaustive walk) and the meters
there, as a `play` command that replays it.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from engine.play.flow import ENDED, PLAYING, STUCK, Flow
from engine.play.session import Session
from engine.play.snapshot import Snapshot
from engine.story.collector import gc_paused
from engine.story.conditions import TURNS_KEY, Condition, chosen_key, count_turn, path_keys
from engine.story.lint import word_count
from engine.story.model import ROUTER, Story

MAX_STEPS = 10_000  # a random run longer than this is stopped and reported
GC_BATCH = 200  # random runs played with the garbage collector paused
SEED_SEARCH = 20_000  # seeds tried to find one that replays an exhaustive path's outcomes

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Path:
    """Choices that lead somewhere, replayable with `play --seed SEED --choices ...`."""

    choices: tuple[str, ...]
    seed: int | None  # None when no seed was found that draws the needed outcomes

    def command(self, story_path: str) -> str:
        seed = f" --seed {self.seed}" if self.seed is not None else ""
        choices = f" --choices {','.join(self.choices)}" if self.choices else ""
        return f"python main.py play {story_path} --text{seed}{choices}"


@dataclass(slots=True)
class Fault:
    """A state where the story got stuck: no choice offered, no route or outcome applies."""

    message: str
    scene: str
    path: Path


@dataclass(slots=True)
class Rule:
    """One of the author's rules: an invariant (after every turn) or an ending's `expect`."""

    key: str  # "invariant:NAME" or "expect:ENDING"
    label: str  # how reports name it
    condition: Condition


@dataclass(slots=True)
class Violation:
    """A rule broken: the shortest path found that breaks it, the scene and meters there, and
    how many runs (random) or states (exhaustive) broke it."""

    rule: Rule
    scene: str
    meters: dict[str, int]
    path: Path
    count: int = 1


def story_rules(story: Story) -> tuple[tuple[Rule, ...], dict[str, Rule]]:
    """The story's invariants, and its endings' expectations by ending id."""
    invariants = tuple(
        Rule(f"invariant:{inv.name}", f"invariant '{inv.name}'", inv.check)
        for inv in story.invariants
    )
    expects = {
        scene.id: Rule(f"expect:{scene.id}", f"expect of ending '{scene.id}'", scene.ending.expect)
        for scene in story.endings()
        if scene.ending is not None and scene.ending.expect is not None
    }
    return invariants, expects


def broken_rules(
    invariants: tuple[Rule, ...],
    expects: Mapping[str, Rule],
    scene: str,
    flow: Flow,
    meters: Mapping[str, int],
    flags: Mapping[str, bool],
    counts: Mapping[str, int],
) -> list[Rule]:
    """The rules that do not hold in a state reached by a turn."""
    broken = [rule for rule in invariants if not rule.condition(meters, flags, counts)]
    if flow == ENDED:
        expect = expects.get(scene)
        if expect is not None and not expect.condition(meters, flags, counts):
            broken.append(expect)
    return broken


@dataclass(slots=True)
class EndingStats:
    count: int = 0
    meters: dict[str, list[int]] = field(default_factory=dict)  # meter -> [lowest, highest]
    shortest: Path | None = None
    # response -> [lowest, highest] share of the path's choices that carried it (0..1)
    shares: dict[str, list[float]] = field(default_factory=dict)

    def record(
        self,
        meters: Mapping[str, int],
        path: Path | None,
        counts: Mapping[str, int] | None = None,
        responses: Iterable[str] = (),
    ) -> None:
        self.count += 1
        for name, value in meters.items():
            span = self.meters.setdefault(name, [value, value])
            span[0], span[1] = min(span[0], value), max(span[1], value)
        turns = counts.get(TURNS_KEY, 0) if counts is not None else 0
        if turns:
            for response in responses:
                share = counts.get(chosen_key(response), 0) / turns
                span = self.shares.setdefault(response, [share, share])
                span[0], span[1] = min(span[0], share), max(span[1], share)
        if path is not None and (
            self.shortest is None or len(path.choices) < len(self.shortest.choices)
        ):
            self.shortest = path


@dataclass(slots=True)
class Report:
    """What a playtest found; `coverage` and `to_json` summarise it."""

    story: Story
    mode: str  # "random" or "exhaustive"
    runs: int = 0
    seconds: float = 0.0
    choices_made: int = 0
    scenes_seen: set[str] = field(default_factory=set)
    choices_seen: set[tuple[str, str]] = field(default_factory=set)
    endings: dict[str, EndingStats] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    long_runs: list[Path] = field(default_factory=list)  # random runs stopped at MAX_STEPS
    states: int = 0  # exhaustive: distinct states explored
    bound_hit: bool = False
    bucket: int = 1  # exhaustive: meter values within this many points counted as one state
    outcomes_seen: set[tuple[str, str, int | None]] = field(default_factory=set)
    # exhaustive: per scene, the responses offered in every state it was reached in
    responses_always: dict[str, set[str | None]] = field(default_factory=dict)
    violations: dict[str, Violation] = field(default_factory=dict)  # by rule key, in order found
    words: list[int] = field(default_factory=list)  # random: the words each run had to read

    def violate(self, rule: Rule, scene: str, meters: Mapping[str, int], path) -> None:
        """Note a rule broken; `path` is the path there, or a function that makes it (called
        only when this one is the first found or shorter)."""
        found = self.violations.get(rule.key)
        if found is not None:
            found.count += 1
            if not callable(path) and len(path.choices) < len(found.path.choices):
                found.path, found.scene, found.meters = path, scene, dict(meters)
            return
        self.violations[rule.key] = Violation(
            rule, scene, dict(meters), path() if callable(path) else path
        )

    def all_choices(self) -> list[tuple[str, str]]:
        return [
            (scene.id, choice.id)
            for scene in self.story.scenes.values()
            for choice in scene.choices
        ]

    def unvisited_scenes(self) -> list[str]:
        return [scene_id for scene_id in self.story.scenes if scene_id not in self.scenes_seen]

    def unmade_choices(self) -> list[tuple[str, str]]:
        return [pair for pair in self.all_choices() if pair not in self.choices_seen]

    def coverage(self) -> float:
        """The share of scenes and choices reached, as one figure in 0..1."""
        total = len(self.story.scenes) + len(self.all_choices())
        reached = (
            len(self.story.scenes)
            - len(self.unvisited_scenes())
            + len(self.all_choices())
            - len(self.unmade_choices())
        )
        return reached / total if total else 1.0

    def to_json(self, story_path: str) -> dict:
        total_choices = len(self.all_choices())
        return {
            "story": story_path,
            "mode": self.mode,
            "runs": self.runs,
            "seconds": round(self.seconds, 3),
            "states": self.states,
            "bound_hit": self.bound_hit,
            "bucket": self.bucket,
            "scenes": {
                "total": len(self.story.scenes),
                "visited": len(self.scenes_seen),
                "unvisited": self.unvisited_scenes(),
            },
            "choices": {
                "total": total_choices,
                "made": total_choices - len(self.unmade_choices()),
                "unmade": [f"{s}:{c}" for s, c in self.unmade_choices()],
            },
            "choices_made": self.choices_made,
            "coverage": round(self.coverage(), 4),
            "endings": {ending: stats.count for ending, stats in self.endings.items()},
            "ending_meters": {ending: stats.meters for ending, stats in self.endings.items()},
            "ending_shares": {
                ending: {r: [round(lo, 4), round(hi, 4)] for r, (lo, hi) in stats.shares.items()}
                for ending, stats in self.endings.items()
            },
            "shortest": {
                ending: {
                    "choices": list(stats.shortest.choices),
                    "seed": stats.shortest.seed,
                    "command": stats.shortest.command(story_path),
                }
                for ending, stats in self.endings.items()
                if stats.shortest
            },
            "never_reached_endings": [
                scene.id for scene in self.story.endings() if scene.id not in self.endings
            ],
            "faults": [
                {
                    "message": fault.message,
                    "scene": fault.scene,
                    "choices": list(fault.path.choices),
                    "seed": fault.path.seed,
                    "command": fault.path.command(story_path),
                }
                for fault in self.faults
            ],
            "long_runs": [path.command(story_path) for path in self.long_runs],
            "words": reading_summary(self.words),
            "violations": [
                {
                    "rule": v.rule.label,
                    "kind": v.rule.key.split(":", 1)[0],
                    "name": v.rule.key.split(":", 1)[1],
                    "condition": v.rule.condition.source,
                    "count": v.count,
                    "scene": v.scene,
                    "meters": v.meters,
                    "choices": list(v.path.choices),
                    "seed": v.path.seed,
                    "command": v.path.command(story_path),
                }
                for v in self.violations.values()
            ],
        }


class ReadingCost:
    """What a player reads, in words: the content note, each scene's text when it is entered
    (an ending's with its title, debrief, questions and, where it shows it, the help text),
    every choice a decision lists, and the feedback of the choice made and of its outcome.
    Counted per run from tables made once."""

    def __init__(self, story: Story) -> None:
        self.before = word_count(story.content_note)  # read before the first scene
        self.scenes: dict[str, int] = {}
        self.choices: dict[tuple[str, str], tuple[int, tuple[int, ...]]] = {}
        for scene in story.scenes.values():
            words = 0 if scene.kind == ROUTER else word_count(scene.text)
            if scene.ending is not None:
                ending = scene.ending
                words += word_count(ending.title) + word_count(ending.debrief)
                words += sum(word_count(question) for question in ending.questions)
                words += word_count(story.support) if ending.support else 0
            words += sum(word_count(choice.text) for choice in scene.choices)
            self.scenes[scene.id] = words
            for choice in scene.choices:
                self.choices[(scene.id, choice.id)] = (
                    word_count(choice.feedback),
                    tuple(word_count(outcome.feedback) for outcome in choice.outcomes),
                )

    def entered(self, scenes: Iterable[str]) -> int:
        return sum(self.scenes[scene] for scene in scenes)

    def chosen(self, scene: str, choice: str, outcome: int | None) -> int:
        own, outcomes = self.choices[(scene, choice)]
        return own + (outcomes[outcome] if outcome is not None and outcome >= 0 else 0)


def reading_summary(words: list[int]) -> dict | None:
    """The median and the 10th and 90th percentiles of the words read a run, or None."""
    if not words:
        return None
    ordered = sorted(words)
    at = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return {"median": int(statistics.median(ordered)), "p10": at(0.1), "p90": at(0.9)}


def random_runs(
    story: Story,
    runs: int,
    seed: int = 0,
    progress: Progress | None = None,
    max_steps: int = MAX_STEPS,
) -> Report:
    """Play `runs` seeded random playthroughs (seeds seed, seed + 1, ...)."""
    report = Report(story, "random")
    started = time.perf_counter()
    reading, rules = ReadingCost(story), story_rules(story)  # made once for every batch
    for first in range(0, runs, GC_BATCH):
        # Runs allocate many small records and no lasting cycles: the collector is paused for a
        # batch and catches up between batches, so memory stays flat (docs/performance.md).
        with gc_paused():
            _random_batch(
                story,
                report,
                reading,
                rules,
                range(first, min(runs, first + GC_BATCH)),
                runs,
                seed,
                progress,
                max_steps,
            )
    report.runs = runs
    report.seconds = time.perf_counter() - started
    return report


def _random_batch(
    story: Story,
    report: Report,
    reading: ReadingCost,
    rules: tuple[tuple[Rule, ...], dict[str, Rule]],
    batch: range,
    runs: int,
    seed: int,
    progress: Progress | None,
    max_steps: int,
) -> None:
    scenes_seen, choices_seen = report.scenes_seen, report.choices_seen
    invariants, expects = rules
    checking = bool(invariants or expects)
    for run in batch:
        run_seed = seed + run
        picker = random.Random(run_seed)
        session = Session(story, seed=run_seed)
        entered = session.visits  # the start, and the routers it leads through
        scenes_seen.update(entered)
        read = reading.before + reading.entered(entered)
        chosen: list[str] = []
        broken_in_run: set[str] = set()
        if checking and session.state == ENDED:  # the start routes straight to an ending
            for rule in broken_rules((), expects, *_values(session)):
                report.violate(rule, session.scene_id, session.meters, Path((), run_seed))
        while session.state == PLAYING and len(chosen) < max_steps:
            offered = session.offered()
            choice_id = (
                offered[picker.randrange(len(offered))].id if len(offered) > 1 else offered[0].id
            )
            scene = session.scene_id
            choices_seen.add((scene, choice_id))
            entered = session.step(choice_id)  # unrecorded: the run is replayable
            scenes_seen.update(entered)
            read += reading.chosen(scene, choice_id, session.last_outcome)
            read += reading.entered(entered)
            chosen.append(choice_id)
            if checking:
                _check_run(report, session, invariants, expects, chosen, run_seed, broken_in_run)
        report.choices_made += len(chosen)
        report.words.append(read)
        _finish_run(report, session, Path(tuple(chosen), run_seed))
        if progress is not None:
            progress(run + 1, runs)


def _check_run(
    report: Report,
    session: Session,
    invariants: tuple[Rule, ...],
    expects: Mapping[str, Rule],
    chosen: list[str],
    run_seed: int,
    broken_in_run: set[str],
) -> None:
    """Check the rules after a turn of a random run; a rule counts once a run, at the first
    turn that breaks it."""
    broken = broken_rules(
        invariants,
        expects,
        session.scene_id,
        session.state,
        session.meters,
        session.flags,
        session.counts,
    )
    for rule in broken:
        if rule.key not in broken_in_run:
            broken_in_run.add(rule.key)
            report.violate(rule, session.scene_id, session.meters, Path(tuple(chosen), run_seed))


def _finish_run(report: Report, session: Session, path: Path) -> None:
    if session.state == ENDED:
        stats = report.endings.setdefault(session.scene_id, EndingStats())
        stats.record(session.meters, path, session.counts, session.story.responses)
    elif session.state == STUCK:
        if not any(fault.message == session.fault for fault in report.faults):
            report.faults.append(Fault(session.fault or "", session.scene_id, path))
    else:
        report.long_runs.append(path)


def explore(
    story: Story, max_states: int = 200_000, progress: Progress | None = None, bucket: int = 1
) -> Report:
    """Visit every distinct state reachable from the start, breadth first, up to a bound.

    A state is what decides the future: the scene, the flow, every meter and flag, and the visit
    counts of the scenes that some condition asks about with visited(). States are kept as small
    tuples with a link to the state they came from, so paths are rebuilt only when needed.
    With `bucket` above 1, meter values within the same band of `bucket` points count as one
    state (the first one reached goes on): far fewer states, for stories whose meters take many
    values, at the cost of exactness; every path it reports is still a real one.
    """
    report = Report(story, "exhaustive", bucket=max(1, bucket))
    started = time.perf_counter()
    invariants, expects = story_rules(story)
    checking = bool(invariants or expects)
    shape = _StateShape(story, bucket)
    session = Session(story, seed=0)
    start = session.snapshot(include_rng=False)
    start_key = shape.key(start)
    # key -> (parent key, (choice, outcome), the choice's response): paths, and their tallies
    parents: dict[tuple, tuple | None] = {start_key: None}
    positions: dict[tuple, Snapshot] = {start_key: start} if bucket > 1 else {}
    queue: deque[tuple] = deque([start_key])
    seeds = SeedSearch(story)
    report.scenes_seen.update(start.visits)
    _note_end(report, start, lambda: (), story, {})
    if checking:  # an ending reached before any choice (the start routes to it) has its expect
        for rule in broken_rules((), expects, *_values(start)):
            report.violate(rule, start.scene, start.meters, Path((), 0))
    while queue:
        key = queue.popleft()
        # Exact keys hold the whole state; merged ones keep the real position they stand for.
        position = positions.pop(key) if bucket > 1 else shape.position(key)
        if position.flow != PLAYING:
            continue
        session.restore(position)
        offered = session.offered()
        responses = {choice.response for choice in offered}
        always = report.responses_always.setdefault(position.scene, responses)
        always &= responses
        moves = [
            (choice, outcome)
            for choice in offered
            for outcome in (session.possible_outcomes(choice.id) if choice.outcomes else [None])
            or [None]
        ]
        at_position = True
        for choice, outcome in moves:
            report.choices_seen.add((position.scene, choice.id))
            report.outcomes_seen.add((position.scene, choice.id, outcome))
            if not at_position:
                session.restore(position)
            at_position = False
            turn = session.choose(choice.id, outcome)
            session.history.clear()
            report.choices_made += 1
            report.scenes_seen.update(turn.path)
            after_key = shape.key_of(session)
            seen = after_key in parents
            if checking and (not seen or bucket > 1):
                # Exact: a state seen before breaks the same rules. Merged: it may not.
                step = (choice.id, outcome)
                for rule in broken_rules(invariants, expects, *_values(session)):
                    report.violate(
                        rule,
                        session.scene_id,
                        session.meters,
                        lambda k=key, s=step: seeds.path(_path_to(parents, k) + (s,)),
                    )
            if seen:
                continue
            after = session.snapshot(include_rng=False)  # only for a state not seen before
            parents[after_key] = (key, (choice.id, outcome), choice.response)
            if bucket > 1:
                positions[after_key] = after
            if after.flow != PLAYING:
                _note_end(
                    report,
                    after,
                    lambda k=after_key: _path_to(parents, k),
                    story,
                    _tallies(parents, after_key),
                    seeds,
                )
            if len(parents) >= max_states:
                report.bound_hit = True
                queue.clear()
                break
            queue.append(after_key)
        if progress is not None:
            progress(len(parents), max_states)
    report.states = len(parents)
    report.runs = 1
    report.seconds = time.perf_counter() - started
    return report


def _values(at: Session | Snapshot) -> tuple:
    """What `broken_rules` reads of a session or a snapshot: scene, flow, meters, flags and
    counts."""
    if isinstance(at, Session):
        return at.scene_id, at.state, at.meters, at.flags, at.counts
    return at.scene, at.flow, at.meters, at.flags, at.visits


def _tallies(parents: dict, key: tuple) -> dict[str, int]:
    """The path's tallies (turns, choices by response) of the first path to a state, counted
    along its links: an exact state's key keeps only the counts some condition reads."""
    counts: dict[str, int] = {}
    link = parents[key]
    while link is not None:
        key, _step, response = link
        count_turn(counts, response)
        link = parents[key]
    return counts


class _StateShape:
    """Turns positions into compact hashable keys and back."""

    def __init__(self, story: Story, bucket: int = 1):
        self.meters = list(story.meters)
        self.flags = list(story.flags)
        self.visits = sorted(counted_keys(story))
        self.bucket = max(1, bucket)

    def key(self, position: Snapshot) -> tuple:
        """The key of a snapshot's state."""
        return self._key(
            position.scene, position.flow, position.meters, position.flags, position.visits
        )

    def key_of(self, session: Session) -> tuple:
        """The key of the state a session stands in, read from it directly (cheaper than
        taking a snapshot, for the many moves that lead to a state already seen)."""
        return self._key(
            session.scene_id, session.state, session.meters, session.flags, session.counts
        )

    def _key(
        self,
        scene: str,
        flow: Flow,
        meters: Mapping[str, int],
        flags: Mapping[str, bool],
        visits: Mapping[str, int],
    ) -> tuple:
        bucket = self.bucket
        return (
            scene,
            flow,
            tuple([meters[name] // bucket for name in self.meters]),
            tuple([flags[name] for name in self.flags]),
            tuple([visits.get(name, 0) for name in self.visits]),
        )

    def position(self, key: tuple) -> Snapshot:
        scene, flow, meters, flags, visits = key
        return Snapshot(
            scene,
            flow,
            None,
            MappingProxyType(dict(zip(self.meters, meters, strict=True))),
            MappingProxyType(dict(zip(self.flags, flags, strict=True))),
            MappingProxyType(dict(zip(self.visits, visits, strict=True))),
            rng=None,
            turns=0,
        )


def counted_keys(story: Story) -> set[str]:
    """Every count some condition reads (the rules' too): the scenes asked about with
    visited(), and the tallies of chosen() and turns(). They are part of a state."""
    found: set[str] = set()
    conditions: list[Condition | None] = [inv.check for inv in story.invariants]
    for scene in story.scenes.values():
        conditions += [choice.condition for choice in scene.choices]
        conditions += [o.condition for choice in scene.choices for o in choice.outcomes]
        conditions += [route.condition for route in scene.routes]
        if scene.ending is not None:
            conditions.append(scene.ending.expect)
    for condition in conditions:
        if condition is not None:
            found |= path_keys(condition.tree)
    return found


def _path_to(parents: dict, key: tuple) -> tuple:
    steps = []
    link = parents[key]
    while link is not None:
        key, step, _response = link
        steps.append(step)
        link = parents[key]
    return tuple(reversed(steps))


def _note_end(
    report: Report,
    position: Snapshot,
    steps: Callable[[], tuple],
    story: Story,
    counts: Mapping[str, int],
    seeds: SeedSearch | None = None,
) -> None:
    find = seeds.path if seeds is not None else (lambda found: replayable(story, found))
    if position.flow == ENDED:
        stats = report.endings.setdefault(position.scene, EndingStats())
        shortest = None if stats.shortest is not None else find(steps())
        stats.record(position.meters, shortest, counts, story.responses)
    elif position.flow == STUCK and not any(
        fault.message == position.fault for fault in report.faults
    ):
        report.faults.append(Fault(position.fault or "", position.scene, find(steps())))


class SeedSearch:
    """Finds seeds for the exhaustive walk's paths (`replayable`) within one budget of tries
    for the whole walk, so that a story with many rules broken in many places stays quick;
    once it is spent, paths are reported without a seed."""

    BUDGET = 5 * SEED_SEARCH

    def __init__(self, story: Story) -> None:
        self.story = story
        self.left = self.BUDGET

    def path(self, steps: tuple[tuple[str, int | None], ...]) -> Path:
        tries = min(SEED_SEARCH, self.left)
        path, used = _replayable(self.story, steps, tries)
        self.left -= used
        return path


def replayable(story: Story, steps: tuple[tuple[str, int | None], ...]) -> Path:
    """The choices of an explored path, with a seed whose draws give the same outcomes."""
    return _replayable(story, steps, SEED_SEARCH)[0]


def _replayable(
    story: Story, steps: tuple[tuple[str, int | None], ...], tries: int
) -> tuple[Path, int]:
    """`replayable` trying at most `tries` seeds; also returns how many it tried."""
    choices = tuple(choice for choice, _ in steps)
    if all(outcome is None for _, outcome in steps):
        return Path(choices, 0), 0
    for seed in range(tries):
        session = Session(story, seed=seed)
        for choice, outcome in steps:
            if session.state != PLAYING or choice not in {c.id for c in session.offered()}:
                break
            if session.choose(choice).outcome != outcome:
                break
        else:
            return Path(choices, seed), seed + 1
    return Path(choices, None), tries
