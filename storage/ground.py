"""Common ground's statements and votes: one vote per voter per statement, changeable.

A statement belongs to the chat it was made in. A voter is `platform:user_id`, or in a chat
whose votes are anonymous the keyed hash the feature computes (the database never sees who).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.identity import Actor, ChatRef
from storage.database import Database, Row, Transaction
from storage.timestamps import to_db


class StatementSource(StrEnum):
    """Where a statement came from."""

    CLAIM = "claim"
    ARGUMENT = "argument"
    SEEDED = "seeded"
    PROPOSED = "proposed"


class StatementStatus(StrEnum):
    """A proposal waits for a moderator; everything else is approved."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a chat."""

    id: int
    chat: ChatRef
    source: StatementSource
    source_ref: str | None
    """The claim's id for a claim of the map, the argument's id for a community argument."""
    text: str | None
    """None for a claim (shown from the map, in the reader's language)."""
    status: StatementStatus
    author: tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class Imported:
    """A statement copied in from elsewhere (a claim of the map, an approved argument)."""

    source: StatementSource
    source_ref: str
    text: str | None = None
    author: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class ChatVotes:
    """Every vote of a chat's approved statements."""

    statements: tuple[int, ...]
    votes: list[tuple[str, int, int]]
    """(voter, statement id, stance)."""


_COLUMNS = "id, platform, chat_id, source, source_ref, text, status, author_platform, author_id"


