"""The console adapter: a simulated group chat in the terminal, interactive or scripted."""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.commandline import parse_command_line
from bot.i18n import Localized
from bot.identity import Actor, ChatKind, ChatRef, MessageRef
from bot.invocation import InboundFile, Invocation
from bot.reply import Button, Reply
from bot.router import Router

from .render import Style, render_reply, safe_text

PLATFORM = "console"
MAX_ATTACHMENT_BYTES = 2_000_000

_WELCOME = Localized(
    "Parley console. You are {name} (moderator). Type /help to begin, /as NAME to speak as"
    " someone else, /press N to press a button, /attach PATH to attach a file, /quit to leave.",
    "Parley 控制台。你是 {name}（管理员）。输入 /help 开始；/as 名字 切换发言人；"
    "/press 编号 按按钮；/attach 路径 附加文件；/quit 退出。",
)
_NOW_SPEAKING = Localized("Now speaking as {name}{role}.", "现在以 {name}{role} 的身份发言。")
_MODERATOR = Localized(" (moderator)", "（管理员）")
_NO_BUTTONS = Localized("No message with buttons yet.", "还没有带按钮的消息。")
_NO_SUCH_BUTTON = Localized(
    "No button “{wanted}” on message #{message}. Choose 1–{count} or a label.",
    "消息 #{message} 上没有按钮“{wanted}”。请选择 1–{count} 或按钮文字。",
)
_NOT_A_COMMAND = Localized(
    "Commands start with /. Type /help to see them.", "命令以 / 开头。输入 /help 查看命令。"
)
_ATTACHED = Localized(
    "Attached {name} ({size} bytes) to your next command.",
    "已将 {name}（{size} 字节）附加到你的下一条命令。",
)
_ATTACH_FAILED = Localized("Cannot attach {path}: {reason}.", "无法附加 {path}：{reason}。")
_AS_USAGE = Localized("Usage: /as NAME", "用法：/as 名字")


@dataclass(slots=True)
class _Posted:
    reply: Reply
    private_to: str | None


