"""The class server's database: its tables, how it is opened, and its migrations.

Written with SQLAlchemy Core and nothing SQLite-only in the tables or the queries, so the same
code runs on PostgreSQL given its URL. The embedded default is one SQLite file in WAL mode,
written with full synchronous commits: a choice is on disk before the page after it is sent.

The schema is versioned: `meta` holds `schema_version`, and `open_database` applies each
migration after the file's version in one transaction, so a file from an older server is
brought up to date and a file from a newer one is refused, untouched.
"""

from __future__ import annotations

import os
import threading
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import fcntl  # POSIX: the write turn among processes (Database.lock_path)
except ImportError:  # Windows
    fcntl = None

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

SCHEMA_VERSION = 2
# SQLite connections kept open: one for each of the threads the handlers' database calls run in
# (anyio's default pool of 40). With SQLAlchemy's default of 5, a class of 300 opened a new
# connection, with its pragmas, for about every sixth request, and closed it again.
SQLITE_POOL = 40
WRITE_OPTION = "bop_writes"  # the execution option `Database.writing` sets
ONE_READ_OPTION = "bop_one_read"  # the one `Database.reading` sets

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

classes = Table(
    "classes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", Text, nullable=False),
    Column("story_title", Text, nullable=False),
    Column("name", Text),
    Column("join_code", Text),
    Column("joining_open", Boolean, nullable=False, default=True),
    Column("ended", Boolean, nullable=False, default=False),
    Column("created", Float, nullable=False),
)

players = Table(
    "players",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_id", ForeignKey("classes.id"), nullable=False),
    Column("number", Integer, nullable=False),  # 1, 2, 3 ... in the order they joined
    Column("code", Text, nullable=False),  # typed or given: how a player comes back
    Column("code_key", Text, nullable=False),  # the code as matched (casefolded: may grow)
    Column("sid_hash", String(64)),  # sha256 of the browser's session id; None: no browser
    Column("joined", Float, nullable=False),
    Column("seen_note", Boolean, nullable=False, default=False),
    Column("current", Integer),  # the playthrough in progress or last ended; None: none yet
    UniqueConstraint("class_id", "code_key", name="one_code_per_class"),
    UniqueConstraint("class_id", "number", name="one_number_per_class"),
)
Index("players_by_sid", players.c.sid_hash)
# Every student's page finds its player by class and browser (schema version 2): with only the
# index above, SQLite chose the (class, number) one and read the whole class's players.
PLAYERS_BY_CLASS_AND_SID = Index("players_by_class_and_sid", players.c.class_id, players.c.sid_hash)

