"""The architecture's rules, read from the code's imports (docs/architecture.md explains them).

Every `import` in the engine and in main.py counts, wherever it stands: at the top of a module,
inside a function, or under `if TYPE_CHECKING:`; so do `from engine import Name` (as the module
that defines Name), `importlib.import_module("...")` with a literal name, and tables naming
engine modules. (A name built at run time, as the command line builds its commands' modules,
cannot be read; those modules are `engine.tools.commands.*`, which only the tools import.)
The rules:

- only `engine.ui` imports pygame;
- `engine.story` (the format and its compiler) imports no other package of the engine;
- `engine.play` (the runtime) imports `engine.story` and nothing above it;
- `engine.classroom` imports the story and the runtime, never a front end or the tools;
- the front ends (`engine.ui`, `engine.terminal`, `engine.server`) never import each other or
  the tools;
- only the class server (`engine.server`) imports the web and database libraries (Starlette,
  uvicorn, SQLAlchemy, python-multipart, segno);
- a screen never imports another screen (they navigate through `engine.ui.navigation`);
- the shared leaves (`engine.atomic`, `engine.json_files`, `engine.paths`, `engine.crash_log`,
  `engine.safe_read`, `engine.templating`) import no engine code but one another;
- no two modules import each other, directly or through others;
- HTML is written by templates (`engine.templating`), never by hand: no module escapes HTML
  itself or holds markup in its strings (but the story map's SVG and Mermaid writers).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .conftest import ROOT

ENGINE = ROOT / "engine"
LEAVES = {
    "engine.atomic",
    "engine.json_files",
    "engine.paths",
    "engine.crash_log",
    "engine.safe_read",
    "engine.templating",
}
# package -> the engine packages it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "engine.story": (
        "engine.play",
        "engine.classroom",
        "engine.tools",
        "engine.ui",
        "engine.terminal",
        "engine.server",
    ),
    "engine.play": (
        "engine.classroom",
        "engine.tools",
        "engine.ui",
        "engine.terminal",
        "engine.server",
    ),
    "engine.classroom": ("engine.tools", "engine.ui", "engine.terminal", "engine.server"),
    "engine.ui": ("engine.tools", "engine.terminal", "engine.server"),
    "engine.terminal": ("engine.tools", "engine.ui", "engine.server"),
    "engine.server": ("engine.tools", "engine.ui", "engine.terminal"),
}
WEB_LIBRARIES = ("starlette", "uvicorn", "sqlalchemy", "multipart", "python_multipart", "segno")
SCREENS = "engine.ui.screens"
SCREEN_SHARED = {"engine.ui.screens", "engine.ui.screens.base"}  # what screens may share


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def engine_files() -> list[Path]:
    return sorted(ENGINE.rglob("*.py")) + [ROOT / "main.py"]


def known_modules() -> set[str]:
    return {module_name(path) for path in engine_files()}


def public_names() -> dict[str, str]:
    """`engine`'s public names and the modules that define them (its `_EXPORTS` table), so that
    `from engine import Session` counts as importing engine.play.session."""
    tree = ast.parse((ENGINE / "__init__.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign) and "_EXPORTS" in ast.unparse(node):
            return ast.literal_eval(node.value)
    raise AssertionError("engine/__init__.py has no _EXPORTS table")


def imports_of(
    path: Path, modules: set[str], exports: dict[str, str], importer: str | None = None
) -> Iterator[Import]:
    """Every module `path` imports, anywhere in it: `from a.b import c` is a.b.c when that is a
    module, else a.b; relative imports are made absolute; `from engine import Name` is the
    module defining Name. Imports by name count too: `importlib.import_module("x")`, and any
    string that is exactly the name of an engine module (tables of modules to import)."""
    importer = importer or module_name(path)
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(importer, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if base == "engine" and alias.name in exports:
                    full = exports[alias.name]
                yield Import(importer, full if full in modules else base, node.lineno)
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith(
            ("import_module", "__import__")
        ):
            if node.args and isinstance(node.args[0], ast.Constant):
                yield Import(importer, str(node.args[0].value), node.lineno)
        elif isinstance(node, ast.Constant) and node.value in modules and node.value != importer:
            yield Import(importer, node.value, node.lineno)


def all_imports() -> list[Import]:
    modules, exports = known_modules(), public_names()
    return [found for path in engine_files() for found in imports_of(path, modules, exports)]


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_rules_see_the_imports_they_judge():
    """A check that finds nothing proves nothing: the graph holds the imports we know of."""
    edges = {(i.importer, i.imported) for i in all_imports()}
    assert ("engine.ui.app", "pygame") in edges
    assert ("engine.server.app", "starlette.applications") in edges
    assert ("engine.play.session", "engine.story.model") in edges
    assert ("engine.tools.commands.map", "engine.tools.map.svg") in edges  # by name, in a table
    assert ("engine", "engine.play.session") in edges  # the public API's table
    assert len(edges) > 200


def test_imports_by_name_and_through_the_public_api_are_seen(tmp_path):
    module = tmp_path / "engine" / "story" / "example.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "import importlib\n"
        "from engine import Session\n"
        "def later():\n"
        "    return importlib.import_module('pygame')\n"
    )
    found = imports_of(module, known_modules(), public_names(), "engine.story.example")
    assert {"engine.play.session", "pygame"} <= {i.imported for i in found}


def test_only_the_desktop_game_imports_pygame():
    found = [
        f"{i.importer}:{i.line}"
        for i in all_imports()
        if within(i.imported, "pygame") and not within(i.importer, "engine.ui")
    ]
    assert found == []


def test_only_the_class_server_imports_the_web_and_database_libraries():
    found = [
        f"{i.importer}:{i.line} imports {i.imported}"
        for i in all_imports()
        if any(within(i.imported, library) for library in WEB_LIBRARIES)
        and not within(i.importer, "engine.server")
    ]
    assert found == []


def test_each_package_imports_only_the_packages_below_it():
    found = [
        f"{i.importer}:{i.line} imports {i.imported}"
        for i in all_imports()
        for package, forbidden in FORBIDDEN.items()
        if within(i.importer, package) and any(within(i.imported, other) for other in forbidden)
    ]
    assert found == []


def test_the_shared_leaves_import_no_engine_code():
    found = [
        f"{i.importer}:{i.line} imports {i.imported}"
        for i in all_imports()
        if i.importer in LEAVES and within(i.imported, "engine") and i.imported not in LEAVES
    ]
    assert found == []


def test_no_screen_imports_another_screen():
    found = [
        f"{i.importer}:{i.line} imports {i.imported}"
        for i in all_imports()
        if within(i.importer, SCREENS)
        and i.importer not in SCREEN_SHARED
        and within(i.imported, SCREENS)
        and i.imported not in SCREEN_SHARED
    ]
    assert found == []


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (a list of modules, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if state.get(root):
            continue
        path, stack = [root], [iter(sorted(graph[root]))]
        state[root] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step) == 1:
                return path[path.index(step) :] + [step]
            elif not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append(iter(sorted(graph.get(step, ()))))
    return None


def engine_graph() -> dict[str, set[str]]:
    modules = known_modules()
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for found in all_imports():
        if found.imported in modules and found.imported != found.importer:
            graph[found.importer].add(found.imported)
    return graph


def test_there_is_no_import_cycle():
    assert find_cycle(engine_graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


# The files that write markup of their own: the story map as an SVG file, and the HTML a Mermaid
# label may hold (each escapes what it writes, for its own format).
MARKUP_WRITERS = {"engine.tools.map.svg", "engine.tools.map.mermaid"}
MARKUP = re.compile(r"(?<!\?P)</?[a-zA-Z][a-zA-Z0-9]*[\s/>]")  # a tag (not a regex's (?P<name>)


def markup_in(path: Path) -> list[int]:
    """The lines of `path` whose strings hold a tag (docstrings aside; an f-string's pieces are
    read together, with {} for each value)."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = "" if id(node) in docstrings else node.value
        else:
            continue
        if MARKUP.search(text):
            lines.add(node.lineno)
    return sorted(lines)


