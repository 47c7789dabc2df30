"""Storage's own errors: what is above storage never names the database engine.

`translated()` turns an engine error that means the store cannot serve now (locked, busy,
full, read-only, damaged, unreadable) into `StorageUnavailableError`, keeping its message.
Errors that are bugs in Parley (a broken constraint, a wrong statement, a closed cursor) pass
through unchanged, as the ordinary exceptions they are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

STORAGE_BUGS = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.NotSupportedError)
"""Engine errors that are bugs in Parley (a broken constraint, a wrong statement), not outages."""


class StorageUnavailableError(RuntimeError):
    """The database cannot serve at the moment: locked, full, read-only or damaged."""


@contextmanager
def translated() -> Iterator[None]:
    """Within the block, an outage of the engine is raised as `StorageUnavailableError`."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        if isinstance(error, STORAGE_BUGS):
            raise
        raise StorageUnavailableError(str(error)) from error
