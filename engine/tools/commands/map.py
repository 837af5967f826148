"""Draw a story's map: every scene and every way between them, as Mermaid, Graphviz or SVG.

    python main.py map STORY -o map.svg     # drawn by the game itself, no other program needed
    python main.py map STORY -o map.mmd     # Mermaid, which GitHub draws
    python main.py map STORY -o map.dot     # Graphviz: dot -Tpng map.dot -o map.png

The format follows the output file's extension. See docs/story-map.md for how to read the map.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

DESCRIPTION = __doc__  # shown by `main.py COMMAND --help`

# Extension -> (format module, name); the module offers `render(graph) -> str`.
FORMATS: dict[str, tuple[str, str]] = {
    ".mmd": ("engine.tools.map.mermaid", "Mermaid"),
    ".mermaid": ("engine.tools.map.mermaid", "Mermaid"),
    ".dot": ("engine.tools.map.dot", "Graphviz"),
    ".gv": ("engine.tools.map.dot", "Graphviz"),
    ".svg": ("engine.tools.map.svg", "SVG"),
}


def output_path(text: str) -> Path:
    """The -o argument: a path whose extension names a format (argparse reports the error)."""
    path = Path(text)
    if path.suffix.lower() not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise argparse.ArgumentTypeError(
            f"cannot tell the map's format from {text!r}: end the file name with one of {known}"
        )
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", help="a story file or folder")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=output_path,
        metavar="FILE",
        help="where to write the map: .svg, .mmd (Mermaid) or .dot (Graphviz)",
    )


def run(args: argparse.Namespace) -> int:
    from engine.atomic import write_atomic
    from engine.story.collector import gc_paused
    from engine.story.diagnostics import summary
    from engine.story.loader import check_story
    from engine.tools.inputs import print_diagnostics
    from engine.tools.map.graph import build_graph
    from engine.tools.map.labels import count

    story, diagnostics = check_story(args.story, cache=True)
    if story is None:
        print_diagnostics(diagnostics)
        print(f"{args.story}: {summary(diagnostics)}: no map drawn", file=sys.stderr)
        return 1
    output: Path = args.output
    module_name, format_name = FORMATS[output.suffix.lower()]
    module = importlib.import_module(module_name)
    with gc_paused():  # a map is many small objects and no cycles (docs/performance.md)
        graph = build_graph(story)
        text = module.render(graph)
    try:
        write_atomic(output, text.encode("utf-8"))
    except OSError as problem:
        print(f"error: cannot write {output}: {problem.strerror or problem}", file=sys.stderr)
        return 1
    note = getattr(module, "limits_note", None)
    if note is not None and (message := note(graph, text)):
        print(message, file=sys.stderr)
    warnings = f" ({summary(diagnostics)}: see `python main.py validate`)" if diagnostics else ""
    print(
        f"wrote {output}: {format_name} map of {count(len(graph.nodes), 'scene')} and "
        f"{count(len(graph.edges), 'arrow')}{warnings}"
    )
    return 0
