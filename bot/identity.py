"""Who and where: people, chats and posted messages, identified across platforms."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
class MessageRef:
    """A message the bot posted: `(platform, chat_id, message_id)`."""

    chat: ChatRef
    message_id: str


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind an invocation, as the platform reports them."""

    platform: str
    user_id: str
    display_name: str
    is_moderator: bool = False
    locale_tag: str | None = None
    role_ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def key(self) -> str:
        """A stable text key: `platform:user_id`."""
        return f"{self.platform}:{self.user_id}"
