"""What the core needs to know to authorize actions on articles.

An article is the asking chat's to read and to choose when that chat may see it: the shipped
article and the operator's everywhere, an added one in the chat it was added in. Nobody
manages an article as its creator.
"""

from __future__ import annotations

from bot import messages
from bot.authority import Access, Placement
from bot.i18n import Localized
from bot.identity import ChatRef, MessageRef
from domain.articles import ARTICLE
from handlers.articles.library import UNKNOWN_ARTICLE, ArticleLibrary


class ArticleCustody:
    """The custodian of articles."""

    kind = ARTICLE
    missing = UNKNOWN_ARTICLE

    def __init__(self, library: ArticleLibrary) -> None:
        self._library = library

    def forbidden(self, access: Access) -> Localized:
        """Choosing a chat's article is for that chat's moderators."""
        return messages.MODERATORS_ONLY_BUTTON

    async def place(self, object_id: int | str, chat: ChatRef) -> Placement | None:
        """The article, when `chat` may see it (it is then that chat's to use)."""
        article = await self._library.find(str(object_id), chat)
        return Placement(home=chat, creator=None, shown_here=True) if article else None

    async def shows_on(self, object_id: int | str, message: MessageRef) -> bool:
        """Never: article views are not tracked messages, so no guard asks."""
        return False
