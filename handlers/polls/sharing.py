"""Where `/poll share` posts: a chat named the platform's way, or `platform:chat_id`.

The `platform:chat_id` form reaches any connected platform (cross-platform sharing).

The core can check that the sharer moderates the chat they run the command in, and asks the
target platform's gateway whether the bot may post there; it cannot check that the sharer
moderates the target chat when that chat is on another platform.
"""

from __future__ import annotations

import re

from bot.context import Outbox, UnknownPlatformError
from bot.errors import UserError
from bot.identity import ChatRef
from handlers.polls import texts

_QUALIFIED = re.compile(r"^([a-z][a-z0-9_]{0,31}):(\S{1,100})$")


def resolve_target(outbox: Outbox, origin: ChatRef, text: str) -> ChatRef:
    """The chat `text` names, or a `UserError` saying how to name one."""
    text = text.strip()
    qualified = _QUALIFIED.match(text)
    if qualified is not None:
        platform, chat_id = qualified.groups()
        try:
            outbox.gateway(platform)
        except UnknownPlatformError:
            raise UserError(texts.UNKNOWN_PLATFORM, platform=platform) from None
        return ChatRef(platform, chat_id)
    parsed = outbox.gateway(origin.platform).parse_target(text)
    if parsed is None:
        raise UserError(texts.BAD_TARGET, target=text[:60])
    return parsed
