"""`parley db copy`: every table of one database into an empty one, of either engine, verified.

The source is opened without migrating it and read in one snapshot (`Database.snapshot`); the
target is migrated, then filled in one write transaction, so a refused or failed copy leaves it
as it was. Tables come from the schema (SQLite's `sqlite_master`, PostgreSQL's
`information_schema`) minus the schema's own bookkeeping (`BOOKKEEPING`, and SQLite's
`sqlite_*` tables), parents before children (foreign keys), rows in primary-key order, in
batches. On PostgreSQL each identity sequence then moves past the copied ids.

Verification: per table, the row count and `table_checksum` (SHA-256 over the rows in
primary-key order, each value tagged by kind: integer, real, text, bytes, NULL; booleans count
as integers, BLOB and BYTEA as bytes) of the source are compared with those read back from the
target before the transaction commits. Both engines order text and bytes by code point, so the
order is the same on both.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from storage.database import (
    CorruptDatabaseError,
    Database,
    MigrationError,
    Reads,
    Row,
    Transaction,
    load_migrations,
)
from storage.errors import StorageUnavailableError
from storage.url import DatabaseUrl, Engine

BOOKKEEPING = frozenset({"parley_schema", "cache_generations"})
"""Tables a migration fills (the schema version, PostgreSQL's cache counters): never copied."""
BATCH_ROWS = 500
"""Rows read and inserted (one `executemany`) at a time."""

OPEN_ERRORS = (StorageUnavailableError, OSError, MigrationError, CorruptDatabaseError)
"""What opening a database raises for an unreachable server, a wrong path, a foreign file."""

Progress = Callable[[str, int, int], None]
"""Told (table, rows copied so far, rows in the table) as a table is copied."""


class Problem(StrEnum):
    """Why a copy is refused or failed."""

    CANNOT_OPEN = "cannot_open"
    SAME_DATABASE = "same_database"
    IN_MEMORY = "in_memory"
    SOURCE_MISSING = "source_missing"
    SOURCE_EMPTY = "source_empty"
    SOURCE_OLDER = "source_older"
    SOURCE_NEWER = "source_newer"
    VERSIONS_DIFFER = "versions_differ"
    SCHEMAS_DIFFER = "schemas_differ"
    TARGET_NOT_EMPTY = "target_not_empty"
    UNSUPPORTED_VALUE = "unsupported_value"
    MISMATCH = "mismatch"


class CopyError(Exception):
    """A refused or failed copy: the `problem` and the details its message needs."""

    def __init__(self, problem: Problem, **details: Any) -> None:
        self.problem = problem
        self.details = details
        super().__init__(f"{problem}: {details}")


@dataclass(frozen=True)
class TableSchema:
    """One copied table: its columns, primary key, parent tables and identity column."""

    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    parents: frozenset[str]
    identity: str | None = None


@dataclass(frozen=True)
class TableCopy:
    """A copied table: rows and checksum on both sides."""

    name: str
    rows: int
    checksum: str
    target_rows: int
    target_checksum: str

    @property
    def matches(self) -> bool:
        """Whether the target holds exactly the source's rows."""
        return (self.rows, self.checksum) == (self.target_rows, self.target_checksum)


@dataclass(frozen=True)
class CopyReport:
    """What a copy did: the schema version and each table, in copy order."""

    version: int
    tables: tuple[TableCopy, ...]

    @property
    def rows(self) -> int:
        """Rows copied in all."""
        return sum(table.rows for table in self.tables)


async def copy_database(
    source: DatabaseUrl, target: DatabaseUrl, progress: Progress | None = None
) -> CopyReport:
    """Copy every table of `source` into the empty `target` (migrated first), verified.

    Raises `CopyError` for a refusal, a database that cannot be opened (`side` "source" or
    "target") or a mismatch; the target is then unchanged. An outage mid-copy raises
    `StorageUnavailableError` (and rolls the target back too).
    """
    check_places(source, target)
    async with contextlib.AsyncExitStack() as stack:
        from_db = await _open(stack, source, "source", migrate=False)
        async with from_db.snapshot() as reads:
            version = await schema_version(from_db, reads)
            latest = load_migrations(from_db.engine)[-1][0]
            if version == 0:
                raise CopyError(Problem.SOURCE_EMPTY)
            if version < latest:
                raise CopyError(Problem.SOURCE_OLDER, version=version, latest=latest)
            if version > latest:
                raise CopyError(Problem.SOURCE_NEWER, version=version, latest=latest)
        to_db = await _open(stack, target, "target", migrate=True)
        async with from_db.snapshot() as reads, to_db.transaction() as tx:
            source_version = await schema_version(from_db, reads)  # migrated meanwhile?
            target_version = await schema_version(to_db, tx)
            if target_version != source_version:
                raise CopyError(
                    Problem.VERSIONS_DIFFER, source=source_version, target=target_version
                )
            tables = await _matching_schemas(from_db, reads, to_db, tx)
            await _refuse_rows(tx, tables)
            copied = [await _copy_table(reads, tx, table, progress) for table in tables]
            if to_db.engine is Engine.POSTGRESQL:
                await _move_sequences(tx, tables)
            report = CopyReport(source_version, tuple(copied))
            for table in report.tables:
                if not table.matches:
                    raise CopyError(Problem.MISMATCH, table=table)
            return report


async def _open(
    stack: contextlib.AsyncExitStack, url: DatabaseUrl, side: str, *, migrate: bool
) -> Database:
    """Open one side (closed with `stack`); `CopyError(CANNOT_OPEN, side=…)` if it cannot be."""
    try:
        return await stack.enter_async_context(Database.open(url, migrate=migrate))
    except OPEN_ERRORS as error:
        raise CopyError(Problem.CANNOT_OPEN, side=side, reason=error) from error


def check_places(source: DatabaseUrl, target: DatabaseUrl) -> None:
    """Refuse (`CopyError`) a copy onto itself, to or from memory, or from a missing file."""
    if source.engine is target.engine and _same_place(source, target):
        raise CopyError(Problem.SAME_DATABASE)
    for url in (source, target):
        if url.engine is Engine.SQLITE and url.path is None:
            raise CopyError(Problem.IN_MEMORY)
    if source.path is not None and not source.path.is_file():
        raise CopyError(Problem.SOURCE_MISSING, path=source.path)


def _same_place(first: DatabaseUrl, second: DatabaseUrl) -> bool:
    if first.path is not None and second.path is not None:
        return Path(first.path).resolve() == Path(second.path).resolve()
    return first.target == second.target


async def schema_version(database: Database, reads: Reads) -> int:
    """The schema version of `database` (0 for one Parley never migrated)."""
    if database.engine is Engine.SQLITE:
        row = await reads.fetch_one("PRAGMA user_version")
        return int(row[0]) if row else 0
    found = await reads.fetch_one(
        "SELECT 1 FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_name = 'parley_schema'"
    )
    if found is None:
        return 0
    row = await reads.fetch_one("SELECT version FROM parley_schema")
    return int(row[0]) if row else 0


async def table_schemas(database: Database, reads: Reads) -> list[TableSchema]:
    """The tables a copy moves, parents before children (names in order where free)."""
    if database.engine is Engine.SQLITE:
        tables = [await _sqlite_table(reads, name) for name in await _sqlite_tables(reads)]
    else:
        tables = [await _postgres_table(reads, name) for name in await _postgres_tables(reads)]
    return _parents_first(tables)


async def _sqlite_tables(reads: Reads) -> list[str]:
    rows = await reads.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%'"
        " ESCAPE '\\' ORDER BY name"
    )
    return [str(row[0]) for row in rows if row[0] not in BOOKKEEPING]


