"""Summaries a language model wrote (cached) and each chat's daily budget of model requests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from bot.identity import ChatRef
from storage.database import Database
from storage.timestamps import to_db


@dataclass(frozen=True, slots=True)
class WrittenKey:
    """What a written summary depends on: the text, the model, and what was asked."""

    content_hash: str
    model: str
    length: str
    language: str
    kind: str
    """`summary` (in the edition's own language) or `translation` (for a missing edition)."""
    version: str
    """The prompt and checks' version: a change never serves an answer made under the old."""


class WrittenSummaryRepository:
    """Reads and writes `written_summaries` and `llm_usage`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def cached(self, key: WrittenKey) -> str | None:
        """The encoded bullets stored under `key`, or None."""
        row = await self._db.fetch_one(
            "SELECT bullets_json FROM written_summaries WHERE content_hash = ? AND model = ?"
            " AND length = ? AND language = ? AND kind = ? AND version = ?",
            _values(key),
        )
        return str(row[0]) if row else None

    async def store(self, key: WrittenKey, encoded: str, at: datetime) -> None:
        """Keep `encoded` under `key` (replacing an older answer)."""
        await self._db.execute(
            "INSERT INTO written_summaries"
            " (content_hash, model, length, language, kind, version, bullets_json, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (content_hash, model, length, language, kind, version)"
            " DO UPDATE SET bullets_json = excluded.bullets_json, created_at = excluded.created_at",
            (*_values(key), encoded, to_db(at)),
        )

    async def used(self, chat: ChatRef, day: date) -> int:
        """How many model requests `chat` made on `day`."""
        row = await self._db.fetch_one(
            "SELECT requests FROM llm_usage WHERE platform = ? AND chat_id = ? AND day = ?",
            (chat.platform, chat.chat_id, day.isoformat()),
        )
        return int(row[0]) if row else 0

    async def take(self, chat: ChatRef, day: date, budget: int) -> bool:
        """Count one request of `chat` on `day` if fewer than `budget` were made; whether it was.

        Earlier days' counts go (of every chat): only today's are ever read.
        """
        if budget < 1:  # the insert below counts a first request whatever the budget
            return False
        today = day.isoformat()
        async with self._db.transaction() as tx:
            await tx.execute("DELETE FROM llm_usage WHERE day < ?", (today,))
            taken = await tx.execute(
                "INSERT INTO llm_usage (platform, chat_id, day, requests) VALUES (?, ?, ?, 1)"
                " ON CONFLICT (platform, chat_id, day) DO UPDATE"
                " SET requests = llm_usage.requests + 1 WHERE llm_usage.requests < ?",
                (chat.platform, chat.chat_id, today, budget),
            )
        return taken > 0

    async def forget_chats(self, chats: Iterable[ChatRef]) -> int:
        """Delete the request counts of the given (private) chats; rows deleted."""
        chats = tuple(chats)
        async with self._db.transaction() as tx:
            return await tx.for_each_chat(
                ("DELETE FROM llm_usage WHERE platform = ? AND chat_id = ?",), chats
            )


def _values(key: WrittenKey) -> tuple[str, ...]:
    return (key.content_hash, key.model, key.length, key.language, key.kind, key.version)
