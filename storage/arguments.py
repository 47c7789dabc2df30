"""Community arguments and their upvotes: submission, moderation, withdrawal, votes, forgetting.

Arguments belong to the chat they were submitted in, so each chat's moderators decide on their
own queue. Every check that guards a write (pending quota, rate limit, duplicates, status, one
vote per person) runs inside the write's transaction, so concurrent presses cannot slip past it.
Only cheap checks run there: the near-duplicate comparison is the caller's, before the write
(see `submit`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.identity import Actor, ChatRef
from storage.database import Database, Row
from storage.quota import Quota
from storage.timestamps import from_db, to_db

_COLUMNS = (
    "a.id, a.topic, a.side, a.text, a.author_platform, a.author_id, a.author_name, a.status,"
    " a.created_at, (SELECT count(*) FROM argument_votes v WHERE v.argument_id = a.id) AS votes"
)


class ArgumentStatus(StrEnum):
    """Where an argument is in moderation."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class VoteOutcome(StrEnum):
    """What became of an upvote."""

    COUNTED = "counted"
    ALREADY_VOTED = "already_voted"
    OWN_ARGUMENT = "own_argument"
    NOT_OPEN = "not_open"


@dataclass(frozen=True, slots=True)
class Argument:
    """A stored argument with its current number of upvotes."""

    id: int
    topic: str
    side: str
    text: str
    author_platform: str
    author_id: str
    author_name: str
    status: ArgumentStatus
    created_at: datetime
    votes: int = 0


@dataclass(frozen=True, slots=True)
class Submitted:
    """The argument was stored with this id."""

    argument_id: int


