"""The storage engine seam: `Database`, the abstract base both engines implement.

Repositories use only what is here: `execute` (rows changed), `insert` (`… RETURNING id`, the
new id), `fetch_one`/`fetch_all` (rows indexable by position and by name), `transaction()`
(writers are serial on both engines) and `dialect` for the few fragments that cannot be one
string. They write SQL once, with `?` placeholders, in the subset both engines accept.

`Database.open(target)` picks the engine from `storage.url.DatabaseUrl`: a file path or
`sqlite:///…` opens `storage.sqlite.SqliteDatabase`, `postgresql://…` opens
`storage.postgres.PostgresDatabase`. Each engine is the storage boundary for its errors: an
outage comes out of its methods and transactions as `storage.errors.StorageUnavailableError`.

`Database.run(unit)` runs a unit of work (`storage.units`: a generator of statements) in one
write transaction: SQLite in one hop to its connection's thread, PostgreSQL statement by
statement; either way one logic for both engines.

Also engine-neutral: receipts (`Receipt`, `handling`, `current_receipt`), the migration loader
(`load_migrations`, per engine folder) and `make_private` for files.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import stat
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from bot.identity import ChatRef
from storage.dialect import Dialect
from storage.generations import Generations
from storage.units import FetchAll, Unit, execute_many
from storage.url import DatabaseUrl, Engine

log = logging.getLogger("parley.storage")

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
PRIVATE_MODE = 0o600
_SIDECARS = ("-wal", "-shm", "-journal")
T = TypeVar("T")


class Row(Protocol):
    """A result row: `row[0]` and `row["name"]` (sqlite3.Row, asyncpg.Record)."""

    def __getitem__(self, key: Any, /) -> Any:
        """The value at a position or of a column name."""
        ...

    def __len__(self) -> int:
        """The number of columns."""
        ...

    def __iter__(self) -> Iterator[Any]:
        """The values, in column order."""
        ...


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
    the receipt explicitly (`receipts_written`, a unit run in their transaction).
    """

    sql: str
    params: tuple[Any, ...]
    owner: asyncio.Task[Any] | None = field(default_factory=asyncio.current_task)
    spent: bool = False


_receipt: ContextVar[Receipt | None] = ContextVar("parley_receipt", default=None)


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


