"""The poll aggregate's repository: polls and their options, with its ballots and chats.

`PollRepository` is the one repository of the aggregate. It reads and writes `polls` and
`poll_options` itself, and holds the two parts with a job of their own: `ballots`
(`storage.poll_ballots`: the batched vote write path and every ballot read) and `chats`
(`storage.poll_chats`: the numbered chats a poll is shown in and its messages there).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.i18n import Locale
from bot.identity import ChatRef
from domain.polls import PollKind, ResultsVisibility, StancePhase
from storage.database import Database, Row, Transaction
from storage.dialect import value_pairs
from storage.generations import Topic
from storage.poll_ballots import FORGOTTEN_PREFIX, PollBallots, voted_marker
from storage.poll_changes import PollChanges, check_open_polls
from storage.poll_chats import PollChats
from storage.poll_refresh import refresh_slots
from storage.poll_turnout import PollTurnout
from storage.quota import Quota
from storage.scrub import SALT_TABLES, DiskScrubber
from storage.timestamps import from_db, to_db

_POLL_COLUMNS = (
    "id, platform, chat_id, creator, question, kind, max_choices, anonymous, visibility,"
    " allowed_role, locale, stance, stance_before, salt, created_at, closes_at, closed_at,"
    " announced_at, open_options, shuffle, remind_before"
)
_KEY_CHUNK = 400


@dataclass(frozen=True, slots=True)
class NewPoll:
    """A validated poll about to be stored."""

    chat: ChatRef
    creator: str
    question: str
    options: tuple[str, ...]
    kind: PollKind
    max_choices: int | None
    anonymous: bool
    visibility: ResultsVisibility
    allowed_role: str | None
    locale: Locale
    salt: bytes | None
    created_at: datetime
    closes_at: datetime | None
    stance: StancePhase | None = None
    stance_before: int | None = None
    open_options: bool = False
    shuffle: bool = False
    remind_before: timedelta | None = None


@dataclass(frozen=True, slots=True)
class PollRecord:
    """A stored poll; `salt` is None for named polls and for closed anonymous ones."""

    id: int
    chat: ChatRef
    creator: str
    question: str
    options: tuple[str, ...]
    kind: PollKind
    max_choices: int | None
    anonymous: bool
    visibility: ResultsVisibility
    allowed_role: str | None
    locale: Locale
    stance: StancePhase | None
    stance_before: int | None
    salt: bytes | None
    created_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None
    announced_at: datetime | None
    open_options: bool = False
    """Whether members may add options (`--open`)."""
    shuffle: bool = False
    """Whether each voter's ballot lists the options in an order of their own (`--shuffle`)."""
    remind_before: timedelta | None = None
    """How long before the deadline the poll's chats are reminded (`--remind`)."""
    added: frozenset[int] = frozenset()
    """The positions of options added after the poll was created."""
    removed: frozenset[int] = frozenset()
    """The positions of removed options: kept in `options` (positions never move), not shown."""

    def is_open(self, now: datetime) -> bool:
        """Whether votes are accepted at `now` (a passed deadline closes it even before the job)."""
        return _is_open(self.closes_at, self.closed_at, now)

    @property
    def choice_limit(self) -> int:
        """How many options one ballot may hold (every option unless a multi poll caps it)."""
        return self.max_choices or len(self.live_options)

    @property
    def live_options(self) -> tuple[int, ...]:
        """The positions of the options on offer (not removed), in declared order."""
        return tuple(index for index in range(len(self.options)) if index not in self.removed)


@dataclass(frozen=True, slots=True)
class PollSummary:
    """A line of `/poll list`."""

    id: int
    question: str
    closes_at: datetime | None
    closed_at: datetime | None
    voters: int

    def is_open(self, now: datetime) -> bool:
        """Whether the poll accepts votes at `now`."""
        return _is_open(self.closes_at, self.closed_at, now)


