"""The terminal player reads a scene's picture as its alternative text, run for real."""

from __future__ import annotations

from tests.conftest import run_main
from tests.story.test_images import jpeg_bytes, png_bytes

STORY = """\
title: Pictures
start: lido
partner: {name: Robin, pronouns: she}
scenes:
  lido:
    title: The lido
    image: {file: pictures/lido.png, alt: "A lido's screen at night; {partner} under a blanket."}
    text: The film starts.
    choices:
      - text: Stay.
        goto: home
  home:
    image: {file: pictures/street.jpg, alt: An autumn street.}
    text: You walk home.
    ending: {title: Home}
"""


def test_the_terminal_prints_each_picture_as_its_alt_text_before_the_scene(tmp_path):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "lido.png").write_bytes(png_bytes(400, 100))
    (tmp_path / "pictures" / "street.jpg").write_bytes(jpeg_bytes(400, 100))
    (tmp_path / "story.yaml").write_text(STORY, encoding="utf-8")
    saves = tmp_path / "saves"
    done = run_main("play", str(tmp_path), "--text", "--choices", "1", "--saves", str(saves))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    lido = out.index("[Picture: A lido's screen at night; Robin under a blanket.]")
    assert out.index("--- The lido ---") < lido < out.index("The film starts.")
    street = out.index("[Picture: An autumn street.]")
    assert out.index("=== Ending: Home ===") < street < out.index("You walk home.")
