"""The articles a chat can summarize: the shipped topic article and those moderators added.

An article is named by a reference (`domain.articles`): the shipped topic's name
(`distillation`) or the number of an added article (`3`).
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

from bot.errors import UserError
from bot.i18n import Localized, parse_locale
from bot.identity import Actor, ChatRef
from bot.params import ascii_int
from bot.quotas import ADDED_ARTICLES, refusal
from bot.sanitize import clipped
from domain.articles import Edition, LibraryArticle, content_hash
from handlers.articles.fetch import PageFetcher
from handlers.articles.reader import PageReader
from handlers.text.language import detect_language
from handlers.text.markdown import parse_markdown
from handlers.text.sentences import split_sentences
from handlers.topics.loader import Topic
from storage.articles import (
    ArticleRepository,
    DuplicateArticleError,
    NewArticle,
    SourceKind,
    StoredArticle,
)
from storage.quota import Quota, QuotaReachedError

MAX_ARTICLE_CHARS = 300_000
LIST_LIMIT = 20
_TITLE_CHARS = 80

UNKNOWN_ARTICLE = Localized(
    "There is no article “{id}”. /article list shows them all.",
    "没有文章“{id}”。/article list 可以查看全部文章。",
)
EMPTY_TEXT = Localized(
    "The article is empty: give its text, attach a .txt or .md file, or give a web address.",
    "文章内容为空：请提供正文、附上 .txt 或 .md 文件，或给出网址。",
)
TOO_LONG = Localized(
    "The article has {length} characters; the limit is {limit}.",
    "文章有 {length} 个字符，上限为 {limit} 个。",
)
DUPLICATE = Localized(
    "That is already article {ref}: “{title}”. /article use {ref} makes it this chat's article.",
    "这已是文章 {ref}：“{title}”。使用 /article use {ref} 可将它设为本群文章。",
)
NOT_ADDED_HERE = Localized(
    "Only an article added in this chat can be removed here, by its moderators; the article"
    " shipped with Parley and the operator's stay.",
    "只有在本群添加的文章才能由本群管理员删除；Parley 自带的文章和运营者添加的文章不能删除。",
)
NO_SENTENCES = Localized(
    "I found no sentences to summarize in that text.", "在这段文字中没有找到可以总结的句子。"
)


READ_REF = "-"
"""The ref of an article that was read but not stored (see `ArticleLibrary.read`)."""
_LINK = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)


class ArticleLibrary:
    """Finds, lists and adds articles; remembers each chat's current one."""

    def __init__(
        self,
        repository: ArticleRepository,
        topic: Topic,
        reader: PageReader | None = None,
        *,
        fetcher: PageFetcher,
        quota: Quota | None = None,
    ) -> None:
        """`topic` gives the shipped article; `quota` caps a chat's added ones (None: no cap).

        `fetcher` reads the web pages that are added (`add_from_web`) or summarized (`read`).
        """
        self._repository = repository
        self._shipped = _from_topic(topic)
        self._notes = {article.language: article.source for article in topic.articles}
        self._reader = reader or PageReader()
        self._quota = quota
        self._fetcher = fetcher

    async def read(self, source: str) -> LibraryArticle:
        """A text as an article, or the web page it links to; checked like one, never stored.

        For a message someone wants summarized: nothing of it is kept (its ref is `READ_REF`).
        """
        link = _LINK.search(source)
        text, title, url = source, None, None
        if link is not None:
            text, title, url = await self._page(link.group(0))
        kind: SourceKind = "url" if url else "text"
        article = await asyncio.to_thread(prepare_article, text, title, kind, url)
        edition = Edition(article.language, article.title, article.body)
        return LibraryArticle(ref=READ_REF, editions=(edition,), source_note=kind, source_url=url)

    async def get(self, ref: str, chat: ChatRef) -> LibraryArticle:
        """The article named `ref` as `chat` sees it, or a `UserError` when there is none."""
        article = await self.find(ref, chat)
        if article is None:
            raise UserError(UNKNOWN_ARTICLE, id=ref.strip()[:40])
        return article

    async def find(self, ref: str, chat: ChatRef) -> LibraryArticle | None:
        """The article named `ref` as `chat` sees it, or None.

        An added article belongs to the chat it was added in (the operator's to every chat),
        so one community's articles, and who added them, stay out of other chats.
        """
        ref = ref.strip().lstrip("#").lower()
        if ref == self._shipped.ref:
            return self._shipped
        number = ascii_int(ref)
        stored = await self._repository.get(number, chat) if number is not None else None
        return _from_stored(stored) if stored is not None else None

    def note(self, article: LibraryArticle, edition: Edition) -> Localized | None:
        """Where a shipped edition comes from, in both languages; None for an added article."""
        return self._notes.get(edition.language) if article.ref == self._shipped.ref else None

    async def current(self, chat: ChatRef) -> LibraryArticle:
        """The chat's current article (the shipped one unless a moderator chose another)."""
        ref = await self._repository.current(chat)
        if ref is None:
            return self._shipped
        try:
            return await self.get(ref, chat)
        except UserError:
            return self._shipped

    async def set_current(self, chat: ChatRef, ref: str, by: Actor, at: datetime) -> LibraryArticle:
        """Make `ref` the chat's current article; returns it."""
        article = await self.get(ref, chat)
        await self._repository.set_current(chat, article.ref, by, at)
        return article

    async def listing(self, chat: ChatRef) -> list[LibraryArticle]:
        """The shipped article, then the newest added ones `chat` may see."""
        stored = await self._repository.newest(chat, LIST_LIMIT)
        return [self._shipped, *(_from_stored(article) for article in stored)]

    async def add(
        self,
        text: str,
        *,
        source_kind: SourceKind,
        chat: ChatRef,
        by: Actor,
        at: datetime,
        title: str | None = None,
        source_url: str | None = None,
    ) -> LibraryArticle:
        """Check and store a new article (the checks run off the event loop); returns it.

        Refused, with nothing stored, when the chat already has as many articles as the quota
        allows: checked before the work, and again in the transaction that stores it.
        """
        await self._check_room(chat)
        article = await asyncio.to_thread(prepare_article, text, title, source_kind, source_url)
        try:
            article_id = await self._repository.add(article, chat, by, at, quota=self._quota)
        except QuotaReachedError as error:
            raise refusal(error, ADDED_ARTICLES) from None
        except DuplicateArticleError as error:
            raise _duplicate(error.existing) from None
        return await self.get(str(article_id), chat)

    async def remove(self, ref: str, chat: ChatRef) -> LibraryArticle:
        """Delete an article added in `chat` (with its summaries and edits); returns it."""
        article = await self.get(ref, chat)
        number = ascii_int(article.ref)
        if number is None or not await self._repository.remove(number, chat):
            raise UserError(NOT_ADDED_HERE)
        return article

    async def add_from_web(
        self, url: str, *, chat: ChatRef, by: Actor, at: datetime
    ) -> LibraryArticle:
        """Fetch the page at `url`, extract its text in a time-boxed worker, and store it.

        A chat without room for another article, or that already has the page, is refused before
        anything is fetched (and the page's final address and text are checked again).
        """
        await self._check_room(chat)
        existing = await self._repository.duplicate(chat, url.strip())
        if existing is not None:
            raise _duplicate(existing)
        text, title, final_url = await self._page(url)
        return await self.add(
            text, source_kind="url", chat=chat, by=by, at=at, title=title, source_url=final_url
        )

    async def _page(self, url: str) -> tuple[str, str | None, str]:
        """The readable text at `url`, its title and the address it was finally read from."""
        page = await self._fetcher.fetch(url)
        readable = await self._reader.read(page)
        return readable.markdown, readable.title, page.url

    async def _check_room(self, chat: ChatRef) -> None:
        """Refuse early, before fetching or checking, when the chat's quota is already full."""
        if self._quota is None:
            return
        try:
            self._quota.check(chat=await self._repository.added_in(chat))
        except QuotaReachedError as error:
            raise refusal(error, ADDED_ARTICLES) from None


