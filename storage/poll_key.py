"""The fingerprint of the poll master key, and how many polls still depend on that key.

Read and written while the features are built at start-up, before anything is served. Feature
constructors are not coroutines, so this uses a short connection of its own (WAL lets it sit
beside the main one); nothing else uses the database at that moment.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from storage.database import BUSY_TIMEOUT_MS, Database
from storage.errors import translated

_STATE = (
    "SELECT (SELECT fingerprint FROM poll_key WHERE id = 1),"
    " (SELECT count(*) FROM polls WHERE salt IS NOT NULL)"
)
_REMEMBER = (
    "INSERT INTO poll_key (id, fingerprint) VALUES (1, ?)"
    " ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint"
)


@dataclass(frozen=True, slots=True)
class PollKeyState:
    """What the database says about the poll key."""

    fingerprint: str | None
    """The stored fingerprint; None in a database from before fingerprints."""
    salted_polls: int
    """Polls that still hold a salt: open anonymous polls and unfinished stance before-polls."""


class PollKeyRepository:
    """The `poll_key` row and the count of salted polls."""

    def __init__(self, database: Database) -> None:
        self._path = database.path

    def state(self) -> PollKeyState:
        """The stored fingerprint and the number of polls holding a salt."""
        if self._path == ":memory:":
            return PollKeyState(None, 0)  # a new, empty database that ends with the process
        with self._connect() as connection:
            fingerprint, salted = connection.execute(_STATE).fetchone()
        return PollKeyState(fingerprint, int(salted))

    def remember(self, fingerprint: str) -> None:
        """Store `fingerprint` as the key's, replacing any earlier one."""
        if self._path == ":memory:":
            return
        with self._connect() as connection:
            connection.execute(_REMEMBER, (fingerprint,))

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with translated():
            connection = sqlite3.connect(
                self._path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            try:
                yield connection
            finally:
                connection.close()
