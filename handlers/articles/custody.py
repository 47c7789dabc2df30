"""What the core needs to know to authorize actions on articles.

An article is the asking chat's to read and to choose when that chat may see it: the shipped
article and the operator's everywhere, an added one in the chat it was added in. Its home is the
chat it was added in, so only that chat's moderators may remove it; the shipped article and the
operator's have no chat for a home. Nobody manages an article as its creator.
"""

from __future__ import annotations

from bot import messages
from bot.authority import Access, Placement
from bot.i18n import Locale, Localized
from bot.identity import ChatRef, MessageRef
from bot.suggestions import Suggestion, matches
from domain.articles import ARTICLE
from handlers.articles.library import NOT_ADDED_HERE, UNKNOWN_ARTICLE, ArticleLibrary
from storage.articles import OPERATOR_PLATFORM

_NO_CHAT = ChatRef(OPERATOR_PLATFORM, "operator")
"""The home of the shipped article and the operator's: no chat's moderators moderate it."""


class ArticleCustody:
    """The custodian of articles."""

    kind = ARTICLE
    missing = UNKNOWN_ARTICLE

    def __init__(self, library: ArticleLibrary) -> None:
        self._library = library

    def forbidden(self, access: Access) -> Localized:
        """Choosing a chat's article is for its moderators; removing one, for its home's."""
        return NOT_ADDED_HERE if access is Access.MODERATE else messages.MODERATORS_ONLY_BUTTON

    async def place(self, object_id: int | str, chat: ChatRef) -> Placement | None:
        """The article, when `chat` may see it (it is then that chat's to use)."""
        article = await self._library.find(str(object_id), chat)
        if article is None:
            return None
        return Placement(home=article.home or _NO_CHAT, creator=None, shown_here=True)

    async def shows_on(self, object_id: int | str, message: MessageRef) -> bool:
        """Never: article views are not tracked messages, so no guard asks."""
        return False

    async def suggest(
        self, chat: ChatRef, typed: str, locale: Locale, limit: int
    ) -> list[Suggestion]:
        """The articles `chat` may see (as `/article list` shows them) whose id or title fits."""
        found = [
            Suggestion(article.ref, f"{article.ref} · {article.title(locale)}")
            for article in await self._library.listing(chat)
            if matches(typed, article.ref, article.title(locale))
        ]
        return found[:limit]
