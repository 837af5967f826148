"""Moods: palettes declared in the head and named by scenes, checked and kept through the cache."""

from engine.story.loader import StoryFiles, build_story, check_story

STORY = """\
title: Moods
start: a
moods:
  autumn: {{accent: '{accent}'}}
scenes:
  a:
    mood: {mood}
    text: Hello.
    ending: {{title: The end}}
"""


def build(accent="#d9a066", mood="autumn"):
    data = STORY.format(accent=accent, mood=mood).encode()
    return build_story(StoryFiles("moods.yaml", "moods", [("moods.yaml", data)]))


def test_a_scene_names_a_mood_whose_accent_is_read_as_a_colour():
    story, diagnostics = build()
    assert diagnostics == []
    assert story.scenes["a"].mood == "autumn"
    assert story.moods["autumn"].accent == (0xD9, 0xA0, 0x66)


def test_an_accent_that_is_not_a_colour_is_an_error_at_its_place():
    for accent in ("#d9a06", "d9a066", "#d9a06g", "red"):
        _, diagnostics = build(accent=accent)
        assert [(d.code, d.line) for d in diagnostics] == [("E010", 4)], accent


def test_an_unknown_mood_is_an_error_with_a_did_you_mean():
    _, diagnostics = build(mood="autum")
    assert [(d.code, d.line, d.col) for d in diagnostics] == [("E024", 7, 11)]
    assert diagnostics[0].help == "did you mean 'autumn'?"


def test_the_cache_keeps_moods(tmp_path, monkeypatch):
    monkeypatch.setenv("BOP_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "moods.yaml"
    path.write_text(STORY.format(accent="#d9a066", mood="autumn"), encoding="utf-8")
    first, _ = check_story(path, cache=True)
    again, _ = check_story(path, cache=True)
    assert dict(again.moods) == dict(first.moods)
    assert again.scenes["a"].mood == "autumn"
