"""The console adapter: simulated group and private chats in a terminal, interactive or scripted."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import queue
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.background import BackgroundWork
from bot.commandline import parse_command_line
from bot.i18n import Localized
from bot.identity import Actor, ChatKind, ChatRef, MessageRef
from bot.invocation import Attachment, InboundFile, Invocation
from bot.reply import Reply
from bot.router import Router

from . import texts
from .attachments import MAX_ATTACHMENT_BYTES, AttachmentError, read_attachment
from .chats import (
    DEFAULT_GROUP,
    MAX_CHAT_NAME,
    PLATFORM,
    Moderators,
    group_chat,
    group_chat_id,
    kind_of,
    private_chat,
    speaker_id,
)
from .line_editing import LineReader
from .presses import pick_button
from .render import Style, render_reply, safe_text

log = logging.getLogger("parley.console")

MAX_PENDING_FILES = 10
_PRIVATE_WORDS = ("dm", "私聊")


@dataclass(slots=True)
class _Posted:
    """A message in some console chat, private to one speaker or seen by everyone there."""

    ref: MessageRef
    reply: Reply
    private_to: str | None
    turn: int


class ConsoleGateway:
    """Posts and edits messages in the console."""

    platform = PLATFORM
    knows_members = True

    def __init__(self, console: ConsoleAdapter) -> None:
        self._console = console

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        """Print a new message."""
        return self._console.post(chat, reply, private_to=None)

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        """Print the new version of an earlier message."""
        self._console.replace(message, reply)

    def parse_target(self, text: str) -> ChatRef | None:
        """`#name` names another console group chat."""
        chat_id = group_chat_id(text)
        return None if chat_id is None else group_chat(chat_id)

    async def check_can_post(self, chat: ChatRef, actor: Actor) -> Localized | None:
        """The console can post anywhere."""
        return None

    async def pin(self, message: MessageRef) -> None:
        """Note the pin."""
        self._console.note(f"📌 #{message.message_id}")

    async def send_private(self, person: Actor, reply: Reply, near: ChatRef) -> bool:
        """Print it in `near`, marked as seen by `person` only."""
        self._console.post(near, reply, private_to=person.display_name)
        return True


class _ConsoleResponder:
    def __init__(self, console: ConsoleAdapter, invocation: Invocation) -> None:
        self._console = console
        self._invocation = invocation

    async def reply(self, reply: Reply) -> MessageRef | None:
        private_to = self._invocation.actor.display_name if reply.private else None
        return self._console.post(self._invocation.chat, reply, private_to=private_to)

    async def update_source(self, reply: Reply) -> None:
        if self._invocation.source is None:
            await self.reply(reply)
        else:
            self._console.replace(self._invocation.source, reply)

    async def signal_progress(self) -> None:
        self._console.note("…")


class ConsoleAdapter:
    """Reads lines (a terminal, a script or `-c` commands) and prints the bot's messages.

    The console is in one chat at a time: the group `#console` at first, another group with
    `/in #name`, or the speaker's private chat with the bot with `/in dm`. Every invocation
    carries that chat, its kind, and whether the speaker moderates it. Typed lines can be
    edited and recalled (arrow keys), with their history in `history_file` (None: not kept).
    """

    platform = PLATFORM

    def __init__(
        self,
        router: Router,
        *,
        output: TextIO,
        operator_name: str,
        files_dir: Path,
        colour: bool = False,
        script: Sequence[str] | None = None,
        locale_tag: str | None = None,
        history_file: Path | None = None,
        background: BackgroundWork | None = None,
    ) -> None:
        self._router = router
        self._background = background
        """The app's background work: a line's live edits are shown before the next prompt."""
        self._output = output
        self._operator = operator_name
        self._files_dir = files_dir
        self._style = Style(colour)
        self._script = script
        self._locale_tag = locale_tag
        self._history_file = history_file
        self._speaker = operator_name
        self._chat = group_chat(DEFAULT_GROUP)
        self._moderators = Moderators(operator_name)
        self._messages: dict[str, _Posted] = {}
        self._turn = 0
        self._pending_files: list[InboundFile] = []
        self._task: asyncio.Task[None] | None = None
        self.gateway = ConsoleGateway(self)

    @property
    def locale(self) -> str:
        """The language of the console's own notes."""
        return "zh" if (self._locale_tag or "").startswith("zh") else "en"

    async def start(self) -> None:
        """Begin reading input."""
        if self._script is None:
            self.note(self._t(texts.WELCOME, name=self._operator))
            self._task = asyncio.create_task(self._run_interactive(), name="console-input")
        else:
            self._task = asyncio.create_task(self.run_lines(self._script), name="console-script")

    async def wait(self) -> None:
        """Return when input has ended."""
        if self._task is not None:
            await self._task

    async def stop(self) -> None:
        """Stop reading input."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_lines(self, lines: Sequence[str]) -> None:
        """Handle each line in order, waiting for each to finish."""
        for line in lines:
            if not await self.handle_line(line):
                break

    async def handle_line(self, line: str) -> bool:
        """Handle one typed line; False when the user asked to quit.

        Never raises: an unexpected error becomes a note with an incident id (and a log entry),
        and the console goes on with the next line.
        """
        try:
            return await self._handle_line(line)
        except Exception:
            incident = secrets.token_hex(4)
            log.exception("event=console_line_failed incident=%s", incident)
            with contextlib.suppress(OSError, ValueError):
                self.note(self._t(texts.CONSOLE_FAILED, incident=incident))
            return True

    async def _handle_line(self, line: str) -> bool:
        text = line.strip()
        if not text or text.startswith("#"):
            return True
        command = parse_command_line(text)
        if command is None:
            self.note(self._t(texts.NOT_A_COMMAND))
            return True
        match command.name:
            case "quit" | "exit":
                return False
            case "as":
                self._switch_speaker(command.text)
            case "in":
                self._enter(command.text)
            case "press":
                await self._press(command.text)
            case "attach":
                self._attach(command.text)
            case _:
                self._echo(text)
                invocation = Invocation(
                    actor=self._actor(self._chat),
                    chat=self._chat,
                    chat_kind=kind_of(self._chat),
                    command=command.name,
                    text=command.text,
                    attachments=tuple(Attachment.in_memory(f) for f in self._pending_files),
                )
                self._pending_files.clear()
                await self._dispatch(invocation)
                if command.name == "help" and not command.text:
                    self.note(
                        self._t(
                            texts.CONSOLE_HELP,
                            operator=self._operator,
                            limit=MAX_ATTACHMENT_BYTES,
                        )
                    )
        return True

    def post(self, chat: ChatRef, reply: Reply, *, private_to: str | None) -> MessageRef:
        """Print a new message and remember it."""
        ref = MessageRef(chat, str(len(self._messages) + 1))
        self._remember(ref, reply, private_to, known=True)
        where = "" if chat == self._chat else f" → {self._place_of(chat)}"
        only = self._t(texts.ONLY_SEES, name=private_to) if private_to else ""
        self._print(reply, f"#{ref.message_id} parley{where}{only}")
        return ref

    def replace(self, message: MessageRef, reply: Reply) -> None:
        """Record and print a new version of message `message`."""
        posted = self._messages.get(message.message_id)
        private_to = posted.private_to if posted else None
        self._remember(message, reply, private_to, known=posted is not None)
        self._print(reply, f"#{message.message_id} parley {self._t(texts.EDITED)}")

    def note(self, text: str) -> None:
        """Print a console note (not a bot message); typed text in it cannot steer the terminal."""
        self._output.write(self._style.dim(safe_text(text)) + "\n")
        self._output.flush()

    def _remember(
        self, ref: MessageRef, reply: Reply, private_to: str | None, *, known: bool
    ) -> None:
        """Store a message; a new or edited message with buttons is the next one to press.

        An edit of a message this console never showed (posted before a restart) only becomes
        pressable when nothing else is.
        """
        if known:
            self._turn += 1
        self._messages[ref.message_id] = _Posted(ref, reply, private_to, self._turn if known else 0)

    def _print(self, reply: Reply, header: str) -> None:
        saved = self._save_attachment(reply)
        self._output.write(render_reply(reply, safe_text(header), self._style, saved) + "\n\n")
        self._output.flush()

    def _echo(self, text: str) -> None:
        if self._script is not None:
            self._output.write(self._style.bold(self._prompt_text()) + safe_text(text) + "\n")

    def _actor(self, chat: ChatRef) -> Actor:
        """The current speaker, as a moderator of `chat` or not."""
        user_id = speaker_id(self._speaker)
        return Actor(
            platform=PLATFORM,
            user_id=user_id,
            display_name=self._speaker,
            is_moderator=self._moderators.moderates(user_id, chat),
            locale_tag=self._locale_tag,
        )

    def _switch_speaker(self, text: str) -> None:
        words = " ".join(safe_text(text).split()).split(" ")
        promote = len(words) > 1 and words[-1].casefold() == "mod"
        name = " ".join(words[:-1] if promote else words)[:32].strip()
        if not name:
            self.note(self._t(texts.AS_USAGE))
            return
        self._speaker = name
        if kind_of(self._chat) is ChatKind.PRIVATE:
            self._chat = private_chat(speaker_id(name))
            if promote:
                self.note(self._t(texts.MOD_ONLY_IN_GROUPS))
            self.note(self._t(texts.NOW_IN_PRIVATE, name=name))
            return
        if promote:
            self._moderators.promote(speaker_id(name), self._chat)
        self.note(
            self._t(texts.NOW_SPEAKING, name=name, role=self._role(), chat=self._chat.chat_id)
        )

    def _enter(self, text: str) -> None:
        wanted = safe_text(text).strip()
        if wanted.casefold() in _PRIVATE_WORDS:
            self._chat = private_chat(speaker_id(self._speaker))
            self.note(self._t(texts.NOW_IN_PRIVATE, name=self._speaker))
            return
        chat_id = group_chat_id(wanted) if wanted else DEFAULT_GROUP
        if chat_id is None:
            self.note(self._t(texts.IN_USAGE, wanted=wanted[:40], limit=MAX_CHAT_NAME))
            return
        self._chat = group_chat(chat_id)
        self.note(self._t(texts.NOW_IN_GROUP, chat=chat_id, name=self._speaker, role=self._role()))

    def _role(self) -> str:
        """The speaker's role in the current chat, for notes."""
        moderates = self._moderators.moderates(speaker_id(self._speaker), self._chat)
        return self._t(texts.MODERATOR if moderates else texts.MEMBER)

    def _latest_pressable(self) -> _Posted | None:
        """The newest message with buttons in this chat that the speaker can see."""
        me = speaker_id(self._speaker)
        visible = [
            posted
            for posted in self._messages.values()
            if posted.ref.chat == self._chat
            and posted.reply.buttons
            and (posted.private_to is None or speaker_id(posted.private_to) == me)
        ]
        return max(visible, key=lambda posted: posted.turn, default=None)

    async def _press(self, wanted: str) -> None:
        wanted = wanted.strip()
        if not wanted:
            self.note(self._t(texts.PRESS_USAGE))
            return
        posted = self._latest_pressable()
        if posted is None:
            self.note(self._t(texts.NO_BUTTONS, name=self._speaker))
            return
        buttons = [b for row in posted.reply.buttons for b in row]
        chosen = pick_button(buttons, wanted)
        if chosen is None:
            message, count = posted.ref.message_id, len(buttons)
            text = self._t(texts.NO_SUCH_BUTTON, wanted=wanted[:40], message=message, count=count)
            self.note(text)
            return
        self._echo(f"[{chosen.label}]")
        chat = posted.ref.chat
        invocation = Invocation(
            actor=self._actor(chat),
            chat=chat,
            chat_kind=kind_of(chat),
            payload=chosen.payload,
            source=posted.ref,
        )
        await self._dispatch(invocation)

    async def _dispatch(self, invocation: Invocation) -> None:
        """Run one line or press, and the edits it causes (one person types: none can wait)."""
        await self._router.dispatch(invocation, _ConsoleResponder(self, invocation))
        if self._background is not None:
            await self._background.idle()

    def _attach(self, raw_path: str) -> None:
        shown = safe_text(raw_path.strip())[:100]
        cleaned = raw_path.strip().strip("\"'")
        if not cleaned:
            self.note(self._t(texts.ATTACH_USAGE))
            return
        if len(self._pending_files) >= MAX_PENDING_FILES:
            self.note(self._t(texts.TOO_MANY_FILES, count=len(self._pending_files)))
            return
        try:
            file = read_attachment(Path(cleaned).expanduser())
        except AttachmentError as error:
            reason = self._t(error.reason, **error.values)
            self.note(self._t(texts.ATTACH_FAILED, path=shown, reason=reason))
            return
        self._pending_files.append(file)
        self.note(self._t(texts.ATTACHED, name=file.filename, size=len(file.data)))

    def _save_attachment(self, reply: Reply) -> str | None:
        if reply.attachment is None:
            return None
        name = Path(reply.attachment.filename).name or "attachment"
        try:
            self._files_dir.mkdir(parents=True, exist_ok=True)
            target = self._files_dir / name
            target.write_bytes(reply.attachment.data)
        except OSError as error:
            code = errno.errorcode.get(error.errno or 0, "error")
            self.note(
                self._t(texts.SAVE_FAILED, name=name, folder=str(self._files_dir)[:200], code=code)
            )
            return None
        return str(target)

    def _t(self, text: Localized, **values: object) -> str:
        return text.render("zh" if self.locale == "zh" else "en", **values)

    def _place_of(self, chat: ChatRef) -> str:
        """`#name` for a group, `dm` for the current private chat, else the private chat id."""
        if kind_of(chat) is ChatKind.GROUP:
            return f"#{chat.chat_id}"
        return self._t(texts.PRIVATE_PLACE) if chat == self._chat else chat.chat_id

    def _prompt_text(self) -> str:
        """Who speaks where, e.g. `alice@#news> ` or `operator@#console (mod)> `."""
        role = self._t(texts.PROMPT_MODERATOR) if self._actor(self._chat).is_moderator else ""
        return f"{safe_text(self._speaker)}@{self._place_of(self._chat)}{role}> "

    async def _run_interactive(self) -> None:
        """Prompt, read a line (in a thread: typing must not block the bot), handle it; repeat."""
        prompts: queue.SimpleQueue[str] = queue.SimpleQueue()
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        reader = LineReader(self._history_file)

        def read() -> None:
            while True:
                line = reader.read(prompts.get())
                loop.call_soon_threadsafe(lines.put_nowait, line)
                if line is None:
                    return

        threading.Thread(target=read, name="console-stdin", daemon=True).start()
        while True:
            prompts.put(self._style.bold(self._prompt_text()))
            line = await lines.get()
            if line is None or not await self.handle_line(line):
                return
