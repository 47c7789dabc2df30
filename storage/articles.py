"""Articles moderators add, each chat's current article, cached and edited summaries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.identity import Actor, ChatRef
from storage.database import Database, Row, Transaction
from storage.quota import Quota
from storage.timestamps import from_db, to_db

SourceKind = Literal["text", "file", "url"]
FORGOTTEN_NAME = "(forgotten)"


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article about to be stored."""

    title: str
    language: str
    body: str
    content_hash: str
    source_kind: SourceKind
    source_url: str | None = None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article a moderator added, with who added it and when."""

    id: int
    title: str
    language: str
    body: str
    content_hash: str
    source_kind: SourceKind
    source_url: str | None
    added_by_name: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class SummaryEdit:
    """One version of a moderator's edited summary."""

    id: int
    version: int
    text: str
    author_name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CacheKey:
    """What a cached summary depends on."""

    content_hash: str
    length: str
    language: str
    algorithm: str


_ARTICLE_COLUMNS = (
    "id, title, language, body, content_hash, source_kind, source_url, added_by_name, added_at"
)
OPERATOR_PLATFORM = "cli"
_COUNT_ADDED_IN = "SELECT count(*) FROM articles WHERE added_platform = ? AND added_chat_id = ?"
# An article is seen in the chat it was added in; the operator's (command line) ones everywhere.
_VISIBLE_IN_CHAT = (
    f"((added_platform = ? AND added_chat_id = ?) OR added_platform = '{OPERATOR_PLATFORM}')"
)