async def _sqlite_table(reads: Reads, name: str) -> TableSchema:
    columns = await reads.fetch_all(
        "SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", (name,)
    )
    parents = await reads.fetch_all('SELECT "table" FROM pragma_foreign_key_list(?)', (name,))
    key = [str(c[0]) for c in sorted((c for c in columns if c[1]), key=lambda c: int(c[1]))]
    return TableSchema(
        name=name,
        columns=tuple(str(c[0]) for c in columns),
        key=tuple(key) or tuple(str(c[0]) for c in columns),
        parents=frozenset(str(p[0]) for p in parents),
    )


async def _postgres_tables(reads: Reads) -> list[str]:
    rows = await reads.fetch_all(
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        " ORDER BY table_name"
    )
    return [str(row[0]) for row in rows if row[0] not in BOOKKEEPING]


async def _postgres_table(reads: Reads, name: str) -> TableSchema:
    columns = await reads.fetch_all(
        "SELECT CAST(column_name AS TEXT), CAST(is_identity AS TEXT)"
        " FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = CAST(? AS TEXT)"
        " ORDER BY ordinal_position",
        (name,),
    )
    key = await reads.fetch_all(
        "SELECT CAST(k.column_name AS TEXT) FROM information_schema.table_constraints t"
        " JOIN information_schema.key_column_usage k"
        " ON k.constraint_schema = t.constraint_schema AND k.constraint_name = t.constraint_name"
        " WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = current_schema()"
        " AND t.table_name = CAST(? AS TEXT) ORDER BY k.ordinal_position",
        (name,),
    )
    parents = await reads.fetch_all(
        "SELECT DISTINCT CAST(p.relname AS TEXT) FROM pg_constraint f"
        " JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE f.contype = 'f' AND n.nspname = current_schema() AND c.relname = CAST(? AS TEXT)",
        (name,),
    )
    identity = [str(c[0]) for c in columns if c[1] == "YES"]
    return TableSchema(
        name=name,
        columns=tuple(str(c[0]) for c in columns),
        key=tuple(str(k[0]) for k in key) or tuple(str(c[0]) for c in columns),
        parents=frozenset(str(p[0]) for p in parents),
        identity=identity[0] if identity else None,
    )


