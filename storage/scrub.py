"""Deleted bytes do not survive on disk: secure deletion, a rebuild, and an emptied WAL.

SQLite normally leaves deleted rows in free pages and old page versions in the `-wal` file.
After a person is forgotten, `secure_delete` makes every later delete overwrite its content,
`VACUUM` rebuilds the file without free space (clearing what was deleted before), and a
`TRUNCATE` checkpoint copies the WAL back and empties it.

The checkpoint runs on a short connection of its own that never waits: a reader in another
process holding an old snapshot makes it report busy at once (the caller tries again later),
instead of holding Parley's database lock for the whole busy timeout; `VACUUM` runs once per
scrub, not on each retry, so a long-lived reader cannot make the WAL grow by the file's size
again and again.
"""

from __future__ import annotations

import aiosqlite

from storage.database import Database


class DiskScrubber:
    """Overwrites deleted content of one database file."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def secure_delete(self) -> None:
        """From now on, deletes on the main connection overwrite what they delete."""
        await self._db.execute("PRAGMA secure_delete = ON")

    async def vacuum(self) -> None:
        """Rebuild the file, so nothing deleted earlier is left in its free pages."""
        if self._db.path != ":memory:":
            await self._db.execute("VACUUM")

    async def checkpoint(self) -> bool:
        """Copy the WAL into the file and truncate it, without waiting; False when busy."""
        if self._db.path == ":memory:":
            return True
        async with aiosqlite.connect(self._db.path, isolation_level=None) as side:
            await side.execute("PRAGMA busy_timeout = 0")
            async with side.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                row = await cursor.fetchone()
        return row is not None and int(row[0]) == 0
