"""Work beside this process: the same text whether a child does it or this process does, and a
failing child costs nothing but time."""

import os
import sys

import pytest

from engine import forking, map_svg
from engine.loader import load_story
from engine.map_graph import build_graph

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate_story import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def test_beside_gives_the_childs_text():
    parent = os.getpid()
    text = forking.beside(lambda: f"made by {os.getpid()} ✓ " * 50_000, min_cores=1).result()
    pid = int(text.split()[2])
    assert pid != parent, "the work ran in this process"
    assert text == f"made by {pid} ✓ " * 50_000


def test_a_failing_child_leaves_the_work_to_this_process():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            raise RuntimeError("only the child fails")
        return "done here"

    assert forking.beside(work, min_cores=1).result() == "done here"


def test_a_cancelled_child_is_stopped_and_reaped():
    started = forking.beside(lambda: "x" * 10_000_000, min_cores=1)  # far more than a pipe holds
    pid = started.pid
    assert pid is not None
    started.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left
    assert started.result() == "x" * 10_000_000  # asked again, the work is done here


def test_a_huge_map_is_the_same_drawn_in_one_process_or_two(tmp_path, monkeypatch):
    generate(tmp_path, scenes=600, files=3)
    graph = build_graph(load_story(tmp_path))
    assert len(graph.edges) > 1000
    monkeypatch.setattr(map_svg, "BESIDE_EDGES", 10**9)
    alone = map_svg.render(graph)
    monkeypatch.setattr(map_svg, "BESIDE_EDGES", 1000)
    calls = []
    real = forking.beside

    def counted(work, min_cores=2):
        calls.append(work)
        return real(work, min_cores=1)

    monkeypatch.setattr(map_svg, "beside", counted)
    assert map_svg.render(graph) == alone
    assert len(calls) == 1


def test_a_map_that_fails_midway_leaves_no_child_behind(tmp_path, monkeypatch):
    generate(tmp_path, scenes=300, files=2)
    graph = build_graph(load_story(tmp_path))
    monkeypatch.setattr(map_svg, "BESIDE_EDGES", 10)
    monkeypatch.setattr(map_svg, "beside", lambda work: forking.beside(work, min_cores=1))

    def broken(self, layout):
        raise RuntimeError("a fault while writing the scenes")

    monkeypatch.setattr(map_svg.SvgWriter, "_nodes", broken)
    with pytest.raises(RuntimeError):
        map_svg.render(graph)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child at all, running or waiting to be reaped
