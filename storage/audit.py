"""The append-only audit log of moderator actions, pseudonymised when a person is forgotten."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.identity import ChatRef
from storage.database import Database
from storage.timestamps import from_db, to_db

FORGOTTEN_ACTOR = "forgotten"
"""The actor id and name of a forgotten person's rows (and the chat id of their private chat's
rows); migration 009's trigger allows exactly this update and no other."""


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

    @property
    def forgotten(self) -> bool:
        """Whether the actor asked to be forgotten (the name is gone; show "a forgotten member")."""
        return self.actor_id == FORGOTTEN_ACTOR


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

    async def forget_actor(self, platform: str, user_id: str, chats: Iterable[ChatRef]) -> int:
        """Pseudonymise a person's rows and those of their private chats; returns rows changed.

        Each row keeps its action, outcome, time and platform; the actor becomes
        `FORGOTTEN_ACTOR` (a fixed value, so a person's rows are not even linkable to each
        other), the detail (free text) is emptied, and a private chat's id is replaced too.
        """
        forget = f"actor_id = '{FORGOTTEN_ACTOR}', actor_name = '{FORGOTTEN_ACTOR}', detail = ''"
        changed = 0
        async with self._db.transaction() as tx:
            for chat in chats:  # first, so the person's rows there are not counted twice
                count = await tx.execute(
                    f"UPDATE audit_log SET {forget}, chat_id = '{FORGOTTEN_ACTOR}'"
                    " WHERE platform = ? AND chat_id = ?",
                    (chat.platform, chat.chat_id),
                )
                changed += count
            count = await tx.execute(
                f"UPDATE audit_log SET {forget} WHERE platform = ? AND actor_id = ?",
                (platform, user_id),
            )
            return changed + count
