"""The PostgreSQL engine: one asyncpg writer connection, serial writers across processes.

What SQLite gives by being one file, this engine builds from PostgreSQL's own pieces:

- **Serial writers.** A transaction is `BEGIN` then `pg_advisory_xact_lock(WRITE_LOCK)`, held to
  its end, and a write outside one (`execute`, `insert`) is its own one-statement transaction
  taking the same lock; so writers are serial across every process, as under SQLite's
  `BEGIN IMMEDIATE`, and each check-then-write in storage keeps its meaning. Reads take no lock.
  Waiting longer than `lock_timeout` (5 s, SQLite's busy timeout) is an outage.
- **One writer connection per process**, serialized by an asyncio lock, carries the receipts
  (`storage.database.handling`) and the group commit; a second, small connection only reads
  `data_version`, so a cache check never waits for a transaction of this process.
- **Migrations** under the session lock `pg_advisory_lock(MIGRATION_LOCK)`, from reading the
  version (`parley_schema`) to the last script, each script in its own transaction: two
  processes starting together migrate once. PostgreSQL starts at `postgresql/012_baseline.sql`.
- **`data_version`** reads `cache_generations`, which statement triggers on the cached topics'
  tables move in the writing transaction (see the baseline).
- **Outages** (the server unreachable, the connection lost, see `storage.postgres_errors`)
  come out as `StorageUnavailableError`; the next call opens a new connection.
- **Cancellation**: a cancelled transaction is rolled back before the connection serves again
  (if the rollback itself fails, the connection is dropped and the next call reconnects).

Statements are written with `?` (as for SQLite) and numbered for PostgreSQL
(`storage.placeholders.numbered`), receipts' too.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any, ClassVar

import asyncpg

from storage import dialect
from storage.database import (
    Database,
    MigrationError,
    Row,
    Transaction,
    current_receipt,
    load_migrations,
)
from storage.generations import Generations
from storage.placeholders import numbered
from storage.postgres_errors import is_outage, translated
from storage.url import DatabaseUrl, Engine

log = logging.getLogger("parley.storage")

WRITE_LOCK = 0x7061_726C_6579_0001
"""The advisory lock every write transaction holds ("parley" in ASCII, then 1)."""
MIGRATION_LOCK = 0x7061_726C_6579_0002
"""The advisory lock a process holds while it migrates."""
LOCK_TIMEOUT = "5s"
"""How long a statement waits for a lock (another process's write) before it is an outage."""
MIGRATION_WAIT = "10min"
"""How long start-up waits for another process's migration to end."""
CONNECT_TIMEOUT_S = 10.0
ROLLBACK_TIMEOUT_S = 5.0
STATEMENT_CACHE = 1024
"""Prepared statements kept per connection (storage has a few hundred distinct statements)."""
_BEGIN = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS parley_schema ("
    " id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)"
)
_SET_VERSION = (
    "INSERT INTO parley_schema (id, version) VALUES (1, $1)"
    " ON CONFLICT (id) DO UPDATE SET version = excluded.version"
)
_GENERATIONS = "SELECT coalesce(sum(n), 0)::bigint FROM cache_generations"
_CHANGING = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "COPY"})
_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


class PostgresDatabase(Database):
    """A PostgreSQL database: statements and transactions on one connection, in turn."""

    engine: ClassVar[Engine] = Engine.POSTGRESQL
    dialect: ClassVar[dialect.Dialect] = dialect.POSTGRESQL

    def __init__(self, dsn: str, writer: asyncpg.Connection, reader: asyncpg.Connection) -> None:
        self._dsn = dsn
        self.url = DatabaseUrl(Engine.POSTGRESQL, dsn)
        self._writer = writer
        self._reader = reader
        self._lock = asyncio.Lock()
        self._reader_lock = asyncio.Lock()
        self.generations = Generations(self.data_version)
        """What process-local caches of this database's rows check before each use."""

    @classmethod
    @asynccontextmanager
    async def open(
        cls, target: str | Path | DatabaseUrl, *, migrate: bool = True
    ) -> AsyncIterator[PostgresDatabase]:
        """Connect to `target` (`postgresql://…`) and migrate it; close the connections on exit."""
        dsn = target.target if isinstance(target, DatabaseUrl) else str(target)
        writer = await _connect(dsn)
        try:
            reader = await _connect(dsn)
        except BaseException:
            await _close(writer)
            raise
        database = cls(dsn, writer, reader)
        try:
            if migrate:
                await database.migrate()
            yield database
        finally:
            await database.close()

    async def close(self) -> None:
        """Close both connections (also after an outage)."""
        await _close(self._writer)
        await _close(self._reader)

    async def migrate(self) -> int:
        """Apply pending migrations in order, once across processes; returns the schema version.

        A script that breaks a constraint of the data already stored raises `MigrationError`.
        """
        migrations = load_migrations(Engine.POSTGRESQL)
        async with self._lock:
            connection = await self._usable()
            with translated():
                await connection.execute(f"SET lock_timeout = '{MIGRATION_WAIT}'")
                await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
                try:
                    await connection.execute("RESET lock_timeout")
                    return await _apply(connection, migrations)
                finally:
                    if not connection.is_closed():
                        await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement as its own write transaction (with any receipt); rows changed."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one `INSERT … RETURNING id` as its own write transaction; the new row's id."""
        async with self.transaction() as tx:
            return await tx.insert(sql, params)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        async with self._lock:
            connection = await self._usable()
            with translated():
                row: Row | None = await connection.fetchrow(numbered(sql), *params)
                return row

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        async with self._lock:
            connection = await self._usable()
            with translated():
                return list(await connection.fetch(numbered(sql), *params))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        """A write transaction holding the write lock; committed on success, else rolled back."""
        async with self._lock:
            connection = await self._usable()
            try:
                with translated():
                    await connection.execute(_BEGIN)
                receipt = current_receipt()
                yield PostgresTransaction(connection)
                with translated():
                    if receipt is not None:
                        await connection.execute(numbered(receipt.sql), *receipt.params)
                    await connection.execute("COMMIT")
            except BaseException:
                await _uncancellable(_roll_back(connection))
                raise
            if receipt is not None:
                receipt.spent = True

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[PostgresTransaction]:
        """A `REPEATABLE READ READ ONLY` transaction on the writer connection, rolled back."""
        async with self._lock:
            connection = await self._usable()
            try:
                with translated():
                    await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                yield PostgresTransaction(connection)
            finally:
                await _uncancellable(_roll_back(connection))

    async def data_version(self) -> int:
        """A counter that moves whenever a transaction changing a cached topic commits.

        It has its own connection, so it never waits for a transaction of this process.
        """
        async with self._reader_lock:
            if self._reader.is_closed():
                self._reader = await _connect(self._dsn)
            with translated():
                return int(await self._reader.fetchval(_GENERATIONS))

    async def backup(self, destination: str | Path) -> None:
        """Not for PostgreSQL: the server's own tools back it up."""
        raise NotImplementedError(
            "PostgreSQL databases are backed up with pg_dump (or copied to a SQLite file with"
            f" `parley db copy`), not written to {destination}"
        )

    async def compact(self, tables: Sequence[str]) -> None:
        """`VACUUM FULL` each table (outside a transaction): old row versions leave the heap."""
        async with self._lock:
            connection = await self._usable()
            with translated():
                for table in tables:
                    await connection.execute(f'VACUUM (FULL) "{table}"')

    async def _usable(self) -> asyncpg.Connection:
        """The writer connection, opened anew if the last one was lost (the lock is held)."""
        if self._writer.is_closed():
            self._writer = await _connect(self._dsn)
        return self._writer


