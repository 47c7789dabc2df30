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
    home: ChatRef
    """The chat it was added in (the operator's pseudo-chat for `parley article add`)."""


@dataclass(frozen=True, slots=True)
class SummaryEdit:
    """One version of a moderator's edited summary of an article edition (`language`).

    `version` counts the versions of that edition in that chat from 1; `withdrawn_at` is when
    `/summary edit --reset` took it back; `restored_from` is the id of the version whose words
    it repeats.
    """

    id: int
    version: int
    language: str
    text: str
    author_name: str
    created_at: datetime
    withdrawn_at: datetime | None = None
    restored_from: int | None = None
    restores: int | None = None
    """The version number of `restored_from`."""


@dataclass(frozen=True, slots=True)
class CacheKey:
    """What a cached summary depends on."""

    content_hash: str
    length: str
    language: str
    algorithm: str


_ARTICLE_COLUMNS = (
    "id, title, language, body, content_hash, source_kind, source_url, added_by_name, added_at,"
    " added_platform, added_chat_id"
)
OPERATOR_PLATFORM = "cli"
_COUNT_ADDED_IN = "SELECT count(*) FROM articles WHERE added_platform = ? AND added_chat_id = ?"
_EDIT_COLUMNS = "id, language, text, author_name, created_at, restored_from, withdrawn_at"
_EDITS_OF = "platform = ? AND chat_id = ? AND article_ref = ? AND language = ?"
_SAME_EDITION = (
    "FROM summary_edits o WHERE o.platform = e.platform AND o.chat_id = e.chat_id"
    " AND o.article_ref = e.article_ref AND o.language = e.language"
)
# A version's number: how many versions of its chat's edition are not newer than it; and the
# number of the version it restored.
_SELECT_EDITS = (
    f"SELECT {_EDIT_COLUMNS}, (SELECT count(*) {_SAME_EDITION} AND o.id <= e.id),"
    f" (SELECT count(*) {_SAME_EDITION} AND o.id <= e.restored_from) FROM summary_edits e"
)
# An article is seen in the chat it was added in; the operator's (command line) ones everywhere.
_VISIBLE_IN_CHAT = (
    f"((added_platform = ? AND added_chat_id = ?) OR added_platform = '{OPERATOR_PLATFORM}')"
)


