"""Group commit: the choices that arrive together are written in one transaction, one fsync.

On SQLite every commit waits for an fsync (`synchronous=FULL`), and while a transaction is
open it holds the file's write lock. With one transaction a choice, the server could commit
only as fast as the disk syncs, and a process waiting for the lock slept in SQLite's busy
handler with its event loop still. `GroupCommitter` keeps the event loop free instead:

- a change to store is queued and its request waits (awaits) for the answer;
- one task takes every change waiting, takes the write lock in a thread of its own (the
  in-process lock, then BEGIN IMMEDIATE, which may wait for another process), writes the
  changes on the event loop (each a few statements, microseconds each), and commits in that
  thread (the fsync);
- only then is each request answered: every choice is on disk before the page after it is
  sent, as before, but one fsync serves every choice that arrived meanwhile.

A change the database refuses (its playthrough moved on) is answered False and does not stop
the others; an error in a batch rolls it back whole, and its changes are then written one by
one, so that one bad change fails only its own request.

While a batch holds the in-process write lock, nothing on the event loop may wait for that
lock (it would wait for a batch that needs the event loop to finish): the server's other
writes run in worker threads (`Server.write` in app.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection

from engine.server.database import WRITE_OPTION, Database

MOST_AT_ONCE = 64  # changes in one transaction: a batch keeps the event loop a few ms at most


class GroupCommitter:
    """Stores changes for requests on one event loop, as many in one transaction as are
    waiting. `write(connection, change)` writes one change in the open transaction and returns
    its answer (for a choice: whether it was stored)."""

    def __init__(self, database: Database, write: Callable[[Connection, Any], Any]):
        self.database = database
        self.write = write
        self._waiting: list[tuple[Any, asyncio.Future]] = []
        self._task: asyncio.Task | None = None
        self._thread: ThreadPoolExecutor | None = None
        self.batches = 0  # transactions committed (for tests and benchmarks)

    async def store(self, change: Any) -> Any:
        """Store the change; returns `write`'s answer once it is committed."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.append((change, future))
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())
        return await future

    async def _run(self) -> None:
        while self._waiting:
            # The requests answered last time (each goes on to render its page) run first:
            # the write lock, once taken, waits for this event loop to write the batch, and
            # another process waits for the lock meanwhile.
            await asyncio.sleep(0)
            batch = self._waiting[:MOST_AT_ONCE]
            del self._waiting[:MOST_AT_ONCE]
            try:
                results = await self._write([change for change, _ in batch])
            except Exception as error:
                if len(batch) == 1:
                    results = [error]
                else:  # rolled back whole: each alone, so that only a bad one fails
                    results = [await self._alone(change) for change, _ in batch]
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():  # its request was cancelled; the change is stored all the same
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    async def _alone(self, change: Any) -> Any:
        try:
            return (await self._write([change]))[0]
        except Exception as error:
            return error

    async def _write(self, changes: list[Any]) -> list[Any]:
        """One transaction for all of `changes`: begun and committed in this committer's
        thread (the lock's wait and the fsync), written on the event loop."""
        loop = asyncio.get_running_loop()
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="bop-commit")
        connection = self.database.engine.connect()
        try:
            connection.execution_options(**{WRITE_OPTION: True})
            transaction = await loop.run_in_executor(self._thread, self._begin, connection)
            try:
                results = [self.write(connection, change) for change in changes]
            except BaseException:
                await loop.run_in_executor(self._thread, self._end, transaction, False)
                raise
            await loop.run_in_executor(self._thread, self._end, transaction, True)
        finally:
            connection.close()
        self.batches += 1
        return results

    def _begin(self, connection: Connection):
        """In the committer's thread: the in-process write lock, then SQLite's (BEGIN
        IMMEDIATE, through the engine's `begin` listener), which may wait for another process."""
        self.database.write_lock.acquire()
        try:
            return connection.begin()
        except BaseException:
            self.database.write_lock.release()
            raise

    def _end(self, transaction, commit: bool) -> None:
        """In the committer's thread: commit (the fsync) or roll back, then free the lock."""
        try:
            if commit:
                transaction.commit()
            else:
                transaction.rollback()
        finally:
            self.database.write_lock.release()