class PollRepository:
    """Reads and writes `polls` and `poll_options`; `ballots` and `chats` do the rest."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self.chats = PollChats(database)
        self.ballots = PollBallots(database, self.chats)
        self.changes = PollChanges(database)
        self.turnout = PollTurnout(database)
        self.refresh_slots = refresh_slots(database)
        """When each poll's messages may be edited next (shared by processes on PostgreSQL)."""
        self.generations = database.generations
        """Its writes to polls, their options, chats and messages move `Topic.POLLS`."""

    async def create(self, poll: NewPoll, *, quota: Quota | None = None) -> int:
        """Store a poll with its options; returns its id.

        With a `quota`, the creator's and the chat's open polls are counted in the same
        transaction, and `QuotaReachedError` is raised, with nothing stored, when either is full.
        """
        async with self._db.transaction() as tx:
            if quota is not None:
                await check_open_polls(tx, quota, poll.creator, poll.chat, poll.created_at)
            poll_id = await tx.insert(
                "INSERT INTO polls (platform, chat_id, creator, question, kind, max_choices,"
                " anonymous, visibility, allowed_role, locale, stance, stance_before, salt,"
                " created_at, closes_at, open_options, shuffle, remind_before)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    poll.chat.platform,
                    poll.chat.chat_id,
                    poll.creator,
                    poll.question,
                    poll.kind.value,
                    poll.max_choices,
                    int(poll.anonymous),
                    poll.visibility.value,
                    poll.allowed_role,
                    poll.locale,
                    poll.stance.value if poll.stance else None,
                    poll.stance_before,
                    poll.salt,
                    to_db(poll.created_at),
                    to_db(poll.closes_at) if poll.closes_at else None,
                    int(poll.open_options),
                    int(poll.shuffle),
                    _seconds(poll.remind_before),
                ),
            )
            await tx.execute_many(
                "INSERT INTO poll_options (poll_id, position, label) VALUES (?, ?, ?)",
                [(poll_id, index, label) for index, label in enumerate(poll.options)],
            )
            await tx.execute(
                "INSERT INTO poll_chats (poll_id, chat_no, platform, chat_id) VALUES (?, 0, ?, ?)",
                (poll_id, poll.chat.platform, poll.chat.chat_id),
            )
        return poll_id

    async def delete_unshown(self, poll_id: int) -> bool:
        """Delete a poll no message shows and no one voted in (its post failed); True if gone.

        Its options and chats go with it (the schema cascades); a poll that was shown, has a
        ballot, or has an after-poll stays.
        """
        count = await self._db.execute(
            "DELETE FROM polls WHERE id = ?"
            " AND NOT EXISTS (SELECT 1 FROM poll_messages WHERE poll_id = ?)"
            " AND NOT EXISTS (SELECT 1 FROM poll_ballots WHERE poll_id = ?)"
            " AND NOT EXISTS (SELECT 1 FROM polls AS after WHERE after.stance_before = ?)",
            (poll_id, poll_id, poll_id, poll_id),
        )
        if count:
            self._db.generations.touch(Topic.POLLS)
        return count == 1

    async def get(self, poll_id: int) -> PollRecord | None:
        """The poll with `poll_id`."""
        row = await self._db.fetch_one(
            f"SELECT {_POLL_COLUMNS} FROM polls WHERE id = ?", (poll_id,)
        )
        if row is None:
            return None
        options = await self._db.fetch_all(
            "SELECT label, added_at IS NOT NULL, removed_at IS NOT NULL FROM poll_options"
            " WHERE poll_id = ? ORDER BY position",
            (poll_id,),
        )
        return _poll(row, options)

    async def after_poll(self, before_id: int) -> int | None:
        """The id of the "after" poll of the stance pair whose "before" poll is `before_id`."""
        row = await self._db.fetch_one(
            "SELECT id FROM polls WHERE stance_before = ? ORDER BY id LIMIT 1", (before_id,)
        )
        return int(row[0]) if row else None

    async def in_chat(self, chat: ChatRef, limit: int = 15, offset: int = 0) -> list[PollSummary]:
        """Polls created in or shared into `chat`, newest first, with their voter counts.

        `limit` polls at most, after skipping the `offset` newest (for paging).
        """
        rows = await self._db.fetch_all(
            "SELECT p.id, p.question, p.closes_at, p.closed_at,"
            " (SELECT count(*) FROM poll_ballots b WHERE b.poll_id = p.id)"
            " FROM polls p WHERE p.id IN ("
            " SELECT poll_id FROM poll_chats WHERE platform = ? AND chat_id = ?)"
            " ORDER BY p.id DESC LIMIT ? OFFSET ?",
            (chat.platform, chat.chat_id, limit, offset),
        )
        return [
            PollSummary(
                id=int(row[0]),
                question=row[1],
                closes_at=from_db(row[2]) if row[2] else None,
                closed_at=from_db(row[3]) if row[3] else None,
                voters=int(row[4]),
            )
            for row in rows
        ]

    async def close(self, poll_id: int, now: datetime, *, keep_salt: bool = False) -> bool:
        """Close an open poll; an anonymous poll's salt is erased unless `keep_salt`.

        Returns False when the poll was already closed. Erased salts are overwritten in the
        file (`secure_delete`); the old page stays in the write-ahead log until `clear_wal`.
        """
        await DiskScrubber(self._db).secure_delete()
        count = await self._db.execute(
            "UPDATE polls SET closed_at = ?, salt = CASE WHEN ? = 1 THEN salt ELSE NULL END"
            " WHERE id = ? AND closed_at IS NULL",
            (to_db(now), int(keep_salt), poll_id),
        )
        if count:
            self._db.generations.touch(Topic.POLLS)
        return count == 1

    async def erase_salt(self, poll_id: int) -> None:
        """Erase a closed poll's salt (the first poll of a stance pair); see `clear_wal`."""
        await DiskScrubber(self._db).secure_delete()
        await self._db.execute(
            "UPDATE polls SET salt = NULL WHERE id = ? AND closed_at IS NOT NULL", (poll_id,)
        )
        self._db.generations.touch(Topic.POLLS)

    async def clear_wal(self) -> bool:
        """Empty the write-ahead log, where erased salts may linger (PostgreSQL: rewrite `polls`).

        False while a reader holds an old snapshot: it never waits, so it never holds others up.
        """
        return await DiskScrubber(self._db).clear_log(SALT_TABLES)

    async def mark_announced(self, poll_id: int, now: datetime) -> bool:
        """Record that the final results were posted; False when they already had been."""
        count = await self._db.execute(
            "UPDATE polls SET announced_at = ? WHERE id = ? AND announced_at IS NULL",
            (to_db(now), poll_id),
        )
        if count:
            self._db.generations.touch(Topic.POLLS)
        return count == 1

    async def forget_voter(self, platform: str, user_id: str) -> int:
        """Take a person off their named ballots, the polls they created and options they added.

        In an open poll the ballot is deleted: a named poll's export lists every counted ballot
        with its voter, so a counted ballot without a voter would make the tally and the export
        disagree. The person may vote again there, and then has one ballot again. In a closed
        poll the result is final: the ballot stays counted under a fresh random key, without
        name, time or link to them. Returns the rows changed.
        """
        key = f"{platform}:{user_id}"
        async with self._db.transaction() as tx:
            deleted = await tx.execute(
                "DELETE FROM poll_ballots WHERE voter_key = ? AND poll_id IN"
                " (SELECT id FROM polls WHERE closed_at IS NULL)",
                (key,),
            )
            ballots = await tx.execute(
                f"UPDATE poll_ballots SET voter_key = ? || {self._db.dialect.random_hex},"
                " voter_name = NULL, voted_at = NULL WHERE voter_key = ?",
                (FORGOTTEN_PREFIX, key),
            )
            creators = await tx.execute("UPDATE polls SET creator = '-' WHERE creator = ?", (key,))
            added = await tx.execute(
                "UPDATE poll_options SET added_by = NULL WHERE added_by = ?", (key,)
            )
        self._db.generations.touch(Topic.POLLS)
        return deleted + ballots + creators + added

    async def holds_salts(self) -> bool:
        """Whether any poll still holds a salt (so anonymous ballots can still be linked)."""
        row = await self._db.fetch_one("SELECT EXISTS (SELECT 1 FROM polls WHERE salt IS NOT NULL)")
        return bool(row and row[0])

    async def forget_anonymous_voter(self, key_in: Callable[[bytes], str]) -> int:
        """Make a person's anonymous ballots unlinkable to them; returns the ballots changed.

        `key_in(salt)` is the person's voter key in a poll with that salt. Every poll that still
        holds a salt (open, or the first poll of an unfinished stance check) could name them with
        the database and the master key, so their ballot there moves to a fresh random key that
        looks like any other. It stays counted; in an open poll a has-voted marker
        (`voted_marker`) refuses them a second ballot until the poll closes. Salts are read and
        ballots moved in one transaction, so no vote or close can slip in between.
        """
        async with self._db.transaction() as tx:
            polls = await tx.fetch_all(
                "SELECT id, salt, closed_at IS NULL FROM polls WHERE salt IS NOT NULL"
            )
            keys = {(int(row[0]), key_in(bytes(row[1]))): bool(row[2]) for row in polls}
            found = await _existing_ballots(tx, keys)
            for poll_id, voter_key in found:
                await tx.execute(
                    "UPDATE poll_ballots SET voter_key = ? WHERE poll_id = ? AND voter_key = ?",
                    (secrets.token_hex(32), poll_id, voter_key),
                )
                if keys[(poll_id, voter_key)]:
                    await tx.execute(
                        "INSERT INTO poll_voted_markers (poll_id, marker) VALUES (?, ?)"
                        " ON CONFLICT DO NOTHING",
                        (poll_id, voted_marker(poll_id, voter_key)),
                    )
        return len(found)

    async def forget_chats(self, chats: Iterable[ChatRef]) -> int:
        """Remove every poll row of the given (private) chats; returns the rows changed.

        Polls started there are deleted with their ballots (and a stance after-poll of one of
        them with it); elsewhere the chat's messages and its place among a poll's chats go, and
        ballots cast there keep counting with an unknown chat.
        """
        async with self._db.transaction() as tx:
            changed = await tx.for_each_chat(
                (
                    "DELETE FROM polls WHERE stance_before IN"
                    " (SELECT id FROM polls WHERE platform = ? AND chat_id = ?)",
                    "DELETE FROM polls WHERE platform = ? AND chat_id = ?",
                    "DELETE FROM poll_messages WHERE platform = ? AND chat_id = ?",
                    "UPDATE poll_ballots SET chat_no = NULL WHERE (poll_id, chat_no) IN"
                    " (SELECT poll_id, chat_no FROM poll_chats WHERE platform = ? AND chat_id = ?)",
                    "DELETE FROM poll_chats WHERE platform = ? AND chat_id = ?",
                ),
                chats,
            )
        self._db.generations.touch(Topic.POLLS)
        return changed


