"""Which PostgreSQL errors are outages (`StorageUnavailableError`) and which are bugs.

An outage is the server or the way to it failing, whatever the statement: the connection
refused, lost or closed (SQLSTATE class 08, 57P01 admin shutdown, 57P03 starting up), too many
connections or a full disk (class 53), an I/O failure (58), a read-only server (25006), a lock
not had in time (55P03, `lock_timeout`), a serialization failure or deadlock (40001, 40P01),
a statement timeout (57014), data found corrupted (XX001, XX002), the database gone or the
login refused (3D000, class 28). Everything else is a bug in Parley and passes unchanged: a
broken constraint (23xxx), a wrong statement or missing table (42xxx), bad data (22xxx), an
exception our own triggers raise (P0001), a wrong use of the driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from storage.errors import StorageUnavailableError

OUTAGE_CLASSES = frozenset({"08", "28", "53", "57", "58"})
"""SQLSTATE classes (first two characters) that mean the server cannot serve now."""
OUTAGE_STATES = frozenset({"25006", "3D000", "40001", "40003", "40P01", "55P03", "XX001", "XX002"})
"""Single SQLSTATEs, outside those classes, that mean the same."""


def is_outage(error: BaseException) -> bool:
    """Whether `error` (from asyncpg or its socket) means the server is unavailable."""
    if isinstance(error, asyncpg.PostgresError):
        state = str(error.sqlstate or "")
        return state[:2] in OUTAGE_CLASSES or state in OUTAGE_STATES
    if isinstance(error, asyncpg.InterfaceError):
        # The connection died under a statement, or was found closed before one.
        return isinstance(error, asyncpg.ConnectionDoesNotExistError) or (
            "connection is closed" in str(error)
        )
    return isinstance(error, OSError | TimeoutError)


@contextmanager
def translated() -> Iterator[None]:
    """Within the block, a PostgreSQL outage is raised as `StorageUnavailableError`."""
    try:
        yield
    except Exception as error:
        if is_outage(error):
            raise StorageUnavailableError(f"PostgreSQL: {error}") from error
        raise
