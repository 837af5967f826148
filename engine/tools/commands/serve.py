"""`serve`: the class server. One command on the teacher's computer; every student plays in a
browser on the local network, and the teacher watches the class live.

    python main.py serve                              # the bundled story
    python main.py serve STORY --classroom class.yaml --port 8000

It checks the story first (its problems printed as `validate` prints them, exit 1), then prints
the address students open (`Students: ...`) and the teacher's secret link (`Teacher: ...`), and
serves until Ctrl-C. Everything is kept in one database file (saves/class-server.sqlite3 by
default, or --db sqlite:///PATH): started again with the same file, the same class goes on.
See docs/classroom.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine import paths

DESCRIPTION = __doc__
DEFAULT_PORT = 8000
DEFAULT_DB = "class-server.sqlite3"
MAX_AUTO_WORKERS = 4
MAX_WORKERS = 32


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("story", nargs="?", default=None, help="a story file or folder")
    parser.add_argument(
        "--classroom", type=Path, default=None, help="classroom settings (docs/classroom.md)"
    )
    parser.add_argument(
        "--host",
        default="0.0.0.0",
        help="the address to listen on (default: every address of this computer, so the "
        "class can reach it; 127.0.0.1 for this computer only)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"the port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--db",
        default=None,
        help=f"the database URL (default: sqlite:///saves/{DEFAULT_DB}, in the saves folder)",
    )
    parser.add_argument(
        "--class-code",
        default=None,
        help="a code students must type to join ('auto' makes one up); overrides the "
        "classroom file's class_code",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="how many processes serve the class (default: one for each core of this "
        f"computer, up to {MAX_AUTO_WORKERS}; 1 for one process)",
    )
    parser.set_defaults(allow_undo=None, show_meters=None, ask_player=None, records=None)


def run(args: argparse.Namespace) -> int:
    from engine.tools.inputs import classroom_settings, load_or_report

    classroom = classroom_settings(args)
    if classroom is None:
        return 1
    story_path = args.story or classroom.story or paths.BUNDLED_STORY
    story = load_or_report(story_path)
    if story is None:
        return 1
    if not 0 <= args.port <= 65535:
        print(f"serve: the port must be 0 to 65535, not {args.port}", file=sys.stderr)
        return 1
    workers = args.workers if args.workers is not None else _auto_workers()
    if not 1 <= workers <= MAX_WORKERS:
        print(f"serve: --workers must be 1 to {MAX_WORKERS}, not {workers}", file=sys.stderr)
        return 1
    class_code = args.class_code if args.class_code is not None else classroom.class_code
    if class_code is not None and not 0 < len(class_code.strip()) <= 40:
        print("serve: the class code must be 1 to 40 characters", file=sys.stderr)
        return 1

    from engine.server.database import DatabaseError, open_database, sqlite_url

    url = args.db or sqlite_url(_default_db())
    try:
        database = open_database(url)
    except DatabaseError as problem:
        print(f"serve: {problem}", file=sys.stderr)
        return 1
    from engine.server.launch import serve

    try:
        return serve(
            story,
            classroom,
            database,
            class_code,
            args.host,
            args.port,
            story_path=str(story_path),
            workers=workers,
        )
    finally:
        database.close()


def _auto_workers() -> int:
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_AUTO_WORKERS))


def _default_db() -> Path:
    import os

    folder = Path(os.environ.get("BOP_SAVES_DIR") or paths.SAVES)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / DEFAULT_DB
