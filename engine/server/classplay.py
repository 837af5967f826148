"""A class playing one story: the class server's model of play, on the database.

This is the front end's side of the engine: it drives the same `Session` as the desktop game
and the terminal player, and keeps every playthrough in the database (`database.py`) instead of
save files. Every change is written in a transaction committed before the caller sends the next
page (on the event loop, the group committer, `committer.py`, puts the changes that arrive
together in one transaction):

- a choice stores the session's whole state (`Session.to_save`) and one row in `choices`;
- every change adds one to the playthrough's `step`, and a change is applied only when the
  step the player's form carries is still the current one. A form sent twice (a double click,
  the back button, a second tab, a replayed request) finds the step moved on and is refused as
  stale, so no choice is ever applied twice.

Sessions are kept in a small cache by playthrough and step, so a page after a choice does not
rebuild the session from its saved state; the database stays the truth (a restarted server, or a
second one on the same database, rebuilds from it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, update

from engine.classroom.records import Record, build_record, new_record_id
from engine.classroom.settings import Classroom
from engine.play.actions import Choose, Undo
from engine.play.errors import SessionError
from engine.play.flow import Flow
from engine.play.session import Session
from engine.play.turns import Turn
from engine.server.committer import GroupCommitter, Refused, Write
from engine.server.database import (
    Database,
    Precompiled,
    choices,
    classes,
    meta,
    players,
    playthroughs,
    reveals,
)
from engine.story.model import Story
from engine.story.text import Partner, render, typed_text_problem

CODE_LIMIT = 40  # characters in a player's code or name, a class code, a partner's name
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on a phone
MAX_PLAYERS = 1000  # in one class: a school year's worth; bounds what joining can grow
MAX_PLAYTHROUGHS = 50  # one player's, by playing again: bounds the records a loop can grow
CACHE_SIZE = 2048  # sessions kept in memory (a class is 30; a school's worth still fits)
LOCK_STRIPES = 64
MAX_SECONDS = 24 * 3600.0  # a decision's time is counted up to a day
ENDINGS_KEY = "endings"  # the projector's debrief, revealed like a decision
AUTO_CODE = "auto"  # --class-code auto: make one up (once per class)
CHOICE_KEY = "choice:"  # a decision's answer counted by choice, when it names no response
log = logging.getLogger("engine.server")


class Outcome(StrEnum):
    """What came of a player's request to change their play."""

    DONE = "done"
    STALE = "stale"  # the form answered a page that is no longer current
    NOT_OFFERED = "not offered"
    CLOSED = "closed"  # the class has ended


class JoinError(Refused):
    """Why a student could not join: a message for the join page. (Wrong codes are not
    throttled: a class behind one proxy shares one address, and one student's typos must not
    lock the others out; the class code only keeps out passers-by.)"""


