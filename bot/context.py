"""What a handler works with: who, where, in which language, the chat's settings, ways to answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.clock import Clock
from bot.i18n import Locale, Localized, parse_locale
from bot.identity import Actor, ChatRef, MessageRef, ModeratorCheck
from bot.invocation import Invocation
from bot.reply import Reply

if TYPE_CHECKING:
    from storage.chat_settings import ChatSettings


class Responder(Protocol):
    """How an adapter answers one invocation."""

    async def reply(self, reply: Reply) -> MessageRef | None:
        """Answer the invocation; returns the posted message (None for private answers)."""
        ...

    async def update_source(self, reply: Reply) -> None:
        """Replace the message whose button was pressed."""
        ...

    async def signal_progress(self) -> None:
        """Tell the user a slow answer is coming (Discord deferral, Telegram typing)."""
        ...


class Gateway(Protocol):
    """How the core posts to one platform outside any invocation (schedules, other chats)."""

    platform: str
    knows_members: bool
    """Whether the platform lets a bot know who is in a chat (Discord's servers: yes;
    Telegram: no, a bot sees only those who write or press)."""

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        """Post `reply` in `chat`."""
        ...

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        """Replace a message the bot posted (`MessageGoneError` when it no longer exists)."""
        ...

    def parse_target(self, text: str) -> ChatRef | None:
        """Read a chat reference a user typed (`<#123>`, `@channel`, `-100…`); None if not one."""
        ...

    async def check_can_post(self, chat: ChatRef, actor: Actor) -> Localized | None:
        """Why the bot (or `actor`) cannot post in `chat`, or None when it can."""
        ...

    async def pin(self, message: MessageRef) -> None:
        """Pin a message the bot posted."""
        ...

    async def send_private(self, person: Actor, reply: Reply, near: ChatRef) -> bool:
        """Send `reply` to `person` alone (a direct message; the console marks it in `near`).

        False when the platform will not let the bot write to them (a Telegram user who never
        started a chat with the bot, a Discord member who refuses direct messages).
        """
        ...


@runtime_checkable
class CommunityFinder(Protocol):
    """A gateway that knows the larger place a chat belongs to (Discord: its server)."""

    async def community_of(self, chat: ChatRef) -> str | None:
        """The community of `chat`, or None when it cannot be seen."""
        ...


class MessageGoneError(LookupError):
    """The message to edit is gone for good (deleted, its channel gone or hidden): stop editing."""


class UnknownPlatformError(LookupError):
    """No adapter serves the platform a message is addressed to."""


class Outbox:
    """The gateways of the running adapters, by platform."""

    def __init__(self) -> None:
        self._gateways: dict[str, Gateway] = {}

    def register(self, gateway: Gateway) -> None:
        """Make `gateway` the way to reach its platform."""
        self._gateways[gateway.platform] = gateway

    def gateway(self, platform: str) -> Gateway:
        """The gateway for `platform`."""
        try:
            return self._gateways[platform]
        except KeyError:
            raise UnknownPlatformError(platform) from None

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        """Post `reply` in `chat` on its platform."""
        return await self.gateway(chat.platform).send(chat, reply)

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        """Replace a message the bot posted."""
        await self.gateway(message.chat.platform).edit(message, reply)


def chat_locale(settings: ChatSettings, actor: Actor, default: Locale) -> Locale:
    """The language to answer `actor` in: the chat's, else the person's client's, else `default`."""
    return settings.language or parse_locale(actor.locale_tag) or default


def moderator_check(settings: ChatSettings, actor: Actor) -> ModeratorCheck:
    """Whether `actor` moderates the chat: the platform's word, or the chat's moderator role."""
    role = settings.moderator_role_id
    known = actor.is_moderator or (role is not None and role in actor.role_ids)
    return ModeratorCheck(known, actor.moderator_lookup)


@dataclass(slots=True)
class Context:
    """Everything a handler needs for one invocation."""

    invocation: Invocation
    locale: Locale
    settings: ChatSettings
    """The invoking chat's settings, as the router loaded them (another chat's: read its own)."""
    responder: Responder
    clock: Clock
    moderator: ModeratorCheck

    @property
    def actor(self) -> Actor:
        """Who invoked."""
        return self.invocation.actor

    @property
    def chat(self) -> ChatRef:
        """Where."""
        return self.invocation.chat

    async def moderates(self) -> bool:
        """Whether the invoker moderates this chat (may ask the platform, once)."""
        return await self.moderator()

    async def signal_progress(self) -> None:
        """Say a slow answer is coming (Discord defers, Telegram types, the console prints …).

        For work that is slow only sometimes (a summary not yet cached); a command that is
        always slow declares `slow=True` and the router signals before it runs.
        """
        await self.responder.signal_progress()

    def t(self, text: Localized, **values: object) -> str:
        """Render `text` in this invocation's language."""
        return text.render(self.locale, **values)

    async def reply(self, reply: Reply) -> MessageRef | None:
        """Answer in the invocation's chat (or privately when `reply.private`)."""
        return await self.responder.reply(reply)

    async def update_source(self, reply: Reply) -> None:
        """Replace the message whose button was pressed; answer anew for commands."""
        if self.invocation.source is None:
            await self.responder.reply(reply)
        else:
            await self.responder.update_source(reply)
