"""Deleted bytes do not survive on disk (as far as the engine allows).

SQLite normally leaves deleted rows in free pages and old page versions in the `-wal` file.
After a person is forgotten, `secure_delete` makes every later delete overwrite its content,
`VACUUM` rebuilds the file without free space (clearing what was deleted before), and a
`TRUNCATE` checkpoint copies the WAL back and empties it.

The checkpoint runs on a short connection of its own that never waits: a reader in another
process holding an old snapshot makes it report busy at once (the caller tries again later),
instead of holding Parley's database lock for the whole busy timeout; `VACUUM` runs once per
scrub, not on each retry, so a long-lived reader cannot make the WAL grow by the file's size
again and again.

PostgreSQL has no secure deletion: an updated or deleted row version stays in its table's
file until vacuumed, and in the server's WAL until recycled. The best it offers is done here:
`VACUUM (FULL)` of the scrubbed tables rewrites them without the old versions (the README
says what it cannot promise, and to keep the server's data on an encrypted volume).
"""

from __future__ import annotations

import asyncio
import sqlite3

from storage.database import Database
from storage.url import Engine

SCRUBBED_TABLES = (
    "chat_settings",
    "chat_disabled_features",
    "audit_log",
    "jobs",
    "posts",
    "arguments",
    "argument_votes",
    "articles",
    "chat_articles",
    "summary_edits",
    "polls",
    "poll_options",
    "poll_ballots",
    "poll_choices",
    "poll_messages",
    "poll_chats",
    "poll_voted_markers",
    "operator_requests",
    "telegram_inbox",
    "ground_statements",
    "ground_votes",
    "llm_usage",
)
"""The tables holding people's data: what PostgreSQL rewrites after a forget."""
SALT_TABLES = ("polls",)
"""Where erased poll salts were."""


class DiskScrubber:
    """Overwrites deleted content of one database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def secure_delete(self) -> None:
        """From now on, deletes on the main connection overwrite what they delete (SQLite)."""
        if self._db.engine is Engine.SQLITE:
            await self._db.execute("PRAGMA secure_delete = ON")

    async def vacuum(self, tables: tuple[str, ...] = SCRUBBED_TABLES) -> None:
        """Rebuild the file (SQLite) or `tables` (PostgreSQL) without what was deleted earlier."""
        await self._db.compact(tables)

    async def clear_log(self, tables: tuple[str, ...]) -> bool:
        """After values in `tables` were erased: empty the WAL, or rewrite the tables.

        SQLite checkpoints (False when busy); PostgreSQL vacuums `tables` (always True).
        """
        if self._db.engine is Engine.SQLITE:
            return await self.checkpoint()
        await self.vacuum(tables)
        return True

    async def checkpoint(self) -> bool:
        """Copy SQLite's WAL into the file and truncate it, without waiting; False when busy.

        On PostgreSQL there is nothing of Parley's to empty: True.
        """
        path = self._db.url.path
        if self._db.engine is not Engine.SQLITE or path is None:
            return True
        return await asyncio.to_thread(_checkpoint, str(path))


def _checkpoint(path: str) -> bool:
    """`wal_checkpoint(TRUNCATE)` on a connection of its own that never waits; done or busy."""
    side = sqlite3.connect(path, isolation_level=None)
    try:
        side.execute("PRAGMA busy_timeout = 0")
        row = side.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        side.close()
    return row is not None and int(row[0]) == 0
