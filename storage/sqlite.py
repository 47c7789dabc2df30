"""The SQLite engine: one sqlite3 connection on a thread of its own, pragmas, `BEGIN IMMEDIATE`.

The connection lives on its `ConnectionThread`: each statement is a job the event loop queues
there and awaits (one hop). Statements and transactions of the process are serialized by a
lock; a transaction takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so writers are
serial across processes too. A unit of work (`run`), `insert` and a write carrying the task's
receipt are one hop each: the thread runs the whole transaction, `BEGIN IMMEDIATE` to `COMMIT`.
Jobs run in the order they were queued, so a transaction whose task stopped waiting is ended
(rolled back) by a job queued behind it, before anything queued later.

Database files (and backups) are private to their owner: created 0600, and SQLite gives its
-wal and -shm files the mode of the database file.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from storage import dialect
from storage.connection_thread import ConnectionThread
from storage.database import (
    CorruptDatabaseError,
    Database,
    MigrationError,
    Receipt,
    Row,
    Transaction,
    current_receipt,
    load_migrations,
    make_private,
)
from storage.errors import StorageUnavailableError
from storage.generations import Generations
from storage.units import FetchAll, Unit
from storage.url import DatabaseUrl, Engine

log = logging.getLogger("parley.storage")

BUSY_TIMEOUT_MS = 5000
STATEMENT_CACHE = 256
"""Prepared statements the connection keeps (storage has a few hundred distinct statements)."""
_PRAGMA = re.compile(r"\s*PRAGMA\b", re.IGNORECASE)
STORAGE_BUGS = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.NotSupportedError)
"""SQLite errors that are bugs in Parley (a broken constraint, a wrong statement), not outages."""
T = TypeVar("T")
Job = Callable[[sqlite3.Connection], T]


@contextmanager
def translated() -> Iterator[None]:
    """Within the block, an outage of SQLite is raised as `StorageUnavailableError`.

    Locked, busy, full, read-only, damaged or unreadable is an outage (the message is kept);
    a broken constraint, a wrong statement or a closed cursor is a bug and passes unchanged.
    """
    try:
        yield
    except sqlite3.DatabaseError as error:
        if isinstance(error, STORAGE_BUGS):
            raise
        raise StorageUnavailableError(str(error)) from error


class SqliteDatabase(Database):
    """One sqlite3 connection on its own thread; statements and transactions in turn."""

    engine: ClassVar[Engine] = Engine.SQLITE
    dialect: ClassVar[dialect.Dialect] = dialect.SQLITE

    def __init__(self, thread: ConnectionThread[sqlite3.Connection], path: str) -> None:
        self._thread = thread
        self._lock = asyncio.Lock()
        self.path = path
        """The file (or `:memory:`)."""
        self.url = DatabaseUrl(Engine.SQLITE, path)
        self.generations = Generations(self.data_version)

    @classmethod
    @asynccontextmanager
    async def open(
        cls, target: str | Path | DatabaseUrl, *, migrate: bool = True
    ) -> AsyncIterator[SqliteDatabase]:
        """Open (creating it private if needed), check and migrate the file; close it on exit."""
        path = target.target if isinstance(target, DatabaseUrl) else str(target)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            make_private(Path(path))
        thread: ConnectionThread[sqlite3.Connection] = ConnectionThread("parley-sqlite")
        with translated():
            await thread.start(partial(_connect, path), _disconnect)
        try:
            database = cls(thread, path)
            await database.check_integrity()
            if migrate:
                await database.migrate()
            yield database
        finally:
            await thread.stop()

    async def check_integrity(self) -> None:
        """Refuse a damaged file (`PRAGMA quick_check`) before anything is served from it."""
        try:
            async with self._lock:
                rows = await self._thread.submit(partial(_rows, sql="PRAGMA quick_check"))
                # The check read every page: hand its cache back (up to 2 MiB of a big file).
                await self._thread.submit(partial(_rows, sql="PRAGMA shrink_memory"))
            problems = [str(row[0]) for row in rows]
        except sqlite3.OperationalError as error:  # busy or unreadable, not damaged
            raise StorageUnavailableError(str(error)) from error
        except sqlite3.DatabaseError as error:  # too damaged for the check to finish
            problems = [str(error)]
        if problems != ["ok"]:
            raise CorruptDatabaseError(
                f"the database {self.path} is damaged ({len(problems)} problems found by"
                f" SQLite's integrity check, first: {problems[0]}); restore a backup"
                " (and its poll key file) or repair it with `sqlite3 FILE .recover`"
            )

    async def migrate(self) -> int:
        """Apply pending migrations in order; returns the schema version.

        A script that breaks a constraint of the data already stored raises `MigrationError`.
        """
        migrations = load_migrations(Engine.SQLITE)
        async with self._lock:
            rows = await self._call(partial(_rows, sql="PRAGMA user_version"))
            version = int(rows[0][0]) if rows else 0
            latest = migrations[-1][0] if migrations else 0
            if version > latest:
                raise MigrationError(
                    f"database {self.path} has schema {version}, newer than this code ({latest})"
                )
            for number, name, sql in migrations:
                if number <= version:
                    continue
                try:
                    await self._call(partial(_migrate, sql=sql, number=number))
                except STORAGE_BUGS as error:
                    raise MigrationError(f"migration {name} failed: {error}") from error
                log.info("event=migration_applied number=%d name=%s", number, name)
                version = number
            return version

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement on its own (autocommit; with the task's receipt, if it has one)."""
        if current_receipt() is not None and not _PRAGMA.match(sql):
            return await self._write(partial(_changed, sql=sql, params=params))
        async with self._lock:
            return await self._call(partial(_changed, sql=sql, params=params))

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one `INSERT … RETURNING id` on its own; the new id."""
        return await self._write(partial(_inserted, sql=sql, params=params))

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        async with self._lock:
            return await self._call(partial(_row, sql=sql, params=params))

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        async with self._lock:
            return await self._call(partial(_rows, sql=sql, params=params))

    async def run(self, unit: Unit[T]) -> T:
        """Run a unit of work in one write transaction, whole on the connection's thread."""
        return await self._write(partial(_run_unit, unit=unit))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        """A write transaction (`BEGIN IMMEDIATE`), committed on success, rolled back on error."""
        async with self._lock:
            await self._begin(_begin_writing)
            receipt = current_receipt()
            try:
                yield SqliteTransaction(self._call)
            except BaseException:
                self._thread.post(_end)
                raise
            await self._call(partial(_commit, receipt=receipt))
            if receipt is not None:
                receipt.spent = True

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[SqliteTransaction]:
        """A read transaction (`BEGIN`, its snapshot taken at once), rolled back at the end."""
        async with self._lock:
            await self._begin(_begin_reading)
            try:
                yield SqliteTransaction(self._call)
            finally:
                self._thread.post(_end)

    async def data_version(self) -> int:
        """SQLite's `data_version`: it changes whenever another connection commits.

        It takes no lock, so it need not wait for another task's transaction to end: it only
        reads a counter, which no other connection can move while this one holds a write lock.
        """
        rows = await self._call(partial(_rows, sql="PRAGMA data_version"))
        return int(rows[0][0]) if rows else 0

    async def backup(self, destination: str | Path) -> None:
        """Write a consistent copy to `destination` (private, 0600) with SQLite's backup API."""
        make_private(Path(destination))
        async with self._lock:
            await self._call(partial(_backup, destination=str(destination)))

    async def compact(self, tables: Sequence[str]) -> None:
        """`VACUUM`: rebuild the whole file without free pages (`tables` are all in it)."""
        if self.path != ":memory:":
            await self.execute("VACUUM")

    async def _call(self, job: Job[T]) -> T:
        """Run `job` on the connection's thread (the caller holds the lock if it needs it)."""
        with translated():
            return await self._thread.submit(job)

    async def _begin(self, job: Job[None]) -> None:
        """Open a transaction with `job`; if the task is cancelled meanwhile, end what it opens."""
        try:
            await self._call(job)
        except asyncio.CancelledError:
            self._thread.post(_end)  # queued behind the BEGIN, ahead of every later job
            raise

    async def _write(self, work: Job[T]) -> T:
        """`work` in one write transaction with the task's receipt: one hop to the thread.

        Cancelled before its `COMMIT`, the transaction is rolled back.
        """
        async with self._lock:
            receipt = current_receipt()
            cancelled = threading.Event()
            try:
                result = await self._call(
                    partial(_transact, work=work, receipt=receipt, cancelled=cancelled)
                )
            except asyncio.CancelledError:
                cancelled.set()
                raise
        if receipt is not None:
            receipt.spent = True
        return result


