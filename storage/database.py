"""The SQLite connection: pragmas, an integrity check, numbered migrations, serialized access.

`Database` is the storage boundary for the engine's errors: an outage comes out of its methods
and its transactions as `storage.errors.StorageUnavailableError` (see `translated`).

Database files (and backups) are private to their owner: created 0600, and SQLite gives its
-wal and -shm files the mode of the database file.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import stat
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from bot.identity import ChatRef
from storage.errors import STORAGE_BUGS, StorageUnavailableError, translated
from storage.generations import Generations

log = logging.getLogger("parley.storage")

Row = aiosqlite.Row
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000
PRIVATE_MODE = 0o600
_SIDECARS = ("-wal", "-shm", "-journal")


class MigrationError(RuntimeError):
    """The migrations on disk do not fit the database."""


class CorruptDatabaseError(RuntimeError):
    """The database file opens but SQLite's integrity check finds damage."""


@dataclass(eq=False)
class Receipt:
    """A statement that records an inbound update as handled, committed with its first effect.

    While a task handles an update (`handling`), the first write transaction that task commits
    runs `sql` too, so the effect and its record are one: after a crash, an update without its
    record had no effect and may be handled again. Other tasks (a group-commit writer) carry
    the receipt explicitly (`Transaction.write_receipt`).
    """

    sql: str
    params: tuple[Any, ...]
    owner: asyncio.Task[Any] | None = field(default_factory=asyncio.current_task)
    spent: bool = False


_receipt: ContextVar[Receipt | None] = ContextVar("parley_receipt", default=None)
_PRAGMA = re.compile(r"\s*PRAGMA\b", re.IGNORECASE)


@contextmanager
def handling(receipt: Receipt) -> Iterator[None]:
    """Within the block, this task's first committed write also commits `receipt`."""
    token = _receipt.set(receipt)
    try:
        yield
    finally:
        _receipt.reset(token)


def current_receipt() -> Receipt | None:
    """The receipt the running task still owes, if it handles an update."""
    receipt = _receipt.get()
    if receipt is None or receipt.spent or receipt.owner is not asyncio.current_task():
        return None
    return receipt


class Database:
    """One aiosqlite connection; statements and transactions are serialized by a lock."""

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()
        self.path = path
        self.generations = Generations(self.data_version)
        """What process-local caches of this database's rows check before each use."""

    @classmethod
    @asynccontextmanager
    async def open(cls, path: str | Path) -> AsyncIterator[Database]:
        """Open (creating it private if needed), check and migrate `path`; close it on exit."""
        target = str(path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            make_private(Path(target))
        with translated():
            connection = await aiosqlite.connect(target, isolation_level=None)
        try:
            with translated():
                connection.row_factory = aiosqlite.Row
                await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                await connection.execute("PRAGMA journal_mode = WAL")
                await connection.execute("PRAGMA synchronous = NORMAL")
                await connection.execute("PRAGMA foreign_keys = ON")
            database = cls(connection, target)
            await database.check_integrity()
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
        migrations = list(_load_migrations())
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

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Cursor:
        """Run one statement on its own (autocommit; with the task's receipt, if it has one)."""
        if current_receipt() is not None and not _PRAGMA.match(sql):
            async with self.transaction() as tx:
                return await tx.execute(sql, params)
        async with self._lock:
            with translated():
                return await self._connection.execute(sql, params)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        with translated():
            async with self._lock, self._connection.execute(sql, params) as cursor:
                return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        with translated():
            async with self._lock, self._connection.execute(sql, params) as cursor:
                return list(await cursor.fetchall())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
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
                    yield Transaction(self._connection)
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

    async def _user_version(self) -> int:
        async with self._connection.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0


class Transaction:
    """Statements inside one transaction (the database lock is held)."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Cursor:
        """Run one statement."""
        return await self._connection.execute(sql, params)

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row."""
        await self._connection.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        async with self._connection.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        async with self._connection.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def write_receipt(self, receipt: Receipt | None) -> None:
        """Commit `receipt` with this transaction (for work done on behalf of another task)."""
        if receipt is not None and not receipt.spent:
            await self._connection.execute(receipt.sql, receipt.params)

    async def for_each_chat(self, statements: Sequence[str], chats: Iterable[ChatRef]) -> int:
        """Run each statement (parameters: platform, chat id) for each chat; rows changed."""
        changed = 0
        for chat in chats:
            for sql in statements:
                cursor = await self._connection.execute(sql, (chat.platform, chat.chat_id))
                changed += max(cursor.rowcount, 0)
        return changed


def make_private(path: Path) -> None:
    """Create `path` readable by its owner only; tighten it and its sidecars if already there."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE))
        return
    except FileExistsError:
        pass
    for name in (str(path), *(f"{path}{suffix}" for suffix in _SIDECARS)):
        try:
            status = os.stat(name)
            mode = stat.S_IMODE(status.st_mode)
            if stat.S_ISREG(status.st_mode) and mode & 0o077:
                os.chmod(name, mode & 0o700)
                log.warning("event=database_file_made_private path=%s was=%o", name, mode)
        except FileNotFoundError:
            continue
        except OSError as error:  # not the owner: say so, do not refuse to start
            log.warning("event=database_file_not_private path=%s reason=%r", name, str(error))


def _load_migrations() -> Iterable[tuple[int, str, str]]:
    """The numbered migration scripts shipped in `storage/migrations`, in order."""
    folder = resources.files("storage") / "migrations"
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [number for number, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise MigrationError(f"migrations must be numbered 001, 002, … without gaps: {numbers}")
    return found
