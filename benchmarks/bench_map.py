"""Story map speed on a 10,000-scene story, against a budget of 10 seconds per format.

    python benchmarks/bench_map.py [--scenes 10000] [--repeat 1]

Generates the benchmark story (benchmarks/generate_story.py) into a temporary folder, loads it
(validating it and writing the compiled cache, then once more from the cache), builds the map
graph, and times each format's rendering (Mermaid, DOT, SVG) and the whole `map` command for
the SVG, warm (the story in the compiled cache) and cold (validated first). Prints seconds and the
ratio to the 10 s budget (below 1.0 is within it). Figures vary with the machine and its load, so
each command is also shown as a ratio to a bare compose of the story by PyYAML's C parser, timed
just before it: that ratio moves much less than the seconds do.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import yaml  # noqa: E402
from generate_story import generate  # noqa: E402

from engine.story.collector import gc_paused  # noqa: E402
from engine.story.loader import load_story  # noqa: E402
from engine.tools.map import dot as map_dot  # noqa: E402
from engine.tools.map import mermaid as map_mermaid  # noqa: E402
from engine.tools.map import svg as map_svg  # noqa: E402
from engine.tools.map.graph import build_graph  # noqa: E402

BUDGET = 10.0
FORMATS = (("mermaid", map_mermaid.render), ("dot", map_dot.render), ("svg", map_svg.render))


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def report(name: str, seconds: float, note: str = "") -> None:
    print(f"{name:<28} {seconds:7.2f} s   {seconds / BUDGET:5.2f}x budget{note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=10_000)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="renders: keep the best of N runs; commands: run each N times",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        os.environ["BOP_CACHE_DIR"] = str(base / "cache")
        story_folder = base / "story"
        generate(story_folder, args.scenes)
        cold, _ = timed(lambda: load_story(story_folder, cache=True))
        warm, story = timed(lambda: load_story(story_folder, cache=True))
        with gc_paused():  # as the `map` command draws
            graph_seconds, graph = timed(lambda: build_graph(story))
            print(f"{len(graph.nodes)} scenes, {len(graph.edges)} arrows")
            report("load (validate, cache)", cold)
            report("load (from the cache)", warm)
            report("graph (decodes every scene)", graph_seconds)
            for name, render in FORMATS:
                runs = [timed(lambda render=render: render(graph)) for _ in range(args.repeat)]
                seconds, text = min(runs, key=lambda run: run[0])
                report(f"render {name}", seconds, f"   ({len(text) / 1e6:.1f} MB)")
        output = base / "map.svg"
        command = [
            sys.executable,
            str(ROOT / "main.py"),
            "map",
            str(story_folder),
            "-o",
            str(output),
        ]
        print(
            f"machine: {os.cpu_count()} cores; the same step varies with its load, so each "
            "command is shown beside a bare compose of the story timed just before it"
        )
        for run in range(args.repeat):
            for cold in (False, True):
                bare = bare_compose(story_folder)
                if cold:
                    os.environ["BOP_CACHE_DIR"] = str(base / f"fresh-cache-{run}")
                seconds, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True))
                name = "`map` command, svg, " + ("cold" if cold else "warm")
                report(
                    name,
                    seconds,
                    f"   ({seconds / bare:.2f}x a bare compose of "
                    f"{bare:.2f} s)" + ("; validates the story first" if cold else ""),
                )


def bare_compose(folder: Path) -> float:
    """Seconds for PyYAML's C parser to compose every file of the story: the baseline."""
    texts = [path.read_text("utf-8") for path in sorted(folder.glob("*.yaml"))]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with gc_paused():
        seconds, _ = timed(lambda: [yaml.compose(text, Loader=loader) for text in texts])
    return seconds


if __name__ == "__main__":
    main()