class SqliteTransaction(Transaction):
    """Statements inside one SQLite transaction (the database lock is held)."""

    def __init__(self, call: Callable[[Job[Any]], Awaitable[Any]]) -> None:
        self._call = call

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; rows changed."""
        changed: int = await self._call(partial(_changed, sql=sql, params=params))
        return changed

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one `INSERT … RETURNING id`; the new id."""
        new_id: int = await self._call(partial(_inserted, sql=sql, params=params))
        return new_id

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row."""
        await self._call(partial(_many, sql=sql, rows=rows))

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        row: Row | None = await self._call(partial(_row, sql=sql, params=params))
        return row

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        rows: list[Row] = await self._call(partial(_rows, sql=sql, params=params))
        return rows


class _Cancelled(Exception):
    """The task awaiting a transaction was cancelled before its commit: roll it back."""


# The jobs: each runs on the connection's thread, given the connection first.


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, cached_statements=STATEMENT_CACHE)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def _disconnect(connection: sqlite3.Connection) -> None:
    connection.close()


def _changed(connection: sqlite3.Connection, *, sql: str, params: Sequence[Any]) -> int:
    return max(connection.execute(sql, params).rowcount, 0)


def _inserted(connection: sqlite3.Connection, *, sql: str, params: Sequence[Any]) -> int:
    row = connection.execute(sql, params).fetchone()
    if row is None or row[0] is None:
        raise LookupError(f"no id returned (no row inserted, or no RETURNING id): {sql}")
    return int(row[0])


def _many(connection: sqlite3.Connection, *, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    connection.executemany(sql, rows)


def _row(connection: sqlite3.Connection, *, sql: str, params: Sequence[Any]) -> Row | None:
    cursor = connection.execute(sql, params)
    try:
        row: Row | None = cursor.fetchone()
        return row
    finally:
        cursor.close()


def _rows(connection: sqlite3.Connection, *, sql: str, params: Sequence[Any] = ()) -> list[Row]:
    return connection.execute(sql, params).fetchall()


def _run_unit(connection: sqlite3.Connection, *, unit: Unit[T]) -> T:
    """Run every statement of `unit` here, in turn; what it returns."""
    reply: Any = None
    try:
        while True:
            step = unit.send(reply)
            if isinstance(step, FetchAll):
                reply = connection.execute(step.sql, step.params).fetchall()
            else:
                connection.executemany(step.sql, step.rows)
                reply = None
    except StopIteration as done:
        return done.value
    finally:
        unit.close()


def _transact(
    connection: sqlite3.Connection,
    *,
    work: Job[T],
    receipt: Receipt | None,
    cancelled: threading.Event,
) -> T:
    """`BEGIN IMMEDIATE`, `work`, the receipt, `COMMIT`; rolled back on error or cancellation."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        if cancelled.is_set():  # the task gave up while BEGIN waited for the write lock
            raise _Cancelled
        result = work(connection)
        if cancelled.is_set():
            raise _Cancelled
    except BaseException:
        _end(connection)
        raise
    _commit(connection, receipt=receipt)
    return result


def _begin_writing(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")


def _begin_reading(connection: sqlite3.Connection) -> None:
    """`BEGIN` and take its read snapshot at once (a deferred BEGIN reads nothing yet)."""
    connection.execute("BEGIN")
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except BaseException:
        _end(connection)
        raise


def _commit(connection: sqlite3.Connection, *, receipt: Receipt | None) -> None:
    """Write the receipt and `COMMIT`; a failure ends the transaction (else every BEGIN fails)."""
    try:
        if receipt is not None:
            connection.execute(receipt.sql, receipt.params)
        connection.execute("COMMIT")
    except BaseException:
        _end(connection)  # a failed COMMIT (a deferred constraint, a full disk) can leave it open
        raise


def _end(connection: sqlite3.Connection) -> None:
    """Roll back the open transaction, if there is one."""
    if connection.in_transaction:
        connection.execute("ROLLBACK")


def _migrate(connection: sqlite3.Connection, *, sql: str, number: int) -> None:
    try:
        connection.executescript(
            f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    except BaseException:
        _end(connection)
        raise


def _backup(connection: sqlite3.Connection, *, destination: str) -> None:
    target = sqlite3.connect(destination)
    try:
        connection.backup(target)
    finally:
        target.close()