class PostgresTransaction(Transaction):
    """Statements inside one write transaction (the database's lock is held)."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; rows changed (0 for a statement that changes none, e.g. DDL)."""
        with translated():
            status = await self._connection.execute(numbered(sql), *params)
        return changed_rows(status)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one `INSERT … RETURNING id`; the new row's id."""
        with translated():
            new_id = await self._connection.fetchval(numbered(sql), *params)
        if new_id is None:
            raise LookupError(f"no id returned (no row inserted, or no RETURNING id): {sql}")
        return int(new_id)

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row (pipelined)."""
        with translated():
            await self._connection.executemany(numbered(sql), [tuple(row) for row in rows])

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row of a query, or None."""
        with translated():
            row: Row | None = await self._connection.fetchrow(numbered(sql), *params)
            return row

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """All rows of a query."""
        with translated():
            return list(await self._connection.fetch(numbered(sql), *params))


def changed_rows(status: str) -> int:
    """Rows changed, from a command's status (`UPDATE 4`, `INSERT 0 1`; 0 for others)."""
    words = status.split()
    if len(words) >= 2 and words[0] in _CHANGING and words[-1].isdigit():
        return int(words[-1])
    return 0


async def _connect(dsn: str) -> asyncpg.Connection:
    with translated():
        connection: asyncpg.Connection = await asyncpg.connect(
            dsn,
            timeout=CONNECT_TIMEOUT_S,
            statement_cache_size=STATEMENT_CACHE,
            server_settings={"application_name": "parley", "lock_timeout": LOCK_TIMEOUT},
        )
    return connection


async def _close(connection: asyncpg.Connection) -> None:
    if connection.is_closed():
        return
    try:
        await asyncio.wait_for(connection.close(), ROLLBACK_TIMEOUT_S)
    except Exception:  # a lost server: drop the socket
        connection.terminate()


async def _roll_back(connection: asyncpg.Connection) -> None:
    """End whatever transaction is open; a connection that cannot is dropped, not reused."""
    if connection.is_closed():
        return
    try:
        await connection.execute("ROLLBACK", timeout=ROLLBACK_TIMEOUT_S)
    except Exception as error:
        log.warning("event=postgres_rollback_failed outage=%s error=%r", is_outage(error), error)
        connection.terminate()


async def _uncancellable(work: Awaitable[None]) -> None:
    """Await `work` to its end even if cancelled meanwhile (then raise the cancellation)."""
    task = asyncio.ensure_future(work)
    cancelled = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            cancelled = True
    with suppress(asyncio.CancelledError):
        task.result()
    if cancelled:
        raise asyncio.CancelledError


async def _apply(connection: asyncpg.Connection, migrations: list[tuple[int, str, str]]) -> int:
    """Apply the migrations newer than the stored version (the migration lock is held)."""
    await connection.execute(_VERSION_TABLE)
    version = int(await connection.fetchval("SELECT version FROM parley_schema") or 0)
    latest = migrations[-1][0] if migrations else 0
    if version > latest:
        raise MigrationError(f"the database has schema {version}, newer than this code ({latest})")
    for number, name, sql in migrations:
        if number <= version:
            continue
        try:
            async with connection.transaction():
                await connection.execute("SELECT pg_advisory_xact_lock($1)", WRITE_LOCK)
                if _COMMENTS.sub("", sql).strip():  # asyncpg fails on a script of comments
                    await connection.execute(sql)
                await connection.execute(_SET_VERSION, number)
        except asyncpg.PostgresError as error:
            if is_outage(error):
                raise
            raise MigrationError(f"migration postgresql/{name} failed: {error}") from error
        log.info("event=migration_applied engine=postgresql number=%d name=%s", number, name)
        version = number
    return version
