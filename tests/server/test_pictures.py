"""The class server shows a scene's picture: an <img> with its alt text, served by scene id
from a route that serves only the pictures the story declares."""

from __future__ import annotations

from engine.story.images import IMAGE_BYTES_LIMIT
from tests.server.conftest import join
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
        goto: street
  street:
    image: {file: pictures/street.jpg, alt: An autumn street.}
    text: You walk.
    choices:
      - text: Home.
        goto: home
  home:
    text: You are home.
    ending: {title: Home}
"""


def picture_story(folder):
    (folder / "pictures").mkdir(parents=True)
    (folder / "pictures" / "lido.png").write_bytes(png_bytes(400, 100))
    (folder / "pictures" / "street.jpg").write_bytes(jpeg_bytes(300, 200))
    (folder / "secret.txt").write_text("not for students", encoding="utf-8")
    (folder / "story.yaml").write_text(STORY, encoding="utf-8")
    return folder


def test_a_scene_shows_its_picture_with_its_alt_text_and_size(make_server, tmp_path):
    server = make_server(picture_story(tmp_path / "story"))
    browser = server.student()
    join(browser)
    page = browser.response.text
    assert (
        '<img class="picture" src="/picture/lido" '
        'alt="A lido&#39;s screen at night; Robin under a blanket." width="400" height="100">'
    ) in page
    picture = browser.client.get("/picture/lido")
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/png"
    assert picture.content == png_bytes(400, 100)
    assert "max-age" in picture.headers["cache-control"]
    assert "img-src 'self'" in picture.headers["content-security-policy"]
    assert picture.headers["x-content-type-options"] == "nosniff"
    jpeg = browser.client.get("/picture/street")
    assert jpeg.status_code == 200 and jpeg.headers["content-type"] == "image/jpeg"


def test_only_declared_pictures_are_served_and_no_path_leads_elsewhere(make_server, tmp_path):
    server = make_server(picture_story(tmp_path / "story"))
    client = server.student().client
    for address in (
        "/picture/home",  # a scene without a picture
        "/picture/nowhere",
        "/picture/..%2Fsecret.txt",
        "/picture/../secret.txt",
        "/picture/%2e%2e%2fstory.yaml",
        "/picture/pictures%2Flido.png",
        "/picture/lido/../../secret.txt",
        "/pictures/lido.png",
        "/secret.txt",
    ):
        response = client.get(address)
        assert response.status_code == 404, address
        assert b"not for students" not in response.content and b"title:" not in response.content


def test_a_picture_that_breaks_or_grows_while_serving_is_not_served(make_server, tmp_path):
    folder = picture_story(tmp_path / "story")
    server = make_server(folder)
    client = server.student().client
    (folder / "pictures" / "lido.png").write_bytes(b"<script>alert(1)</script>")
    assert client.get("/picture/lido").status_code == 404
    (folder / "pictures" / "lido.png").write_bytes(png_bytes() + b"\0" * IMAGE_BYTES_LIMIT)
    assert client.get("/picture/lido").status_code == 404
