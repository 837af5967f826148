"""The code's style, checked like everything else: ruff's lint rules and its formatter (the
configuration is in pyproject.toml; CONTRIBUTING.md says why the formatter was adopted)."""

import subprocess
import sys

import pytest

from .conftest import ROOT


def ruff(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module", autouse=True)
def _ruff_is_installed():
    if ruff("--version").returncode != 0:
        pytest.fail("ruff is not installed: it is in the test extras (pip install -e '.[test]')")


def test_the_code_passes_the_lint_rules():
    result = ruff("check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted():
    result = ruff("format", "--check", "--no-cache", ".")
    assert result.returncode == 0, "run `ruff format .`:\n" + result.stdout + result.stderr
