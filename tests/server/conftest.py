"""Helpers for the class server's tests: a server on a real database in a temp folder, and a
student or teacher driving it through its pages with Starlette's TestClient, as a browser
without JavaScript would (reading the forms off each page and sending them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from engine.classroom.settings import Classroom
from engine.paths import BUNDLED_STORY
from engine.server.app import Addresses, build_app
from engine.server.classplay import ClassPlay
from engine.server.database import open_database, sqlite_url
from engine.story.loader import load_story

STORIES = Path(__file__).parent.parent / "stories"


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[dict[str, str]] = field(default_factory=list)  # name, value, text, disabled


class PageParser(HTMLParser):
    """The forms of a page, with their hidden fields and buttons, and its text."""

    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.text: list[str] = []
        self._form: Form | None = None
        self._button: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(attrs.get("action", ""))
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            kind = attrs.get("type", "text")
            if kind in ("hidden", "text") or (kind == "radio" and "checked" in attrs):
                self._form.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "button" and self._form is not None:
            self._button = {
                "name": attrs.get("name", ""),
                "value": attrs.get("value", ""),
                "text": "",
                "disabled": "disabled" in attrs,
            }
            self._form.buttons.append(self._button)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "button":
            self._button = None

    def handle_data(self, data):
        self.text.append(data)
        if self._button is not None:
            self._button["text"] += data


class Browser:
    """One browser: its own cookies, the last page it got."""

    def __init__(self, app):
        self.client = TestClient(
            app, base_url="http://testserver", follow_redirects=True, raise_server_exceptions=False
        )
        self.response = None
        self.parser: PageParser | None = None

    def get(self, url: str, **kwargs):
        self.response = self.client.get(url, **kwargs)
        self._parse()
        return self.response

    def _parse(self):
        self.parser = PageParser()
        if self.response.headers.get("content-type", "").startswith("text/html"):
            self.parser.feed(self.response.text)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parser.text).split())

    def form(self, action: str) -> Form:
        for form in self.parser.forms:
            if form.action == action:
                return form
        raise AssertionError(f"no form to {action} on this page: {self.text[:300]}")

    def has_form(self, action: str) -> bool:
        return any(form.action == action for form in self.parser.forms)

    def submit(self, action: str, button: int | None = None, **values: str):
        form = self.form(action)
        data = dict(form.fields)
        if button is not None:
            pressed = [b for b in form.buttons if not b["disabled"]][button]
            if pressed["name"]:
                data[pressed["name"]] = pressed["value"]
        data.update(values)
        self.response = self.client.post(action, data=data)
        self._parse()
        return self.response

    def post(self, action: str, data: dict, **kwargs):
        self.response = self.client.post(action, data=data, **kwargs)
        self._parse()
        return self.response

    def choices(self) -> list[dict[str, str]]:
        if not self.has_form("/choose"):
            return []
        return self.form("/choose").buttons


@dataclass
class ClassServer:
    """A class server on a database file in a temp folder, made again on the same file to
    stand for a restart."""

    story_path: Path
    db_path: Path
    classroom: Classroom
    class_code: str | None = None

    def __post_init__(self):
        self.start()

    def start(self):
        self.story = load_story(self.story_path)
        self.database = open_database(sqlite_url(self.db_path))
        self.play = ClassPlay(self.database, self.story, self.classroom, self.class_code)
        self.addresses = Addresses(
            "http://testserver/",
            f"http://testserver/teacher/login?key={self.play.teacher_secret}",
        )
        self.app = build_app(self.play, self.addresses, self.classroom.teacher_password)

    def restart(self):
        self.database.close()
        self.start()

    def student(self) -> Browser:
        return Browser(self.app)

    def teacher(self) -> Browser:
        browser = Browser(self.app)
        browser.get("/teacher/login?key=" + self.play.teacher_secret)
        assert browser.response.url.path == "/teacher", browser.text
        return browser


@pytest.fixture
def make_server(tmp_path):
    servers = []

    def make(story=BUNDLED_STORY, classroom=None, class_code=None, db=None):
        server = ClassServer(
            Path(story), db or tmp_path / "class.sqlite3", classroom or Classroom(), class_code
        )
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.database.close()


def join(browser: Browser, code: str | None = None, partner: str | None = None, **extra) -> None:
    """Join from the start page and get to the story's first scene."""
    browser.get("/")
    values = dict(extra)
    if code is not None:
        values["code"] = code
    browser.submit("/join", **values)
    if browser.has_form("/note"):
        browser.submit("/note")
    if browser.has_form("/begin"):
        browser.submit("/begin", **({"partner": partner} if partner else {}))


def step_of(browser: Browser) -> int:
    return int(browser.form("/choose").fields["step"])


WORDS = re.compile(r"\s+")


ROOT_DIR = Path(__file__).resolve().parent.parent.parent