class GroundRepository:
    """Reads and writes `ground_statements`, `ground_votes` and `ground_chats`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def import_statements(
        self, chat: ChatRef, items: Iterable[Imported], at: datetime
    ) -> int:
        """Add the items the chat does not have yet (by source and id); how many were added.

        Reads first and writes only what is new, so a `/ground` with nothing new to import
        (the usual case) costs one read and no write transaction.
        """
        have = {
            (str(row[0]), str(row[1]))
            for row in await self._db.fetch_all(
                "SELECT source, source_ref FROM ground_statements WHERE platform = ?"
                " AND chat_id = ? AND source_ref IS NOT NULL",
                (chat.platform, chat.chat_id),
            )
        }
        rows = [
            (
                chat.platform,
                chat.chat_id,
                item.source,
                item.source_ref,
                item.text,
                *(item.author or (None, None)),
                to_db(at),
            )
            for item in items
            if (item.source, item.source_ref) not in have
        ]
        if rows:
            async with self._db.transaction() as tx:
                await tx.execute_many(
                    "INSERT INTO ground_statements (platform, chat_id, source, source_ref, text,"
                    " author_platform, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (platform, chat_id, source, source_ref) DO NOTHING",
                    rows,
                )
        return len(rows)

    async def add(self, chat: ChatRef, text: str, author: Actor, at: datetime) -> int:
        """A moderator's statement, open for votes at once; its id."""
        async with self._db.transaction() as tx:
            return await _insert(tx, chat, text, author, at, StatementSource.SEEDED)

    async def propose(
        self, chat: ChatRef, text: str, author: Actor, at: datetime, *, limit: int
    ) -> int | None:
        """A member's proposal, pending; its id, or None when `limit` of theirs already wait.

        The count and the insert share one transaction, so proposals sent at once cannot pass
        the limit together.
        """
        async with self._db.transaction() as tx:
            waiting = await tx.fetch_one(
                "SELECT count(*) FROM ground_statements WHERE platform = ? AND chat_id = ?"
                " AND status = 'pending' AND author_platform = ? AND author_id = ?",
                (chat.platform, chat.chat_id, author.platform, author.user_id),
            )
            if waiting is not None and int(waiting[0]) >= limit:
                return None
            return await _insert(tx, chat, text, author, at, StatementSource.PROPOSED)

    async def get(self, statement_id: int) -> Statement | None:
        """The statement with this id, in whichever chat."""
        row = await self._db.fetch_one(
            f"SELECT {_COLUMNS} FROM ground_statements WHERE id = ?", (statement_id,)
        )
        return None if row is None else _statement(row)

    async def approved(self, chat: ChatRef) -> list[Statement]:
        """The chat's statements open for votes, oldest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM ground_statements WHERE platform = ? AND chat_id = ?"
            " AND status = 'approved' ORDER BY id",
            (chat.platform, chat.chat_id),
        )
        return [_statement(row) for row in rows]

    async def texts(self, chat: ChatRef, limit: int) -> list[tuple[int, str]]:
        """`(id, text)` of the chat's newest pending and approved written statements."""
        rows = await self._db.fetch_all(
            "SELECT id, text FROM ground_statements WHERE platform = ? AND chat_id = ?"
            " AND text IS NOT NULL AND status <> 'rejected' ORDER BY id DESC LIMIT ?",
            (chat.platform, chat.chat_id, limit),
        )
        return [(int(row[0]), str(row[1])) for row in reversed(rows)]

    async def pending(self, chat: ChatRef, limit: int) -> list[Statement]:
        """The chat's oldest proposals waiting for a moderator."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM ground_statements WHERE platform = ? AND chat_id = ?"
            " AND status = 'pending' ORDER BY id LIMIT ?",
            (chat.platform, chat.chat_id, limit),
        )
        return [_statement(row) for row in rows]

    async def decide(self, statement_id: int, approve: bool) -> bool:
        """Approve or reject a pending proposal; False when it was not pending."""
        status = StatementStatus.APPROVED if approve else StatementStatus.REJECTED
        changed = await self._db.execute(
            "UPDATE ground_statements SET status = ? WHERE id = ? AND status = 'pending'",
            (status, statement_id),
        )
        return changed == 1

    async def next_for(self, chat: ChatRef, voter: str) -> tuple[Statement | None, int, int]:
        """The approved statement `voter` should see next (oldest first), and progress.

        Returns the statement (None when every one is voted on), how many the voter has voted
        on and how many there are.
        """
        async with self._db.snapshot() as reads:
            row = await reads.fetch_one(
                f"SELECT {_COLUMNS} FROM ground_statements AS s WHERE platform = ? AND chat_id = ?"
                " AND status = 'approved' AND NOT EXISTS (SELECT 1 FROM ground_votes"
                " WHERE statement_id = s.id AND voter = ?) ORDER BY id LIMIT 1",
                (chat.platform, chat.chat_id, voter),
            )
            counts = await reads.fetch_one(
                "SELECT count(*), count(v.voter) FROM ground_statements AS s LEFT JOIN"
                " ground_votes AS v ON v.statement_id = s.id AND v.voter = ?"
                " WHERE s.platform = ? AND s.chat_id = ? AND s.status = 'approved'",
                (voter, chat.platform, chat.chat_id),
            )
        total, done = (int(counts[0]), int(counts[1])) if counts else (0, 0)
        return (None if row is None else _statement(row)), done, total

    async def vote(self, statement_id: int, voter: str, stance: int, at: datetime) -> bool:
        """Record or change the voter's stance on an approved statement; False if not votable."""
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT status FROM ground_statements WHERE id = ?", (statement_id,)
            )
            if row is None or row[0] != StatementStatus.APPROVED:
                return False
            await tx.execute(
                "INSERT INTO ground_votes (statement_id, voter, stance, voted_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (statement_id, voter)"
                " DO UPDATE SET stance = excluded.stance, voted_at = excluded.voted_at",
                (statement_id, voter, stance, to_db(at)),
            )
            return True

    async def fingerprint(self, chat: ChatRef) -> tuple[object, ...]:
        """A summary of the chat's approved statements and votes that moves with any change.

        One aggregate read (no rows leave the database): statement count and newest id, vote
        count, newest vote time and the sum of stances; every vote or change sets its time, so
        only changes within one clock tick could leave it still.
        """
        row = await self._db.fetch_one(
            "SELECT count(DISTINCT s.id), max(s.id), count(v.voter), max(v.voted_at),"
            " coalesce(sum(v.stance), 0) FROM ground_statements AS s"
            " LEFT JOIN ground_votes AS v ON v.statement_id = s.id"
            " WHERE s.platform = ? AND s.chat_id = ? AND s.status = 'approved'",
            (chat.platform, chat.chat_id),
        )
        return tuple(row) if row is not None else ()

    async def chat_votes(self, chat: ChatRef) -> ChatVotes:
        """Every approved statement of the chat and every vote on them, read together."""
        async with self._db.snapshot() as reads:
            statements = await reads.fetch_all(
                "SELECT id FROM ground_statements WHERE platform = ? AND chat_id = ?"
                " AND status = 'approved' ORDER BY id",
                (chat.platform, chat.chat_id),
            )
            votes = await reads.fetch_all(
                "SELECT v.voter, v.statement_id, v.stance FROM ground_votes AS v"
                " JOIN ground_statements AS s ON s.id = v.statement_id"
                " WHERE s.platform = ? AND s.chat_id = ? AND s.status = 'approved'",
                (chat.platform, chat.chat_id),
            )
        ids = tuple(int(row[0]) for row in statements)
        return ChatVotes(ids, [(str(row[0]), int(row[1]), int(row[2])) for row in votes])

    async def salt(self, chat: ChatRef) -> bytes | None:
        """The chat's salt when its votes are anonymous, else None."""
        row = await self._db.fetch_one(
            "SELECT salt FROM ground_chats WHERE platform = ? AND chat_id = ?",
            (chat.platform, chat.chat_id),
        )
        return None if row is None else bytes(row[0])

    async def make_anonymous(self, chat: ChatRef, salt: bytes) -> bool:
        """Make the chat's votes anonymous from now on; False when it has votes already."""
        async with self._db.transaction() as tx:
            voted = await tx.fetch_one(
                "SELECT 1 FROM ground_votes AS v JOIN ground_statements AS s"
                " ON s.id = v.statement_id WHERE s.platform = ? AND s.chat_id = ? LIMIT 1",
                (chat.platform, chat.chat_id),
            )
            if voted is not None:
                return False
            await tx.execute(
                "INSERT INTO ground_chats (platform, chat_id, salt) VALUES (?, ?, ?)"
                " ON CONFLICT (platform, chat_id) DO NOTHING",
                (chat.platform, chat.chat_id, salt),
            )
            return True

    async def anonymous_chats(self) -> list[tuple[ChatRef, bytes]]:
        """Every chat whose votes are anonymous, with its salt (for forgetting a person)."""
        rows = await self._db.fetch_all("SELECT platform, chat_id, salt FROM ground_chats")
        return [(ChatRef(str(row[0]), str(row[1])), bytes(row[2])) for row in rows]

    async def forget(self, platform: str, user_id: str, keys: Sequence[tuple[ChatRef, str]]) -> int:
        """Delete the person's votes, named and keyed, and statements; the rows deleted.

        `keys` are the person's voter keys in the chats whose votes are anonymous.
        """
        async with self._db.transaction() as tx:
            changed = await tx.execute(
                "DELETE FROM ground_votes WHERE voter = ?", (f"{platform}:{user_id}",)
            )
            for chat, key in keys:
                changed += await tx.execute(
                    "DELETE FROM ground_votes WHERE voter = ? AND statement_id IN (SELECT id"
                    " FROM ground_statements WHERE platform = ? AND chat_id = ?)",
                    (key, chat.platform, chat.chat_id),
                )
            changed += await tx.execute(
                "DELETE FROM ground_votes WHERE statement_id IN (SELECT id FROM"
                " ground_statements WHERE author_platform = ? AND author_id = ?)",
                (platform, user_id),
            )
            changed += await tx.execute(
                "DELETE FROM ground_statements WHERE author_platform = ? AND author_id = ?",
                (platform, user_id),
            )
            return changed

    async def forget_chats(self, chats: Iterable[ChatRef]) -> int:
        """Delete the statements, votes and salts of the given (private) chats; rows deleted."""
        async with self._db.transaction() as tx:
            return await tx.for_each_chat(
                (
                    "DELETE FROM ground_votes WHERE statement_id IN"
                    " (SELECT id FROM ground_statements WHERE platform = ? AND chat_id = ?)",
                    "DELETE FROM ground_statements WHERE platform = ? AND chat_id = ?",
                    "DELETE FROM ground_chats WHERE platform = ? AND chat_id = ?",
                ),
                chats,
            )


async def _insert(
    tx: Transaction, chat: ChatRef, text: str, author: Actor, at: datetime, source: StatementSource
) -> int:
    status = (
        StatementStatus.PENDING if source is StatementSource.PROPOSED else StatementStatus.APPROVED
    )
    return await tx.insert(
        "INSERT INTO ground_statements (platform, chat_id, source, text, status,"
        " author_platform, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            chat.platform,
            chat.chat_id,
            source,
            text,
            status,
            author.platform,
            author.user_id,
            to_db(at),
        ),
    )


def _statement(row: Row) -> Statement:
    author = (str(row[7]), str(row[8])) if row[7] is not None else None
    return Statement(
        id=int(row[0]),
        chat=ChatRef(str(row[1]), str(row[2])),
        source=StatementSource(row[3]),
        source_ref=None if row[4] is None else str(row[4]),
        text=None if row[5] is None else str(row[5]),
        status=StatementStatus(row[6]),
        author=author,
    )
