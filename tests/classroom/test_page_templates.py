"""The class report and the playthrough page are Jinja2 templates (engine/classroom/templates/):
every text a record carries is escaped by autoescape, on both pages, in every section; no
template turns escaping off; and the playthrough page's sections can be imported by another
folder's templates (the class server's)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from types import MappingProxyType

import pytest
from markupsafe import Markup

from engine import Session, load_story
from engine.classroom.page_style import TEMPLATES, pages
from engine.classroom.playthrough_page import meter_chart, playthrough_page, render_playthrough
from engine.classroom.records import Status, build_record, write_record
from engine.classroom.report_html import render_html
from engine.classroom.summary import gather, summarize_class
from engine.templating import environment, render

from ..conftest import ROOT, STORIES

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def hostile(name: str) -> str:
    """A text that is markup if written unescaped, named after the field it fills."""
    return f"<script>{name}</script>\"'&"


def escaped(name: str) -> str:
    return f"&lt;script&gt;{name}&lt;/script&gt;&#34;&#39;&amp;"


def hostile_record(status=Status.COMPLETE, choices=("argue", "1")):
    """A real record of the tiny story whose every text is hostile()."""
    session = Session(load_story(STORIES / "tiny.yaml"), seed=4)
    for choice in choices:
        session.choose(choice)
    record = build_record(session, [4.0] * len(choices), START, START)
    steps = tuple(
        replace(
            step,
            scene_title=hostile(f"scene{number}"),
            text=hostile(f"choice{number}"),
            feedback=(hostile(f"feedback{number}"),),
        )
        for number, step in enumerate(record.steps)
    )
    return replace(
        record,
        story=replace(record.story, title=hostile("story")),
        player=hostile("player"),
        classroom=hostile("classroom"),
        status=status,
        ending_title=hostile("ending") if status == Status.COMPLETE else None,
        ending_text=hostile("text") + "\n\n" + hostile("text2"),
        ending_debrief=hostile("debrief"),
        ending_support=hostile("support"),
        ending_questions=(hostile("question"),),
        meter_labels=MappingProxyType({name: hostile(name) for name in record.meter_labels}),
        response_labels=MappingProxyType({name: hostile(name) for name in record.response_labels}),
        steps=steps,
    )


def assert_escaped(page: str, names: list[str]) -> None:
    assert "<script>" not in page and "</script>" not in page
    for name in names:
        assert escaped(name) in page, f"{name} is missing, or not escaped"


def test_every_text_of_a_playthrough_page_is_escaped():
    record = hostile_record()
    page = render_playthrough(record)
    names = ["story", "player", "ending", "text", "text2", "debrief", "support", "question"]
    names += [f"{kind}{number}" for kind in ("scene", "choice", "feedback") for number in (0, 1)]
    names += list(record.meter_labels) + ["fight"]  # the response chosen
    assert_escaped(page, names)


def test_every_text_of_a_class_report_is_escaped(tmp_path):
    write_record(tmp_path / "done.json", hostile_record())
    left = hostile_record(Status.ABANDONED, choices=("argue",))
    write_record(tmp_path / "left.json", replace(left, id="f" * 32))
    gathered = gather([str(tmp_path)])
    summary = summarize_class(gathered.records, names=True)
    page = render_html(summary, [hostile("skipped")])
    names = ["story", "player", "classroom", "ending", "question", "scene0", "choice0", "skipped"]
    assert_escaped(page, names + list(left.meter_labels) + ["fight"])


def test_no_template_turns_escaping_off():
    """Escaping stays on in every template: no {% autoescape false %}, no |safe, no Markup."""
    templates = sorted((ROOT / "engine").rglob("templates/*.html"))
    assert {path.name for path in templates} >= {"class_report.html", "playthrough.html"}
    for path in templates:
        text = path.read_text("utf-8")
        found = re.findall(r"autoescape|\|\s*safe\b|Markup", text)
        assert found == [], f"{path.relative_to(ROOT)} turns escaping off: {found}"
    assert pages().autoescape is True


@pytest.fixture
def server_folder(tmp_path):
    """A template of another folder that imports the playthrough page's sections, as the class
    server's pages do."""
    (tmp_path / "debrief.html").write_text(
        '{% import "_playthrough.html" as playthrough %}\n'
        "<main>\n"
        "{{ playthrough.ending(page.ending) }}\n"
        "{{ playthrough.debrief(page.debrief) }}\n"
        "{{ playthrough.support(page.support) }}\n"
        "{{ playthrough.chart_section(page.chart) }}\n"
        "{{ playthrough.responses(page.responses) }}\n"
        "{{ playthrough.steps(page.steps) }}\n"
        "{{ playthrough.questions(page.questions) }}\n"
        "{{ chart }}\n"
        "</main>\n",
        encoding="utf-8",
    )
    return tmp_path


def test_another_folder_imports_the_playthrough_pages_sections(server_folder):
    record = hostile_record()
    on_its_page = render_playthrough(record)
    chart = meter_chart(record)
    assert isinstance(chart, Markup) and chart.startswith("<svg") and chart in on_its_page
    page = render(
        environment(server_folder, TEMPLATES),
        "debrief.html",
        page=playthrough_page(record),
        chart=chart,
    )
    sections = page.splitlines()[1:-1]
    assert len(sections) == 8
    for section in sections:
        assert section in on_its_page  # the same markup as on the player's own page
    assert_escaped(page, ["text", "debrief", "support", "question", "scene1", "feedback1"])
