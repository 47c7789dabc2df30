"""Changes to a poll after it was created: options added and removed, its deadline, reopening.

Part of the poll aggregate (`PollRepository.changes`). Options keep their positions for good:
ballots name options by position, so an added option never changes a ballot. Removing an
(added) option takes it off every ballot that names it: a ranked ballot's later preferences
move up, exactly as if the option had been eliminated before the first round, and a ballot
left with no choice is withdrawn (its voter may vote again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.identity import ChatRef
from storage.database import Database, Transaction
from storage.generations import Topic
from storage.poll_ballots import FORGOTTEN_PREFIX
from storage.quota import Quota
from storage.timestamps import to_db

_OPEN_AT = "closed_at IS NULL AND (closes_at IS NULL OR closes_at > ?)"
"""A poll open at the moment given as the parameter (as `PollRecord.is_open` decides it)."""


@dataclass(frozen=True, slots=True)
class OptionRemoval:
    """What removing an option did: ballots that lost that choice, and those withdrawn."""

    ballots_changed: int
    ballots_withdrawn: int


class PollChanges:
    """Reads and writes what `/poll add`, `remove`, `deadline` and `reopen` change."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def add_option(
        self,
        poll_id: int,
        label: str,
        added_by: str,
        now: datetime,
        check: Callable[[Sequence[str], int, int], None],
    ) -> int | None:
        """Add an option to an open poll; returns its position, None when the poll is closed.

        `check(labels on offer, positions used, options this person added)` runs inside the
        write transaction and raises to refuse (nothing is stored), so two people adding at
        once cannot both pass a duplicate or count check.
        """
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                f"SELECT id FROM polls WHERE id = ? AND {_OPEN_AT}",
                (poll_id, to_db(now)),
            )
            if row is None:
                return None
            options = await tx.fetch_all(
                "SELECT label, added_by, removed_at IS NOT NULL FROM poll_options"
                " WHERE poll_id = ? ORDER BY position",
                (poll_id,),
            )
            offered = [str(option[0]) for option in options if not option[2]]
            mine = sum(1 for option in options if option[1] == added_by)
            check(offered, len(options), mine)
            position = len(options)
            await tx.execute(
                "INSERT INTO poll_options (poll_id, position, label, added_at, added_by)"
                " VALUES (?, ?, ?, ?, ?)",
                (poll_id, position, label, to_db(now), added_by),
            )
        self._db.generations.touch(Topic.POLLS)
        return position

    async def remove_option(
        self, poll_id: int, position: int, now: datetime
    ) -> OptionRemoval | None:
        """Remove an added option of an open poll and take it off its ballots, in one transaction.

        None when there is no such added option still on offer, or the poll is not open at `now`.
        """
        async with self._db.transaction() as tx:
            count = await tx.execute(
                "UPDATE poll_options SET removed_at = ? WHERE poll_id = ? AND position = ?"
                " AND added_at IS NOT NULL AND removed_at IS NULL AND poll_id IN"
                f" (SELECT id FROM polls WHERE {_OPEN_AT})",
                (to_db(now), poll_id, position, to_db(now)),
            )
            if not count:
                return None
            removal = await _strike_from_ballots(tx, poll_id, position)
        self._db.generations.touch(Topic.POLLS)
        return removal

    async def set_deadline(self, poll_id: int, closes_at: datetime | None, now: datetime) -> bool:
        """Move the deadline of a poll open at `now` (None: open until closed by hand).

        False when it is closed, or its deadline passed before its closing job ran: moving
        that deadline would reopen it, and `reopen` decides which polls may be reopened.
        """
        count = await self._db.execute(
            f"UPDATE polls SET closes_at = ? WHERE id = ? AND {_OPEN_AT}",
            (to_db(closes_at) if closes_at else None, poll_id, to_db(now)),
        )
        if count:
            self._db.generations.touch(Topic.POLLS)
        return count == 1

    async def reopen(
        self, poll_id: int, closes_at: datetime | None, now: datetime, quota: Quota | None = None
    ) -> bool:
        """Open a closed named poll again until `closes_at`; its results will be announced anew.

        Refused (False) for anonymous polls (their salt is gone: a second ballot could not be
        told apart), results-after-close polls (their results were shown when they closed),
        stance polls, polls holding a forgotten person's kept ballot (they could vote twice),
        and polls that are not closed. With a `quota`, its creator's and its chat's open polls
        are counted in the same transaction (`QuotaReachedError`, nothing changed).
        """
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT creator, platform, chat_id FROM polls WHERE id = ?", (poll_id,)
            )
            if row is None:
                return False
            if quota is not None:
                await check_open_polls(tx, quota, str(row[0]), ChatRef(row[1], row[2]), now)
            count = await tx.execute(
                "UPDATE polls SET closed_at = NULL, announced_at = NULL, closes_at = ?"
                " WHERE id = ? AND closed_at IS NOT NULL AND anonymous = 0"
                " AND visibility <> 'after_close' AND stance IS NULL AND NOT EXISTS"
                " (SELECT 1 FROM poll_ballots b WHERE b.poll_id = polls.id"
                " AND b.voter_key LIKE ?)",
                (to_db(closes_at) if closes_at else None, poll_id, FORGOTTEN_PREFIX + "%"),
            )
        if count:
            self._db.generations.touch(Topic.POLLS)
        return count == 1

    async def holds_forgotten(self, poll_id: int) -> bool:
        """Whether a forgotten person's ballot is kept in the poll (under a random key)."""
        row = await self._db.fetch_one(
            "SELECT EXISTS (SELECT 1 FROM poll_ballots WHERE poll_id = ? AND voter_key LIKE ?)",
            (poll_id, FORGOTTEN_PREFIX + "%"),
        )
        return bool(row and row[0])


