"""Damaged files the game wrote, met through the real command line: a deeply nested or huge
save, backup, playthrough file or settings file is damaged like any other (issue 11, item 4)."""

import json

import pytest

from engine.atomic import backup_path

from .test_cli import TINY, run

DEEP = "[" * 100_000


def autosaved(tmp_path, *choices: str):
    """A saves folder holding the autosave of tiny.yaml after `choices` (and its backup)."""
    saves = tmp_path / "saves"
    result = run("play", TINY, "--text", "--saves", saves, "--seed", "3", "--choices", *choices)
    assert result.returncode == 0, result.stderr
    return saves, saves / "tiny" / "autosave.json"


def test_load_autosave_falls_back_to_the_backup_when_the_autosave_is_deeply_nested(tmp_path):
    saves, autosave = autosaved(tmp_path, "argue")
    autosave.write_text(DEEP, "utf-8")
    result = run("play", TINY, "--text", "--saves", saves, "--load", "autosave", "--choices", "1")
    assert result.returncode == 0, result.stderr
    assert "autosave.json is damaged" in result.stdout
    assert "The previous save was loaded instead." in result.stdout
    assert "internal error" not in result.stderr


def test_load_autosave_with_both_files_deeply_nested_is_a_clear_refusal(tmp_path):
    saves, autosave = autosaved(tmp_path, "argue")
    autosave.write_text(DEEP, "utf-8")
    backup_path(autosave).write_text(DEEP, "utf-8")
    result = run("play", TINY, "--text", "--saves", saves, "--load", "autosave", "--choices", "1")
    assert result.returncode == 1
    assert (
        "Could not load: the save autosave.json is damaged: it is nested more than 32 deep"
        in result.stdout
    )
    assert result.stderr == ""


def test_a_deeply_nested_playthrough_file_is_ignored_and_play_goes_on(tmp_path):
    saves, autosave = autosaved(tmp_path, "argue")
    sidecar = autosave.with_name("autosave.playthrough.json")
    assert json.loads(sidecar.read_text("utf-8"))["format"] == "balance-of-power-playthrough"
    sidecar.write_text(DEEP, "utf-8")
    result = run("play", TINY, "--text", "--saves", saves, "--load", "autosave", "--choices", "1")
    assert result.returncode == 0, result.stderr
    assert "Loaded autosave." in result.stdout
    assert json.loads(sidecar.read_text("utf-8"))["format"] == "balance-of-power-playthrough"


@pytest.mark.parametrize("content", [DEEP, '{"settings": ' * 50_000, "{" * 100_000])
def test_a_deeply_nested_settings_file_does_not_stop_the_game(tmp_path, content):
    saves = tmp_path / "saves"
    saves.mkdir()
    (saves / "settings.json").write_text(content, "utf-8")
    out = tmp_path / "title.png"
    result = run("play", TINY, "--saves", saves, "--screenshot", out, "--screen", "title")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
