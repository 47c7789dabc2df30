"""Test helpers shared across the suite: a settable clock, recording responders, builders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.actions import Action
from bot.config import Settings
from bot.i18n import Localized
from bot.identity import Actor, ChatKind, ChatRef, MessageRef
from bot.invocation import Attachment, InboundFile, Invocation
from bot.reply import Reply


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class RecordingResponder:
    """Records every reply, source update and progress signal."""

    replies: list[Reply] = field(default_factory=list)
    updates: list[Reply] = field(default_factory=list)
    progress: int = 0

    async def reply(self, reply: Reply) -> MessageRef | None:
        self.replies.append(reply)
        return MessageRef(ChatRef("test", "chat"), str(len(self.replies)))

    async def update_source(self, reply: Reply) -> None:
        self.updates.append(reply)

    async def signal_progress(self) -> None:
        self.progress += 1

    @property
    def text(self) -> str:
        return "\n\n".join(r.plain_text() for r in self.replies + self.updates)


@dataclass
class RecordingGateway:
    """A gateway that records what would have been posted; `#name` targets other chats."""

    platform: str = "test"
    knows_members: bool = True
    sent: list[tuple[ChatRef, Reply]] = field(default_factory=list)
    edits: list[tuple[MessageRef, Reply]] = field(default_factory=list)
    pins: list[MessageRef] = field(default_factory=list)
    forbidden: set[str] = field(default_factory=set)
    failing_sends: int = 0
    pin_fails: bool = False
    private: list[tuple[str, Reply]] = field(default_factory=list)
    unreachable: set[str] = field(default_factory=set)

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        if self.failing_sends:
            self.failing_sends -= 1
            raise ConnectionError("platform unreachable")
        self.sent.append((chat, reply))
        return MessageRef(chat, str(len(self.sent)))

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        self.edits.append((message, reply))

    def parse_target(self, text: str) -> ChatRef | None:
        return ChatRef(self.platform, text[1:]) if text.startswith("#") and len(text) > 1 else None

    async def check_can_post(self, chat: ChatRef, actor: Actor) -> Localized | None:
        if chat.chat_id in self.forbidden:
            return Localized("I lack the Send Messages permission there.", "我在那里没有发言权限。")
        return None

    async def pin(self, message: MessageRef) -> None:
        if self.pin_fails:
            raise PermissionError("cannot pin")
        self.pins.append(message)

    async def send_private(self, person: Actor, reply: Reply, near: ChatRef) -> bool:
        if person.user_id in self.unreachable:
            return False
        self.private.append((person.user_id, reply))
        return True


def make_actor(
    name: str = "alice",
    *,
    moderator: bool = False,
    locale: str | None = None,
    roles: frozenset[str] = frozenset(),
) -> Actor:
    return Actor(
        "test", name.lower(), name, is_moderator=moderator, locale_tag=locale, role_ids=roles
    )


def make_command(
    line: str,
    *,
    actor: Actor | None = None,
    chat: str = "chat",
    files: tuple[InboundFile, ...] = (),
) -> Invocation:
    """An invocation of `line`, e.g. `make_command("/help poll")`."""
    from bot.commandline import parse_command_line

    parsed = parse_command_line(line)
    assert parsed is not None, line
    return Invocation(
        actor=actor or make_actor(),
        chat=ChatRef("test", chat),
        chat_kind=ChatKind.GROUP,
        command=parsed.name,
        text=parsed.text,
        attachments=tuple(Attachment.in_memory(file) for file in files),
    )


def make_press(
    payload: Action | str, *, actor: Actor | None = None, chat: str = "chat", message: str = "1"
) -> Invocation:
    """A press of a button carrying `payload` (a press, or raw text) on message `message`."""
    return Invocation(
        actor=actor or make_actor(),
        chat=ChatRef("test", chat),
        payload=payload.encode() if isinstance(payload, Action) else payload,
        source=MessageRef(ChatRef("test", chat), message),
    )


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"PARLEY_DB": tmp_path / "parley.db"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]
