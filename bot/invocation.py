"""An invocation: one command or button press, as an adapter hands it to the router."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.identity import Actor, ChatKind, ChatRef, MessageRef


@dataclass(frozen=True, slots=True)
class InboundFile:
    """A file the user attached to a command."""

    filename: str
    data: bytes
    media_type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Invocation:
    """A command (`command` set) or a button press (`payload` set) by `actor` in `chat`.

    Text platforms give the raw argument line in `text`; platforms that split arguments
    themselves (Discord slash commands) give `subcommand` and `options` instead.
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
    attachments: tuple[InboundFile, ...] = ()

    @property
    def is_button(self) -> bool:
        """Whether this is a button press."""
        return self.payload is not None

    @property
    def label(self) -> str:
        """A short description for logs and audit: `/poll results` or `button poll.vote`."""
        if self.payload is not None:
            return f"button {self.payload.split(':')[1] if ':' in self.payload else '?'}"
        sub = f" {self.subcommand}" if self.subcommand else ""
        return f"/{self.command}{sub}"
