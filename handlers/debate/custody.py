"""What the core needs to know to authorize actions on community arguments.

An argument lives in the chat it was submitted in and is shown nowhere else; its author is
the only one who may withdraw it, and that chat's moderators decide on it.
"""

from __future__ import annotations

from bot import messages
from bot.authority import Access, Placement
from bot.i18n import Localized
from bot.identity import ChatRef, MessageRef
from handlers.debate import texts
from storage.arguments import ArgumentRepository

ARGUMENT = "argument"


class ArgumentCustody:
    """The custodian of community arguments."""

    kind = ARGUMENT
    missing = texts.NO_SUCH_ARGUMENT

    def __init__(self, arguments: ArgumentRepository) -> None:
        self._arguments = arguments

    def forbidden(self, access: Access) -> Localized:
        """Deciding on an argument is for the moderators of its chat."""
        return messages.MODERATORS_ONLY_BUTTON

    async def place(self, object_id: int | str, chat: ChatRef) -> Placement | None:
        """The argument, when it was submitted in `chat` (it is shown nowhere else)."""
        if not isinstance(object_id, int):
            return None
        argument = await self._arguments.get(chat, object_id)
        if argument is None:
            return None
        author = f"{argument.author_platform}:{argument.author_id}"
        return Placement(home=chat, creator=author, shown_here=True)

    async def shows_on(self, object_id: int | str, message: MessageRef) -> bool:
        """Never: the pages that list arguments are redrawn, not tracked, so no guard asks."""
        return False
