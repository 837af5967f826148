"""engine/templating.py: one cached Jinja2 environment per tuple of template folders, escaping
every value in every template, refusing undefined names, laid out as the template's lines say."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from engine.templating import environment, macros, render


def folder_of(path, **templates):
    """A folder holding `templates` (name -> text), names with dots written as name__ext."""
    path.mkdir(parents=True, exist_ok=True)
    for name, text in templates.items():
        (path / name.replace("__", ".")).write_text(text, encoding="utf-8")
    return path


def test_an_environment_is_made_once_per_tuple_of_folders(tmp_path):
    one, two = folder_of(tmp_path / "one"), folder_of(tmp_path / "two")
    assert environment(one) is environment(one)
    assert environment(one, two) is environment(one, two)
    assert environment(one, two) is not environment(two, one)
    assert environment(one) is not environment(one, two)


def test_no_folder_is_refused():
    with pytest.raises(ValueError, match="at least one folder"):
        environment()


def test_every_value_is_escaped_whatever_the_templates_name(tmp_path):
    """autoescape=True, not chosen by the file's extension: a .txt or .svg template escapes too."""
    texts = {"page__html": "<p>{{ x }}</p>", "page__txt": "{{ x }}", "chart__svg": "{{ x }}"}
    pages = environment(folder_of(tmp_path / "t", **texts))
    hostile = "<script>alert(\"x\")</script> & 'y'"
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;y&#39;"
    assert pages.autoescape is True
    assert render(pages, "page.html", x=hostile) == f"<p>{escaped}</p>"
    assert render(pages, "page.txt", x=hostile) == escaped
    assert render(pages, "chart.svg", x=hostile) == escaped


def test_an_undefined_name_is_an_error_not_an_empty_string(tmp_path):
    pages = environment(folder_of(tmp_path / "t", page__html="<p>{{ record.titel }}</p>"))
    with pytest.raises(jinja2.UndefinedError):
        render(pages, "page.html")
    with pytest.raises(jinja2.UndefinedError):
        render(pages, "page.html", record={"title": "x"})


def test_a_block_tag_on_its_own_line_leaves_nothing_and_the_last_newline_stays(tmp_path):
    text = (
        "<ol>\n"
        "{# the items #}\n"
        "{% for x in xs %}\n"
        "  {% if x %}\n"
        "<li>{{ x }}</li>\n"
        "  {% endif %}\n"
        "{% endfor %}\n"
        "</ol>\n"
    )
    pages = environment(folder_of(tmp_path / "t", list__html=text))
    assert render(pages, "list.html", xs=[1, 0, 2]) == "<ol>\n<li>1</li>\n<li>2</li>\n</ol>\n"


def test_folders_are_searched_in_order_and_templates_import_across_them(tmp_path):
    first = folder_of(
        tmp_path / "server",
        page__html='{% import "_parts.html" as parts %}{{ parts.title(name) }}|'
        '{% include "shared.html" %}',
        shared__html="mine",
    )
    second = folder_of(
        tmp_path / "classroom",
        _parts__html="{% macro title(text) %}<h1>{{ text }}</h1>{% endmacro %}",
        shared__html="theirs",
    )
    pages = environment(first, second)
    assert render(pages, "page.html", name="<A & B>") == "<h1>&lt;A &amp; B&gt;</h1>|mine"


def test_macros_called_from_python_return_escaped_markup(tmp_path):
    folder = folder_of(
        tmp_path / "t",
        _parts__html="{% macro title(text) %}<h1>{{ text }}</h1>{% endmacro %}",
        page__html="<body>{{ heading }}</body>",
    )
    pages = environment(folder)
    heading = macros(pages, "_parts.html").title("<b>")
    assert isinstance(heading, Markup) and heading == "<h1>&lt;b&gt;</h1>"
    # inserted into another template as it is, not escaped twice
    assert render(pages, "page.html", heading=heading) == "<body><h1>&lt;b&gt;</h1></body>"
