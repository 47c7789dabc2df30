"""The poll aggregate's repository: polls and their options, with its ballots and chats.

`PollRepository` is the one repository of the aggregate. It reads and writes `polls` and
`poll_options` itself, and holds the two parts with a job of their own: `ballots`
(`storage.poll_ballots`: the batched vote write path and every ballot read) and `chats`
(`storage.poll_chats`: the numbered chats a poll is shown in and its messages there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.i18n import Locale
from bot.identity import ChatRef
from handlers.polls.model import PollKind, ResultsVisibility
from storage.database import Database, Row
from storage.poll_ballots import PollBallots
from storage.poll_chats import PollChats
from storage.timestamps import from_db, to_db

_POLL_COLUMNS = (
    "id, platform, chat_id, creator, question, kind, max_choices, anonymous, visibility,"
    " allowed_role, locale, stance, stance_before, salt, created_at, closes_at, closed_at,"
    " announced_at"
)
FORGOTTEN_PREFIX = "forgotten:"


class StancePhase(StrEnum):
    """Which poll of a stance pair a poll is."""

    BEFORE = "before"
    AFTER = "after"


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

    def is_open(self, now: datetime) -> bool:
        """Whether votes are accepted at `now` (a passed deadline closes it even before the job)."""
        return _is_open(self.closes_at, self.closed_at, now)

    @property
    def choice_limit(self) -> int:
        """How many options one ballot may hold (every option unless a multi poll caps it)."""
        return self.max_choices or len(self.options)


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

    async def create(self, poll: NewPoll) -> int:
        """Store a poll with its options; returns its id."""
        async with self._db.transaction() as tx:
            cursor = await tx.execute(
                "INSERT INTO polls (platform, chat_id, creator, question, kind, max_choices,"
                " anonymous, visibility, allowed_role, locale, stance, stance_before, salt,"
                " created_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ),
            )
            poll_id = int(cursor.lastrowid or 0)
            await tx.execute_many(
                "INSERT INTO poll_options (poll_id, position, label) VALUES (?, ?, ?)",
                [(poll_id, index, label) for index, label in enumerate(poll.options)],
            )
            await tx.execute(
                "INSERT INTO poll_chats (poll_id, chat_no, platform, chat_id) VALUES (?, 0, ?, ?)",
                (poll_id, poll.chat.platform, poll.chat.chat_id),
            )
        return poll_id

    async def get(self, poll_id: int) -> PollRecord | None:
        """The poll with `poll_id`."""
        row = await self._db.fetch_one(
            f"SELECT {_POLL_COLUMNS} FROM polls WHERE id = ?", (poll_id,)
        )
        if row is None:
            return None
        options = await self._db.fetch_all(
            "SELECT label FROM poll_options WHERE poll_id = ? ORDER BY position", (poll_id,)
        )
        return _poll(row, tuple(str(option[0]) for option in options))

    async def after_poll(self, before_id: int) -> int | None:
        """The id of the "after" poll of the stance pair whose "before" poll is `before_id`."""
        row = await self._db.fetch_one(
            "SELECT id FROM polls WHERE stance_before = ? ORDER BY id LIMIT 1", (before_id,)
        )
        return int(row[0]) if row else None

    async def in_chat(self, chat: ChatRef, limit: int = 15) -> list[PollSummary]:
        """Polls created in or shared into `chat`, newest first, with their voter counts."""
        rows = await self._db.fetch_all(
            "SELECT p.id, p.question, p.closes_at, p.closed_at,"
            " (SELECT count(*) FROM poll_ballots b WHERE b.poll_id = p.id)"
            " FROM polls p WHERE p.id IN ("
            " SELECT poll_id FROM poll_chats WHERE platform = ? AND chat_id = ?)"
            " ORDER BY p.id DESC LIMIT ?",
            (chat.platform, chat.chat_id, limit),
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

        Returns False when the poll was already closed. Erased salts are overwritten on disk
        (`secure_delete`) and the write-ahead log is checkpointed so no old copy remains.
        """
        await self._db.execute("PRAGMA secure_delete = ON")
        cursor = await self._db.execute(
            "UPDATE polls SET closed_at = ?, salt = CASE WHEN ? THEN salt ELSE NULL END"
            " WHERE id = ? AND closed_at IS NULL",
            (to_db(now), int(keep_salt), poll_id),
        )
        if cursor.rowcount == 1 and not keep_salt:
            await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return cursor.rowcount == 1

    async def erase_salt(self, poll_id: int) -> None:
        """Erase a closed poll's salt (the first poll of a stance pair, once both are closed)."""
        await self._db.execute("PRAGMA secure_delete = ON")
        await self._db.execute(
            "UPDATE polls SET salt = NULL WHERE id = ? AND closed_at IS NOT NULL", (poll_id,)
        )
        await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def mark_announced(self, poll_id: int, now: datetime) -> bool:
        """Record that the final results were posted; False when they already had been."""
        cursor = await self._db.execute(
            "UPDATE polls SET announced_at = ? WHERE id = ? AND announced_at IS NULL",
            (to_db(now), poll_id),
        )
        return cursor.rowcount == 1

    async def forget_voter(self, platform: str, user_id: str) -> int:
        """Turn a person's named ballots into anonymous counts and drop them as creator.

        Each ballot moves to a fresh random key (the count is kept, the link is gone) and loses
        its name and time. Returns the rows changed.
        """
        key = f"{platform}:{user_id}"
        async with self._db.transaction() as tx:
            ballots = await tx.execute(
                "UPDATE poll_ballots SET voter_key = ? || lower(hex(randomblob(16))),"
                " voter_name = NULL, voted_at = NULL WHERE voter_key = ?",
                (FORGOTTEN_PREFIX, key),
            )
            creators = await tx.execute("UPDATE polls SET creator = '-' WHERE creator = ?", (key,))
        self.ballots.drop_cache()  # before any other transaction can run: keys were renamed
        return ballots.rowcount + creators.rowcount


def _is_open(closes_at: datetime | None, closed_at: datetime | None, now: datetime) -> bool:
    return closed_at is None and (closes_at is None or now < closes_at)


def _poll(row: Row, options: tuple[str, ...]) -> PollRecord:
    return PollRecord(
        id=int(row[0]),
        chat=ChatRef(row[1], row[2]),
        creator=row[3],
        question=row[4],
        options=options,
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
    )
