"""The public API in `engine/__init__.py`: every name it offers resolves, and importing the
package costs nothing until a name is used."""

import ast
import subprocess
import sys

import engine

from .conftest import ROOT

# What a game, a tool or a test needs (docs/architecture.md): the story and its diagnostics, the
# model, and the session with its actions and what they return.
REQUIRED = {
    "load_story",
    "check_story",
    "Session",
    "Choose",
    "Undo",
    "Turn",
    "Option",
    "MeterChange",
    "StoryError",
    "Diagnostic",
    "Story",
    "Scene",
    "Choice",
    "Ending",
    "Meter",
    "SessionError",
    "ChoiceNotOffered",
    "Partner",
    "Paragraph",
}


def test_every_public_name_resolves_to_what_its_module_defines():
    assert set(engine.__all__) >= REQUIRED
    assert sorted(engine.__all__) == sorted(engine._EXPORTS)
    for name in engine.__all__:
        value = getattr(engine, name)
        assert getattr(value, "__name__", name) == name


def test_an_unknown_name_is_an_attribute_error():
    try:
        engine.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("engine.no_such_thing did not raise")


def modules_loaded_by(code: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules with these prefixes that a fresh interpreter has loaded after `code`."""
    probe = (
        f"{code}\nimport sys\nprint(sorted(m for m in sys.modules if m.startswith({prefixes!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def test_importing_the_package_loads_no_engine_module_and_no_pygame():
    assert modules_loaded_by("import engine", ("engine.", "pygame", "yaml", "transitions")) == []


def test_playing_a_story_loads_neither_pygame_nor_the_tools():
    code = (
        "from engine import Session, load_story\n"
        "s = Session(load_story('scenes/balance_of_power'), seed=1)\n"
        "s.choose(s.offered()[0].id)"
    )
    loaded = modules_loaded_by(
        code, ("pygame", "engine.ui", "engine.tools", "engine.classroom", "engine.terminal")
    )
    assert loaded == []
    assert "engine.play.session" in modules_loaded_by(code, ("engine.play",))  # it did play
