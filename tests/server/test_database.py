"""The class server's database: created with its schema version, reopened with its data, a
newer or foreign file refused untouched, with a message, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import sys

import pytest
from sqlalchemy import bindparam, insert, select, update

from engine.server.database import (
    MIGRATIONS,
    SCHEMA_VERSION,
    DatabaseError,
    Precompiled,
    meta,
    open_database,
    sqlite_url,
)


def version_in(path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]


def test_a_new_database_gets_the_schema_and_wal(tmp_path):
    path = tmp_path / "class.sqlite3"
    database = open_database(sqlite_url(path))
    database.close()
    assert version_in(path) == str(SCHEMA_VERSION) and len(MIGRATIONS) == SCHEMA_VERSION
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"meta", "classes", "players", "playthroughs", "choices", "reveals"} <= tables


def test_a_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "class.sqlite3"
    open_database(sqlite_url(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version of the game"):
        open_database(sqlite_url(path))
    assert path.read_bytes() == before


def test_an_older_database_is_migrated(tmp_path, monkeypatch):
    """A migration added later runs once on an older file, in its own transaction."""
    import engine.server.database as database_module

    path = tmp_path / "class.sqlite3"
    open_database(sqlite_url(path)).close()
    ran = []

    def version_2(connection):
        ran.append(True)

    monkeypatch.setattr(database_module, "MIGRATIONS", [*MIGRATIONS, version_2])
    monkeypatch.setattr(database_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    open_database(sqlite_url(path)).close()
    open_database(sqlite_url(path)).close()
    assert ran == [True] and version_in(path) == str(SCHEMA_VERSION + 1)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "is not a database URL"),
        ("sqlite://", "needs a database file"),
        ("sqlite:////no/such/folder/x.sqlite3", "does not exist"),
        ("nosuchdb://x/y", "cannot use the database"),
    ],
)
def test_bad_urls_are_refused_with_a_message(url, message):
    with pytest.raises(DatabaseError, match=message):
        open_database(url)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("these are my lesson notes\n" * 100)
    with pytest.raises(DatabaseError, match="cannot open the database"):
        open_database(sqlite_url(path))
    assert path.read_text().startswith("these are my lesson notes")


def test_a_version_1_file_gets_the_index_students_are_found_by(tmp_path):
    """Schema version 2 adds the index on (class, browser) that every student's page uses;
    a file written by version 1 is given it when opened."""
    path = tmp_path / "class.sqlite3"
    open_database(sqlite_url(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP INDEX players_by_class_and_sid")
        connection.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    open_database(sqlite_url(path)).close()
    with sqlite3.connect(path) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "players_by_class_and_sid" in names and version_in(path) == "2"


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX; Windows keeps SQLite's wait")
def test_a_write_holds_the_files_write_turn_among_processes(tmp_path):
    """Server processes take their turn to write through an exclusive lock on a file beside the
    database, so a waiting process wakes when the turn ends, not in SQLite's busy loop, which
    sleeps in steps of up to 100 ms (with two workers: 290-297 choices a second against
    218-267, p95 223-329 ms against 355-390; docs/performance.md)."""
    import fcntl

    database = open_database(sqlite_url(tmp_path / "class.sqlite3"))
    try:
        lock = tmp_path / "class.sqlite3.write-lock"

        def free() -> bool:
            descriptor = os.open(lock, os.O_RDWR | os.O_CREAT)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False
            finally:
                os.close(descriptor)

        assert free()
        with database.writing() as connection:
            connection.exec_driver_sql("SELECT 1")
            assert not free()  # another process would wait here
        assert free()
    finally:
        database.close()


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_a_file_system_without_flock_still_writes(tmp_path, monkeypatch):
    """Some network file systems refuse flock: the write goes on, and SQLite's own waiting
    keeps the turn (regression guard: a refused lock must not fail every write)."""
    import fcntl

    def refuse(*_args):
        raise OSError(37, "No locks available")

    database = open_database(sqlite_url(tmp_path / "class.sqlite3"))
    try:
        monkeypatch.setattr(fcntl, "flock", refuse)
        with database.writing() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    finally:
        database.close()


def test_a_precompiled_statement_reads_and_writes_as_sqlalchemy_does(tmp_path):
    """`Precompiled` runs SQLAlchemy's own SQL on the driver's cursor: the same rows (named by
    the statement's columns, a literal's value bound), the same rows changed, and its writes
    are part of the connection's transaction (rolled back with it)."""
    database = open_database(sqlite_url(tmp_path / "class.sqlite3"))
    try:
        with database.writing() as connection:
            for number in (1, 2, 3):
                connection.execute(insert(meta).values(key=f"k{number}", value=f"v{number}"))
        query = select(meta.c.key, meta.c.value).where(
            meta.c.key == bindparam("key"), meta.c.value != "v3"
        )
        fast = Precompiled(query)
        with database.reading() as connection:
            for key in ("k1", "k2", "k3", "none"):
                expected = connection.execute(query, {"key": key}).first()
                found = fast.first(connection, {"key": key})
                assert found == (tuple(expected) if expected else None)
            assert fast.first(connection, {"key": "k2"}).value == "v2"
        rename = Precompiled(
            update(meta).where(meta.c.key == bindparam("old")).values(value=bindparam("new"))
        )
        with pytest.raises(RuntimeError), database.writing() as connection:
            assert rename.changed(connection, {"old": "k1", "new": "changed"}) == 1
            raise RuntimeError("rolled back")
        with database.writing() as connection:
            assert rename.changed(connection, {"old": "nothing", "new": "x"}) == 0
            assert rename.changed(connection, {"old": "k2", "new": "kept"}) == 1
        with database.reading() as connection:
            values = dict(connection.execute(select(meta.c.key, meta.c.value)).all())
        assert values["k1"] == "v1" and values["k2"] == "kept"
    finally:
        database.close()


def test_reads_on_the_kept_connection_see_every_commit(tmp_path):
    """`Database.first` reads on a connection it keeps open: it holds no transaction between
    reads, so each read sees the last commit, whoever made it (another server process
    here), and closing the database gives the connection back."""
    path = tmp_path / "class.sqlite3"
    database = open_database(sqlite_url(path))
    other_process = open_database(sqlite_url(path))
    try:
        read = Precompiled(select(meta.c.value).where(meta.c.key == bindparam("key")))
        assert database.first(read, {"key": "k"}) is None
        for value in ("one", "two"):
            with other_process.writing() as connection:
                connection.execute(meta.delete().where(meta.c.key == "k"))
                connection.execute(insert(meta).values(key="k", value=value))
            assert database.first(read, {"key": "k"}).value == value
        assert database.engine.pool.checkedout() == 1  # the kept one
    finally:
        database.close()
        other_process.close()
    assert database.engine.pool.checkedout() == 0