def _parents_first(tables: Sequence[TableSchema]) -> list[TableSchema]:
    """Order tables so that each comes after every table its foreign keys name (not itself)."""
    by_name = {table.name: table for table in tables}
    done: list[TableSchema] = []
    placed: set[str] = set()
    while len(done) < len(tables):
        ready = [
            t
            for name, t in by_name.items()
            if name not in placed
            and all(p in placed or p == name or p not in by_name for p in t.parents)
        ]
        if not ready:  # a cycle of foreign keys: the rest by name
            ready = [t for name, t in by_name.items() if name not in placed]
        for table in ready[:1]:
            done.append(table)
            placed.add(table.name)
    return done


async def _matching_schemas(
    from_db: Database, reads: Reads, to_db: Database, tx: Transaction
) -> list[TableSchema]:
    """The source's tables, refused unless the target has the same tables and columns."""
    source = await table_schemas(from_db, reads)
    target = {table.name: table for table in await table_schemas(to_db, tx)}
    names = {table.name for table in source}
    if names != set(target):
        raise CopyError(
            Problem.SCHEMAS_DIFFER,
            only_source=sorted(names - set(target)),
            only_target=sorted(set(target) - names),
        )
    for table in source:
        if set(table.columns) != set(target[table.name].columns):
            raise CopyError(
                Problem.SCHEMAS_DIFFER, only_source=[table.name], only_target=[table.name]
            )
    return [
        TableSchema(t.name, t.columns, t.key, t.parents, target[t.name].identity) for t in source
    ]


async def _refuse_rows(tx: Transaction, tables: Sequence[TableSchema]) -> None:
    """Refuse a target that already holds a row in any copied table."""
    for table in tables:
        if await tx.fetch_one(f"SELECT 1 FROM {_quoted(table.name)} LIMIT 1") is not None:
            count = await tx.fetch_one(f"SELECT count(*) FROM {_quoted(table.name)}")
            raise CopyError(
                Problem.TARGET_NOT_EMPTY, table=table.name, rows=int(count[0]) if count else 0
            )


