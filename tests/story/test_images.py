"""A scene's picture: where its file may be, its header checked without decoding it, its alt
text required, and the picture kept through the compiled cache."""

import os
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.story import images
from engine.story.loader import check_story

FAST = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def png_bytes(width: int = 4, height: int = 3, depth: int = 8, colour: int = 2) -> bytes:
    """A PNG's signature and IHDR chunk (all the loader reads), then an empty IEND."""
    body = b"IHDR" + struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    ihdr = struct.pack(">I", 13) + body + struct.pack(">I", zlib.crc32(body))
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + end


def jpeg_bytes(width: int = 5, height: int = 6, exif: int = 100) -> bytes:
    """A JPEG's start, an APP1 segment of `exif` bytes, a frame header and its end."""
    app1 = b"\xff\xe1" + struct.pack(">H", exif + 2) + b"\0" * exif
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app1 + b"\xff\xff" + frame + b"\xff\xd9"


STORY = """\
title: Pictures
start: a
scenes:
  a:
    image: {image}
    text: Hello.
    ending: {{title: The end}}
"""


def write_story(folder: Path, image: str, files: dict[str, bytes] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "story.yaml").write_text(STORY.format(image=image), encoding="utf-8")
    return folder


def codes(path: Path) -> list[tuple[str, int, int]]:
    _, diagnostics = check_story(path)
    return [(d.code, d.line, d.col) for d in diagnostics if d.is_error]


def test_a_scene_keeps_its_picture_with_its_alt_text_and_size(tmp_path):
    folder = write_story(
        tmp_path / "s",
        "{file: pictures/lido.png, alt: A lido at night.}",
        {"pictures/lido.png": png_bytes(640, 200)},
    )
    story, diagnostics = check_story(folder)
    assert diagnostics == []
    image = story.scenes["a"].image
    assert (image.file, image.alt, image.width, image.height) == (
        "pictures/lido.png",
        "A lido at night.",
        640,
        200,
    )
    assert Path(image.path) == folder / "pictures" / "lido.png"


def test_a_jpeg_is_read_past_its_exif_segment(tmp_path):
    folder = write_story(
        tmp_path / "s", "{file: a.jpg, alt: A street.}", {"a.jpg": jpeg_bytes(300, 200, 5000)}
    )
    story, _ = check_story(folder)
    assert (story.scenes["a"].image.width, story.scenes["a"].image.height) == (300, 200)


def test_a_scene_in_a_file_of_a_subfolder_names_its_picture_from_that_folder(tmp_path):
    folder = tmp_path / "s"
    write_story(folder, "{file: pictures/a.png, alt: A.}", {"pictures/a.png": png_bytes()})
    (folder / "acts").mkdir()
    (folder / "acts" / "b.yaml").write_text(
        "scenes:\n  b:\n    image: {file: ../pictures/a.png, alt: B.}\n    text: B.\n"
        "    ending: {title: B}\n",
        encoding="utf-8",
    )
    story, diagnostics = check_story(folder)
    assert [d.code for d in diagnostics if d.is_error] == []
    assert story.scenes["b"].image.file == "pictures/a.png"


@pytest.mark.parametrize(
    ("image", "code"),
    [
        ("{file: missing.png, alt: A.}", "E060"),
        ("{file: text.png, alt: A.}", "E061"),
        ("{file: broken.png, alt: A.}", "E061"),
        ("{file: huge.png, alt: A.}", "E062"),
        ("{file: ../outside.png, alt: A.}", "E063"),
        ("{file: /etc/passwd, alt: A.}", "E063"),
        ("{file: 'a\\\\b.png', alt: A.}", "E063"),
        ("{file: a.png}", "E064"),
        ("{file: a.png, alt: '  '}", "E064"),
        ("{file: a.png, alt: 'Hi {partnr}'}", "E018"),
    ],
)
def test_each_problem_with_a_picture_is_an_error_at_its_place(tmp_path, image, code):
    broken = bytearray(png_bytes())
    broken[20] ^= 1  # the IHDR's checksum no longer holds
    files = {
        "a.png": png_bytes(),
        "text.png": b"not a picture at all",
        "broken.png": bytes(broken),
        "huge.png": png_bytes(5000, 10),
    }
    (tmp_path / "outside.png").write_bytes(png_bytes())
    found = codes(write_story(tmp_path / "s", image, files))
    assert [c for c, _, _ in found] == [code]
    assert all(line == 5 and col > 1 for _, line, col in found)


def test_a_file_over_the_size_limit_is_refused_without_being_read(tmp_path):
    big = png_bytes() + b"\0" * images.IMAGE_BYTES_LIMIT
    folder = write_story(tmp_path / "s", "{file: big.png, alt: A.}", {"big.png": big})
    assert [c for c, _, _ in codes(folder)] == ["E062"]


def test_a_link_out_of_the_story_folder_is_refused(tmp_path):
    (tmp_path / "elsewhere.png").write_bytes(png_bytes())
    folder = write_story(tmp_path / "s", "{file: a.png, alt: A.}")
    os.symlink(tmp_path / "elsewhere.png", folder / "a.png")
    assert [c for c, _, _ in codes(folder)] == ["E063"]


def test_the_cache_keeps_the_picture_and_notices_when_it_goes(tmp_path, monkeypatch):
    monkeypatch.setenv("BOP_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_story(tmp_path / "s", "{file: a.png, alt: A.}", {"a.png": png_bytes(7, 9)})
    first, _ = check_story(folder, cache=True)
    again, _ = check_story(folder, cache=True)
    assert again.scenes["a"].image == first.scenes["a"].image
    assert again.scenes["a"].image.width == 7
    (folder / "a.png").unlink()
    story, diagnostics = check_story(folder, cache=True)
    assert story is None and [d.code for d in diagnostics] == ["E060"]


@given(st.binary(max_size=200))
@FAST
def test_any_bytes_give_a_header_or_a_problem_never_an_exception(data):
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bop-header-{os.getpid()}.bin"
    path.write_bytes(data)
    try:
        header = images.read_header(path)
    except images.ImageProblem as problem:
        assert problem.code in ("E061", "E062")
    else:
        assert 0 < header.width <= images.IMAGE_SIDE_LIMIT
        assert 0 < header.height <= images.IMAGE_SIDE_LIMIT
    finally:
        path.unlink()


@given(st.integers(1, 6000), st.integers(1, 6000), st.booleans())
@FAST
def test_a_header_gives_the_size_it_holds_or_e062_above_the_limit(width, height, jpeg):
    data = jpeg_bytes(width, height) if jpeg else png_bytes(width, height)
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bop-size-{os.getpid()}.bin"
    path.write_bytes(data)
    try:
        header = images.read_header(path)
    except images.ImageProblem as problem:
        assert problem.code == "E062"
        assert max(width, height) > images.IMAGE_SIDE_LIMIT
    else:
        assert (header.width, header.height) == (width, height)
    finally:
        path.unlink()


@given(st.text(max_size=30))
@FAST
def test_an_allowed_picture_name_never_leaves_its_folder(name):
    canonical = images.picture_path(name)
    if canonical is not None:
        assert not canonical.startswith(("/", "../")) and canonical != ".."
        assert "\\" not in canonical
        located = images.locate("story", "story/acts/a.yaml", name)
        assert located is None or not located[0].startswith("../")
