"""Group commit: the writes that arrive together are made in one transaction, one fsync.

On SQLite every commit waits for an fsync (`synchronous=FULL`), and while a transaction is
open it holds the file's write lock. With one transaction a change, the server could commit
only as fast as the disk syncs, and a process waiting for the lock slept in SQLite's busy
handler with its event loop still. `GroupCommitter` keeps the event loop free instead:

- a write (a function of an open connection: a choice, a join, beginning a playthrough ...)
  is queued and its request waits (awaits) for the answer;
- one task takes every write waiting once it holds the write turn (the in-process lock and
  the file's turn among processes, `Database.turn`), so the writes that arrived while another
  process wrote go in this batch. When the turn is free (`Database.try_turn`), the whole
  transaction runs at once on the event loop: BEGIN IMMEDIATE, the writes (a few statements
  each, microseconds each), the commit (its fsync, about half a millisecond). When it is
  not, a thread of the committer's own waits for it and begins, the event loop writes, and
  the thread commits; every hop between them waited for the busy event loop or the GIL while
  the turn was held, so the turn is only waited for there;
- only then is each request answered: every change is on disk before the page after it is
  sent, but one fsync serves every change that arrived meanwhile.

A write may refuse before writing anything by raising `Refused` (a wrong class code): its
request gets the exception and the batch goes on. Any other error rolls the batch back whole,
and its writes are then made one by one, so that one bad write fails only its own request.

While a batch holds the in-process write lock, nothing on the event loop may wait for that
lock (it would wait for a batch that needs the event loop to finish): the server's other
writes (the teacher's) run in worker threads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

from sqlalchemy import Connection

from engine.server.database import WRITE_OPTION, Database

Write = Callable[[Connection], Any]
MOST_AT_ONCE = 64  # changes in one transaction: a batch keeps the event loop a few ms at most


class Refused(Exception):
    """Raised by a write that refuses before it has written anything: its request gets the
    exception, and the other writes of its batch are made and committed all the same."""


class GroupCommitter:
    """Makes writes for requests on one event loop, as many in one transaction as are
    waiting. A write is a function of the open connection that returns its answer (for a
    choice: whether it was stored)."""

    def __init__(self, database: Database):
        self.database = database
        self._waiting: list[tuple[Write, asyncio.Future]] = []
        self._task: asyncio.Task | None = None
        self._thread: ThreadPoolExecutor | None = None
        self.batches = 0  # transactions committed (for tests and benchmarks)

    async def store(self, write: Write) -> Any:
        """Make the write; returns its answer (or raises its error) once it is committed."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.append((write, future))
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())
        return await future

    async def _run(self) -> None:
        while self._waiting:
            # The requests answered last time (each goes on to render its page) run first:
            # the write lock, once taken, waits for this event loop to write the batch, and
            # another process waits for the lock meanwhile.
            await asyncio.sleep(0)
            await self._batch()

    async def _batch(self) -> None:
        """One batch: made, committed, and each of its requests answered."""
        batch: list[tuple[Write, asyncio.Future]] = []

        def take() -> list[Write]:
            """The writes waiting now that the turn is held (a bounded batch)."""
            batch.extend(self._waiting[:MOST_AT_ONCE])
            del self._waiting[:MOST_AT_ONCE]
            return [write for write, _ in batch]

        try:
            results = await self._transaction(take)
        except asyncio.CancelledError:  # the event loop torn down: its requests with it
            for _, future in batch + self._waiting:
                future.cancel()
            self._waiting.clear()
            raise
        except Exception as error:
            if not batch:  # the turn or BEGIN failed: whoever waits gets the error
                take()
                results = [error] * len(batch)
            elif len(batch) == 1:
                results = [error]
            else:  # rolled back whole: each alone, so that only a bad one fails
                results = [await self._alone(write) for write, _ in batch]
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():  # its request was cancelled; the change is stored all the same
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)

    async def _alone(self, write: Write) -> Any:
        try:
            return (await self._transaction(lambda: [write]))[0]
        except Exception as error:
            return error

    async def _transaction(self, take: Callable[[], list[Write]]) -> list[Any]:
        """One transaction for the writes `take` gives once the turn is held. When the turn is
        free, all of it at once on the event loop; else begun in this committer's thread once
        the turn comes (the wait), written on the event loop, and committed in the thread (the
        fsync). A write's `Refused` is its answer; any other error rolls all back."""
        loop = asyncio.get_running_loop()
        connection = self.database.engine.connect()
        try:
            connection.execution_options(**{WRITE_OPTION: True})
            turn = self.database.try_turn()
            if turn is not None:  # free: the whole transaction here, at once
                with turn:
                    results = self._at_once(connection, take)
                self.batches += 1
                return results
            if self._thread is None:
                self._thread = ThreadPoolExecutor(1, thread_name_prefix="bop-commit")
            beginning = self._thread.submit(self._begin, connection)
            try:
                begun = await asyncio.wrap_future(beginning)
            except asyncio.CancelledError:
                # The event loop is being torn down: the thread may yet get the turn, and it
                # must then end it (and close the connection) itself, or the turn stays taken.
                self._thread.submit(self._abandon, beginning, connection)
                connection = None
                raise
            try:
                results = [_made(write, connection) for write in take()]
            except BaseException:
                await loop.run_in_executor(self._thread, self._end, begun, False)
                raise
            await loop.run_in_executor(self._thread, self._end, begun, True)
        finally:
            if connection is not None:
                connection.close()
        self.batches += 1
        return results

    def _abandon(self, beginning, connection: Connection) -> None:
        """In the committer's thread, after `_begin` (one thread: it runs next): the turn it
        took is ended, nothing written, and the connection closed."""
        try:
            if not beginning.cancelled() and beginning.exception() is None:
                self._end(beginning.result(), False)
        finally:
            connection.close()

    @staticmethod
    def _at_once(connection: Connection, take: Callable[[], list[Write]]) -> list[Any]:
        """The transaction on the event loop, the turn held: BEGIN IMMEDIATE (it does not wait:
        every writer takes the turn first), the writes, the commit (its fsync, about half a
        millisecond here, is the only wait)."""
        with connection.begin():
            return [_made(write, connection) for write in take()]

    def _begin(self, connection: Connection) -> tuple[ExitStack, Any]:
        """In the committer's thread: the write turn (`Database.turn`: the in-process lock,
        then the file's turn among processes, which may wait for another process), then
        SQLite's write lock (BEGIN IMMEDIATE, through the engine's `begin` listener)."""
        with ExitStack() as turn:
            turn.enter_context(self.database.turn())
            transaction = connection.begin()
            return turn.pop_all(), transaction

    def _end(self, begun: tuple[ExitStack, Any], commit: bool) -> None:
        """In the committer's thread: commit (the fsync) or roll back, then end the turn."""
        turn, transaction = begun
        with turn:
            if commit:
                transaction.commit()
            else:
                transaction.rollback()


def _made(write: Write, connection: Connection) -> Any:
    """A write's answer: what it returns, or the `Refused` it raised before writing."""
    try:
        return write(connection)
    except Refused as refused:
        return refused
