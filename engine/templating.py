"""Jinja2 templates, the one way the engine writes HTML.

    pages = environment(my_folder, other_folder)   # one Environment per tuple of folders, cached
    text = render(pages, "page.html", record=...)  # a whole page, as text
    parts = macros(pages, "_parts.html")           # a template's macros, to call from Python
    svg = parts.meter_chart(chart)                 # their output is already escaped (Markup)

A template is looked up in the folders in the order given (the first that has the name wins), so
a template in one folder may `{% import %}` or `{% include %}` one from another: the class server
builds `environment(its_folder, classroom.page_style.TEMPLATES)` and imports the playthrough
page's macros.

Every environment escapes every value a template writes, for every template whatever its name
(`autoescape=True`): a text from a record or a form is written as text, never as markup, and no
Python code escapes by hand. A name a template uses that its caller did not give is an error
(`StrictUndefined`), not an empty string. The output is laid out as the template's lines say: a
line holding only a block tag (`{% if %}`, `{% for %}` ...) or a comment leaves nothing behind
(`trim_blocks`, `lstrip_blocks`), `{%-` also joins the tag to the line before, and a template's
final newline is kept (`keep_trailing_newline`).

Imports no engine code: anything that writes HTML may use it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.environment import TemplateModule


@cache
def environment(*folders: Path) -> Environment:
    """The templates in `folders` (searched in this order), escaping everything they write."""
    if not folders:
        raise ValueError("environment() needs at least one folder of templates")
    return Environment(
        loader=FileSystemLoader([str(folder) for folder in folders], encoding="utf-8"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(pages: Environment, name: str, /, **context: Any) -> str:
    """The template `name` rendered with `context`, as text."""
    return pages.get_template(name).render(**context)


def macros(pages: Environment, name: str) -> TemplateModule:
    """The template `name` as a module: its macros are attributes, callable from Python, and
    return escaped HTML (`markupsafe.Markup`, a str) that another template inserts as it is."""
    return pages.get_template(name).module