async def check_open_polls(
    tx: Transaction, quota: Quota, creator: str, chat: ChatRef, now: datetime
) -> None:
    """Raise `QuotaReachedError` when the creator or the chat has no room for one more open poll."""
    moment = to_db(now)
    mine = await tx.fetch_one(
        f"SELECT count(*) FROM polls WHERE creator = ? AND {_OPEN_AT}", (creator, moment)
    )
    here = await tx.fetch_one(
        f"SELECT count(*) FROM polls WHERE platform = ? AND chat_id = ? AND {_OPEN_AT}",
        (chat.platform, chat.chat_id, moment),
    )
    quota.check(person=int(mine[0]) if mine else 0, chat=int(here[0]) if here else 0)


async def _strike_from_ballots(tx: Transaction, poll_id: int, position: int) -> OptionRemoval:
    """Take `position` off every ballot naming it; later ranks move up, empty ballots go."""
    rows = await tx.fetch_all(
        "SELECT voter_key, option FROM poll_choices WHERE poll_id = ? AND voter_key IN"
        " (SELECT voter_key FROM poll_choices WHERE poll_id = ? AND option = ?)"
        " ORDER BY voter_key, rank",
        (poll_id, poll_id, position),
    )
    ballots: dict[str, list[int]] = {}
    for voter_key, option in rows:
        ballots.setdefault(str(voter_key), []).append(int(option))
    kept = {key: [o for o in options if o != position] for key, options in ballots.items()}
    withdrawn = [(poll_id, key) for key, options in kept.items() if not options]
    if not ballots:
        return OptionRemoval(0, 0)
    await tx.execute_many(
        "DELETE FROM poll_choices WHERE poll_id = ? AND voter_key = ?",
        [(poll_id, key) for key in ballots],
    )
    rewritten = [
        (poll_id, key, rank, option)
        for key, options in kept.items()
        for rank, option in enumerate(options)
    ]
    if rewritten:
        await tx.execute_many(
            "INSERT INTO poll_choices (poll_id, voter_key, rank, option) VALUES (?, ?, ?, ?)",
            rewritten,
        )
    if withdrawn:
        await tx.execute_many(
            "DELETE FROM poll_ballots WHERE poll_id = ? AND voter_key = ?", withdrawn
        )
    return OptionRemoval(len(ballots), len(withdrawn))
