"""What the core needs to authorize actions on statements: each belongs to its own chat."""

from __future__ import annotations

from bot.authority import Access, Placement
from bot.i18n import Localized
from bot.identity import ChatRef, MessageRef
from handlers.ground import texts
from storage.ground import GroundRepository

STATEMENT = "ground_statement"


class StatementCustody:
    """The custodian of common-ground statements: shown only in the chat they were made in."""

    kind = STATEMENT
    missing = texts.NO_SUCH_STATEMENT

    def __init__(self, statements: GroundRepository) -> None:
        self._statements = statements

    def forbidden(self, access: Access) -> Localized:
        """Deciding on a proposal is for the chat's moderators."""
        return texts.NOT_YOURS

    async def place(self, object_id: int | str, chat: ChatRef) -> Placement | None:
        """The statement's chat and author; it is shown in its own chat only."""
        if not isinstance(object_id, int):
            return None
        statement = await self._statements.get(object_id)
        if statement is None:
            return None
        creator = ":".join(statement.author) if statement.author else None
        shown = chat.key == statement.chat.key
        return Placement(home=statement.chat, creator=creator, shown_here=shown)

    async def shows_on(self, object_id: int | str, message: MessageRef) -> bool:
        """Votes come from private cards, not from a posted message: no message check."""
        return False
