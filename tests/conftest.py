"""Shared test setup: no display, no sound, and saves and caches kept out of the project."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

ROOT = Path(__file__).resolve().parent.parent
STORIES = Path(__file__).resolve().parent / "stories"


def run_main(
    *args: str, timeout: float = 120, input: str | None = None
) -> subprocess.CompletedProcess:
    """`python main.py ARGS` in a subprocess from the project's folder (typing `input`), its
    output as text."""
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _private_folders(tmp_path_factory, monkeypatch):
    """Every test gets its own saves and cache folders, so none touches the project's."""
    base = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("BOP_SAVES_DIR", str(base / "saves"))
    monkeypatch.setenv("BOP_CACHE_DIR", str(base / "cache"))