class ConsoleGateway:
    """Posts and edits messages in the console."""

    platform = PLATFORM

    def __init__(self, console: ConsoleAdapter) -> None:
        self._console = console

    async def send(self, chat: ChatRef, reply: Reply) -> MessageRef:
        """Print a new message."""
        return self._console.post(chat, reply, private_to=None)

    async def edit(self, message: MessageRef, reply: Reply) -> None:
        """Print the new version of an earlier message."""
        self._console.replace(message, reply)

    def parse_target(self, text: str) -> ChatRef | None:
        """`#name` names another console chat."""
        name = text.strip()
        if len(name) > 1 and name.startswith("#") and name[1:].replace("-", "_").isidentifier():
            return ChatRef(PLATFORM, name[1:].lower())
        return None

    async def check_can_post(self, chat: ChatRef, actor: Actor) -> Localized | None:
        """The console can post anywhere."""
        return None

    async def pin(self, message: MessageRef) -> None:
        """Note the pin."""
        self._console.note(f"📌 #{message.message_id}")


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
    """Reads lines (a terminal, a script or `-c` commands) and prints the bot's messages."""

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
    ) -> None:
        self._router = router
        self._output = output
        self._operator = operator_name
        self._files_dir = files_dir
        self._style = Style(colour)
        self._script = script
        self._locale_tag = locale_tag
        self._speaker = operator_name
        self._chat = ChatRef(PLATFORM, "console")
        self._messages: dict[str, _Posted] = {}
        self._last_with_buttons: MessageRef | None = None
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
            self.note(self._t(_WELCOME, name=self._operator))
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
        """Handle one typed line; False when the user asked to quit."""
        text = line.strip()
        if not text or text.startswith("#"):
            return True
        command = parse_command_line(text)
        if command is None:
            self.note(self._t(_NOT_A_COMMAND))
            return True
        match command.name:
            case "quit" | "exit":
                return False
            case "as":
                self._switch_speaker(command.text)
            case "press":
                await self._press(command.text)
            case "attach":
                self._attach(command.text)
            case _:
                self._echo(text)
                invocation = Invocation(
                    actor=self._actor(),
                    chat=self._chat,
                    chat_kind=ChatKind.GROUP,
                    command=command.name,
                    text=command.text,
                    attachments=tuple(self._pending_files),
                )
                self._pending_files.clear()
                await self._router.dispatch(invocation, _ConsoleResponder(self, invocation))
        return True

    def post(self, chat: ChatRef, reply: Reply, *, private_to: str | None) -> MessageRef:
        """Print a new message and remember it."""
        ref = MessageRef(chat, str(len(self._messages) + 1))
        self._messages[ref.message_id] = _Posted(reply, private_to)
        if reply.buttons:
            self._last_with_buttons = ref
        where = "" if chat == self._chat else f" → {chat.chat_id}"
        only = f" (only {private_to} sees this)" if private_to else ""
        self._print(reply, f"#{ref.message_id} parley{where}{only}")
        return ref

    def replace(self, message: MessageRef, reply: Reply) -> None:
        """Record and print a new version of message `message`."""
        posted = self._messages.get(message.message_id)
        private_to = posted.private_to if posted else None
        self._messages[message.message_id] = _Posted(reply, private_to)
        if reply.buttons and (self._last_with_buttons is None or posted is not None):
            self._last_with_buttons = message
        self._print(reply, f"#{message.message_id} parley ✎ edited")

    def note(self, text: str) -> None:
        """Print a console note (not a bot message); typed text in it cannot steer the terminal."""
        self._output.write(self._style.dim(safe_text(text)) + "\n")
        self._output.flush()

    def _print(self, reply: Reply, header: str) -> None:
        saved = self._save_attachment(reply)
        self._output.write(render_reply(reply, header, self._style, saved) + "\n\n")
        self._output.flush()

    def _echo(self, text: str) -> None:
        if self._script is not None:
            self._output.write(self._style.bold(f"{self._speaker}> ") + safe_text(text) + "\n")

    def _actor(self) -> Actor:
        return Actor(
            platform=PLATFORM,
            user_id=self._speaker.casefold(),
            display_name=self._speaker,
            is_moderator=self._speaker.casefold() == self._operator.casefold(),
            locale_tag=self._locale_tag,
        )

    def _switch_speaker(self, name: str) -> None:
        name = " ".join(safe_text(name).split())[:32]
        if not name:
            self.note(self._t(_AS_USAGE))
            return
        self._speaker = name
        role = self._t(_MODERATOR) if self._actor().is_moderator else ""
        self.note(self._t(_NOW_SPEAKING, name=name, role=role))

    async def _press(self, wanted: str) -> None:
        ref = self._last_with_buttons
        if ref is None:
            self.note(self._t(_NO_BUTTONS))
            return
        buttons = [b for row in self._messages[ref.message_id].reply.buttons for b in row]
        chosen = _pick_button(buttons, wanted.strip())
        if chosen is None:
            self.note(
                self._t(
                    _NO_SUCH_BUTTON, wanted=wanted[:40], message=ref.message_id, count=len(buttons)
                )
            )
            return
        self._echo(f"[{chosen.label}]")
        invocation = Invocation(
            actor=self._actor(), chat=ref.chat, payload=chosen.payload, source=ref
        )
        await self._router.dispatch(invocation, _ConsoleResponder(self, invocation))

    def _attach(self, raw_path: str) -> None:
        path = Path(raw_path.strip().strip("\"'")).expanduser()
        try:
            size = path.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                raise ValueError(f"larger than {MAX_ATTACHMENT_BYTES} bytes")
            data = path.read_bytes()
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            self.note(self._t(_ATTACH_FAILED, path=raw_path[:100], reason=reason))
            return
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._pending_files.append(InboundFile(path.name, data, media_type))
        self.note(self._t(_ATTACHED, name=path.name, size=size))

    def _save_attachment(self, reply: Reply) -> str | None:
        if reply.attachment is None:
            return None
        self._files_dir.mkdir(parents=True, exist_ok=True)
        target = self._files_dir / Path(reply.attachment.filename).name
        target.write_bytes(reply.attachment.data)
        return str(target)

    def _t(self, text: Localized, **values: object) -> str:
        return text.render("zh" if self.locale == "zh" else "en", **values)

    async def _run_interactive(self) -> None:
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def read() -> None:
            while True:
                try:
                    line: str | None = input()
                except (EOFError, KeyboardInterrupt):
                    line = None
                loop.call_soon_threadsafe(lines.put_nowait, line)
                if line is None:
                    return

        threading.Thread(target=read, name="console-stdin", daemon=True).start()
        self._prompt()
        while (line := await lines.get()) is not None:
            if not await self.handle_line(line):
                return
            self._prompt()

    def _prompt(self) -> None:
        """Show who speaks next, e.g. `alice> ` (interactive mode only)."""
        self._output.write(self._style.bold(f"{safe_text(self._speaker)}> "))
        self._output.flush()


def _pick_button(buttons: list[Button], wanted: str) -> Button | None:
    if wanted.isdigit():
        index = int(wanted) - 1
        return buttons[index] if 0 <= index < len(buttons) else None
    folded = wanted.casefold()
    exact = [b for b in buttons if b.label.casefold() == folded]
    if exact:
        return exact[0]
    prefixed = [b for b in buttons if b.label.casefold().startswith(folded)]
    return prefixed[0] if len(prefixed) == 1 and folded else None
