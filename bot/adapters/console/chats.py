"""Console chats: which chat the console is in, what kind it is, and who moderates it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.identity import ChatKind, ChatRef

PLATFORM = "console"
DEFAULT_GROUP = "console"
MAX_CHAT_NAME = 32
_PRIVATE_PREFIX = "dm-"


def group_chat_id(text: str) -> str | None:
    """The chat id named by `#name` (lower case); None when `text` names no group chat.

    Names are letters, digits, `-` and `_`, up to 32; names starting with `dm-` are refused
    because those ids belong to private chats.
    """
    name = text.strip()
    if not name.startswith("#"):
        return None
    chat_id = name[1:].lower()
    if not 0 < len(chat_id) <= MAX_CHAT_NAME or not chat_id.replace("-", "_").isidentifier():
        return None
    return None if chat_id.startswith(_PRIVATE_PREFIX) else chat_id


def group_chat(chat_id: str) -> ChatRef:
    """The console group chat `chat_id`."""
    return ChatRef(PLATFORM, chat_id)


def private_chat(user_id: str) -> ChatRef:
    """The private chat between the console user `user_id` and the bot."""
    return ChatRef(PLATFORM, f"{_PRIVATE_PREFIX}{user_id}")


def kind_of(chat: ChatRef) -> ChatKind:
    """Private for `dm-…` chats (group names cannot start so), else group."""
    return ChatKind.PRIVATE if chat.chat_id.startswith(_PRIVATE_PREFIX) else ChatKind.GROUP


def speaker_id(name: str) -> str:
    """The user id of the console speaker `name` (names are case-insensitive)."""
    return name.casefold()


@dataclass(slots=True)
class Moderators:
    """Who moderates which console chat.

    The operator moderates every group chat; `/as NAME mod` adds NAME to the current group only;
    in a private chat its speaker is the moderator (it is their own space).
    """

    operator: str
    _promoted: dict[str, set[str]] = field(default_factory=dict)

    def promote(self, user_id: str, chat: ChatRef) -> None:
        """Make `user_id` a moderator of the group chat `chat`."""
        self._promoted.setdefault(chat.chat_id, set()).add(user_id)

    def moderates(self, user_id: str, chat: ChatRef) -> bool:
        """Whether `user_id` moderates `chat`."""
        if kind_of(chat) is ChatKind.PRIVATE:
            return chat == private_chat(user_id)
        return user_id == speaker_id(self.operator) or user_id in self._promoted.get(
            chat.chat_id, ()
        )
