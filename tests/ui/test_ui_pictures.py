"""A scene's picture in the desktop game, driving the real loop: drawn above the text as wide as
the column (never upscaled, in its proportions), decoded once and kept, left out without a crash
when its file goes or breaks while playing, and read as "Picture: ..." by self-voicing."""

from __future__ import annotations

from pathlib import Path

import pygame

from engine.ui.pictures import HEIGHT_SHARE, picture_size
from engine.ui.voice import Voice
from tests.ui.conftest import TINY
from tests.ui.test_ui_play import start_new_game
from tests.ui.test_ui_voice import Listening

RED = (200, 30, 40)


def story_with_picture(folder: Path, size: tuple[int, int]) -> Path:
    """tiny.yaml with a picture of `size` pixels, all red, on its first scene."""
    folder.mkdir(parents=True, exist_ok=True)
    picture = pygame.Surface(size)
    picture.fill(RED)
    pygame.image.save(picture, str(folder / "hall.png"))
    text = TINY.read_text("utf-8").replace(
        "    title: The hall\n",
        "    title: The hall\n"
        "    image: {file: hall.png, alt: 'A hallway, {partner} by the door.'}\n",
        1,
    )
    (folder / "story.yaml").write_text(text, encoding="utf-8")
    return folder


def picture_rect(driver) -> pygame.Rect | None:
    """Where the play screen draws its picture, or None when it has none."""
    document = driver.top.document
    for index, block in enumerate(document.blocks):
        if block.alt:
            top, bottom = document.spans[index]
            return pygame.Rect(
                document.rect.left,
                document.rect.top + top - document.scroll,
                document.rect.width,
                bottom - top,
            )
    return None


def test_a_picture_is_drawn_above_the_text_at_its_own_size_when_it_fits(make_driver, tmp_path):
    driver = make_driver(story_with_picture(tmp_path / "s", (300, 120)))
    start_new_game(driver)
    area = picture_rect(driver)
    assert area is not None and area.height == 120
    document = driver.top.document
    assert document.blocks[0].alt == "A hallway, Sam by the door."  # before the title
    driver.app.draw_frame()
    surface = driver.app.surface
    assert tuple(surface.get_at(area.center))[:3] == RED
    left = area.centerx - 150
    assert tuple(surface.get_at((left, area.centery)))[:3] == RED
    assert tuple(surface.get_at((left - 2, area.centery)))[:3] != RED  # not upscaled


def test_a_wide_picture_is_scaled_down_to_the_column_in_its_proportions(make_driver, tmp_path):
    driver = make_driver(story_with_picture(tmp_path / "s", (4000, 1000)), size=(1280, 720))
    start_new_game(driver)
    area = picture_rect(driver)
    column = driver.app.frame.column
    width, height = picture_size(
        driver.app.game.session.scene.image, column.width, round(column.height * HEIGHT_SHARE)
    )
    assert area.height == height and width <= column.width
    assert abs(width / height - 4) < 0.05  # its proportions kept
    assert width == column.width or height == round(column.height * HEIGHT_SHARE)
    assert not driver.spills()
    driver.resize(1920, 1080)
    assert picture_rect(driver).height > area.height  # larger in a larger window
    driver.resize(640, 480)
    smaller = picture_rect(driver)
    assert smaller is None or smaller.height < area.height
    assert not driver.spills()


def test_the_picture_is_decoded_once_and_kept_while_frames_are_drawn(make_driver, tmp_path):
    driver = make_driver(story_with_picture(tmp_path / "s", (300, 120)))
    start_new_game(driver)
    loads = driver.app.pictures.loads
    for _ in range(5):
        driver.app.draw_frame()
    driver.key(pygame.K_DOWN)
    assert driver.app.pictures.loads == loads == 1


def test_a_picture_gone_or_broken_while_playing_is_left_out_and_the_game_goes_on(
    make_driver, tmp_path
):
    for damage in ("delete", "garbage", "truncate"):
        folder = story_with_picture(tmp_path / damage, (300, 120))
        driver = make_driver(folder)
        picture = folder / "hall.png"
        if damage == "delete":
            picture.unlink()
        elif damage == "garbage":
            picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
        else:
            picture.write_bytes(picture.read_bytes()[:60])
        start_new_game(driver)
        assert picture_rect(driver) is None
        assert driver.top.document.blocks[0].text == "The hall"
        driver.key(pygame.K_1)
        assert driver.top.name == "feedback"


def test_with_the_choices_docked_the_picture_leaves_the_text_room(make_driver):
    from engine.paths import BUNDLED_STORY

    modes = []
    for size in ((640, 480), (1280, 720), (1920, 1080)):
        driver = make_driver(BUNDLED_STORY, size=size)
        start_new_game(driver)  # the first scene has the autumn picture
        screen = driver.top
        area = picture_rect(driver)
        modes.append(screen.mode)
        if screen.mode == "docked":
            # the text's view above the band and the docked choices, before the pinned question
            view = screen.viewport.height - screen.choices_height - screen.band_height
            assert area is None or area.height <= view // 3 + 1, size
        assert not driver.spills()
    assert "docked" in modes


def test_self_voicing_reads_the_picture_as_picture_and_its_alt_text(make_driver, tmp_path):
    voice = Voice(Listening())
    driver = make_driver(story_with_picture(tmp_path / "s", (300, 120)), voice=voice)
    start_new_game(driver)
    driver.key(pygame.K_v)
    said = voice.spoken[-1]
    assert said.startswith("Self-voicing on. Picture: A hallway, Sam by the door. The hall.")


def test_an_endings_picture_is_drawn_above_its_title(make_driver, tmp_path):
    """An ending is a scene too: its picture stands above the ending's title, at 1280x720 (the
    text beside the chart) and at 800x600 (one column)."""
    folder = story_with_picture(tmp_path / "s", (300, 120))
    story = folder / "story.yaml"
    text = story.read_text("utf-8")
    for ending in ("good_end", "bad_end"):
        picture = "    image: {file: hall.png, alt: 'The door, shut.'}\n"
        text = text.replace(f"  {ending}:\n", f"  {ending}:\n" + picture)
    story.write_text(text, encoding="utf-8")
    for size in ((1280, 720), (800, 600)):
        driver = make_driver(folder, size=size)
        start_new_game(driver)
        for _ in range(20):
            if driver.top.name == "ending":
                break
            driver.key(pygame.K_RETURN if driver.top.name == "feedback" else pygame.K_1)
        assert driver.top.name == "ending"
        document = driver.top.document
        assert document.blocks[0].alt == "The door, shut."
        assert document.blocks[1].text == "Ending"
        top, bottom = document.spans[0]
        assert bottom - top == 120
        driver.app.draw_frame()
        centre = (document.rect.centerx, document.rect.top + top - document.scroll + 60)
        assert tuple(driver.app.surface.get_at(centre))[:3] == RED, size
