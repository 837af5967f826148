"""The benchmark scripts still run against the engine as it is (on small stories, so quickly).

They measure speed, which no test does; these only check that each script runs to the end and
prints its figures, so that a rename in the engine cannot leave a benchmark broken unnoticed.
"""

import os
import re
import subprocess
import sys

import pytest

from .conftest import ROOT

RUNS = {
    "bench_engine.py": (["--scenes", "1000", "--walk-seconds", "0.2"], "random walk"),
    "bench_map.py": (["--scenes", "60"], "`map` command, svg, cold"),
    "bench_server.py": (["--students", "5", "--think", "0", "--seconds", "60"], "lost turns"),
    "bench_server.py --no-js": (
        ["--students", "5", "--think", "0", "--seconds", "60", "--no-js"],
        "lost turns",
    ),
    "bench_server_app.py": (["--students", "3"], "statements"),
    "bench_ui.py": (["--frames", "5", "--launches", "1"], "launch to first frame"),
}


@pytest.mark.parametrize("script", sorted(RUNS))
def test_the_benchmark_runs_and_prints_its_figures(script, tmp_path):
    arguments, last_figure = RUNS[script]
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script.split()[0]), *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=dict(os.environ, SDL_VIDEODRIVER="dummy", BOP_SAVES_DIR=str(tmp_path / "saves")),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert last_figure in result.stdout
    if script.startswith("bench_server.py"):  # every simulated student played through, and was kept
        for figure in ("errors", "lost turns, database", "lost turns, records.zip"):
            assert re.search(rf"^{re.escape(figure)} +0 ", result.stdout, re.M), result.stdout
