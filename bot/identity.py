"""Who and where: people, chats and posted messages, identified across platforms."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

ModeratorLookup = Callable[[], Awaitable[bool]]
"""Asks the platform whether a person moderates the chat they invoke in (network I/O)."""


class ChatKind(StrEnum):
    """What kind of place a chat is; some replies behave differently in private chats."""

    PRIVATE = "private"
    GROUP = "group"
    CHANNEL = "channel"


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A place: `(platform, chat_id[, thread_id])`."""

    platform: str
    chat_id: str
    thread_id: str | None = None

    @property
    def key(self) -> str:
        """A stable text key for storage and logs."""
        return f"{self.platform}:{self.chat_id}"


@dataclass(frozen=True, slots=True)
class ChatMoved:
    """A chat took a new id on its platform (a Telegram group became a supergroup)."""

    platform: str
    old_chat_id: str
    new_chat_id: str

    @property
    def old(self) -> ChatRef:
        """The chat as it was known."""
        return ChatRef(self.platform, self.old_chat_id)

    @property
    def new(self) -> ChatRef:
        """The chat as it is now."""
        return ChatRef(self.platform, self.new_chat_id)


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A message the bot posted: `(platform, chat_id, message_id)`."""

    chat: ChatRef
    message_id: str


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind an invocation, as the platform reports them.

    `is_moderator` is what the event itself says (Discord's permissions, a private chat, an
    anonymous administrator); a platform that must ask (Telegram's administrator list) gives
    `moderator_lookup` instead, which the router calls only when a gate needs the answer.
    """

    platform: str
    user_id: str
    display_name: str
    is_moderator: bool = False
    locale_tag: str | None = None
    role_ids: frozenset[str] = field(default_factory=frozenset)
    moderator_lookup: ModeratorLookup | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """A stable text key: `platform:user_id`."""
        return f"{self.platform}:{self.user_id}"


class ModeratorCheck:
    """Whether the invoker moderates the chat: known for free, or asked of the platform once."""

    def __init__(self, known: bool, lookup: ModeratorLookup | None = None) -> None:
        self._answer: bool | None = True if known else (False if lookup is None else None)
        self._lookup = lookup

    @property
    def settled(self) -> bool | None:
        """The answer when it costs nothing (known, or asked already); None until asked."""
        return self._answer

    async def __call__(self) -> bool:
        """The answer, asking the platform the first time it is needed."""
        if self._answer is None:
            self._answer = await self._lookup() if self._lookup is not None else False
        return self._answer
