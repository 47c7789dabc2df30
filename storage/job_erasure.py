"""Forget-me for scheduled jobs: a person's jobs lose what names them, and stop.

A separate part from `storage.jobs`, whose claiming and leasing it does not touch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.identity import ChatRef
from storage.database import Database
from storage.timestamps import to_db

_SCRUB = (
    "UPDATE jobs SET payload = '{}', created_by = NULL, last_error = NULL,"
    " finished_at = CASE WHEN status = 'pending' THEN ? ELSE finished_at END,"
    " status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END"
)


class JobErasure:
    """Scrubs and stops the jobs a person created or that belong to their private chats."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def forget_creator(
        self, platform: str, user_id: str, chats: Iterable[ChatRef], now: datetime
    ) -> int:
        """Scrub a person's jobs and those of their private chats; returns the jobs changed.

        The payload (their id, name and the options they typed) is emptied and `created_by`
        cleared; a pending job is cancelled, so a recurring post stops. A job of a private chat
        also loses the chat's id. A job running at this moment keeps running this once.
        """
        stamp = to_db(now)
        changed = 0
        async with self._db.transaction() as tx:
            for chat in chats:
                count = await tx.execute(
                    f"{_SCRUB}, platform = NULL, chat_id = NULL WHERE platform = ? AND chat_id = ?",
                    (stamp, chat.platform, chat.chat_id),
                )
                changed += count
            count = await tx.execute(
                f"{_SCRUB} WHERE created_by = ?"
                f" OR (platform = ? AND {self._db.dialect.json_text('payload', 'by_id')} = ?)",
                (stamp, f"{platform}:{user_id}", platform, user_id),
            )
            return changed + count