def prepare_article(
    text: str, title: str | None, source_kind: SourceKind, source_url: str | None
) -> NewArticle:
    """Check the text and work out its title, language and hash."""
    body = check_article_text(text)
    return NewArticle(
        title=(title or derive_title(body)).strip()[: _TITLE_CHARS * 2] or "—",
        language=detect_language(body),
        body=body,
        content_hash=content_hash(body),
        source_kind=source_kind,
        source_url=source_url,
    )


def check_article_text(text: str) -> str:
    """The text stripped, or a `UserError` when it is empty, too long or has no sentences."""
    body = text.replace("\r\n", "\n").strip()
    if not body:
        raise UserError(EMPTY_TEXT)
    if len(body) > MAX_ARTICLE_CHARS:
        raise UserError(TOO_LONG, length=len(body), limit=MAX_ARTICLE_CHARS)
    document = parse_markdown(body)
    if not any(
        split_sentences(paragraph.text)
        for section in document.sections
        for paragraph in section.paragraphs
    ):
        raise UserError(NO_SENTENCES)
    return body


def derive_title(text: str) -> str:
    """The Markdown title, else the first sentence, shortened."""
    document = parse_markdown(text)
    if document.title:
        return document.title
    first = next(
        (
            sentence
            for section in document.sections
            for paragraph in section.paragraphs
            for sentence in split_sentences(paragraph.text)
        ),
        text,
    )
    return clipped(first, _TITLE_CHARS)


def _duplicate(existing: StoredArticle) -> UserError:
    return UserError(DUPLICATE, ref=existing.id, title=existing.title)


def _from_stored(article: StoredArticle) -> LibraryArticle:
    return LibraryArticle(
        ref=str(article.id),
        editions=(Edition(article.language, article.title, article.body),),
        source_note=article.source_kind,
        source_url=article.source_url,
        added_by=article.added_by_name,
        added_at=article.added_at,
        home=article.home,
    )


def _from_topic(topic: Topic) -> LibraryArticle:
    """The topic's articles as one article named after the topic, the original edition first."""
    articles = sorted(topic.articles, key=lambda article: article.is_translation)
    return LibraryArticle(
        ref=topic.name,
        editions=tuple(
            Edition(
                article.language,
                article.title.render(parse_locale(article.language) or "en"),
                article.text,
                article.is_translation,
                article.source.render(parse_locale(article.language) or "en"),
            )
            for article in articles
        ),
        source_note=articles[0].source.en,
    )