async def _copy_table(
    reads: Reads, tx: Transaction, table: TableSchema, progress: Progress | None
) -> TableCopy:
    """Copy one table in batches; its count and checksum on both sides."""
    counted = await reads.fetch_one(f"SELECT count(*) FROM {_quoted(table.name)}")
    total = int(counted[0]) if counted else 0
    columns = ", ".join(_quoted(column) for column in table.columns)
    marks = ", ".join("?" for _ in table.columns)
    insert = f"INSERT INTO {_quoted(table.name)} ({columns}) VALUES ({marks})"
    digest, copied = hashlib.sha256(), 0
    if progress is not None:
        progress(table.name, 0, total)
    async for batch in _batches(reads, table):
        await tx.execute_many(insert, [tuple(row) for row in batch])
        _feed(digest, table.name, batch)
        copied += len(batch)
        if progress is not None:
            progress(table.name, copied, max(total, copied))
    target_rows, target_checksum = await _checksum(tx, table)
    return TableCopy(table.name, copied, digest.hexdigest(), target_rows, target_checksum)


async def table_checksum(reads: Reads, table: TableSchema) -> tuple[int, str]:
    """A table's row count and SHA-256 checksum, computed the same way on either engine."""
    return await _checksum(reads, table)


async def _checksum(reads: Reads, table: TableSchema) -> tuple[int, str]:
    digest, rows = hashlib.sha256(), 0
    async for batch in _batches(reads, table):
        _feed(digest, table.name, batch)
        rows += len(batch)
    return rows, digest.hexdigest()


async def _batches(reads: Reads, table: TableSchema) -> AsyncIterator[list[Row]]:
    """The table's rows in primary-key order, `BATCH_ROWS` at a time (keyset pagination)."""
    columns = ", ".join(_quoted(column) for column in table.columns)
    key = ", ".join(_quoted(column) for column in table.key)
    at = [table.columns.index(column) for column in table.key]
    first = f"SELECT {columns} FROM {_quoted(table.name)} ORDER BY {key} LIMIT {BATCH_ROWS}"
    after = (
        f"SELECT {columns} FROM {_quoted(table.name)}"
        f" WHERE ({key}) > ({', '.join('?' for _ in at)}) ORDER BY {key} LIMIT {BATCH_ROWS}"
    )
    batch = await reads.fetch_all(first)
    while batch:
        yield batch
        if len(batch) < BATCH_ROWS:
            return
        last = batch[-1]
        batch = await reads.fetch_all(after, tuple(last[i] for i in at))


def _feed(digest: Any, table: str, rows: Sequence[Row]) -> None:
    """Add rows to a checksum, each value tagged by kind and length-prefixed."""
    for row in rows:
        digest.update(b"r")
        for value in row:
            tag, data = _normalized(table, value)
            digest.update(tag + len(data).to_bytes(8, "big") + data)


def _normalized(table: str, value: Any) -> tuple[bytes, bytes]:
    """A value as a kind and bytes that are the same from SQLite and PostgreSQL."""
    if value is None:
        return b"n", b""
    if isinstance(value, bool | int):
        return b"i", str(int(value)).encode()
    if isinstance(value, float):
        return b"f", repr(value).encode()
    if isinstance(value, str):
        return b"t", value.encode("utf-8", "surrogatepass")
    if isinstance(value, bytes | bytearray | memoryview):
        return b"b", bytes(value)
    raise CopyError(Problem.UNSUPPORTED_VALUE, table=table, kind=type(value).__name__)


async def _move_sequences(tx: Transaction, tables: Sequence[TableSchema]) -> None:
    """Move each identity sequence past the largest copied id (empty tables keep theirs)."""
    for table in tables:
        if table.identity is not None:
            await tx.fetch_one(
                f"SELECT setval(pg_get_serial_sequence(?, ?), max({_quoted(table.identity)}))"
                f" FROM {_quoted(table.name)}",
                (_quoted(table.name), table.identity),
            )


def _quoted(name: str) -> str:
    """An identifier, quoted for both engines."""
    return '"' + name.replace('"', '""') + '"'
