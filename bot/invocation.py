"""An invocation: one command or button press, as an adapter hands it to the router."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.actions import action_name
from bot.errors import UserError
from bot.i18n import Localized
from bot.identity import Actor, ChatKind, ChatRef, MessageRef

UNAVAILABLE = Localized(
    "I could not fetch the attached file “{name}”. Please send it again.",
    "我没能取到附件“{name}”，请重新发送。",
)


@dataclass(frozen=True, slots=True)
class InboundFile:
    """A file the user attached to a command, with its bytes."""

    filename: str
    data: bytes
    media_type: str


class AttachmentUnavailable(Exception):
    """The platform did not hand over an attached file's bytes (an adapter's fetch failed)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to a command, fetched from the platform only when a handler reads it.

    Adapters fill in what the platform's metadata says (name, type, declared size) and skip
    files over their size cap; the download waits until the router's gates let the command
    through and the handler calls `read`.
    """

    filename: str
    media_type: str
    size: int | None
    """The size the platform declares, None when it does not say."""
    fetch: Callable[[], Awaitable[bytes]] = field(repr=False, compare=False)
    """Downloads the bytes; raises `AttachmentUnavailable` when the platform fails."""

    @classmethod
    def in_memory(cls, file: InboundFile) -> Attachment:
        """An attachment whose bytes are already here (the console, tests)."""

        async def fetch() -> bytes:
            return file.data

        return cls(file.filename, file.media_type, len(file.data), fetch)

    async def read(self) -> InboundFile:
        """The file with its bytes, or a `UserError` when the platform fails to give them."""
        try:
            data = await self.fetch()
        except AttachmentUnavailable:
            raise UserError(UNAVAILABLE, name=self.filename[:80]) from None
        return InboundFile(self.filename, data, self.media_type)


@dataclass(frozen=True, slots=True, kw_only=True)
class Invocation:
    """A command (`command` set) or a button press (`payload` set) by `actor` in `chat`.

    Text platforms give the raw argument line in `text`; platforms that split arguments
    themselves (Discord slash commands) give `subcommand` and `options` instead. `community`
    is the larger place the chat belongs to (a Discord server), None where a chat is its own.
    """

    actor: Actor
    chat: ChatRef
    chat_kind: ChatKind = ChatKind.GROUP
    command: str | None = None
    text: str = ""
    subcommand: str | None = None
    options: Mapping[str, object] | None = None
    payload: str | None = None
    source: MessageRef | None = None
    attachments: tuple[Attachment, ...] = ()
    community: str | None = None

    @property
    def is_button(self) -> bool:
        """Whether this is a button press."""
        return self.payload is not None

    @property
    def split_path(self) -> str:
        """The command the platform named with its subcommand, `poll results` (lowercase).

        For platforms that split arguments themselves; on a text platform the subcommand is
        still in `text`, for the registry to find.
        """
        name = (self.command or "").lower()
        return f"{name} {self.subcommand}" if self.subcommand else name

    @property
    def label(self) -> str:
        """A short description for logs and audit: `/poll results` or `button poll.vote`."""
        if self.payload is not None:
            return f"button {action_name(self.payload) or '?'}"
        sub = f" {self.subcommand}" if self.subcommand else ""
        return f"/{self.command}{sub}"