def test_html_is_written_by_templates_only():
    """Every page is a template escaped by Jinja2's autoescape (engine/templating.py): no module
    escapes HTML itself (html.escape, markupsafe) or writes tags in its strings."""
    modules = known_modules()
    escaping = [
        f"{i.importer}:{i.line} imports {i.imported}"
        for i in all_imports()
        if i.imported in ("html", "markupsafe") or i.imported.startswith(("html.", "markupsafe."))
    ]
    assert escaping == []
    written = [
        f"{module_name(path)}:{line}"
        for path in engine_files()
        if module_name(path) not in MARKUP_WRITERS
        for line in markup_in(path)
    ]
    assert written == []
    assert modules >= MARKUP_WRITERS


def test_the_markup_check_finds_markup(tmp_path):
    """A check that finds nothing proves nothing: a tag in an f-string or a string is found, a
    regular expression's named group and a docstring are not."""
    module = tmp_path / "example.py"
    module.write_text(
        '"""A module that writes <p> in its docstring."""\n'
        "import re\n"
        "def page(title):\n"
        '    return f"<section class=\\"a\\">{title}"\n'
        'END = "</section>"\n'
        'PATTERN = re.compile(r"(?P<name>\\w+) <= 3")\n'
    )
    assert markup_in(module) == [4, 5]