@dataclass(frozen=True, slots=True)
class Pending:
    """A change to the class's database, to be made now (`ClassPlay.now`) or by the group
    committer (`ClassPlay.stored`): `write` makes it in an open transaction and returns its
    answer (it may raise `Refused` before writing anything); `then`, if given, runs after the
    commit and turns that answer into the caller's."""

    write: Write
    then: Callable[[Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class Player:
    id: int
    number: int
    code: str
    seen_note: bool
    current: int | None


@dataclass(frozen=True, slots=True)
class Student:
    """What every student's page reads first, in one query: the browser's player (None when
    it has not joined), the class's state, and the step of the player's playthrough."""

    player: Player | None
    joining_open: bool
    ended: bool
    step: int | None  # None: no playthrough (or no player)


@dataclass(frozen=True, slots=True)
class PlayView:
    """What a player's page shows: the session at a step of the playthrough."""

    playthrough: int
    step: int
    session: Session


@dataclass(frozen=True, slots=True)
class PlayerRow:
    """One line of the dashboard."""

    number: int
    code: str
    scene: str
    scene_title: str
    turns: int
    status: str  # "joined", "playing", "ended", "stuck"
    ending_title: str | None


@dataclass(frozen=True, slots=True)
class Decision:
    """The class's answers at one decision (a scene with choices)."""

    scene: str
    title: str
    counts: tuple[tuple[str, str, int], ...]  # (response id, label, count), in story order
    total: int


@dataclass(frozen=True, slots=True)
class ClassView:
    """Everything the dashboard and the projector show, read in one go."""

    joining_open: bool
    ended: bool
    players: tuple[PlayerRow, ...]
    decisions: tuple[Decision, ...]
    endings: tuple[tuple[str, str, int], ...]  # (ending id, title, count)
    meter_ranges: tuple[tuple[str, int, int, int], ...]  # (label, low, high, players) at endings
    revealed: frozenset[str]
    choices_made: int


def clean_text(text: str) -> str:
    """Typed text as it is kept: NFC, spaces collapsed, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_problem(text: str, what: str) -> str | None:
    """Why typed text cannot be used (too long, or what `typed_text_problem` refuses, as the
    terminal and the desktop game refuse it), or None."""
    if len(text) > CODE_LIMIT:
        return f"{what} must be at most {CODE_LIMIT} characters (it has {len(text)})."
    problem = typed_text_problem(text)
    return f"{what} cannot be used: {problem}." if problem else None


def code_key(code: str) -> str:
    """How a code is matched: the same letters, whatever their case or spacing."""
    return clean_text(code).casefold().replace("-", "").replace(" ", "")


def new_code() -> str:
    """A code for a player who was not asked for one: six characters, easy to read out."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{letters[:3]}-{letters[3:]}"


def sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


class ClassPlay:
    """One class playing one story, kept in a database."""

    def __init__(
        self,
        database: Database,
        story: Story,
        classroom: Classroom | None = None,
        join_code: str | None = None,
        clock=time.time,
        class_id: int | None = None,
    ):
        """`class_id` attaches to a class another process opened (a worker of the server:
        engine/server/workers.py); without it, the class is continued or made here."""
        self.database = database
        self.story = story
        self.classroom = classroom or Classroom()
        self.clock = clock
        self._cache: OrderedDict[int, tuple[int, Session]] = OrderedDict()
        # Each cached playthrough's turns as JSON, with the turn each was made from
        self._turns_json: OrderedDict[int, list[tuple[Turn, str]]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._stripes = [threading.Lock() for _ in range(LOCK_STRIPES)]
        self.secret_key = self._meta_secret("secret_key", 32)
        self.teacher_secret = self._meta_secret("teacher_secret", 24)
        if class_id is None:
            self.class_id, self.continued = self._open_class(join_code)
        else:
            self.class_id, self.continued = class_id, True
        # The two queries behind every student's page, built once: building them anew cost
        # about 15% of a page's CPU; a built one is compiled once and its key remembered.
        self._state_query = Precompiled(
            select(classes.c.joining_open, classes.c.ended, classes.c.join_code).where(
                classes.c.id == self.class_id
            )
        )
        self._player_query = select(*PLAYER_COLUMNS).where(
            players.c.sid_hash == bindparam("sid_hash"), players.c.class_id == self.class_id
        )
        # A student's page in one statement: the class, the browser's player, its step.
        self._student_query = Precompiled(
            select(classes.c.joining_open, classes.c.ended, *PLAYER_COLUMNS, playthroughs.c.step)
            .select_from(
                classes.outerjoin(
                    players,
                    and_(
                        players.c.class_id == classes.c.id,
                        players.c.sid_hash == bindparam("sid_hash"),
                    ),
                ).outerjoin(playthroughs, playthroughs.c.id == players.c.current)
            )
            .where(classes.c.id == self.class_id)
        )
        self._step_query = select(playthroughs.c.step).where(playthroughs.c.id == bindparam("id"))
        self._saved_query = select(playthroughs.c.step, playthroughs.c.state).where(
            playthroughs.c.id == bindparam("id")
        )
        self.scene_order = {scene_id: n for n, scene_id in enumerate(story.scenes)}
        self.committer = GroupCommitter(database)

    # Setting up --------------------------------------------------------------------------------

    def _meta_secret(self, key: str, size: int) -> str:
        """A secret kept in the database, made once: a restart keeps the teacher's link."""
        with self.database.writing() as connection:
            found = connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()
            if found:
                return found
            value = secrets.token_urlsafe(size)
            connection.execute(insert(meta).values(key=key, value=value))
            return value

    def _open_class(self, join_code: str | None) -> tuple[int, bool]:
        """The class to continue (the last one on this story that was not ended), or a new one.
        Returns its id and whether it was continued."""
        with self.database.writing() as connection:
            row = connection.execute(
                select(classes.c.id, classes.c.join_code)
                .where(classes.c.story_id == self.story.id, classes.c.ended.is_(False))
                .order_by(classes.c.id.desc())
                .limit(1)
            ).first()
            if join_code == AUTO_CODE:  # a class going on keeps the code it was given
                join_code = (row.join_code if row is not None else None) or new_code().replace(
                    "-", ""
                )
            if row is not None:
                changes = {"story_title": self.story.title, "name": self.classroom.name}
                if join_code is not None:
                    changes["join_code"] = join_code
                connection.execute(update(classes).where(classes.c.id == row.id).values(changes))
                return row.id, True
            created = connection.execute(
                insert(classes).values(
                    story_id=self.story.id,
                    story_title=self.story.title,
                    name=self.classroom.name,
                    join_code=join_code,
                    joining_open=True,
                    ended=False,
                    created=self.clock(),
                )
            )
            return created.inserted_primary_key[0], False

    @property
    def join_code(self) -> str | None:
        return self.database.first(self._state_query).join_code

    def class_state(self) -> tuple[bool, bool]:
        """(joining open, ended)."""
        row = self.database.first(self._state_query)
        return bool(row.joining_open), bool(row.ended)

    def student(self, sid: str | None) -> Student:
        """The player this browser is (or None), the class's state and the player's step, read
        in one statement: what a student's page needs before anything else."""
        row = self.database.first(self._student_query, {"sid_hash": sid_hash(sid) if sid else ""})
        player = _as_player(row) if row.id is not None else None
        return Student(player, bool(row.joining_open), bool(row.ended), row.step)

    # Players -----------------------------------------------------------------------------------

    def player_for(self, sid: str | None) -> Player | None:
        """The player this browser is, or None."""
        if not sid:
            return None
        with self.database.reading() as connection:
            row = connection.execute(self._player_query, {"sid_hash": sid_hash(sid)}).first()
        return _as_player(row) if row else None

    def join(
        self, sid: str, code: str | None, class_code: str | None = None, new_sid: str | None = None
    ) -> tuple[Player, bool]:
        """Join the class from this browser, or come back with a code. Returns the player and
        whether it is one coming back. Raises JoinError with a message for the page. With
        `new_sid`, the player is found from then on by it, not by `sid` (the server gives a
        browser a new session id when it joins, so a value planted in it opens nothing)."""
        return self.now(self.joining(sid, code, class_code, new_sid))

    def joining(
        self, sid: str, code: str | None, class_code: str | None = None, new_sid: str | None = None
    ) -> Pending:
        """`join` as a change to make (`now` or `stored`): what the form says is checked here,
        what the class holds when the change is made."""
        keep = new_sid or sid
        joining_open, ended = self.class_state()
        if ended:
            raise JoinError("This session has ended. Ask your teacher what to do next.")
        expected = self.join_code
        if expected and code_key(class_code or "") != code_key(expected):
            raise JoinError(
                "That class code is not right: check the code your teacher shows."
                if class_code
                else "Type the class code your teacher shows."
            )
        code = clean_text(code or "")
        asked = self.classroom.ask_player != "none"
        if code:
            problem = text_problem(code, "Your code")
            if problem:
                raise JoinError(problem)
        elif asked:
            raise JoinError(
                "Type your name." if self.classroom.ask_player == "name" else "Type your code."
            )
        now = self.clock()

        def write(connection) -> tuple[Player, bool]:
            """Every refusal here comes before anything is written (`Refused`)."""
            chosen = code
            if chosen:
                row = connection.execute(
                    select(players.c.id).where(
                        players.c.class_id == self.class_id, players.c.code_key == code_key(chosen)
                    )
                ).first()
                if row is not None:  # coming back, maybe on another device
                    connection.execute(
                        update(players)
                        .where(players.c.id == row.id)
                        .values(sid_hash=sid_hash(keep))
                    )
                    return self._player(connection, row.id), True
                if not asked:
                    raise JoinError(
                        "No one in this class has that code: check it, or leave it empty to start."
                    )
            if not joining_open:
                raise JoinError("Joining is paused: wait for your teacher to open it.")
            joined = connection.execute(
                select(func.count()).select_from(players).where(players.c.class_id == self.class_id)
            ).scalar()
            if joined >= MAX_PLAYERS:
                raise JoinError(
                    f"This class is full ({MAX_PLAYERS} players): ask your teacher. (Anyone "
                    "already in it can still carry on with their code.)"
                )
            number = (
                connection.execute(
                    select(func.max(players.c.number)).where(players.c.class_id == self.class_id)
                ).scalar()
                or 0
            ) + 1
            chosen = chosen or self._free_code(connection)
            # A browser is one player: a new join from it leaves the old player behind.
            connection.execute(
                update(players)
                .where(players.c.class_id == self.class_id, players.c.sid_hash == sid_hash(sid))
                .values(sid_hash=None)
            )
            created = connection.execute(
                insert(players).values(
                    class_id=self.class_id,
                    number=number,
                    code=chosen,
                    code_key=code_key(chosen),
                    sid_hash=sid_hash(keep),
                    joined=now,
                    seen_note=not self.story.content_note,
                    current=None,
                )
            )
            return self._player(connection, created.inserted_primary_key[0]), False

        return Pending(write)

    def _free_code(self, connection) -> str:
        for _ in range(100):
            code = new_code()
            taken = connection.execute(
                select(players.c.id).where(
                    players.c.class_id == self.class_id, players.c.code_key == code_key(code)
                )
            ).first()
            if taken is None:
                return code
        raise JoinError("The class is full: no free code was found.")  # 32^6 codes: never

    @staticmethod
    def _player(connection, player_id: int) -> Player:
        return _as_player(
            connection.execute(select(*PLAYER_COLUMNS).where(players.c.id == player_id)).one()
        )

    def forget_browser(self, sid: str) -> None:
        """This browser is no longer anyone's (a student leaving a shared computer): the play
        stays, to be carried on with its code."""
        with self.database.writing() as connection:
            connection.execute(
                update(players)
                .where(players.c.class_id == self.class_id, players.c.sid_hash == sid_hash(sid))
                .values(sid_hash=None)
            )

    def note_seen(self, player: Player) -> None:
        self.now(self.seeing_note(player))

    def seeing_note(self, player: Player) -> Pending:
        """`note_seen` as a change to make."""

        def write(connection) -> None:
            connection.execute(
                update(players).where(players.c.id == player.id).values(seen_note=True)
            )

        return Pending(write)

    # Playthroughs ------------------------------------------------------------------------------

    def begin(self, player: Player, partner: Partner) -> Outcome:
        """Start a new playthrough for the player (after the partner page)."""
        return self.now(self.beginning(player, partner))

    def beginning(self, player: Player, partner: Partner) -> Pending | Outcome:
        """`begin` as a change to make, or its outcome when there is nothing to write."""
        if self.class_state()[1]:
            return Outcome.CLOSED
        session = Session(self.story, None, partner, self.classroom.rules().allow_undo)
        now = self.clock()
        row = {
            "player_id": player.id,
            "class_id": self.class_id,
            "record_id": new_record_id(),
            "seed": session.seed,
            "state": json.dumps(session.to_save(), ensure_ascii=False),
            "step": 0,
            "turns": 0,
            "scene": session.scene_id,
            "status": _status(session),
            "ending": None,
            "meters": json.dumps(session.meters),
            "started": now,
            "updated": now,
        }

        def write(connection) -> int | None:
            """The new playthrough's id; None when one was begun already."""
            current = connection.execute(
                select(players.c.current).where(players.c.id == player.id)
            ).scalar()
            if current is not None or player.current is not None:
                # Begun already (the partner form sent again, from another tab or the back
                # button): the play in progress is kept. Playing again after an ending, or
                # after a reset, comes here with no playthrough (`leave`, `reset_player`).
                return None
            created = connection.execute(insert(playthroughs).values(row))
            playthrough = created.inserted_primary_key[0]
            connection.execute(
                update(players).where(players.c.id == player.id).values(current=playthrough)
            )
            return playthrough

        def then(playthrough: int | None) -> Outcome:
            if playthrough is None:
                return Outcome.STALE
            self._remember(playthrough, 0, session)
            return Outcome.DONE

        return Pending(write, then)

    def leave(self, player: Player) -> bool:
        """The player leaves an ended playthrough to play again: it is kept as it ended, and
        the next page begins a new one. False, and nothing changed, when the player has played
        MAX_PLAYTHROUGHS times already (the teacher's reset still lets them start again)."""
        return self.now(self.leaving(player))

    def leaving(self, player: Player) -> Pending:
        """`leave` as a change to make."""

        def write(connection) -> bool:
            played = connection.execute(
                select(func.count())
                .select_from(playthroughs)
                .where(playthroughs.c.player_id == player.id)
            ).scalar()
            if played >= MAX_PLAYTHROUGHS:
                return False
            connection.execute(
                update(players)
                .where(players.c.id == player.id, players.c.current == player.current)
                .values(current=None)
            )
            return True

        return Pending(write)

    def now(self, change):
        """Make a change (`Pending`) in a transaction of its own, in the caller's thread, and
        return its answer; anything else is an answer already, returned as it is."""
        if not isinstance(change, Pending):
            return change
        with self.database.writing() as connection:
            answer = change.write(connection)
        return change.then(answer) if change.then is not None else answer

    async def stored(self, change):
        """`now` for a request on the event loop: the change is made by the group committer
        with the others arriving at the same time, and this returns once it is committed."""
        if not isinstance(change, Pending):
            return change
        answer = await self.committer.store(change.write)
        return change.then(answer) if change.then is not None else answer

    def view(self, player: Player, step: int | None = None) -> PlayView | None:
        """The player's current playthrough as it stands, or None when there is none. `step`:
        its step as just read with the player (`student`); when the cached session is at that
        step, nothing more is read."""
        if player.current is None:
            return None
        with self._lock(player.current):
            return self._view(player.current, step)

    def _view(self, playthrough: int, known_step: int | None = None) -> PlayView | None:
        """The playthrough at its current step: the cached session when it is at that step,
        else the saved state read and rebuilt (the state is read only then)."""
        cached = self._cached(playthrough)
        if known_step is not None and cached is not None and cached[0] == known_step:
            return PlayView(playthrough, known_step, cached[1])
        if known_step is None:
            with self.database.reading() as connection:
                step = connection.execute(self._step_query, {"id": playthrough}).scalar()
            if step is None:
                return None
            if cached is not None and cached[0] == step:
                return PlayView(playthrough, step, cached[1])
        with self.database.reading() as connection:
            row = connection.execute(self._saved_query, {"id": playthrough}).first()
        if row is None:
            return None
        session = self._session(playthrough, row.state)
        if self.classroom.rules().allow_undo is not None:
            session.allow_undo = self.classroom.rules().allow_undo
        self._remember(playthrough, row.step, session)
        return PlayView(playthrough, row.step, session)

    def _session(self, playthrough: int, state: str) -> Session:
        """The session saved for a playthrough; when its saved state is damaged, rebuilt from
        its seed and the choices kept row by row (only the partner's name is lost then)."""
        try:
            return Session.from_save(self.story, json.loads(state))[0]
        except (SessionError, ValueError, RecursionError):
            log.warning(
                "playthrough %s: its saved state is damaged; replaying its choices", playthrough
            )
        with self.database.engine.connect() as connection:
            seed = connection.execute(
                select(playthroughs.c.seed).where(playthroughs.c.id == playthrough)
            ).scalar_one()
            made = connection.execute(
                select(choices.c.choice)
                .where(choices.c.playthrough_id == playthrough)
                .order_by(choices.c.number)
            ).scalars()
            session = Session(self.story, seed, None, self.classroom.rules().allow_undo)
            for choice in made:
                try:
                    session.choose(choice)
                except SessionError:
                    break
        return session

    def choose(
        self,
        player: Player,
        step: int,
        choice_id: str,
        shown: float | None = None,
        student: Student | None = None,
    ) -> tuple[Outcome, Turn | None]:
        """Make a choice for the player, if the form answers the current step. `student`: the
        class's state and the playthrough's step as just read with the player, not read again."""
        return self._change(player, step, Choose(choice_id), shown, student)

    def undo(
        self, player: Player, step: int, student: Student | None = None
    ) -> tuple[Outcome, Turn | None]:
        """Take back the player's last choice, when the class allows undo."""
        return self._change(player, step, Undo(), None, student)

    async def choose_async(
        self, player: Player, step: int, choice_id: str, shown: float | None, student: Student
    ) -> tuple[Outcome, Turn | None]:
        """`choose` for a request on the event loop: the change is stored by the group
        committer (engine/server/committer.py) with the others arriving at the same time, and
        this returns once it is committed."""
        return await self._change_async(player, step, Choose(choice_id), shown, student)

    async def undo_async(
        self, player: Player, step: int, student: Student
    ) -> tuple[Outcome, Turn | None]:
        """`undo` for a request on the event loop, stored as `choose_async` stores a choice."""
        return await self._change_async(player, step, Undo(), None, student)

    def _change(self, player, step, action, shown, student=None) -> tuple[Outcome, Turn | None]:
        """A change stored in a transaction of its own, in the caller's thread."""
        if player.current is None:
            return Outcome.STALE, None
        with self._lock(player.current):
            prepared = self._prepare(player, step, action, shown, student)
            if not isinstance(prepared, Prepared):
                return prepared, None
            try:
                with self.database.writing() as connection:
                    stored = write_change(connection, prepared.change)
            except BaseException:
                self._forget(player.current)  # the session moved on but the database did not
                raise
            return self._finish(prepared, stored)

    async def _change_async(self, player, step, action, shown, student):
        if player.current is None:
            return Outcome.STALE, None
        with self._lock(player.current):
            prepared = self._prepare(player, step, action, shown, student)
        if not isinstance(prepared, Prepared):
            return prepared, None
        # Until it is committed, the changed session is in no cache: a page meanwhile is made
        # from the database, and a second form for the same step is refused by it.
        stored = await self.committer.store(partial(write_change, change=prepared.change))
        return self._finish(prepared, stored)

    def _prepare(self, player, step, action, shown, student) -> Prepared | Outcome:
        """The change applied to the session (taken out of the cache) and what storing it
        writes, or the outcome when there is nothing to store. Called under the lock."""
        ended = student.ended if student is not None else self.class_state()[1]
        if ended:
            return Outcome.CLOSED
        if student is not None and student.step is not None and student.step != step:
            return Outcome.STALE  # the form answers an older page: nothing more to read
        view = self._view(player.current, student.step if student is not None else None)
        if view is None or view.step != step:
            return Outcome.STALE
        session = view.session
        if isinstance(action, Undo) and not session.can_undo:
            return Outcome.NOT_OFFERED
        self._forget(view.playthrough)  # it changes now; it is cached again once stored
        try:
            turn = session.apply(action)
        except SessionError:
            return Outcome.NOT_OFFERED
        change = self._change_row(view, turn, action, self.clock(), shown)
        return Prepared(view, session, turn, change)

    def _finish(self, prepared: Prepared, stored: bool) -> tuple[Outcome, Turn | None]:
        if not stored:  # reset by the teacher meanwhile, or changed by another request
            return Outcome.STALE, None
        self._remember(prepared.view.playthrough, prepared.view.step + 1, prepared.session)
        return Outcome.DONE, prepared.turn

    def _change_row(self, view: PlayView, turn: Turn, action, now: float, shown) -> Change:
        """What storing a change writes, as data (the statements are built once: `_SAVE`)."""
        session = view.session
        number = len(session.history)
        saved = {
            "b_id": view.playthrough,
            "b_step": view.step,
            "v_state": self._state_json(view.playthrough, session),
            "v_step": view.step + 1,
            "v_turns": number,
            "v_scene": session.scene_id,
            "v_status": _status(session),
            "v_ending": session.scene_id if session.ended else None,
            "v_meters": json.dumps(session.meters),
            "v_updated": now,
        }
        if isinstance(action, Undo):
            return Change(saved, None, {"b_id": view.playthrough, "b_number": number})
        seconds = None
        if shown is not None and shown <= now:
            seconds = round(min(now - shown, MAX_SECONDS), 3)
        made = {
            "playthrough_id": view.playthrough,
            "class_id": self.class_id,
            "number": number,
            "scene": turn.scene,
            "choice": turn.choice,
            "response": turn.response,
            "seconds": seconds,
            "at": now,
        }
        return Change(saved, made, None)

    # The cache ---------------------------------------------------------------------------------

    @contextmanager
    def _lock(self, playthrough: int) -> Iterator[None]:
        with self._stripes[playthrough % LOCK_STRIPES]:
            yield

    def _cached(self, playthrough: int) -> tuple[int, Session] | None:
        with self._cache_lock:
            found = self._cache.get(playthrough)
            if found is not None:
                self._cache.move_to_end(playthrough)
            return found

    def _remember(self, playthrough: int, step: int, session: Session) -> None:
        with self._cache_lock:
            self._cache[playthrough] = (step, session)
            self._cache.move_to_end(playthrough)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def _forget(self, playthrough: int) -> None:
        with self._cache_lock:
            self._cache.pop(playthrough, None)

    def _state_json(self, playthrough: int, session: Session) -> str:
        """`Session.to_save` as JSON, what a change stores, with each turn of the history
        encoded once, not again at every choice: the history is most of the state (8.6 of
        10.3 KB at an ending) and encoding it was about a tenth of a choice's CPU
        (docs/performance.md). Equal to `json.dumps(session.to_save())` once parsed."""
        with self._cache_lock:
            known = self._turns_json.get(playthrough, [])
        encoded = [
            known[number]
            if number < len(known) and known[number][0] is turn
            else (turn, json.dumps(turn.to_data(), ensure_ascii=False))
            for number, turn in enumerate(session.history)
        ]
        with self._cache_lock:
            self._turns_json[playthrough] = encoded
            self._turns_json.move_to_end(playthrough)
            while len(self._turns_json) > CACHE_SIZE:
                self._turns_json.popitem(last=False)
        rest = json.dumps(session.to_save(history=False), ensure_ascii=False)
        return rest[:-1] + ', "history": [' + ", ".join(text for _, text in encoded) + "]}"

    # The teacher -------------------------------------------------------------------------------

    def set_joining(self, open_: bool) -> None:
        self._set_class(joining_open=open_)

    def end_class(self) -> None:
        """End the session for everyone: every page says so; nothing is deleted."""
        self._set_class(ended=True, joining_open=False)

    def _set_class(self, **values: bool) -> None:
        with self.database.writing() as connection:
            connection.execute(update(classes).where(classes.c.id == self.class_id).values(values))

    def reset_player(self, number: int) -> bool:
        """Let a player start again: the playthrough in progress is kept as left (its record
        says so) and the player's next page begins a new one. False when there is no such
        player."""
        with self.database.writing() as connection:
            row = connection.execute(
                select(players.c.id, players.c.current).where(
                    players.c.class_id == self.class_id, players.c.number == number
                )
            ).first()
            if row is None:
                return False
            if row.current is not None:
                connection.execute(
                    update(playthroughs)
                    .where(playthroughs.c.id == row.current, playthroughs.c.status == "playing")
                    .values(status="reset", updated=self.clock())
                )
            connection.execute(update(players).where(players.c.id == row.id).values(current=None))
        if row.current is not None:
            self._forget(row.current)
        return True

    def reveal(self, key: str, shown: bool = True) -> None:
        """Show (or hide again) one decision's results, or the endings, on the projector."""
        with self.database.writing() as connection:
            connection.execute(
                delete(reveals).where(reveals.c.class_id == self.class_id, reveals.c.key == key)
            )
            if shown:
                connection.execute(insert(reveals).values(class_id=self.class_id, key=key))

    def decision_keys(self) -> frozenset[str]:
        """What can be revealed: every scene with choices, and the endings."""
        keys = {scene.id for scene in self.story.scenes.values() if scene.choices}
        return frozenset(keys | {ENDINGS_KEY})

    def class_view(self) -> ClassView:
        """The class as the dashboard and the projector show it."""
        with self.database.engine.connect() as connection:
            joining_open, ended = connection.execute(
                select(classes.c.joining_open, classes.c.ended).where(classes.c.id == self.class_id)
            ).one()
            rows = connection.execute(
                select(
                    players.c.number,
                    players.c.code,
                    playthroughs.c.scene,
                    playthroughs.c.turns,
                    playthroughs.c.status,
                    playthroughs.c.ending,
                )
                .select_from(
                    players.outerjoin(playthroughs, playthroughs.c.id == players.c.current)
                )
                .where(players.c.class_id == self.class_id)
                .order_by(players.c.number)
            ).all()
            made = connection.execute(
                select(
                    choices.c.playthrough_id, choices.c.scene, choices.c.choice, choices.c.response
                )
                .select_from(
                    choices.join(playthroughs, playthroughs.c.id == choices.c.playthrough_id)
                )
                .where(choices.c.class_id == self.class_id, playthroughs.c.status != "reset")
                .order_by(choices.c.playthrough_id, choices.c.number)
            ).all()
            ended_rows = connection.execute(
                select(playthroughs.c.ending, playthroughs.c.meters).where(
                    and_(
                        playthroughs.c.class_id == self.class_id,
                        playthroughs.c.status == "ended",
                    )
                )
            ).all()
            revealed = frozenset(
                connection.execute(
                    select(reveals.c.key).where(reveals.c.class_id == self.class_id)
                ).scalars()
            )
        return ClassView(
            bool(joining_open),
            bool(ended),
            tuple(self._player_row(row) for row in rows),
            self._decisions(made),
            self._endings(ended_rows),
            self._meter_ranges(ended_rows),
            revealed,
            len(made),
        )

    def _title(self, scene_id: str | None) -> str:
        scene = self.story.scenes.get(scene_id) if scene_id else None
        if scene is None:
            return scene_id or ""
        if scene.ending is not None:
            return self._fill(scene.ending.title)
        return self._fill(scene.title) if scene.title else scene.id

    def _fill(self, text: str) -> str:
        """Story text as the class sees it: with the story's own name for the partner, never
        a name a student typed."""
        return render(text, self.story.partner)

    def _player_row(self, row) -> PlayerRow:
        if row.status is None or row.status == "reset":
            return PlayerRow(row.number, row.code, "", "Joined", 0, "joined", None)
        status = {"playing": "playing", "ended": "ended", "stuck": "stuck"}.get(row.status, "")
        return PlayerRow(
            row.number,
            row.code,
            row.scene,
            self._title(row.scene),
            row.turns,
            status,
            self._title(row.ending) if row.ending else None,
        )

    def _decisions(self, made) -> tuple[Decision, ...]:
        """Each decision's answers, as the class report counts them: a playthrough's first
        choice at a scene (a scene met again is not a second vote), by response; a choice
        that names no response is counted on its own, under its text."""
        by_scene: dict[str, dict[str, int]] = {}
        seen: set[tuple[int, str]] = set()
        for playthrough, scene, choice, response in made:
            if (playthrough, scene) in seen:
                continue
            seen.add((playthrough, scene))
            key = response if response is not None else CHOICE_KEY + choice
            table = by_scene.setdefault(scene, {})
            table[key] = table.get(key, 0) + 1
        labels = dict(self.story.responses)
        decisions = []
        for scene in sorted(by_scene, key=lambda s: self.scene_order.get(s, len(self.scene_order))):
            table = by_scene[scene]
            order = [key for key in labels if key in table]
            order += [key for key in self._choice_order(scene) if key in table]
            order += sorted(key for key in table if key not in order)
            counts = [(key, self._answer_label(scene, key), table[key]) for key in order]
            decisions.append(
                Decision(scene, self._title(scene), tuple(counts), sum(table.values()))
            )
        return tuple(decisions)

    def _choice_order(self, scene_id: str) -> list[str]:
        scene = self.story.scenes.get(scene_id)
        return [CHOICE_KEY + choice.id for choice in scene.choices] if scene else []

    def _answer_label(self, scene_id: str, key: str) -> str:
        """A response's label, or for a choice with no response its text."""
        if not key.startswith(CHOICE_KEY):
            return self.story.responses.get(key, key)
        choice_id = key[len(CHOICE_KEY) :]
        scene = self.story.scenes.get(scene_id)
        for choice in scene.choices if scene else ():
            if choice.id == choice_id:
                return self._fill(choice.text)
        return choice_id

    def _endings(self, ended_rows) -> tuple[tuple[str, str, int], ...]:
        counts: dict[str, int] = {}
        for row in ended_rows:
            counts[row.ending] = counts.get(row.ending, 0) + 1
        order = [scene.id for scene in self.story.endings() if scene.id in counts]
        order += sorted(ending for ending in counts if ending not in order)
        return tuple((ending, self._title(ending), counts[ending]) for ending in order)

    def _meter_ranges(self, ended_rows) -> tuple[tuple[str, int, int, int], ...]:
        values: dict[str, list[int]] = {name: [] for name in self.story.meters}
        for row in ended_rows:
            try:
                meters = json.loads(row.meters)
            except ValueError:
                continue
            for name, value in meters.items():
                if name in values and isinstance(value, int):
                    values[name].append(value)
        return tuple(
            (self.story.meters[name].label, min(found), max(found), len(found))
            for name, found in values.items()
            if found
        )

    # Records -----------------------------------------------------------------------------------

    def records(self) -> list[Record]:
        """Every playthrough of the class as a record in the desktop game's format: in
        progress, complete, stuck, or abandoned (one a player was reset from, or left for a
        new one). The partner's name a student typed is in none of them."""
        with self.database.engine.connect() as connection:
            rows = connection.execute(
                select(
                    playthroughs.c.id,
                    playthroughs.c.record_id,
                    playthroughs.c.state,
                    playthroughs.c.status,
                    playthroughs.c.started,
                    playthroughs.c.updated,
                    players.c.code,
                )
                .select_from(playthroughs.join(players, players.c.id == playthroughs.c.player_id))
                .where(playthroughs.c.class_id == self.class_id)
                .order_by(playthroughs.c.id)
            ).all()
            times: dict[int, dict[int, float | None]] = {}
            for playthrough, number, seconds in connection.execute(
                select(choices.c.playthrough_id, choices.c.number, choices.c.seconds).where(
                    choices.c.class_id == self.class_id
                )
            ):
                times.setdefault(playthrough, {})[number] = seconds
        records = []
        for row in rows:
            session = self._session(row.id, row.state)
            spent = times.get(row.id, {})
            seconds = [spent.get(n) for n in range(1, len(session.history) + 1)]
            records.append(
                build_record(
                    session,
                    seconds,
                    datetime.fromtimestamp(row.started, UTC),
                    datetime.fromtimestamp(row.updated, UTC),
                    row.code if self.classroom.ask_player != "none" else None,
                    self.classroom.name,
                    record_id=row.record_id,
                    in_progress=row.status == "playing",
                )
            )
        return records

    def counts(self) -> tuple[int, int]:
        """(players, choices) kept for this class."""
        with self.database.engine.connect() as connection:
            joined = connection.execute(
                select(func.count()).select_from(players).where(players.c.class_id == self.class_id)
            ).scalar()
            made = connection.execute(
                select(func.count()).select_from(choices).where(choices.c.class_id == self.class_id)
            ).scalar()
        return joined, made


@dataclass(frozen=True, slots=True)
class Prepared:
    """A change applied to its session and waiting to be stored."""

    view: PlayView
    session: Session
    turn: Turn
    change: Change


@dataclass(frozen=True, slots=True)
class Change:
    """A choice or an undo as the database stores it: the playthrough's row as it becomes
    (guarded by the step it was at), and the choice's row added or the undone rows dropped."""

    saved: dict  # `_SAVE`'s parameters
    made: dict | None  # a row of `choices`, for a choice
    dropped: dict | None  # `_DROP_CHOICES`'s parameters, for an undo


# The statements of a change, built once (building them anew cost a tenth of a choice's CPU).
_SAVE = Precompiled(
    update(playthroughs)
    .where(
        playthroughs.c.id == bindparam("b_id"),
        playthroughs.c.step == bindparam("b_step"),
        playthroughs.c.status != "reset",
    )
    .values(
        state=bindparam("v_state"),
        step=bindparam("v_step"),
        turns=bindparam("v_turns"),
        scene=bindparam("v_scene"),
        status=bindparam("v_status"),
        ending=bindparam("v_ending"),
        meters=bindparam("v_meters"),
        updated=bindparam("v_updated"),
    )
)
_ADD_CHOICE = Precompiled(
    insert(choices).values(
        {
            column: bindparam(column)
            for column in (
                "playthrough_id",
                "class_id",
                "number",
                "scene",
                "choice",
                "response",
                "seconds",
                "at",
            )
        }
    )
)
_DROP_CHOICES = Precompiled(
    delete(choices).where(
        choices.c.playthrough_id == bindparam("b_id"), choices.c.number > bindparam("b_number")
    )
)


def write_change(connection, change: Change) -> bool:
    """Write one change in the connection's transaction; False, and nothing written, when the
    playthrough is no longer at the step the change was made at (or was reset)."""
    if _SAVE.changed(connection, change.saved) != 1:
        return False
    if change.made is not None:
        _ADD_CHOICE.changed(connection, change.made)
    else:
        _DROP_CHOICES.changed(connection, change.dropped)
    return True


PLAYER_COLUMNS = (
    players.c.id,
    players.c.number,
    players.c.code,
    players.c.seen_note,
    players.c.current,
)


def _as_player(row) -> Player:
    return Player(row.id, row.number, row.code, bool(row.seen_note), row.current)


def _status(session: Session) -> str:
    if session.state == Flow.ENDED:
        return "ended"
    if session.state == Flow.STUCK:
        return "stuck"
    return "playing"