playthroughs = Table(
    "playthroughs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("player_id", ForeignKey("players.id"), nullable=False),
    Column("class_id", ForeignKey("classes.id"), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("seed", BigInteger, nullable=False),  # 32 bits: beyond a signed INTEGER
    Column("state", Text, nullable=False),  # Session.to_save() as JSON: the partner stays here
    Column("step", Integer, nullable=False, default=0),  # +1 at every change: forms carry it
    Column("turns", Integer, nullable=False, default=0),  # choices in the history
    Column("scene", Text, nullable=False),
    Column("status", String(20), nullable=False),  # playing, ended, stuck, reset
    Column("ending", Text),
    Column("meters", Text, nullable=False),  # JSON: the meters now, for the class's ranges
    Column("started", Float, nullable=False),
    Column("updated", Float, nullable=False),
)
Index("playthroughs_by_class", playthroughs.c.class_id, playthroughs.c.status)

choices = Table(
    "choices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("playthrough_id", ForeignKey("playthroughs.id"), nullable=False),
    Column("class_id", ForeignKey("classes.id"), nullable=False),
    Column("number", Integer, nullable=False),  # 1 for the first choice of the playthrough
    Column("scene", Text, nullable=False),
    Column("choice", Text, nullable=False),
    Column("response", Text),
    Column("seconds", Float),
    Column("at", Float, nullable=False),
    UniqueConstraint("playthrough_id", "number", name="one_choice_per_turn"),
)
Index("choices_by_class", choices.c.class_id, choices.c.scene)

reveals = Table(
    "reveals",
    metadata,
    Column("class_id", ForeignKey("classes.id"), primary_key=True),
    Column("key", Text, primary_key=True),  # a decision's scene id, or "endings"
)


class Precompiled:
    """A Core statement compiled once and run on the driver's own cursor: SQLAlchemy builds
    and compiles the SQL (for whichever database, with its parameter style), but running it
    through a `Connection` cost about four times SQLite's own work for the one-row statements
    every student's page and choice runs (a page's query: 141 µs against 35; docs/
    performance.md). For those statements only; everything else goes through SQLAlchemy.
    Rows come back as named tuples with the statement's column keys; no type conversions
    (a Boolean is the driver's 0 or 1)."""

    def __init__(self, statement):
        self.statement = statement
        # (dialect, SQL, values written into the statement, parameter order or None for a
        # named style), compiled on first use and replaced in one assignment
        self._compiled: tuple = (None, "", {}, None)
        selected = getattr(statement, "selected_columns", None)
        self._row = (
            namedtuple("Row", [column.key for column in selected], rename=True)
            if selected is not None
            else None
        )

    def _compile(self, dialect) -> tuple:
        compiled = self.statement.compile(dialect=dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None
        self._compiled = (dialect, str(compiled), dict(compiled.params), order)
        return self._compiled

    def run(self, connection: Connection, values: dict | None = None):
        """Run on the connection (in its transaction, if one is open); returns the cursor."""
        return self.run_on(connection.dialect, connection.connection.dbapi_connection, values)

    def run_on(self, dialect, dbapi_connection, values: dict | None = None):
        """Run on a driver's connection of that dialect; returns the cursor."""
        compiled_for, sql, fixed, order = self._compiled
        if dialect is not compiled_for:
            compiled_for, sql, fixed, order = self._compile(dialect)
        merged = {**fixed, **values} if values else fixed
        parameters = [merged[name] for name in order] if order is not None else merged
        cursor = dbapi_connection.cursor()
        cursor.execute(sql, parameters)
        return cursor

    def changed(self, connection: Connection, values: dict | None = None) -> int:
        """Run a statement that writes; returns the rows it changed."""
        cursor = self.run(connection, values)
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def first(self, connection: Connection, values: dict | None = None):
        """The first row (a named tuple), or None."""
        return self.first_on(connection.dialect, connection.connection.dbapi_connection, values)

    def first_on(self, dialect, dbapi_connection, values: dict | None = None):
        """`first` on a driver's connection of that dialect."""
        cursor = self.run_on(dialect, dbapi_connection, values)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else self._row._make(row)


class DatabaseError(Exception):
    """A database that cannot be used: a bad URL, an unreadable file, a newer schema."""


def _version_1(connection: Connection) -> None:
    metadata.create_all(connection)


def _version_2(connection: Connection) -> None:
    PLAYERS_BY_CLASS_AND_SID.create(connection, checkfirst=True)  # new files have it already


# Migration n brings a database from version n - 1 to n. Append, never edit one that shipped.
MIGRATIONS: list[Callable[[Connection], None]] = [_version_1, _version_2]


@dataclass
class Database:
    """An open database and the lock that keeps its writes one at a time in this process (so
    SQLite never makes a writer wait in its busy loop, which sleeps in long steps)."""

    engine: Engine
    url: str
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    # SQLite file: an exclusive lock on a file beside it, taken before BEGIN IMMEDIATE, so a
    # server process waiting for another's commit wakes when it ends (the kernel wakes it)
    # instead of in SQLite's busy loop, which sleeps in steps of up to 100 ms. None elsewhere
    # (PostgreSQL; or Windows, where SQLite's own waiting stays).
    lock_path: Path | None = None
    sqlite: bool = False  # an SQLite file (open_database sets it)
    # SQLite: the connection `first` reads on, kept open (a pool's connection, checked out)
    _kept: Any = field(default=None, repr=False)
    _kept_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction that writes: one at a time in this process, committed at the end of
        the block (rolled back on an exception). On SQLite it begins IMMEDIATE, taking the
        file's write lock before its first read: with several server processes on one file, a
        transaction that read first and wrote after another process's commit would fail at
        once ("database is locked") instead of waiting its turn."""
        with self.turn(), self.engine.connect() as connection:
            connection.execution_options(**{WRITE_OPTION: True})
            with connection.begin():
                yield connection

    @contextmanager
    def turn(self) -> Iterator[None]:
        """This process's turn to write: the in-process lock, then the file's turn among
        processes. Every transaction that writes is begun inside one (`writing`, and the group
        committer's batches)."""
        with self.write_lock, self._across_processes():
            yield

    def try_turn(self) -> ExitStack | None:
        """This process's turn to write if it is free now, without waiting (to be ended by
        closing the ExitStack); None when another thread or process has it, and always where
        the file's turn among processes cannot be taken (not SQLite, no flock): there, BEGIN
        IMMEDIATE could wait in SQLite's busy loop, which must not happen on an event loop."""
        if self.lock_path is None or fcntl is None:
            return None
        if not self.write_lock.acquire(blocking=False):
            return None
        turn = ExitStack()
        turn.callback(self.write_lock.release)
        try:
            descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            turn.close()
            return None
        turn.callback(os.close, descriptor)  # closing it lets the lock go
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # taken by another process (or no flock on this file system)
            turn.close()
            return None
        return turn

    @contextmanager
    def _across_processes(self) -> Iterator[None]:
        """The SQLite file's write turn among server processes (see `lock_path`)."""
        if self.lock_path is None or fcntl is None:
            yield
            return
        try:
            descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a folder that refuses the file: SQLite's own waiting still holds
            yield
            return
        try:
            # A file system without flock (some network ones): SQLite's own waiting, as above.
            with suppress(OSError):
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing it lets the lock go

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for one SELECT. On SQLite no transaction is begun around it (a single
        statement reads one consistent state on its own), so a page's read is one statement,
        not BEGIN, SELECT and ROLLBACK. For several reads that must agree, use
        `engine.connect()`, which begins a transaction."""
        with self.engine.connect() as connection:
            connection.execution_options(**{ONE_READ_OPTION: True})
            yield connection

    def first(self, statement: Precompiled, values: dict | None = None):
        """The first row of a read of one statement (a named tuple), or None. On SQLite it
        runs on a connection kept open for such reads (not in a transaction, so each read sees
        the last commit): taking a connection from the pool and giving it back cost as much
        as the query itself (docs/performance.md). Elsewhere, on a connection from the pool."""
        if not self.sqlite:  # elsewhere a driver's connection would stay in a transaction
            with self.reading() as connection:
                return statement.first(connection, values)
        with self._kept_lock:
            if self._kept is None:
                self._kept = self.engine.raw_connection()  # given back by `close`
            return statement.first_on(self.engine.dialect, self._kept.dbapi_connection, values)

    def close(self) -> None:
        with self._kept_lock:
            if self._kept is not None:
                self._kept.close()
                self._kept = None
        self.engine.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def open_database(url: str) -> Database:
    """Open (creating when new) and migrate the database at `url`; raises DatabaseError."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"'{url}' is not a database URL: give sqlite:///PATH (or a PostgreSQL URL)"
        ) from None
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseError("the class server needs a database file: sqlite:///PATH")
        folder = Path(parsed.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise DatabaseError(f"the folder {folder} does not exist")
    try:
        engine = create_engine(
            parsed, pool_pre_ping=not sqlite, **({"pool_size": SQLITE_POOL} if sqlite else {})
        )
    except (ArgumentError, ImportError) as error:
        raise DatabaseError(f"cannot use the database {url}: {error}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    lock = (
        Path(str(Path(parsed.database).expanduser().resolve()) + ".write-lock") if sqlite else None
    )
    database = Database(engine, url, lock_path=lock, sqlite=sqlite)
    try:
        migrate(database)
    except SQLAlchemyError as error:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {url}: {error.orig or error}") from None
    except DatabaseError:
        engine.dispose()
        raise
    return database


def _sqlite_connect(dbapi_connection, _record) -> None:
    """Pragmas, and transactions begun by `_sqlite_begin` rather than by the driver (which
    begins a deferred one only before a statement that writes)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # on disk before the next page is sent
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    if options.get(WRITE_OPTION, False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif not options.get(ONE_READ_OPTION, False):
        connection.exec_driver_sql("BEGIN")


def schema_version(connection: Connection) -> int:
    """The database's schema version (0: a new, empty database)."""
    if not connection.dialect.has_table(connection, "meta"):
        return 0
    value = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
    found = value.scalar_one_or_none()
    return int(found) if found is not None else 0


def migrate(database: Database) -> int:
    """Bring the database to SCHEMA_VERSION in one transaction; returns the version it had."""
    with database.writing() as connection:
        version = schema_version(connection)
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"the database {database.url} was written by a newer version of the game "
                f"(schema {version}; this one knows up to {SCHEMA_VERSION}): update the game"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[number - 1](connection)
        if version == 0:
            connection.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
        elif version < SCHEMA_VERSION:
            connection.execute(
                update(meta).where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
            )
    return version
