"""Named leases: at most one process holds each (e.g. the one that serves Telegram).

A lease is a row (name, owner, expiry). Every change runs in one write transaction, and writers
are serial on both engines, so the check and the write of `acquire` cannot interleave with
another process's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.timestamps import from_db, to_db


@dataclass(frozen=True, slots=True)
class Lease:
    """Who holds a lease, and until when."""

    name: str
    owner: str
    expires_at: datetime


class Leases:
    """The `platform_leases` table."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def acquire(self, name: str, owner: str, until: datetime, *, now: datetime) -> bool:
        """Take (or extend) `name` for `owner` until `until`; False while another holds it.

        Another owner's lease counts as held until its expiry has passed at `now`.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT owner, expires_at FROM platform_leases WHERE name = ?", (name,)
            )
            if row is None:
                await tx.execute(
                    "INSERT INTO platform_leases (name, owner, expires_at) VALUES (?, ?, ?)",
                    (name, owner, to_db(until)),
                )
                return True
            if row["owner"] != owner and row["expires_at"] > to_db(now):
                return False
            await tx.execute(
                "UPDATE platform_leases SET owner = ?, expires_at = ? WHERE name = ?",
                (owner, to_db(until), name),
            )
            return True

    async def renew(self, name: str, owner: str, until: datetime) -> bool:
        """Extend `owner`'s lease to `until`; False when `owner` no longer holds it."""
        changed = await self._db.execute(
            "UPDATE platform_leases SET expires_at = ? WHERE name = ? AND owner = ?",
            (to_db(until), name, owner),
        )
        return changed == 1

    async def replace(self, name: str, previous: str, owner: str, until: datetime) -> bool:
        """Take `name` from `previous` (known to be gone) for `owner`; False if it moved on."""
        changed = await self._db.execute(
            "UPDATE platform_leases SET owner = ?, expires_at = ? WHERE name = ? AND owner = ?",
            (owner, to_db(until), name, previous),
        )
        return changed == 1

    async def release(self, name: str, owner: str) -> None:
        """Give up `owner`'s lease (nothing happens when another process holds it)."""
        await self._db.execute(
            "DELETE FROM platform_leases WHERE name = ? AND owner = ?", (name, owner)
        )

    async def holder(self, name: str) -> Lease | None:
        """The lease's row as stored (possibly expired), or None when nobody holds it."""
        row = await self._db.fetch_one(
            "SELECT owner, expires_at FROM platform_leases WHERE name = ?", (name,)
        )
        if row is None:
            return None
        return Lease(name, str(row["owner"]), from_db(str(row["expires_at"])))
