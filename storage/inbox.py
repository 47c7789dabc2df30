"""The Telegram inbox: updates stored before Telegram is told they arrived (migration 010).

A row is `waiting` with the update's JSON until the bot takes it, `taken` while it is handled,
and `finished` once handled: the handler's first committed effect finishes it in the same
transaction (`receipt`), so a row a crash left `taken` had no effect and is handled again.
Finishing clears the JSON: the raw update of a vote names who pressed what, which an anonymous
poll promises not to keep, so it stays on disk only until its handling ends, and
`secure_delete` overwrites the cleared bytes instead of leaving them in free space. `finished`
rows are bare ids, kept only to recognise a delivery of the same update again: they are deleted
once Telegram confirmed them, and never more than `MAX_FINISHED` are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.database import Database, Receipt, Row
from storage.scrub import DiskScrubber

MAX_FINISHED = 10_000
_IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class WaitingUpdate:
    """A stored update nobody has taken yet."""

    update_id: int
    payload: str


def receipt(update_id: int) -> Receipt:
    """The receipt that finishes `update_id` with its handler's first committed effect."""
    return Receipt(
        "UPDATE telegram_inbox SET state = 'finished', payload = NULL WHERE update_id = ?",
        (update_id,),
    )


class InboxRepository:
    """Reads and writes `telegram_inbox`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def prepare(self) -> None:
        """Overwrite cleared payloads on disk (a connection setting, on for the polls too)."""
        await DiskScrubber(self._db).secure_delete()

    async def store(
        self,
        updates: Sequence[tuple[int, str]],
        *,
        refused: Sequence[int] = (),
        confirmed_below: int | None = None,
    ) -> int:
        """Store `(update_id, json)` pairs not seen before, in one transaction.

        `refused` ids are recorded as finished (never handled, never stored). Telegram has
        confirmed every update below `confirmed_below`: their finished rows are deleted.
        Returns how many updates are waiting afterwards.
        """
        async with self._db.transaction() as tx:
            await tx.execute_many(
                "INSERT INTO telegram_inbox (update_id, payload) VALUES (?, ?)"
                " ON CONFLICT (update_id) DO NOTHING",
                updates,
            )
            await tx.execute_many(
                "INSERT INTO telegram_inbox (update_id, state) VALUES (?, 'finished')"
                " ON CONFLICT (update_id) DO NOTHING",
                [(update_id,) for update_id in refused],
            )
            if confirmed_below is not None:
                await tx.execute(
                    "DELETE FROM telegram_inbox WHERE state = 'finished' AND update_id < ?",
                    (confirmed_below,),
                )
            await tx.execute(
                "DELETE FROM telegram_inbox WHERE state = 'finished'"
                " AND seq <= (SELECT MAX(seq) FROM telegram_inbox) - ?",
                (MAX_FINISHED,),
            )
            row = await tx.fetch_one("SELECT COUNT(*) FROM telegram_inbox WHERE state = 'waiting'")
        return int(row[0]) if row else 0

    async def settle(self, take: Sequence[int], finish: Sequence[int]) -> set[int]:
        """Take waiting updates and mark handled ones finished (clearing their JSON).

        Returns the ids in `take` that must not be handled: taken before, or finished.
        Ids the inbox does not know are not in it (they were never stored).
        """
        async with self._db.transaction() as tx:
            for ids in _chunks(finish):
                await tx.execute(
                    "UPDATE telegram_inbox SET state = 'finished', payload = NULL"
                    f" WHERE state = 'taken' AND update_id IN ({_marks(ids)})",
                    ids,
                )
            known: list[Row] = []
            for ids in _chunks(take):
                known += await tx.fetch_all(
                    "SELECT update_id, state FROM telegram_inbox"
                    f" WHERE update_id IN ({_marks(ids)})",
                    ids,
                )
                await tx.execute(
                    "UPDATE telegram_inbox SET state = 'taken'"
                    f" WHERE state = 'waiting' AND update_id IN ({_marks(ids)})",
                    ids,
                )
        return {int(row[0]) for row in known if row[1] != "waiting"}

    async def recover(self) -> tuple[list[int], list[WaitingUpdate]]:
        """At start-up: updates a dead process took but never finished, and all waiting ones.

        The interrupted ones committed no effect (their receipt would have finished them): they
        wait again, to be handled like the rest, in arrival order.
        """
        async with self._db.transaction() as tx:
            interrupted = await tx.fetch_all(
                "SELECT update_id FROM telegram_inbox WHERE state = 'taken' ORDER BY seq"
            )
            await tx.execute("UPDATE telegram_inbox SET state = 'waiting' WHERE state = 'taken'")
            waiting = await tx.fetch_all(
                "SELECT update_id, payload FROM telegram_inbox WHERE state = 'waiting' ORDER BY seq"
            )
        return (
            [int(row[0]) for row in interrupted],
            [WaitingUpdate(int(row[0]), str(row[1])) for row in waiting],
        )


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    """`ids` in lists short enough for one `IN (?, …)` each."""
    return [list(ids[start : start + _IN_CHUNK]) for start in range(0, len(ids), _IN_CHUNK)]


def _marks(ids: Sequence[int]) -> str:
    return ", ".join("?" * len(ids))
