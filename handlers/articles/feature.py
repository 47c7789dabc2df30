"""The articles feature: `/article` and the library of articles a chat can summarize.

The library (the topic's shipped article and those moderators added) is also what the summary
feature reads, as `domain.articles.ArticleShelf`, handed over by the composition root.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.authority import Custodian
from bot.commands import ActionSpec, CommandSpec
from bot.i18n import Localized
from bot.quotas import Quotas
from bot.services import BaseFeature, Services
from handlers.articles.commands import FEATURE, ArticleCommands
from handlers.articles.custody import ArticleCustody
from handlers.articles.fetch import PageFetcher
from handlers.articles.library import ArticleLibrary
from handlers.topics.loader import Topic


class ArticleFeature(BaseFeature):
    """The article library and the commands that list, show, choose and add articles."""

    def __init__(self, services: Services, topic: Topic) -> None:
        """`topic` is the loaded topic whose article ships with Parley."""
        self._repository = services.storage.articles
        self.library = ArticleLibrary(
            self._repository,
            topic,
            fetcher=PageFetcher(allow_loopback=services.settings.allow_private_urls),
            quota=Quotas.from_settings(services.settings).added_articles,
        )
        self._commands = ArticleCommands(self.library)

    def commands(self) -> Iterable[CommandSpec]:
        """/article, /article list|show|use|add."""
        return self._commands.commands()

    def actions(self) -> Iterable[ActionSpec]:
        """The "use in this chat" button."""
        return self._commands.actions()

    def switches(self) -> Iterable[tuple[str, Localized]]:
        """Articles, which /settings feature switches."""
        return ((FEATURE, Localized("articles", "文章")),)

    def custodians(self) -> Iterable[Custodian]:
        """Articles, for the core's authorization (the summary's buttons name them too)."""
        return (ArticleCustody(self.library),)

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Delete the person's text articles and edited summaries; anonymize the rest."""
        return await self._repository.forget_author(platform, user_id)
