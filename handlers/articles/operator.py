"""`parley article add FILE|URL`: operators add articles from the command line."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.errors import UserError
from bot.i18n import Localized
from bot.identity import Actor, ChatRef
from bot.invocation import InboundFile
from bot.services import Services
from domain.articles import LibraryArticle
from handlers.articles.fetch import PageFetcher
from handlers.articles.intake import looks_like_url, text_of_file
from handlers.articles.library import ArticleLibrary
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from storage.articles import OPERATOR_PLATFORM

_OPERATOR_CHAT = ChatRef(OPERATOR_PLATFORM, "operator")
_CANNOT_READ = Localized("Cannot read {path}: {reason}.", "无法读取 {path}：{reason}。")


async def add_article_from_command_line(services: Services, source: str) -> int:
    """Add the article at `source` (a path or a URL); print the outcome; returns an exit code."""
    operator = Actor(
        OPERATOR_PLATFORM, "operator", services.settings.operator_name, is_moderator=True
    )
    try:
        article = await _add(services, source, operator)
    except UserError as error:
        print(f"parley: {error.render(services.settings.locale)}", file=sys.stderr)
        return 1
    edition = article.editions[0]
    print(
        f"Added article {article.ref}: {edition.title} ({edition.language}, "
        f"{len(edition.text)} characters). In a chat: /article use {article.ref}"
    )
    return 0


async def _add(services: Services, source: str, operator: Actor) -> LibraryArticle:
    fetcher = PageFetcher(allow_loopback=services.settings.allow_private_urls)
    library = ArticleLibrary(services.storage.articles, load_topic(DEFAULT_TOPIC), fetcher=fetcher)
    now = services.clock.now()
    if looks_like_url(source):
        return await library.add_from_web(source, chat=_OPERATOR_CHAT, by=operator, at=now)
    path = Path(source)
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        raise UserError(_CANNOT_READ, path=source, reason=error.strerror or "error") from None
    text = text_of_file(InboundFile(path.name, data, "text/plain"))
    return await library.add(text, source_kind="file", chat=_OPERATOR_CHAT, by=operator, at=now)
