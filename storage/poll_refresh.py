"""Refresh slots: who may edit a poll's messages next, and whether a change still waits.

A slot per poll says when its messages may next be edited (`next_at`) and whether a change
came in since the last edit read the tally (`pending`). Whoever takes a free slot edits now;
whoever finds it held marks it pending and looks again once it frees, so a burst of changes
becomes one edit per interval, and the last edit reads the final tally.

On PostgreSQL, where several processes serve one database, the slots are rows of
`poll_refresh` (migration 014) timed by the server's clock: at most one edit per interval
whichever process took the vote. A SQLite file is served by one process (`storage.db_lock`), so
its slots stay in memory and cost no write.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

from storage.database import Database
from storage.url import Engine


@dataclass(frozen=True, slots=True)
class Slot:
    """What a claim found: taken (edit now), held (look again in `wait` seconds), or idle."""

    taken: bool
    wait: float | None = None
    """Seconds until a held slot frees; None when there is nothing to do."""


TAKEN = Slot(taken=True)
IDLE = Slot(taken=False)


class RefreshSlots(Protocol):
    """The slots of every poll, shared by whoever edits the polls' messages."""

    async def claim(
        self, poll_id: int, interval: float, *, changed: bool, force: bool = False
    ) -> Slot:
        """Take the slot for `interval` if it is free and there is a change (`changed` or pending).

        Held: `changed` marks it pending; the wait comes back while a change is pending.
        `force` takes it even if held (the closing edit).
        """
        ...


def refresh_slots(database: Database) -> RefreshSlots:
    """The slots for `database`: rows on PostgreSQL, in memory for a SQLite file."""
    if database.engine is Engine.POSTGRESQL:
        return SharedSlots(database)
    return LocalSlots()


def _decide(
    free: bool, pending: bool, *, changed: bool, force: bool, wait: float
) -> tuple[Slot, bool | None]:
    """The claim's outcome and the slot's new `pending` (None: leave the slot as it is)."""
    if force or (free and (changed or pending)):
        return TAKEN, False
    if not free and (changed or pending):
        return Slot(taken=False, wait=wait), True
    return IDLE, None


class LocalSlots:
    """The slots of one process, in memory (on the event loop's clock); idle ones go."""

    def __init__(self) -> None:
        self._next_at: OrderedDict[int, float] = OrderedDict()
        """When each slot frees, soonest first (every take sets now + the same interval)."""
        self._pending: set[int] = set()

    async def claim(
        self, poll_id: int, interval: float, *, changed: bool, force: bool = False
    ) -> Slot:
        """See `RefreshSlots.claim`."""
        now = asyncio.get_running_loop().time()
        while self._next_at and next(iter(self._next_at.values())) <= now:
            self._next_at.popitem(last=False)  # free again: forgotten
        next_at = self._next_at.get(poll_id, now)
        pending = poll_id in self._pending
        slot, mark = _decide(
            next_at <= now, pending, changed=changed, force=force, wait=next_at - now
        )
        if slot.taken:
            self._next_at.pop(poll_id, None)
            self._next_at[poll_id] = now + interval
        if mark:
            self._pending.add(poll_id)
        elif mark is False:
            self._pending.discard(poll_id)
        return slot


_NOW_MS = {
    Engine.POSTGRESQL: "CAST(round(extract(epoch FROM clock_timestamp()) * 1000) AS BIGINT)",
    Engine.SQLITE: "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)",
}
"""The database's clock in milliseconds since 1970: one clock for every process."""


class SharedSlots:
    """The slots as `poll_refresh` rows, claimed in a write transaction (serial writers)."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._now = _NOW_MS[database.engine]

    async def claim(
        self, poll_id: int, interval: float, *, changed: bool, force: bool = False
    ) -> Slot:
        """See `RefreshSlots.claim`."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                f"SELECT clock.now, slot.next_at, slot.pending FROM (SELECT {self._now} AS now)"
                " AS clock LEFT JOIN poll_refresh AS slot ON slot.poll_id = ?",
                (poll_id,),
            )
            assert row is not None  # one row: the clock's
            now, next_at, pending = int(row[0]), row[1], bool(row[2])
            free = next_at is None or int(next_at) <= now
            wait = 0.0 if free else (int(next_at) - now) / 1000
            slot, mark = _decide(free, pending, changed=changed, force=force, wait=wait)
            if slot.taken:
                await tx.execute(
                    "INSERT INTO poll_refresh (poll_id, next_at, pending) VALUES (?, ?, 0)"
                    " ON CONFLICT (poll_id) DO UPDATE SET next_at = excluded.next_at, pending = 0",
                    (poll_id, now + round(interval * 1000)),
                )
            elif mark and not pending:
                await tx.execute(
                    "UPDATE poll_refresh SET pending = 1 WHERE poll_id = ?", (poll_id,)
                )
        return slot
