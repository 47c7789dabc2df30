"""The append-only audit log of moderator actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.identity import ChatRef
from storage.database import Database
from storage.timestamps import from_db, to_db


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One moderator action: who did what, where, when, and how it ended."""

    at: datetime
    chat: ChatRef
    actor_id: str
    actor_name: str
    action: str
    detail: str
    outcome: str


class AuditRepository:
    """Appends to and reads `audit_log`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def record(self, entry: AuditEntry) -> None:
        """Append one entry."""
        await self._db.execute(
            "INSERT INTO audit_log (at, platform, chat_id, actor_id, actor_name, action, detail,"
            " outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                to_db(entry.at),
                entry.chat.platform,
                entry.chat.chat_id,
                entry.actor_id,
                entry.actor_name,
                entry.action,
                entry.detail,
                entry.outcome,
            ),
        )

    async def recent(self, chat: ChatRef, limit: int) -> list[AuditEntry]:
        """The newest `limit` entries for `chat`, newest first."""
        rows = await self._db.fetch_all(
            "SELECT at, actor_id, actor_name, action, detail, outcome FROM audit_log"
            " WHERE platform = ? AND chat_id = ? ORDER BY id DESC LIMIT ?",
            (chat.platform, chat.chat_id, limit),
        )
        return [AuditEntry(from_db(r[0]), chat, r[1], r[2], r[3], r[4], r[5]) for r in rows]
