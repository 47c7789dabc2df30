"""Chat moves: every row keyed by a chat's old id moves to its new id, in one transaction.

A platform may give a chat a new id (Telegram upgrades a group to a supergroup by itself). The
move is recorded in `chat_moves` first, then each table naming the chat follows; the audit log's
trigger allows exactly that update. Moving again changes nothing, so both of Telegram's notices
and a retry after a refused send are harmless; rows written under the old id in between follow.

Where the new chat already has its own row of a one-per-chat table (its settings, made after
the move), that row is kept and the old one dropped. A poll's messages in the old chat are
forgotten, not moved: they stay behind in the old chat, where nobody can edit them, and the new
chat numbers its messages afresh (an old number there would name another message).
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.identity import ChatMoved
from storage.database import Database, Transaction
from storage.generations import Topic
from storage.timestamps import to_db

ONE_PER_CHAT = {
    "chat_settings": ("chat_id", ""),
    "chat_disabled_features": ("chat_id", " AND kept.feature = moved.feature"),
    "chat_articles": ("chat_id", ""),
    "ground_chats": ("chat_id", ""),
    "ground_statements": (
        "chat_id",
        " AND kept.source = moved.source AND kept.source_ref = moved.source_ref",
    ),
    "modlog_channels": ("community", ""),
    "llm_usage": ("chat_id", " AND kept.day = moved.day"),
}
"""Tables with one row per chat (and key): table → (chat column, the rest of the key). The new
chat's own row wins. A mod-log's community is, on Telegram, the group itself."""

FOLLOWING = (
    ("audit_log", "platform", "chat_id"),
    ("jobs", "platform", "chat_id"),
    ("posts", "platform", "chat_id"),
    ("arguments", "platform", "chat_id"),
    ("articles", "added_platform", "added_chat_id"),
    ("summary_edits", "platform", "chat_id"),
    ("polls", "platform", "chat_id"),
    ("modlog_channels", "platform", "channel_id"),
)
"""Tables whose rows simply take the new id: (table, platform column, chat column)."""

LEFT_BEHIND = ("poll_messages",)
"""Rows naming messages in the old chat: deleted (see the module docstring)."""

MOVED_TABLES = frozenset(
    [*ONE_PER_CHAT, *(table for table, _, _ in FOLLOWING), *LEFT_BEHIND, "poll_chats"]
)
"""Every table naming a chat; a test keeps it complete."""

_POLL_CHATS = (
    "UPDATE poll_chats SET chat_id = ? WHERE platform = ? AND chat_id = ? AND NOT EXISTS"
    " (SELECT 1 FROM poll_chats AS kept WHERE kept.poll_id = poll_chats.poll_id"
    " AND kept.platform = poll_chats.platform AND kept.chat_id = ?)"
)
"""A poll shown in both chats keeps both numbers (ballots count per number)."""


class ChatMoveRepository:
    """Moves a chat's rows to its new id."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def move(self, moved: ChatMoved, now: datetime) -> int:
        """Move every row of `moved.old` to `moved.new`; the rows changed (0: moved before)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO chat_moves (platform, old_chat_id, new_chat_id, moved_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (platform, old_chat_id) DO NOTHING",
                (moved.platform, moved.old_chat_id, moved.new_chat_id, to_db(now)),
            )
            changed = await self._one_per_chat(tx, moved)
            for table, platform, chat in FOLLOWING:
                changed += await tx.execute(
                    f"UPDATE {table} SET {chat} = ? WHERE {platform} = ? AND {chat} = ?",
                    (moved.new_chat_id, moved.platform, moved.old_chat_id),
                )
            changed += await tx.execute(
                _POLL_CHATS,
                (moved.new_chat_id, moved.platform, moved.old_chat_id, moved.new_chat_id),
            )
            for table in LEFT_BEHIND:
                changed += await tx.execute(
                    f"DELETE FROM {table} WHERE platform = ? AND chat_id = ?",
                    (moved.platform, moved.old_chat_id),
                )
            changed += await self._retarget_jobs(tx, moved)
        if changed:
            self._db.generations.touch(Topic.POLLS, Topic.CHAT_SETTINGS)
        return changed

    async def _one_per_chat(self, tx: Transaction, moved: ChatMoved) -> int:
        changed = 0
        for table, (chat, same_key) in ONE_PER_CHAT.items():
            changed += await tx.execute(
                f"UPDATE {table} AS moved SET {chat} = ? WHERE platform = ? AND {chat} = ?"
                f" AND NOT EXISTS (SELECT 1 FROM {table} AS kept WHERE"
                f" kept.platform = moved.platform AND kept.{chat} = ?{same_key})",
                (moved.new_chat_id, moved.platform, moved.old_chat_id, moved.new_chat_id),
            )
            changed += await tx.execute(
                f"DELETE FROM {table} WHERE platform = ? AND {chat} = ?",
                (moved.platform, moved.old_chat_id),
            )
        return changed

    async def _retarget_jobs(self, tx: Transaction, moved: ChatMoved) -> int:
        """Jobs that post into the old chat (`target_chat` in their payload) post into the new."""
        dialect = self._db.dialect
        rows = await tx.fetch_all(
            f"SELECT id, payload FROM jobs WHERE status IN ('pending', 'running')"
            f" AND {dialect.json_text('payload', 'target_platform')} = ?"
            f" AND {dialect.json_text('payload', 'target_chat')} = ?",
            (moved.platform, moved.old_chat_id),
        )
        for job_id, payload in rows:
            retargeted = {**json.loads(payload), "target_chat": moved.new_chat_id}
            text = json.dumps(retargeted, ensure_ascii=False, sort_keys=True)
            await tx.execute("UPDATE jobs SET payload = ? WHERE id = ?", (text, job_id))
        return len(rows)
