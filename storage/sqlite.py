"""The SQLite engine: one aiosqlite connection, pragmas, an integrity check, `BEGIN IMMEDIATE`.

Statements and transactions of the process are serialized by a lock; a transaction takes
SQLite's write lock at once (`BEGIN IMMEDIATE`), so writers are serial across processes too.

Database files (and backups) are private to their owner: created 0600, and SQLite gives its
-wal and -shm files the mode of the database file.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from pathlib import Path
from typing import Any, ClassVar

import aiosqlite

from storage import dialect
from storage.database import (
    CorruptDatabaseError,
    Database,
    MigrationError,
    Row,
    Transaction,
    current_receipt,
    load_migrations,
    make_private,
)
from storage.errors import StorageUnavailableError
from storage.generations import Generations
from storage.url import DatabaseUrl, Engine

log = logging.getLogger("parley.storage")

BUSY_TIMEOUT_MS = 5000
_PRAGMA = re.compile(r"\s*PRAGMA\b", re.IGNORECASE)
STORAGE_BUGS = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.NotSupportedError)
"""SQLite errors that are bugs in Parley (a broken constraint, a wrong statement), not outages."""


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
    """One aiosqlite connection; statements and transactions are serialized by a lock."""

    engine: ClassVar[Engine] = Engine.SQLITE
    dialect: ClassVar[dialect.Dialect] = dialect.SQLITE

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self._connection = connection
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
        with translated():
            connection = await aiosqlite.connect(path, isolation_level=None)
        try:
            with translated():
                connection.row_factory = aiosqlite.Row
                await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                await connection.execute("PRAGMA journal_mode = WAL")
                await connection.execute("PRAGMA synchronous = NORMAL")
                await connection.execute("PRAGMA foreign_keys = ON")
            database = cls(connection, path)
            await database.check_integrity()
            if migrate:
                await database.migrate()
            yield database
        finally:
            await connection.close()

    async def check_integrity(self) -> None:
        """Refuse a damaged file (`PRAGMA quick_check`) before anything is served from it."""
        try:
            async with self._lock, self._connection.execute("PRAGMA quick_check") as cursor:
                problems = [str(row[0]) for row in await cursor.fetchall()]
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
            with translated():
                version = await self._user_version()
                latest = migrations[-1][0] if migrations else 0
                if version > latest:
                    raise MigrationError(
                        f"database {self.path} has schema {version},"
                        f" newer than this code ({latest})"
                    )
                for number, name, sql in migrations:
                    if number <= version:
                        continue
                    try:
                        await self._connection.executescript(
                            f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
                        )
                    except Exception as error:
                        if self._connection.in_transaction:
                            await self._connection.execute("ROLLBACK")
                        if isinstance(error, STORAGE_BUGS):
                            raise MigrationError(f"migration {name} failed: {error}") from error
                        raise
                    log.info("event=migration_applied number=%d name=%s", number, name)
                    version = number
                return version

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement on its own (autocommit; with the task's receipt, if it has one)."""
        if current_receipt() is not None and not _PRAGMA.match(sql):
            async with self.transaction() as tx:
                return await tx.execute(sql, params)
        async with self._lock:
            with translated():
                cursor = await self._connection.execute(sql, params)
                return max(cursor.rowcount, 0)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one `INSERT … RETURNING id` on its own; the new id."""
        async with self.transaction() as tx:
            return await tx.insert(sql, params)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        with translated():
            async with self._lock, self._connection.execute(sql, params) as cursor:
                row: Row | None = await cursor.fetchone()
                return row

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        with translated():
            async with self._lock, self._connection.execute(sql, params) as cursor:
                return list(await cursor.fetchall())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        """A write transaction (`BEGIN IMMEDIATE`), committed on success, rolled back on error."""
        with translated():
            async with self._lock:
                begin = asyncio.ensure_future(self._connection.execute("BEGIN IMMEDIATE"))
                try:
                    await asyncio.shield(begin)
                except asyncio.CancelledError:
                    # BEGIN runs on in SQLite's thread: end what it opens, or the next one fails.
                    with suppress(Exception):
                        await begin
                        await self._connection.execute("ROLLBACK")
                    raise
                receipt = current_receipt()
                try:
                    yield SqliteTransaction(self._connection)
                    if receipt is not None:
                        await self._connection.execute(receipt.sql, receipt.params)
                except BaseException:
                    await asyncio.shield(self._connection.execute("ROLLBACK"))
                    raise
                try:
                    await self._connection.execute("COMMIT")
                except BaseException:
                    # A failed COMMIT (a deferred constraint, a full disk) can leave the
                    # transaction open, and every later BEGIN would then fail: end it.
                    if self._connection.in_transaction:
                        await self._connection.execute("ROLLBACK")
                    raise
                if receipt is not None:
                    receipt.spent = True

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[SqliteTransaction]:
        """A read transaction (`BEGIN`, its snapshot taken at once), rolled back at the end."""
        with translated():
            async with self._lock:
                await self._connection.execute("BEGIN")
                try:
                    await self._connection.execute("SELECT count(*) FROM sqlite_master")
                    yield SqliteTransaction(self._connection)
                finally:
                    await asyncio.shield(self._connection.execute("ROLLBACK"))

    async def data_version(self) -> int:
        """SQLite's `data_version`: it changes whenever another connection commits.

        It takes no lock, so it need not wait for another task's transaction to end: it only
        reads a counter, which no other connection can move while this one holds a write lock.
        """
        with translated():
            rows = list(await self._connection.execute_fetchall("PRAGMA data_version"))
        return int(rows[0][0]) if rows else 0

    async def backup(self, destination: str | Path) -> None:
        """Write a consistent copy to `destination` (private, 0600) with SQLite's backup API."""
        make_private(Path(destination))
        with translated():
            async with aiosqlite.connect(str(destination)) as target:
                await self._connection.backup(target)

    async def compact(self, tables: Sequence[str]) -> None:
        """`VACUUM`: rebuild the whole file without free pages (`tables` are all in it)."""
        if self.path != ":memory:":
            await self.execute("VACUUM")

    async def _user_version(self) -> int:
        async with self._connection.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0


class SqliteTransaction(Transaction):
    """Statements inside one SQLite transaction (the database lock is held)."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; rows changed."""
        cursor = await self._connection.execute(sql, params)
        return max(cursor.rowcount, 0)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one `INSERT … RETURNING id`; the new id."""
        async with self._connection.execute(sql, params) as cursor:
            row = await cursor.fetchone()
        if row is None or row[0] is None:
            raise LookupError(f"no id returned (no row inserted, or no RETURNING id): {sql}")
        return int(row[0])

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row."""
        await self._connection.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        async with self._connection.execute(sql, params) as cursor:
            row: Row | None = await cursor.fetchone()
            return row

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        async with self._connection.execute(sql, params) as cursor:
            return list(await cursor.fetchall())
