"""The documentation: every story in it validates and plays, and the reference is complete."""

import random
import re

import pytest
import yaml

from engine import Session
from engine.story.diagnostics import CODES
from engine.story.keys import OBJECTS
from engine.story.loader import StoryFiles, build_story

from .conftest import ROOT

AUTHORING = (ROOT / "docs" / "authoring.md").read_text("utf-8")
YAML_BLOCKS = re.findall(r"```yaml\n(.*?)```", AUTHORING, re.DOTALL)
STORY_BLOCKS = [block for block in YAML_BLOCKS if re.search(r"^start:", block, re.MULTILINE)]


def test_the_guide_has_stories_to_check():
    assert len(STORY_BLOCKS) >= 4


@pytest.mark.parametrize("block", STORY_BLOCKS, ids=[f"story{n}" for n in range(len(STORY_BLOCKS))])
def test_every_story_in_the_guide_validates_cleanly_and_plays_to_an_ending(block):
    story, diagnostics = build_story(
        StoryFiles("guide.yaml", "guide", [("guide.yaml", block.encode("utf-8"))])
    )
    assert diagnostics == [], [d.headline() for d in diagnostics]
    endings = set()
    for seed in range(40):
        session = Session(story, seed=seed)
        rng = random.Random(seed)
        for _ in range(50):
            if session.state != "playing":
                break
            offered = session.offered()
            session.choose(rng.choice(offered).id)
        assert session.ended, session.fault
        endings.add(session.scene_id)
    assert endings == {scene.id for scene in story.endings()}


def test_every_yaml_example_is_valid_yaml():
    for block in YAML_BLOCKS:
        yaml.safe_load(block)


def test_the_reference_lists_every_key_of_the_format():
    reference = AUTHORING.split("## Reference", 1)[1]
    for kind, keys in OBJECTS.items():
        for key in keys:
            assert f"`{key.name}`" in reference, f"{kind}.{key.name} is not documented"


def test_the_reference_lists_every_diagnostic_code():
    table = set(re.findall(r"^\| ([EW]\d{3}) \|", AUTHORING, re.MULTILINE))
    assert table == set(CODES)


def test_the_picture_example_validates_with_its_picture_in_the_story_folder(tmp_path):
    from engine.story.loader import check_story

    from .story.test_images import png_bytes

    (block,) = [block for block in YAML_BLOCKS if "image:" in block]
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "lido.png").write_bytes(png_bytes(800, 300))
    (tmp_path / "lido.yaml").write_text(block, encoding="utf-8")
    (tmp_path / "story.yaml").write_text(
        "title: Guide\nstart: lido\nscenes:\n  home:\n    text: Home.\n    ending: {title: Home}\n",
        encoding="utf-8",
    )
    story, diagnostics = check_story(tmp_path)
    assert diagnostics == [], [d.headline() for d in diagnostics]
    assert story.scenes["lido"].image.alt.startswith("A lido's big screen")
