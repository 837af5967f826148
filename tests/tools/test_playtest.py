"""Playtests: random and exhaustive, on real stories, through the real CLI too."""

import json
import random
import re
import shlex
import subprocess
import sys
from textwrap import dedent

import pytest

from engine import Session, load_story
from engine.paths import BUNDLED_STORY
from engine.play.flow import Flow
from engine.tools.playtester import explore, random_runs

from ..conftest import ROOT, STORIES

TINY = STORIES / "tiny.yaml"

STUCK = dedent("""\
    title: Stuck
    start: a
    meters: {trust: {start: 50}}
    scenes:
      a:
        text: A
        choices:
          - {text: safe, goto: end, effects: {trust: +1}}
          - {text: trap, goto: b}
      b:
        text: B
        choices:
          - {text: only when trusted, if: trust > 80, goto: end}
      end: {text: E, ending: {title: End}}
    """)

LOOP = dedent("""\
    title: Loop
    start: a
    meters: {count: {start: 0, max: 1000}}
    scenes:
      a:
        text: Round again?
        choices:
          - {text: again, goto: a, effects: {count: +1}}
          - {text: stop, goto: end}
      end: {text: E, ending: {title: End}}
    """)


def run_cli(*args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def write(tmp_path, text, name="story.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_random_runs_are_the_documented_seeded_walks():
    story = load_story(TINY)
    report = random_runs(story, 200, seed=5)
    # Replay the documented contract: run S picks with random.Random(S), session seed S.
    made, endings = 0, {}
    for run_seed in range(5, 205):
        picker, session = random.Random(run_seed), Session(story, seed=run_seed)
        while session.state == "playing":
            offered = session.offered()
            pick = offered[picker.randrange(len(offered))] if len(offered) > 1 else offered[0]
            session.choose(pick.id)
            made += 1
        endings[session.scene_id] = endings.get(session.scene_id, 0) + 1
    assert report.choices_made == made
    assert {ending: stats.count for ending, stats in report.endings.items()} == endings
    assert report.unmade_choices() == [("hall", "3")]  # locked all the way
    assert report.unvisited_scenes() == [] and report.faults == []


def test_the_shortest_paths_printed_replay_to_their_endings(tmp_path):
    result = run_cli("playtest", TINY, "--runs", "100")
    assert result.returncode == 0
    commands = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if "shortest" in line]
    assert len(commands) == 2
    for command in commands:
        argv = shlex.split(command)[1:]  # drop "python"
        played = run_cli(*argv[1:], "--saves", tmp_path)
        assert played.returncode == 0 and "=== Ending:" in played.stdout


def test_exhaustive_exploration_counts_distinct_states():
    report = explore(load_story(TINY))
    # hall; kitchen after accept, after each of fight's two outcomes; and the ending states:
    # good_end with trust 55 or 60, bad_end with trust 40.
    assert report.states == 7 and not report.bound_hit
    assert {e: s.count for e, s in report.endings.items()} == {"good_end": 2, "bad_end": 1}
    assert report.endings["good_end"].meters == {"trust": [55, 60], "security": [36, 40]}
    for stats in report.endings.values():
        session = Session(report.story, seed=stats.shortest.seed)
        for choice in stats.shortest.choices:
            session.choose(choice)
        assert session.ended


def test_a_fault_is_found_reported_with_a_replay_and_exits_1(tmp_path):
    path = write(tmp_path, STUCK)
    for mode in ([], ["--exhaustive"]):
        result = run_cli("playtest", path, "--runs", "50", *mode)
        assert result.returncode == 1, result.stdout
        assert "stuck in scene 'b': no choice in scene 'b' is offered now" in result.stdout
        replay = result.stdout.split("replay: ")[1].splitlines()[0]
        argv = shlex.split(replay)[2:]
        played = run_cli(*argv, "--saves", tmp_path / "saves")
        assert played.returncode == 1 and "The story cannot go on" in played.stdout


def test_the_bound_stops_an_endless_exploration_and_says_so(tmp_path):
    report = explore(load_story(write(tmp_path, LOOP)), max_states=50)
    assert report.bound_hit and report.states == 50
    result = run_cli("playtest", write(tmp_path, LOOP), "--exhaustive", "--max-states", "50")
    assert "stopped at the bound of 50 states" in result.stdout


def test_json_report_fields(tmp_path):
    result = run_cli("playtest", TINY, "--runs", "300", "--seed", "2", "--json")
    data = json.loads(result.stdout)
    assert data["runs"] == 300 and data["seconds"] >= 0
    assert data["scenes"] == {"total": 5, "visited": 5, "unvisited": []}
    assert data["choices"]["total"] == 4 and data["choices"]["made"] == 3
    assert data["choices"]["unmade"] == ["hall:3"]
    assert sum(data["endings"].values()) == 300
    assert data["choices_made"] == 600  # every run of tiny takes exactly two choices
    assert data["faults"] == [] and data["coverage"] == pytest.approx(8 / 9, abs=1e-4)


def test_progress_bar_on_request():
    result = run_cli("playtest", TINY, "--runs", "20", "--progress")
    assert "20/20 runs" in result.stderr and "[" in result.stderr


def test_bad_arguments_and_broken_stories(tmp_path):
    assert run_cli("playtest", TINY, "--runs", "0").returncode == 2
    bad = write(tmp_path, "title: B\nstart: nowhere\nscenes: {}\n")
    result = run_cli("playtest", bad)
    assert result.returncode == 1 and "E020" in result.stderr


def test_merging_meter_values_shrinks_the_search_and_keeps_paths_real(tmp_path):
    story = load_story(write(tmp_path, LOOP))
    exact = explore(story, max_states=1_000)
    merged = explore(story, max_states=1_000, bucket=50)
    assert exact.bound_hit and not merged.bound_hit
    assert merged.states < exact.states and merged.unmade_choices() == []
    path = merged.endings["end"].shortest
    session = Session(story, seed=path.seed)
    for choice in path.choices:
        session.choose(choice)
    assert session.ended  # a merged search reports paths that really play
    result = run_cli("playtest", write(tmp_path, LOOP), "--exhaustive", "--bucket", "50")
    assert "meters merged within 50 points" in result.stdout and result.returncode == 0


def test_the_words_a_run_reads_match_its_recorded_turns():
    """Issue 14 asks for the median length of a playthrough in the report: the playtester
    counts it from tables, and a recorded replay of each run (its Turns) counts it again."""
    from engine.story.lint import word_count
    from engine.tools.playtester import reading_summary

    story = load_story(BUNDLED_STORY)
    report = random_runs(story, 40, seed=3)
    for run, counted in enumerate(report.words):
        seed = 3 + run
        picker = random.Random(seed)
        session = Session(story, seed=seed)
        words = word_count(story.content_note)
        entered = list(session.visits)
        while session.state == Flow.PLAYING:
            offered = session.offered()
            choice = offered[picker.randrange(len(offered))] if len(offered) > 1 else offered[0]
            scene = session.scene
            turn = session.choose(choice.id)
            words += sum(word_count(c.text) for c in scene.choices)
            made = scene.choices[[c.id for c in scene.choices].index(choice.id)]
            words += word_count(made.feedback)
            if turn.outcome is not None:
                words += word_count(made.outcomes[turn.outcome].feedback)
            entered += list(turn.path)
        for scene_id in entered:
            scene = story.scenes[scene_id]
            if scene.kind != "next":
                words += word_count(scene.text)
            if scene.ending is not None:
                ending = scene.ending
                words += word_count(ending.title) + word_count(ending.debrief)
                words += sum(word_count(q) for q in ending.questions)
                words += word_count(story.support) if ending.support else 0
        assert counted == words, run
    summary = reading_summary(report.words)
    assert summary["p10"] <= summary["median"] <= summary["p90"]
    shown = run_cli("playtest", "--runs", "200")
    assert re.search(r"\nreading: [\d,]+ words a playthrough at the median \(a tenth", shown.stdout)
