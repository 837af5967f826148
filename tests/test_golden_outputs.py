"""Golden outputs: the command line prints the same bytes it printed when these were recorded.

Each case runs the real `main.py` in a subprocess and compares its exit code, its standard output
and error, and any file it writes with a file under tests/golden/outputs/. Only what changes from
run to run (timings, dates, the project's absolute path) is replaced by a fixed marker first.

They were recorded before the engine was split into packages, to show that the split changed no
behaviour. When a change of output is intended, record them again and read the diff:

    BOP_RECORD_GOLDEN=1 python -m pytest tests/test_golden_outputs.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
OUTPUTS = GOLDEN / "outputs"
RECORD = os.environ.get("BOP_RECORD_GOLDEN") == "1"
BUNDLED = "scenes/balance_of_power"
AUTHORING = (ROOT / "docs" / "authoring.md").read_text("utf-8")
GUIDE_STORIES = [
    block
    for block in re.findall(r"```yaml\n(.*?)```", AUTHORING, re.DOTALL)
    if re.search(r"^start:", block, re.MULTILINE)
]
# The shortest path to each of five endings (the safety path among them), as `playtest --runs
# 3000` printed them after the story's second draft (issue 14).
SCRIPTS = {
    "both_ways": (
        59,
        "full_life,give_key,yield_generously,accept,bring_dinner,skip_choir,walk_away,"
        "accept_again,thank_them,keep_waiting,yield_generously,fight,walk_away,walk_away,"
        "yield_generously",
    ),
    "given_up": (
        136,
        "thin_life,keep_key,walk_away,accept,give_space,skip_choir,accept_again,walk_away,"
        "say_something,go_gladly,walk_away,accept_as_usual,fight,accept_as_usual,accept_as_usual",
    ),
    "held_on": (
        5,
        "thin_life,keep_key,walk_away,fight,bring_dinner,skip_choir,accept,walk_away,"
        "say_something,go_gladly,accept_again,fight,walk_away,accept_as_usual,walk_away_shaken",
    ),
    "holding_all": (
        319,
        "full_life,give_key,yield_generously,walk_away,bring_dinner,join_choir,walk_away,"
        "walk_away,thank_them,keep_waiting,fight,walk_away,walk_away,walk_away,fight",
    ),
    "safety": (
        20,
        "thin_life,give_key,walk_away,walk_away,bring_dinner,skip_choir,walk_away,accept,"
        "say_something,keep_waiting,fight,ask_not_to,accept_again,stay_in,keep_quiet,"
        "close_the_story",
    ),
}

# What differs between runs and machines, and the marker it becomes.
VOLATILE = [
    (re.compile(r'"seconds": [0-9.e-]+'), '"seconds": <seconds>'),
    (re.compile(r"in [0-9.]+ s \([0-9,]+ (choices|states)/s\)"), r"in <t> s (<n> \1/s)"),
    (re.compile(r'"(started|finished)": "[^"]+"'), r'"\1": "<time>"'),
    (re.compile(r'"hash": "[0-9a-f]{64}"'), '"hash": "<hash>"'),
    (re.compile(r'"id": "[0-9a-f]{32}"'), '"id": "<random id>"'),
    (re.compile(r"Made \d+ \w+ \d{4}, \d\d:\d\d UTC"), "Made <date>"),
]


@dataclass(frozen=True)
class Case:
    """One command: its arguments, the files it writes (compared too) and where it runs."""

    name: str
    argv: tuple[str, ...]
    outputs: tuple[str, ...] = ()
    in_temp: dict[str, str] = field(default_factory=dict)  # files written beside it first


def validate_cases() -> list[Case]:
    stories = [
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "stories").glob("*.yaml")),
        BUNDLED,
        "tests/golden/stories/broken.yaml",
        "tests/golden/stories/warnings.yaml",
        "tests/golden/stories/folder",
    ]
    cases = []
    for story in stories:
        name = Path(story).stem
        cases.append(Case(f"validate-{name}", ("validate", story)))
        cases.append(Case(f"validate-{name}-json", ("validate", "--format", "json", story)))
    cases.append(
        Case("validate-strict", ("validate", "--strict", "tests/golden/stories/warnings.yaml"))
    )
    cases.append(
        Case(
            "validate-many",
            ("validate", "tests/stories/tiny.yaml", "tests/golden/stories/folder", "no/such/story"),
        )
    )
    for number, block in enumerate(GUIDE_STORIES):
        file = f"guide-{number}.yaml"
        cases.append(Case(f"validate-guide-{number}", ("validate", file), in_temp={file: block}))
        cases.append(
            Case(
                f"validate-guide-{number}-json",
                ("validate", "--format", "json", file),
                in_temp={file: block},
            )
        )
    return cases


def play_cases() -> list[Case]:
    cases = []
    for name, (seed, choices) in SCRIPTS.items():
        cases.append(
            Case(
                f"play-{name}",
                (
                    "play",
                    BUNDLED,
                    "--text",
                    "--seed",
                    str(seed),
                    "--choices",
                    choices,
                    "--transcript",
                    "run.json",
                ),
                outputs=("run.json",),
            )
        )
    cases += [
        Case(
            "play-hidden-meters",
            (
                "play",
                "--text",
                "--seed",
                "3",
                "--hide-meters",
                "--choices",
                "1,2,1,1,2,1,1,1,1,1,1,1,1,1,1",
            ),
        ),
        Case(
            "play-not-offered",
            ("play", "tests/stories/tiny.yaml", "--text", "--seed", "1", "--choices", "1,7"),
        ),
        Case("play-broken-story", ("play", "tests/golden/stories/broken.yaml", "--text")),
        Case(
            "play-tiny-partner",
            (
                "play",
                "tests/stories/tiny.yaml",
                "--text",
                "--seed",
                "4",
                "--partner",
                "Kim",
                "--pronouns",
                "she",
                "--choices",
                "argue,1",
            ),
        ),
    ]
    return cases


def tool_cases() -> list[Case]:
    return [
        Case("playtest-json", ("playtest", BUNDLED, "--seed", "1", "--runs", "200", "--json")),
        Case("playtest-text", ("playtest", BUNDLED, "--seed", "1", "--runs", "200")),
        Case(
            "playtest-tiny-exhaustive",
            ("playtest", "tests/stories/tiny.yaml", "--exhaustive", "--json"),
        ),
        Case("playtest-broken", ("playtest", "tests/golden/stories/broken.yaml")),
        Case("map-mmd", ("map", BUNDLED, "-o", "map.mmd"), outputs=("map.mmd",)),
        Case("map-dot", ("map", BUNDLED, "-o", "map.dot"), outputs=("map.dot",)),
        Case("map-svg", ("map", BUNDLED, "-o", "map.svg"), outputs=("map.svg",)),
        Case(
            "map-medium-svg",
            ("map", "tests/stories/map_medium.yaml", "-o", "medium.svg"),
            outputs=("medium.svg",),
        ),
        Case("map-broken", ("map", "tests/golden/stories/broken.yaml", "-o", "x.svg")),
        Case("schema", ("schema",)),
        Case(
            "report-html",
            ("report", "tests/golden/records", "-o", "class.html"),
            outputs=("class.html",),
        ),
        Case(
            "report-html-names",
            ("report", "tests/golden/records", "-o", "class.html", "--names"),
            outputs=("class.html",),
        ),
        Case(
            "report-csv",
            ("report", "tests/golden/records", "-o", "class.csv"),
            outputs=("class.csv",),
        ),
        Case(
            "report-playthrough",
            (
                "report",
                "--playthrough",
                "-o",
                "one.html",
                "tests/golden/records/balance_of_power-record-2.json",
            ),
            outputs=("one.html",),
        ),
    ]


CASES = validate_cases() + play_cases() + tool_cases()


def normalise(text: str, temp: Path) -> str:
    text = text.replace(str(temp), "<temp>").replace(str(ROOT), "<root>")
    for pattern, marker in VOLATILE:
        text = pattern.sub(marker, text)
    return text


def run_case(case: Case, temp: Path) -> str:
    for name, content in case.in_temp.items():
        (temp / name).write_text(content, encoding="utf-8")
    cwd = temp if case.in_temp else ROOT
    argv = [(str(temp / arg) if arg in case.outputs else arg) for arg in case.argv]
    environment = dict(
        os.environ,
        COLUMNS="100",
        PYTHONIOENCODING="utf-8",
        BOP_CACHE_DIR=str(temp / "cache"),
        BOP_SAVES_DIR=str(temp / "saves"),
    )
    finished = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *argv],
        cwd=cwd,
        capture_output=True,
        env=environment,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    parts = [
        f"exit: {finished.returncode}",
        "--- stdout",
        finished.stdout.decode("utf-8"),
        "--- stderr",
        finished.stderr.decode("utf-8"),
    ]
    for name in case.outputs:
        path = temp / name
        parts += [f"--- file {name}", path.read_text("utf-8") if path.exists() else "(not written)"]
    return normalise("\n".join(parts), temp)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_command_prints_what_it_printed_before(case, tmp_path):
    got = run_case(case, tmp_path)
    golden = OUTPUTS / f"{case.name}.txt"
    if RECORD:
        OUTPUTS.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden output for {case.name}: record it (see the docstring)"
    assert got == golden.read_text("utf-8")
    if case.name.startswith("validate"):  # and again, warm: the compiled cache changes nothing
        assert run_case(case, tmp_path) == got


def test_every_golden_output_belongs_to_a_case():
    names = {f"{case.name}.txt" for case in CASES}
    assert {path.name for path in OUTPUTS.glob("*.txt")} <= names
