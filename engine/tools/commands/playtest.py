"""Playtest a story: random seeded playthroughs, or every distinct state (--exhaustive).

Reports scenes and choices never reached, each ending with how often it was reached and the
meter ranges seen there, the shortest choice path to each ending (as a `play` command that
replays it), run-time faults (states where the story gets stuck), and the author's rules
broken: an invariant false after a turn, or an ending reached where its `expect` is false,
each once with the shortest path found. Exits 1 when it finds a fault or a broken rule.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from engine.paths import BUNDLED_STORY
from engine.tools.inputs import load_or_report
from engine.tools.playtester import Report, explore, random_runs, reading_summary

NO_SEED = "no seed was found that draws the same outcomes: replaying may take another branch"
READING_SPEED = 200  # words a minute: a careful reader of a story, a teenager in class
MAX_RUNS = 10_000_000  # tens of minutes on the bundled story at the playtester's usual speed
MAX_STATES = 50_000_000  # several GB of states: beyond it the search would not fit in memory

DESCRIPTION = __doc__  # shown by `main.py COMMAND --help`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "story", nargs="?", default=None, help="a story file or folder (default: the bundled story)"
    )
    parser.add_argument("--runs", type=int, default=1000, help="random playthroughs (1000)")
    parser.add_argument("--seed", type=int, default=0, help="the first run's seed (0)")
    parser.add_argument(
        "--exhaustive",
        action="store_true",
        help="explore every distinct state instead of random runs",
    )
    parser.add_argument(
        "--max-states",
        type=int,
        default=200_000,
        help="the bound on states explored with --exhaustive (200000)",
    )
    parser.add_argument(
        "--bucket",
        type=int,
        default=1,
        metavar="N",
        help="with --exhaustive: count meter values within N points as one "
        "state (fewer states, less exact; default 1, exact)",
    )
    parser.add_argument(
        "--endings",
        action="store_true",
        help="for each ending, also its share of the runs and the range of each response's "
        "share of the paths that reached it",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when the terminal is interactive)",
    )


def run(args: argparse.Namespace) -> int:
    if args.runs < 1 or args.max_states < 1 or args.bucket < 1:
        print("error: --runs, --max-states and --bucket must be at least 1", file=sys.stderr)
        return 2
    if args.runs > MAX_RUNS or args.max_states > MAX_STATES:
        print(
            f"error: --runs goes up to {MAX_RUNS:,} and --max-states to {MAX_STATES:,} (more "
            "would run for hours; split the work, or use --exhaustive with --bucket)",
            file=sys.stderr,
        )
        return 2
    args.story = args.story or str(BUNDLED_STORY)
    story = load_or_report(args.story)
    if story is None:
        return 1
    show = sys.stderr.isatty() if args.progress is None else args.progress
    bar = ProgressBar("states" if args.exhaustive else "runs") if show else None
    if args.exhaustive:
        report = explore(story, args.max_states, bar, args.bucket)
    else:
        report = random_runs(story, args.runs, args.seed, bar)
    if bar is not None:
        bar.done()
    if args.json:
        print(json.dumps(report.to_json(args.story), indent=2, ensure_ascii=False))
    else:
        print(format_report(report, args.story, args.endings))
    return 1 if report.faults or report.violations else 0


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}" + ("" if number == 1 else "s")


def _some(items: list[str], most: int = 20) -> str:
    """The first `most` items, and how many more there are (--json lists them all)."""
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most:,} more (see --json)" if len(items) > most else "")


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, unit: str):
        self.unit = unit
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {done:,}/{total:,} {self.unit}")
        sys.stderr.flush()
        self.drawn = True

    def done(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")


def format_report(report: Report, story_path: str, endings: bool = False) -> str:
    story = report.story
    lines = []
    if report.mode == "random":
        rate = report.choices_made / report.seconds if report.seconds else 0
        lines.append(
            f"playtest of {story_path}: {report.runs:,} random runs, "
            f"{report.choices_made:,} choices in {report.seconds:.2f} s "
            f"({rate:,.0f} choices/s)"
        )
    else:
        merged = f" (meters merged within {report.bucket} points)" if report.bucket > 1 else ""
        lines.append(
            f"playtest of {story_path}: exhaustive, {report.states:,} distinct states"
            f"{merged}, {report.choices_made:,} choices in {report.seconds:.2f} s"
        )
        if report.bound_hit:
            lines.append(
                f"note: stopped at the bound of {report.states:,} states; the results "
                "cover only part of the story (raise --max-states)"
            )
    total_scenes = len(story.scenes)
    total_choices = len(report.all_choices())
    unvisited = report.unvisited_scenes()
    unmade = report.unmade_choices()
    lines.append(
        f"coverage: {report.coverage():.1%} (scenes {total_scenes - len(unvisited)}"
        f"/{total_scenes}, choices {total_choices - len(unmade)}/{total_choices})"
    )
    reading = reading_summary(report.words)
    if reading is not None:
        minutes = reading["median"] / READING_SPEED
        duration = f"about {minutes:.0f} minutes" if minutes >= 1 else "under a minute"
        lines.append(
            f"reading: {reading['median']:,} words a playthrough at the median "
            f"(a tenth of the runs under {reading['p10']:,}, a tenth over {reading['p90']:,}), "
            f"{duration} at {READING_SPEED} words a minute"
        )
    lines.append("endings:")
    for scene in story.endings():
        stats = report.endings.get(scene.id)
        title = scene.ending.title if scene.ending else scene.id
        if stats is None:
            lines.append(f"  {scene.id} ({title}): never reached")
            continue
        ranges = ", ".join(
            f"{story.meters[m].label} {low}..{high}" for m, (low, high) in stats.meters.items()
        )
        lines.append(
            f"  {scene.id} ({title}): {stats.count:,} "
            f"{'time' if stats.count == 1 else 'times'}; {ranges}"
        )
        if endings:
            lines += _ending_detail(report, stats)
        if stats.shortest is not None:
            lines.append(
                f"    shortest, {len(stats.shortest.choices)} choices: "
                f"{stats.shortest.command(story_path)}"
            )
            if stats.shortest.seed is None:
                lines.append(f"    ({NO_SEED})")
    if unvisited:
        lines.append(f"scenes never reached: {_some(unvisited)}")
    if unmade:
        lines.append("choices never made: " + _some([f"{s}:{c}" for s, c in unmade]))
    for path in report.long_runs[:5]:
        lines.append(
            f"note: a run did not end within {len(path.choices):,} choices: "
            f"{path.command(story_path)}"
        )
    if report.faults:
        lines.append(f"faults: {len(report.faults)}")
        for fault in report.faults:
            lines.append(f"  stuck in scene '{fault.scene}': {fault.message}")
            lines.append(f"    replay: {fault.path.command(story_path)}")
    else:
        lines.append("faults: none")
    lines += format_violations(report, story_path)
    return "\n".join(lines)


def _ending_detail(report: Report, stats) -> list[str]:
    """`--endings`: how much of the play reached this ending, and each response's share of the
    paths there (lowest..highest), so an ending that says "you gave in again and again" shows
    at a glance when players who mostly fought reach it too."""
    story = report.story
    if report.mode == "random":  # every run, those that got stuck or ran on too
        total, unit = report.runs or 1, "runs"
    else:
        total = sum(other.count for other in report.endings.values()) or 1
        unit = "states at an ending"
    lines = [f"    {stats.count / total:.1%} of the {unit}"]
    if stats.shares:
        shares = ", ".join(
            f"{story.responses[r]} {low:.0%}..{high:.0%}" for r, (low, high) in stats.shares.items()
        )
        lines.append(f"    share of the path: {shares}")
    return lines


def format_violations(report: Report, story_path: str) -> list[str]:
    """The rules broken, each with where, the meters there and the command that replays it."""
    story = report.story
    rules = len(story.invariants) + sum(
        1 for scene in story.endings() if scene.ending is not None and scene.ending.expect
    )
    if not rules:
        return []
    if not report.violations:
        return [f"rules: all {rules} held on every path played"]
    unit = "runs" if report.mode == "random" else "states"
    lines = [f"rules broken: {len(report.violations)} of {rules}"]
    for violation in report.violations.values():
        rule = violation.rule
        meters = ", ".join(
            f"{story.meters[name].label} {value}" for name, value in violation.meters.items()
        )
        lines.append(f"  {rule.label} ({rule.condition.source}) is false")
        times = f"{violation.count:,} {unit if violation.count != 1 else unit[:-1]}"
        lines.append(
            f"    in {times}; shortest, {_count(len(violation.path.choices), 'choice')}, "
            f"at scene '{violation.scene}': {meters}"
        )
        lines.append(f"    replay: {violation.path.command(story_path)}")
        if violation.path.seed is None:
            lines.append(f"    ({NO_SEED})")
    return lines
