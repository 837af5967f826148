"""The class server in several processes: what a worker needs to build the same app.

One Python process serves about 450 requests a second on one core, and a choice's fsync holds
its event loop still; with two or more processes on the same listening socket (uvicorn's
supervisor starts them, passes them the socket, and starts again any that dies) a teacher's
computer uses its other cores. Every worker opens the same database: what a student sees is
read from it on each request, a change is stored only if the playthrough is still at the step
the form answers (so two workers never apply one choice twice), and SQLite's write lock, taken
at the start of each writing transaction, keeps writes one at a time across processes.

A worker is a fresh interpreter (spawned, on every platform), so it is given the settings as
JSON in an environment variable and loads the story and the classroom again itself.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from uvicorn.config import STARTUP_FAILURE

from engine.classroom.settings import Classroom
from engine.server.app import Addresses, build_app
from engine.server.classplay import ClassPlay
from engine.server.database import open_database
from engine.story.loader import load_story

SETTINGS_VARIABLE = "BOP_SERVER_WORKER"
FACTORY = "engine.server.workers:app_from_environment"  # uvicorn calls it in each worker
PATH_FIELDS = ("story", "records")  # the Classroom fields that are paths


@dataclass(frozen=True)
class WorkerSettings:
    story_path: str
    classroom: dict
    database_url: str
    class_id: int  # the class the supervisor opened (or continued) before starting the workers
    students: str
    teacher: str

    def to_environment(self) -> None:
        """Set for the workers the supervisor is about to spawn (they inherit it)."""
        os.environ[SETTINGS_VARIABLE] = json.dumps(asdict(self))

    @staticmethod
    def classroom_fields(classroom: Classroom) -> dict:
        fields = asdict(classroom)
        for name in PATH_FIELDS:
            if fields[name] is not None:
                fields[name] = str(fields[name])
        return fields


def app_from_environment():
    """The class server's app in a worker, from the settings its supervisor left for it. A
    worker that cannot start (the story or the database gone since the check) says why in
    one line and exits with uvicorn's start-up failure, which stops the supervisor too,
    instead of being started again and again."""
    try:
        return _app(WorkerSettings(**json.loads(os.environ[SETTINGS_VARIABLE])))
    except Exception as problem:  # the worker's whole start: any failure ends it the same way
        print(f"serve: a worker of the server could not start: {problem}", file=sys.stderr)
        sys.exit(STARTUP_FAILURE)


def _app(settings: WorkerSettings):
    fields = dict(settings.classroom)
    for name in PATH_FIELDS:
        if fields[name] is not None:
            fields[name] = Path(fields[name])
    classroom = Classroom(**fields)
    story = load_story(settings.story_path)
    database = open_database(settings.database_url)
    play = ClassPlay(database, story, classroom, class_id=settings.class_id)
    addresses = Addresses(settings.students, settings.teacher)
    return build_app(play, addresses, classroom.teacher_password)