async def _existing_ballots(
    tx: Transaction, keys: Iterable[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Which of the (poll, voter key) pairs have a ballot."""
    found: list[tuple[int, str]] = []
    wanted = sorted(keys)
    for start in range(0, len(wanted), _KEY_CHUNK):
        chunk = wanted[start : start + _KEY_CHUNK]
        rows = await tx.fetch_all(
            f"WITH wanted (poll_id, voter_key) AS ({value_pairs(len(chunk), 'BIGINT', 'TEXT')})"
            " SELECT b.poll_id, b.voter_key FROM wanted JOIN poll_ballots b"
            " ON b.poll_id = wanted.poll_id AND b.voter_key = wanted.voter_key",
            [part for key in chunk for part in key],
        )
        found.extend((int(row[0]), str(row[1])) for row in rows)
    return found


def _is_open(closes_at: datetime | None, closed_at: datetime | None, now: datetime) -> bool:
    return closed_at is None and (closes_at is None or now < closes_at)


def _seconds(span: timedelta | None) -> int | None:
    return int(span.total_seconds()) if span is not None else None


def _poll(row: Row, options: Sequence[Row]) -> PollRecord:
    return PollRecord(
        id=int(row[0]),
        chat=ChatRef(row[1], row[2]),
        creator=row[3],
        question=row[4],
        options=tuple(str(option[0]) for option in options),
        kind=PollKind(row[5]),
        max_choices=row[6],
        anonymous=bool(row[7]),
        visibility=ResultsVisibility(row[8]),
        allowed_role=row[9],
        locale=row[10],
        stance=StancePhase(row[11]) if row[11] else None,
        stance_before=row[12],
        salt=row[13],
        created_at=from_db(row[14]),
        closes_at=from_db(row[15]) if row[15] else None,
        closed_at=from_db(row[16]) if row[16] else None,
        announced_at=from_db(row[17]) if row[17] else None,
        open_options=bool(row[18]),
        shuffle=bool(row[19]),
        remind_before=timedelta(seconds=int(row[20])) if row[20] else None,
        added=frozenset(index for index, option in enumerate(options) if option[1]),
        removed=frozenset(index for index, option in enumerate(options) if option[2]),
    )