@dataclass(frozen=True, slots=True)
class RateLimited:
    """The author reached the limit; the oldest counted submission leaves the window then."""

    retry_at: datetime


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The text repeats (or nearly repeats) the argument with this id."""

    argument_id: int


SubmitOutcome = Submitted | RateLimited | Duplicate


COMPARED_ARGUMENTS = 500


class ArgumentRepository:
    """Reads and writes `arguments` and `argument_votes`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def comparable_texts(
        self, chat: ChatRef, topic: str, limit: int = COMPARED_ARGUMENTS
    ) -> list[tuple[int, str]]:
        """`(id, text)` of the chat's newest `limit` pending and approved arguments on `topic`.

        The bound keeps the near-duplicate check (quadratic per pair) fast in a busy chat.
        """
        rows = await self._db.fetch_all(
            "SELECT id, text FROM arguments WHERE platform = ? AND chat_id = ? AND topic = ?"
            " AND status IN ('pending', 'approved') ORDER BY id DESC LIMIT ?",
            (chat.platform, chat.chat_id, topic, limit),
        )
        return [(int(row[0]), str(row[1])) for row in reversed(rows)]

    async def submit(
        self,
        chat: ChatRef,
        author: Actor,
        topic: str,
        side: str,
        text: str,
        *,
        now: datetime,
        window_start: datetime,
        max_in_window: int,
        pending_quota: Quota,
        checked_up_to: int,
    ) -> SubmitOutcome:
        """Store a pending argument unless the author is over the limit or it is a duplicate.

        The author's pending arguments in the chat (all topics) are counted against
        `pending_quota` first: `QuotaReachedError` when it is full. The caller has already
        looked for near-duplicates among the arguments up to id `checked_up_to` (outside any
        transaction); a newer one (submitted meanwhile) with the same words, ignoring case,
        punctuation and spacing, is found here.
        """
        async with self._db.transaction() as tx:
            waiting = await tx.fetch_one(
                "SELECT count(*) FROM arguments WHERE author_platform = ? AND author_id = ?"
                " AND platform = ? AND chat_id = ? AND status = 'pending'",
                (author.platform, author.user_id, chat.platform, chat.chat_id),
            )
            pending_quota.check(person=int(waiting[0]) if waiting else 0)
            recent = await tx.fetch_all(
                "SELECT created_at FROM arguments WHERE author_platform = ? AND author_id = ?"
                " AND created_at > ? ORDER BY created_at",
                (author.platform, author.user_id, to_db(window_start)),
            )
            if len(recent) >= max_in_window:
                oldest = from_db(recent[len(recent) - max_in_window][0])
                return RateLimited(retry_at=oldest + (now - window_start))
            newer = await tx.fetch_all(
                "SELECT id, text FROM arguments WHERE platform = ? AND chat_id = ? AND topic = ?"
                " AND status IN ('pending', 'approved') AND id > ? ORDER BY id",
                (chat.platform, chat.chat_id, topic, checked_up_to),
            )
            words = _same_words(text)
            for row in newer:
                if _same_words(str(row[1])) == words:
                    return Duplicate(int(row[0]))
            new_id = await tx.insert(
                "INSERT INTO arguments (topic, side, text, platform, chat_id, author_platform,"
                " author_id, author_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    topic,
                    side,
                    text,
                    chat.platform,
                    chat.chat_id,
                    author.platform,
                    author.user_id,
                    author.display_name,
                    to_db(now),
                ),
            )
            return Submitted(new_id)

    async def get(self, chat: ChatRef, argument_id: int) -> Argument | None:
        """The chat's argument with this id, or None."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM arguments a WHERE a.platform = ? AND a.chat_id = ?"
            " AND a.id = ?",
            (chat.platform, chat.chat_id, argument_id),
        )
        return _argument(row) if row else None

    async def pending(self, chat: ChatRef, topic: str, limit: int) -> list[Argument]:
        """The chat's oldest `limit` pending arguments, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM arguments a WHERE a.platform = ? AND a.chat_id = ?"
            " AND a.topic = ? AND a.status = 'pending' ORDER BY a.id LIMIT ?",
            (chat.platform, chat.chat_id, topic, limit),
        )
        return [_argument(row) for row in rows]

    async def count_pending(self, chat: ChatRef, topic: str) -> int:
        """How many arguments wait for a moderator in the chat."""
        row = await self._db.fetch_one(
            "SELECT count(*) FROM arguments WHERE platform = ? AND chat_id = ? AND topic = ?"
            " AND status = 'pending'",
            (chat.platform, chat.chat_id, topic),
        )
        return int(row[0]) if row else 0

    async def top_approved(
        self, chat: ChatRef, topic: str, side: str, limit: int
    ) -> list[Argument]:
        """The side's approved arguments with the most upvotes (ties: oldest first)."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM arguments a WHERE a.platform = ? AND a.chat_id = ?"
            " AND a.topic = ? AND a.side = ? AND a.status = 'approved'"
            " ORDER BY votes DESC, a.id LIMIT ?",
            (chat.platform, chat.chat_id, topic, side, limit),
        )
        return [_argument(row) for row in rows]

    async def decide(
        self, chat: ChatRef, argument_id: int, status: ArgumentStatus, by: Actor, at: datetime
    ) -> bool:
        """Approve or reject a pending argument; False if it is not pending in this chat."""
        count = await self._db.execute(
            "UPDATE arguments SET status = ?, decided_by = ?, decided_at = ?"
            " WHERE platform = ? AND chat_id = ? AND id = ? AND status = 'pending'",
            (status.value, by.key, to_db(at), chat.platform, chat.chat_id, argument_id),
        )
        return count == 1

    async def withdraw(self, chat: ChatRef, argument_id: int, author: Actor, at: datetime) -> bool:
        """Withdraw the author's own pending or approved argument; False if nothing changed."""
        count = await self._db.execute(
            "UPDATE arguments SET status = 'withdrawn', decided_by = ?, decided_at = ?"
            " WHERE platform = ? AND chat_id = ? AND id = ? AND author_platform = ?"
            " AND author_id = ? AND status IN ('pending', 'approved')",
            (
                author.key,
                to_db(at),
                chat.platform,
                chat.chat_id,
                argument_id,
                author.platform,
                author.user_id,
            ),
        )
        return count == 1

    async def upvote(
        self, chat: ChatRef, argument_id: int, voter: Actor, at: datetime
    ) -> VoteOutcome:
        """Record one upvote per person on an approved argument (the primary key enforces it)."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT status, author_platform, author_id FROM arguments"
                " WHERE platform = ? AND chat_id = ? AND id = ?",
                (chat.platform, chat.chat_id, argument_id),
            )
            if row is None or row[0] != ArgumentStatus.APPROVED:
                return VoteOutcome.NOT_OPEN
            if (row[1], row[2]) == (voter.platform, voter.user_id):
                return VoteOutcome.OWN_ARGUMENT
            count = await tx.execute(
                "INSERT INTO argument_votes (argument_id, voter_platform, voter_id, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (argument_id, voter.platform, voter.user_id, to_db(at)),
            )
            return VoteOutcome.COUNTED if count == 1 else VoteOutcome.ALREADY_VOTED

    async def forget(self, platform: str, user_id: str) -> int:
        """Delete a person's arguments (with their votes) and votes, and clear them as decider.

        Returns the number of rows deleted or changed.
        """
        person = (platform, user_id)
        async with self._db.transaction() as tx:
            changed = 0
            for sql, params in (
                (
                    "DELETE FROM argument_votes WHERE voter_platform = ? AND voter_id = ?",
                    person,
                ),
                (
                    "DELETE FROM argument_votes WHERE argument_id IN (SELECT id FROM arguments"
                    " WHERE author_platform = ? AND author_id = ?)",
                    person,
                ),
                ("DELETE FROM arguments WHERE author_platform = ? AND author_id = ?", person),
                (
                    "UPDATE arguments SET decided_by = NULL WHERE decided_by = ?",
                    (f"{platform}:{user_id}",),
                ),
            ):
                count = await tx.execute(sql, params)
                changed += count
            return changed

    async def forget_chats(self, chats: Iterable[ChatRef]) -> int:
        """Delete the arguments of the given (private) chats, with their upvotes; rows deleted."""
        async with self._db.transaction() as tx:
            return await tx.for_each_chat(
                (
                    "DELETE FROM argument_votes WHERE argument_id IN"
                    " (SELECT id FROM arguments WHERE platform = ? AND chat_id = ?)",
                    "DELETE FROM arguments WHERE platform = ? AND chat_id = ?",
                ),
                chats,
            )


def _same_words(text: str) -> str:
    """`text` reduced to its words: Unicode NFKC, case-folded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(
        "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in folded).split()
    )


def _argument(row: Row) -> Argument:
    return Argument(
        id=int(row[0]),
        topic=str(row[1]),
        side=str(row[2]),
        text=str(row[3]),
        author_platform=str(row[4]),
        author_id=str(row[5]),
        author_name=str(row[6]),
        status=ArgumentStatus(row[7]),
        created_at=from_db(row[8]),
        votes=int(row[9]),
    )