class DuplicateArticleError(Exception):
    """The chat already sees an article with the same text or address; nothing was stored."""

    def __init__(self, existing: StoredArticle) -> None:
        super().__init__(f"duplicate of article {existing.id}")
        self.existing = existing


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
        `DuplicateArticleError` is raised, with nothing stored, when the chat already sees an
        article with the same text or from the same address.
        """
        async with self._db.transaction() as tx:
            existing = await _duplicate(tx, chat, article.content_hash, article.source_url)
            if existing is not None:
                raise DuplicateArticleError(existing)
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

    async def duplicate(self, chat: ChatRef, source_url: str) -> StoredArticle | None:
        """The oldest article `chat` may see imported from `source_url`, else None."""
        return await _duplicate(self._db, chat, None, source_url)

    async def remove(self, article_id: int, chat: ChatRef) -> bool:
        """Delete the article added in `chat`, with its summaries, edits and choosers."""
        async with self._db.transaction() as tx:
            changed = await _delete_articles(
                tx,
                "id = ? AND added_platform = ? AND added_chat_id = ?",
                (article_id, chat.platform, chat.chat_id),
            )
        return changed > 0

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
        self,
        chat: ChatRef,
        article_ref: str,
        language: str,
        text: str,
        by: Actor,
        at: datetime,
        *,
        restored_from: int | None = None,
    ) -> int:
        """Store a new version of the chat's edited summary of an article edition."""
        new_id = await self._db.insert(
            "INSERT INTO summary_edits (platform, chat_id, article_ref, language, text,"
            " author_platform, author_id, author_name, created_at, restored_from)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
                restored_from,
            ),
        )
        return new_id

    async def withdraw_edits(
        self, chat: ChatRef, article_ref: str, languages: Iterable[str], at: datetime
    ) -> list[str]:
        """Withdraw the chat's live edits of the article in `languages`; returns those it had."""
        withdrawn = []
        async with self._db.transaction() as tx:
            for language in languages:
                changed = await tx.execute(
                    "UPDATE summary_edits SET withdrawn_at = ?"
                    f" WHERE {_EDITS_OF} AND withdrawn_at IS NULL",
                    (to_db(at), chat.platform, chat.chat_id, article_ref, language),
                )
                if changed:
                    withdrawn.append(language)
        return withdrawn

    async def edit_history(
        self, chat: ChatRef, article_ref: str, language: str, limit: int
    ) -> tuple[list[SummaryEdit], int]:
        """The newest `limit` versions of the chat's edited summary of an edition, and a count.

        The versions come oldest first; the count is of all the edition's versions.
        """
        where = (chat.platform, chat.chat_id, article_ref, language)
        rows = await self._db.fetch_all(
            f"{_SELECT_EDITS} WHERE {_EDITS_OF} ORDER BY id DESC LIMIT ?", (*where, limit)
        )
        total = await self._db.fetch_one(
            f"SELECT count(*) FROM summary_edits WHERE {_EDITS_OF}", where
        )
        return [_edit(row) for row in reversed(rows)], int(total[0]) if total else 0

    async def find_edit(self, chat: ChatRef, article_ref: str, edit_id: int) -> SummaryEdit | None:
        """The version with this id when it is the chat's edit of the article, else None."""
        row = await self._db.fetch_one(
            f"{_SELECT_EDITS} WHERE id = ? AND platform = ? AND chat_id = ? AND article_ref = ?",
            (edit_id, chat.platform, chat.chat_id, article_ref),
        )
        return _edit(row) if row else None

    async def latest_edit(
        self, chat: ChatRef, article_ref: str, language: str
    ) -> SummaryEdit | None:
        """The live (newest, not withdrawn) version of the edited summary, else None (one read)."""
        row = await self._db.fetch_one(
            f"{_SELECT_EDITS} WHERE {_EDITS_OF} ORDER BY id DESC LIMIT 1",
            (chat.platform, chat.chat_id, article_ref, language),
        )
        if row is None or row[6] is not None:
            return None
        return _edit(row)

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
                (
                    "DELETE FROM summary_edits WHERE restored_from IN (SELECT id FROM"
                    " summary_edits WHERE author_platform = ? AND author_id = ?)",
                    person,
                ),
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


async def _duplicate(
    reads: Database | Transaction, chat: ChatRef, content_hash: str | None, source_url: str | None
) -> StoredArticle | None:
    """The oldest article `chat` may see with this text or from this address, else None."""
    row = await reads.fetch_one(
        f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {_VISIBLE_IN_CHAT}"
        " AND (content_hash = ? OR source_url = ?) ORDER BY id LIMIT 1",
        (chat.platform, chat.chat_id, content_hash, source_url),
    )
    return _article(row) if row else None


async def _delete_articles(tx: Transaction, where: str, params: tuple[str | int, ...]) -> int:
    """Delete the articles matching `where`, with their summaries, edits and choosers."""
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
            (
                "DELETE FROM written_summaries WHERE content_hash = ?"
                " AND NOT EXISTS (SELECT 1 FROM articles WHERE content_hash = ?)",
                (content_hash, content_hash),
            ),
        ):
            changed += await tx.execute(sql, values)
    return changed


def _edit(row: Row) -> SummaryEdit:
    return SummaryEdit(
        id=int(row[0]),
        version=int(row[7]),
        language=str(row[1]),
        text=str(row[2]),
        author_name=str(row[3]),
        created_at=from_db(row[4]),
        restored_from=int(row[5]) if row[5] is not None else None,
        withdrawn_at=from_db(row[6]) if row[6] is not None else None,
        restores=int(row[8]) or None,
    )


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
        home=ChatRef(str(row[9]), str(row[10])),
    )