class ArticleRepository:
    """Reads and writes `articles`, `chat_articles`, `summary_cache` and `summary_edits`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def added_in(self, chat: ChatRef) -> int:
        """How many articles were added in `chat`."""
        row = await self._db.fetch_one(_COUNT_ADDED_IN, (chat.platform, chat.chat_id))
        return int(row[0]) if row else 0

    async def add(
        self,
        article: NewArticle,
        chat: ChatRef,
        by: Actor,
        at: datetime,
        *,
        quota: Quota | None = None,
    ) -> int:
        """Store an article; returns its id.

        With a `quota`, the chat's articles are counted in the same transaction, and
        `QuotaReachedError` is raised, with nothing stored, when the chat has no room.
        """
        async with self._db.transaction() as tx:
            if quota is not None:
                row = await tx.fetch_one(_COUNT_ADDED_IN, (chat.platform, chat.chat_id))
                quota.check(chat=int(row[0]) if row else 0)
            new_id = await tx.insert(
                "INSERT INTO articles (title, language, body, content_hash, source_kind,"
                " source_url, added_platform, added_chat_id, added_by_id, added_by_name, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    article.title,
                    article.language,
                    article.body,
                    article.content_hash,
                    article.source_kind,
                    article.source_url,
                    chat.platform,
                    chat.chat_id,
                    by.user_id,
                    by.display_name,
                    to_db(at),
                ),
            )
            return new_id

    async def get(self, article_id: int, chat: ChatRef) -> StoredArticle | None:
        """The article with this id if `chat` may see it, else None."""
        row = await self._db.fetch_one(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ? AND {_VISIBLE_IN_CHAT}",
            (article_id, chat.platform, chat.chat_id),
        )
        return _article(row) if row else None

    async def newest(self, chat: ChatRef, limit: int) -> list[StoredArticle]:
        """The `limit` most recently added articles `chat` may see, newest first."""
        rows = await self._db.fetch_all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {_VISIBLE_IN_CHAT}"
            " ORDER BY id DESC LIMIT ?",
            (chat.platform, chat.chat_id, limit),
        )
        return [_article(row) for row in rows]

    async def set_current(self, chat: ChatRef, article_ref: str, by: Actor, at: datetime) -> None:
        """Make `article_ref` the chat's current article."""
        await self._db.execute(
            "INSERT INTO chat_articles (platform, chat_id, article_ref, set_by_id, set_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, chat_id) DO UPDATE SET"
            " article_ref = excluded.article_ref, set_by_id = excluded.set_by_id,"
            " set_at = excluded.set_at",
            (chat.platform, chat.chat_id, article_ref, by.user_id, to_db(at)),
        )

    async def current(self, chat: ChatRef) -> str | None:
        """The chat's current article reference, or None for the default."""
        row = await self._db.fetch_one(
            "SELECT article_ref FROM chat_articles WHERE platform = ? AND chat_id = ?",
            (chat.platform, chat.chat_id),
        )
        return str(row[0]) if row else None

    async def cached_summary(self, key: CacheKey) -> str | None:
        """The encoded summary stored under `key`, or None."""
        row = await self._db.fetch_one(
            "SELECT summary_json FROM summary_cache"
            " WHERE content_hash = ? AND length = ? AND language = ? AND algorithm = ?",
            (key.content_hash, key.length, key.language, key.algorithm),
        )
        return str(row[0]) if row else None

    async def cache_summary(self, key: CacheKey, encoded: str, at: datetime) -> None:
        """Store an encoded summary under `key` (replacing any older one)."""
        await self._db.execute(
            "INSERT INTO summary_cache"
            " (content_hash, length, language, algorithm, summary_json, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (content_hash, length, language, algorithm)"
            " DO UPDATE SET summary_json = excluded.summary_json, created_at = excluded.created_at",
            (key.content_hash, key.length, key.language, key.algorithm, encoded, to_db(at)),
        )

    async def add_edit(
        self, chat: ChatRef, article_ref: str, language: str, text: str, by: Actor, at: datetime
    ) -> int:
        """Store a new version of the chat's edited summary of an article edition."""
        new_id = await self._db.insert(
            "INSERT INTO summary_edits (platform, chat_id, article_ref, language, text,"
            " author_platform, author_id, author_name, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                chat.platform,
                chat.chat_id,
                article_ref,
                language,
                text,
                by.platform,
                by.user_id,
                by.display_name,
                to_db(at),
            ),
        )
        return new_id

    async def edit_history(
        self, chat: ChatRef, article_ref: str, language: str
    ) -> list[SummaryEdit]:
        """Every version of the edited summary, oldest first (version 1 is the first)."""
        rows = await self._db.fetch_all(
            "SELECT id, text, author_name, created_at FROM summary_edits"
            " WHERE platform = ? AND chat_id = ? AND article_ref = ? AND language = ?"
            " ORDER BY id",
            (chat.platform, chat.chat_id, article_ref, language),
        )
        return [
            SummaryEdit(int(row[0]), version, str(row[1]), str(row[2]), from_db(row[3]))
            for version, row in enumerate(rows, start=1)
        ]

    async def latest_edit(
        self, chat: ChatRef, article_ref: str, language: str
    ) -> SummaryEdit | None:
        """The newest version of the edited summary, or None when there is none (one row read)."""
        row = await self._db.fetch_one(
            "SELECT id, text, author_name, created_at, (SELECT count(*) FROM summary_edits o"
            " WHERE o.platform = e.platform AND o.chat_id = e.chat_id"
            " AND o.article_ref = e.article_ref AND o.language = e.language AND o.id <= e.id)"
            " FROM summary_edits e"
            " WHERE platform = ? AND chat_id = ? AND article_ref = ? AND language = ?"
            " ORDER BY id DESC LIMIT 1",
            (chat.platform, chat.chat_id, article_ref, language),
        )
        if row is None:
            return None
        return SummaryEdit(int(row[0]), int(row[4]), str(row[1]), str(row[2]), from_db(row[3]))

    async def forget_author(self, platform: str, user_id: str) -> int:
        """Remove what a person wrote here and their name on the rest; returns rows changed.

        Their edited summaries are deleted, and so are the articles they added as text or a
        file (the words are theirs), with everything derived from those: cached summaries,
        other people's edits of them, and chats' choice of them. An article they added from a
        web address stays, without their name; a chat they chose an article for keeps it.
        """
        person = (platform, user_id)
        async with self._db.transaction() as tx:
            changed = await _delete_articles(
                tx,
                "added_platform = ? AND added_by_id = ? AND source_kind != 'url'",
                person,
            )
            for sql, params in (
                ("DELETE FROM summary_edits WHERE author_platform = ? AND author_id = ?", person),
                (
                    "UPDATE articles SET added_by_name = ?, added_by_id = '-'"
                    " WHERE added_platform = ? AND added_by_id = ?",
                    (FORGOTTEN_NAME, *person),
                ),
                (
                    "UPDATE chat_articles SET set_by_id = '-' WHERE platform = ? AND set_by_id = ?",
                    person,
                ),
            ):
                changed += await tx.execute(sql, params)
            return changed

    async def forget_chats(self, chats: Iterable[ChatRef]) -> int:
        """Delete what is kept for the given (private) chats; returns rows changed.

        The articles added there (only that chat sees them), its current article and its
        edited summaries.
        """
        chats = tuple(chats)
        changed = 0
        async with self._db.transaction() as tx:
            for chat in chats:
                place = (chat.platform, chat.chat_id)
                changed += await _delete_articles(
                    tx, "added_platform = ? AND added_chat_id = ?", place
                )
            return changed + await tx.for_each_chat(
                (
                    "DELETE FROM chat_articles WHERE platform = ? AND chat_id = ?",
                    "DELETE FROM summary_edits WHERE platform = ? AND chat_id = ?",
                ),
                chats,
            )


async def _delete_articles(tx: Transaction, where: str, params: tuple[str, ...]) -> int:
    """Delete the articles matching `where`, with their cached summaries, edits and choosers."""
    rows = await tx.fetch_all(f"SELECT id, content_hash FROM articles WHERE {where}", params)
    changed = 0
    for article_id, content_hash in rows:
        ref = (str(article_id),)
        for sql, values in (
            ("DELETE FROM articles WHERE id = ?", (article_id,)),
            ("DELETE FROM summary_edits WHERE article_ref = ?", ref),
            ("DELETE FROM chat_articles WHERE article_ref = ?", ref),
            (
                "DELETE FROM summary_cache WHERE content_hash = ?"
                " AND NOT EXISTS (SELECT 1 FROM articles WHERE content_hash = ?)",
                (content_hash, content_hash),
            ),
        ):
            changed += await tx.execute(sql, values)
    return changed


def _article(row: Row) -> StoredArticle:
    return StoredArticle(
        id=int(row[0]),
        title=str(row[1]),
        language=str(row[2]),
        body=str(row[3]),
        content_hash=str(row[4]),
        source_kind=row[5],
        source_url=row[6],
        added_by_name=str(row[7]),
        added_at=from_db(row[8]),
    )
