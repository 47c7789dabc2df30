"""The platform-neutral reply: structured content that each adapter renders and escapes.

Text in these blocks is plain text as the user should read it. It is never platform markup:
adapters escape it for Discord markdown or Telegram HTML.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.identity import MessageRef


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading inside a reply."""

    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class BulletList:
    """A list of items, numbered when `ordered`."""

    items: tuple[str, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted passage, optionally attributed."""

    text: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Fields:
    """Key-value pairs (shown as embed fields on Discord, `key: value` lines elsewhere)."""

    pairs: tuple[tuple[str, str], ...]


def field_separator(key: str) -> str:
    """What stands between a key and its value on one line: `：` after Chinese, else `: `."""
    return "：" if key and unicodedata.east_asian_width(key[-1]) in "WF" else ": "


@dataclass(frozen=True, slots=True)
class Preformatted:
    """Monospace text such as tally bars; whitespace is kept."""

    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled hyperlink."""

    label: str
    url: str


Block = Heading | Paragraph | BulletList | Quote | Fields | Preformatted | Link


class ButtonStyle(StrEnum):
    """How prominent a button is; platforms without styles ignore it."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Button:
    """A button: pressing it invokes the action encoded in `payload` (see `bot.buttons`)."""

    label: str
    payload: str
    style: ButtonStyle = ButtonStyle.SECONDARY


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply; `is_image` lets platforms show it inline."""

    filename: str
    data: bytes
    media_type: str
    is_image: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler answers: title, blocks, rows of buttons and an optional attachment.

    `private` asks the adapter to show the reply only to the actor where the platform can
    (Discord ephemeral messages, Telegram callback answers or a private chat). `confidential`
    (a moderator panel) goes further: the reply is never shown in the chat, even where the
    platform cannot answer privately; the chat then sees only a short note saying why.
    """

    title: str | None = None
    blocks: tuple[Block, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    private: bool = False
    footer: str | None = None
    confidential: bool = False

    def __post_init__(self) -> None:
        if self.confidential and not self.private:
            raise ValueError("a confidential reply is private too")

    def confided(self) -> Reply:
        """The same reply for the invoker's eyes only: private and confidential."""
        return replace(self, private=True, confidential=True)

    @classmethod
    def text(cls, text: str, *, title: str | None = None, private: bool = False) -> Reply:
        """Build a reply holding one paragraph."""
        return cls(title=title, blocks=(Paragraph(text),), private=private)

    def plain_text(self) -> str:
        """All visible text, joined; handy for tests, logs and search."""
        parts: list[str] = [self.title] if self.title else []
        for block in self.blocks:
            parts.extend(block_text(block))
        parts.extend(button.label for row in self.buttons for button in row)
        if self.footer:
            parts.append(self.footer)
        return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class Posted:
    """An answer whose message the handler needs (to track a live poll, to refresh after it).

    The core posts `reply`, then awaits `then` with the posted message (None when private).
    """

    reply: Reply
    then: Callable[[MessageRef | None], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Replace:
    """Replace the message whose button was pressed with `reply` (a command answers anew).

    `notice`, when given, is answered after it (usually privately: what the press did).
    """

    reply: Reply
    notice: Reply | None = None


Answer = Reply | Posted | Replace
"""What a handler returns (or None, having nothing to say)."""


def confided(answer: Answer) -> Answer:
    """`answer` with every reply in it for the invoker alone (a moderator panel's answers).

    A replaced message keeps where it is: a panel's buttons sit on a message already private.
    """
    match answer:
        case Reply():
            return answer.confided()
        case Posted(reply, then):
            return Posted(reply.confided(), then)
        case Replace(reply, notice):
            return Replace(reply.confided(), None if notice is None else notice.confided())
    raise TypeError(f"unknown answer {answer!r}")


def block_text(block: Block) -> list[str]:
    """The lines of plain text a block shows."""
    match block:
        case Heading(text) | Paragraph(text) | Preformatted(text):
            return [text]
        case BulletList(items, _):
            return list(items)
        case Quote(text, source):
            return [text] + ([source] if source else [])
        case Fields(pairs):
            return [f"{key}{field_separator(key)}{value}" for key, value in pairs]
        case Link(label, url):
            return [f"{label} {url}"]
    raise TypeError(f"unknown block {block!r}")
