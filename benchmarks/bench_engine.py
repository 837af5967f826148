"""Engine speed on a 10,000-scene story, as ratios against a bare YAML load in the same run.

    python benchmarks/bench_engine.py [--scenes 10000] [--walk-seconds 3] [--repeat 1]

Generates the benchmark story (benchmarks/generate_story.py) into a temporary folder, then measures:
- bare: `yaml.load(f, Loader=yaml.CSafeLoader)` of every file, the baseline;
- cold: loading with full validation and writing the compiled cache (target: at most 1.0x bare);
- warm: loading again from the compiled cache (target: at most 0.05x bare);
- walk: the playtester's seeded random runs through the Session API (target: 50,000 choices
  a second).
Figures vary with the machine's load; record them with the date in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_story import generate  # noqa: E402

from engine.story.loader import check_story  # noqa: E402
from engine.tools.playtester import random_runs  # noqa: E402


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def bare_load(files: list[Path]) -> None:
    for path in files:
        with open(path, "rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)


def walk_rate(story, seconds: float) -> list[float]:
    """Choices per second of the playtester's seeded random runs (engine.tools.playtester), over
    batches of 100 runs each until `seconds` have passed; the first batch warms up."""
    rates = []
    deadline = time.perf_counter() + seconds
    batch = 0
    while time.perf_counter() < deadline or len(rates) < 3:
        report = random_runs(story, 100, seed=batch * 1000)
        if batch:
            rates.append(report.choices_made / report.seconds)
        batch += 1
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument("--walk-seconds", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=1, help="repeat loads, keep the best")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "story"
        files = generate(folder, args.scenes)
        size = sum(path.stat().st_size for path in files) / 1e6
        os.environ["BOP_CACHE_DIR"] = str(Path(temp) / "cache")
        print(f"story: {args.scenes:,} scenes, {len(files)} files, {size:.1f} MB")

        bare = min(timed(lambda: bare_load(files))[0] for _ in range(args.repeat))
        validate = min(timed(lambda: check_story(folder))[0] for _ in range(args.repeat))
        colds = []
        for _ in range(args.repeat):
            for entry in (Path(temp) / "cache").glob("*.json"):
                entry.unlink()
            colds.append(timed(lambda: check_story(folder, cache=True))[0])
        cold = min(colds)
        warm, (story, diagnostics) = timed(lambda: check_story(folder, cache=True))
        assert story is not None and not diagnostics, diagnostics
        rates = walk_rate(story, args.walk_seconds)

    def line(name: str, seconds: float, target: float) -> None:
        ratio = seconds / bare
        verdict = "ok" if ratio <= target else "OVER TARGET"
        print(f"{name:38} {seconds:7.3f} s  {ratio:6.3f}x bare  (target <= {target}x: {verdict})")

    print(f"{'bare yaml.load (CSafeLoader)':38} {bare:7.3f} s   1.000x bare")
    line("validate only (no cache)", validate, 1.0)
    line("cold load (validate + write cache)", cold, 1.0)
    line("warm load (compiled cache)", warm, 0.05)
    median, best = statistics.median(rates), max(rates)
    verdict = "ok" if median >= 50_000 else "UNDER TARGET"
    print(
        f"{'random walk (playtest runs)':38} {median:9,.0f} choices/s median of {len(rates)} "
        f"batches (best {best:,.0f}, worst {min(rates):,.0f}; target >= 50,000: {verdict})"
    )
    print(
        "note: this machine's speed drifts by up to 2x from minute to minute; compare runs "
        "made at the same time, and the load ratios, which are measured side by side."
    )


if __name__ == "__main__":
    main()