def receipts_written(receipts: Iterable[Receipt | None]) -> Unit[None]:
    """The unit that commits `receipts` (those not yet spent), one `execute_many` per statement."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for receipt in receipts:
        if receipt is not None and not receipt.spent:
            rows.setdefault(receipt.sql, []).append(receipt.params)
    for sql, params in rows.items():
        yield from execute_many(sql, params)


class Reads(Protocol):
    """What reads rows: a database, a transaction, a snapshot."""

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        ...

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        ...


class Transaction(ABC):
    """Statements inside one write transaction (the database's write lock is held)."""

    @abstractmethod
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; rows changed (0 for a statement that changes none)."""

    @abstractmethod
    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one `INSERT … RETURNING id`; the new id (`LookupError` if no row came back)."""

    @abstractmethod
    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row."""

    @abstractmethod
    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""

    async def run(self, unit: Unit[T]) -> T:
        """Run `unit`'s statements in this transaction, awaiting each in turn; what it returns."""
        reply: Any = None
        try:
            while True:
                step = unit.send(reply)
                if isinstance(step, FetchAll):
                    reply = await self.fetch_all(step.sql, step.params)
                else:
                    await self.execute_many(step.sql, step.rows)
                    reply = None
        except StopIteration as done:
            return done.value
        finally:
            unit.close()

    async def for_each_chat(self, statements: Sequence[str], chats: Iterable[ChatRef]) -> int:
        """Run each statement (parameters: platform, chat id) for each chat; rows changed."""
        changed = 0
        for chat in chats:
            for sql in statements:
                changed += await self.execute(sql, (chat.platform, chat.chat_id))
        return changed


class Database(ABC):
    """A database of either engine; statements and transactions of one process in turn."""

    engine: ClassVar[Engine]
    dialect: ClassVar[Dialect]
    url: DatabaseUrl
    generations: Generations
    """What process-local caches of this database's rows check before each use."""

    @classmethod
    @asynccontextmanager
    async def open(
        cls, target: str | Path | DatabaseUrl, *, migrate: bool = True
    ) -> AsyncIterator[Database]:
        """Open (creating if needed), check and migrate the database `target` names; close on exit.

        `target` is a file path, `sqlite:///…`, or `postgresql://…` (see `DatabaseUrl.parse`).
        `migrate=False` leaves the schema as it is (`parley db copy` reads a source so).
        """
        url = target if isinstance(target, DatabaseUrl) else DatabaseUrl.parse(target)
        opener: AbstractAsyncContextManager[Database]
        if url.engine is Engine.POSTGRESQL:
            from storage.postgres import PostgresDatabase

            opener = PostgresDatabase.open(url.target, migrate=migrate)
        else:
            from storage.sqlite import SqliteDatabase

            opener = SqliteDatabase.open(url.target, migrate=migrate)
        async with opener as database:
            yield database

    @abstractmethod
    async def migrate(self) -> int:
        """Apply pending migrations in order; returns the schema version."""

    @abstractmethod
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement on its own (with the task's receipt, if it has one); rows changed."""

    @abstractmethod
    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one `INSERT … RETURNING id` on its own; the new id."""

    @abstractmethod
    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """A write transaction, serial with every other writer; committed on success."""

    async def run(self, unit: Unit[T]) -> T:
        """Run a unit of work (`storage.units`) in one write transaction; what it returns.

        With the task's receipt, as `transaction()`; rolled back if the unit fails or its task
        is cancelled before the commit. This base runs it through `transaction()`, statement
        by statement; SQLite runs it whole on its connection's thread.
        """
        async with self.transaction() as tx:
            return await tx.run(unit)

    @abstractmethod
    def snapshot(self) -> AbstractAsyncContextManager[Reads]:
        """A read-only transaction: every read in it sees the same committed state.

        SQLite: a deferred `BEGIN` (its read snapshot starts at the first read); PostgreSQL:
        `REPEATABLE READ READ ONLY`. This process's other statements wait until it ends.
        """

    @abstractmethod
    async def data_version(self) -> int:
        """A counter that moves when another connection (or process) commits a change."""

    @abstractmethod
    async def backup(self, destination: str | Path) -> None:
        """Write a consistent copy to `destination` (SQLite; PostgreSQL refuses)."""

    @abstractmethod
    async def compact(self, tables: Sequence[str]) -> None:
        """Rewrite the file (SQLite) or `tables` (PostgreSQL) without deleted row versions."""


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


def load_migrations(
    engine: Engine = Engine.SQLITE, folder: Any = None
) -> list[tuple[int, str, str]]:
    """The numbered scripts `engine` applies, in order, as (number, name, sql).

    SQLite's are `storage/migrations/NNN_*.sql` from 001 on, without gaps or a number used
    twice. PostgreSQL starts at its first own script (`postgresql/012_baseline.sql`); from there
    each number is its own script in `migrations/postgresql/` if there is one, else the shared
    one, without gaps. `folder` replaces `storage/migrations` (for tests).
    """
    folder = folder if folder is not None else resources.files("storage") / "migrations"
    shared = _scripts(folder)
    if engine is Engine.SQLITE:
        numbers = sorted(shared)
        if numbers != list(range(1, len(numbers) + 1)):
            raise MigrationError(f"migrations must be numbered 001, 002, … without gaps: {numbers}")
        return [shared[number] for number in numbers]
    own = _scripts(folder / "postgresql")
    if not own:
        raise MigrationError("storage/migrations/postgresql holds no baseline")
    first, last = min(own), max([*own, *shared])
    missing = [n for n in range(first, last + 1) if n not in own and n not in shared]
    if missing:
        raise MigrationError(f"PostgreSQL migrations missing: {missing}")
    return [own.get(number) or shared[number] for number in range(first, last + 1)]


def _scripts(folder: Any) -> dict[int, tuple[int, str, str]]:
    found: dict[int, tuple[int, str, str]] = {}
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            number = int(match.group(1))
            if number in found:
                names = sorted((found[number][1], entry.name))
                raise MigrationError(f"two migrations share the number {number:03d}: {names}")
            found[number] = (number, entry.name, entry.read_text(encoding="utf-8"))
    return found
