"""The console's chats (/in), option-text presses and lines that must never kill it."""

import errno
import io
import logging
import os
import resource
import subprocess
import sys
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest

from bot.actions import Action
from bot.adapters.console.adapter import MAX_ATTACHMENT_BYTES, ConsoleAdapter
from bot.app import Parley
from bot.buttons import button
from bot.commands import ActionSpec, CommandSpec
from bot.context import Context
from bot.i18n import Localized
from bot.identity import ChatKind
from bot.invocation import Invocation
from bot.reply import Reply
from bot.services import BaseFeature, Feature, Services
from parley.features import build_features
from tests.support import FakeClock, make_settings

ROOT = Path(__file__).resolve().parents[2]
NINES = "9" * 100_000


class WitnessTap(Action, name="witness.tap"):
    """The witness's one button."""


class Witness(BaseFeature):
    """Records every invocation the core receives, for a command and for a button press."""

    def __init__(self) -> None:
        self.seen: list[Invocation] = []
        self.moderator: list[bool] = []

    def commands(self) -> Iterable[CommandSpec]:
        text = Localized("Where am I", "我在哪里")
        return (CommandSpec(name="where", description=text, handler=self.where, audited=False),)

    def actions(self) -> Iterable[ActionSpec]:
        return (ActionSpec(payload=WitnessTap, handler=self.tap),)

    async def where(self, ctx: Context) -> Reply:
        await self._record(ctx)
        return Reply(title="Here", buttons=((button("Tap here", WitnessTap()),),))

    async def tap(self, ctx: Context, press: WitnessTap) -> Reply:
        await self._record(ctx)
        return Reply.text("tapped")

    async def _record(self, ctx: Context) -> None:
        self.seen.append(ctx.invocation)
        self.moderator.append(await ctx.moderates())


@pytest.fixture
def witness() -> Witness:
    return Witness()


@pytest.fixture
async def witnessed_app(tmp_path: Path, witness: Witness) -> AsyncIterator[Parley]:
    def features(services: Services) -> list[Feature]:
        return [*build_features(services), witness]

    async with Parley.open(make_settings(tmp_path), FakeClock(), features=features) as parley:
        yield parley


def console_for(app: Parley, tmp_path: Path, locale_tag: str | None = None, output=None):
    output = output if output is not None else io.StringIO()
    adapter = ConsoleAdapter(
        app.router,
        output=output,
        operator_name="operator",
        files_dir=tmp_path / "files",
        script=[],
        locale_tag=locale_tag,
        background=app.services.background,
    )
    app.services.outbox.register(adapter.gateway)
    return adapter, output


def facts(witness: Witness) -> list[tuple[str, ChatKind, bool, bool]]:
    """(chat key, chat kind, actor marked moderator, core's moderator flag) per invocation."""
    return [
        (seen.chat.key, seen.chat_kind, seen.actor.is_moderator, moderator)
        for seen, moderator in zip(witness.seen, witness.moderator, strict=True)
    ]


async def test_in_switches_chat_kind_and_moderator_per_chat(witnessed_app, witness, tmp_path):
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(
        [
            "/where",  # operator in #console
            "/in #a",
            "/as mal mod",
            "/where",  # mal moderates #a
            "/in #b",
            "/where",  # ... but is a member in #b
            "/in dm",
            "/where",  # mal's own private chat
            "/as bob",
            "/where",  # /as in a DM: bob's private chat
            "/in",
            "/where",  # back in #console, bob is a member
            "/as operator",
            "/in #b",
            "/where",  # the operator moderates every group
            "/in #a",
            "/as mal",
            "/where",  # remembered per chat
        ]
    )
    assert facts(witness) == [
        ("console:console", ChatKind.GROUP, True, True),
        ("console:a", ChatKind.GROUP, True, True),
        ("console:b", ChatKind.GROUP, False, False),
        ("console:dm-mal", ChatKind.PRIVATE, True, True),
        ("console:dm-bob", ChatKind.PRIVATE, True, True),
        ("console:console", ChatKind.GROUP, False, False),
        ("console:b", ChatKind.GROUP, True, True),
        ("console:a", ChatKind.GROUP, True, True),
    ]
    text = output.getvalue()
    assert "mal@#a (mod)> /where" in text and "mal@#b> /where" in text
    assert "mal@dm (mod)> /where" in text and "bob@#console> /where" in text
    assert "Now in the private chat between bob and the bot; bob moderates it." in text
    assert "Now in the group chat #b, speaking as mal (member)." in text


async def test_notes_and_prompt_in_chinese(witnessed_app, tmp_path):
    console, output = console_for(witnessed_app, tmp_path, locale_tag="zh-CN")
    await console.run_lines(["/in dm", "/about", "/in #新闻", "/as 小红", "/in #dm-x"])
    text = output.getvalue()
    assert "现在在 operator 与机器人的私聊中；operator 是这个私聊的管理员。" in text
    assert "operator@私聊（管理员）> /about" in text
    assert "现在在群聊 #新闻，以 operator（管理员） 的身份发言。" in text
    assert "现在以 小红（成员） 的身份在 #新闻 发言。" in text
    assert "“#dm-x” 不是控制台里的聊天" in text


async def test_presses_carry_the_pressed_messages_chat_and_stay_in_it(
    witnessed_app, witness, tmp_path
):
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(["/in #a", "/where", "/in #b", "/press tap", "/in #a", "/press tap"])
    assert "No message with buttons that operator can see in this chat yet." in output.getvalue()
    pressed = witness.seen[-1]
    assert pressed.is_button and pressed.chat.key == "console:a"
    assert pressed.chat_kind is ChatKind.GROUP and pressed.actor.is_moderator
    assert pressed.source is not None and pressed.source.chat.key == "console:a"
    assert len(witness.seen) == 2

    await console.run_lines(["/in dm", "/where", "/as bob", "/press 1", "/as operator"])
    await console.run_lines(["/press Tap"])
    dm_press = witness.seen[-1]
    assert "No message with buttons that bob can see" in output.getvalue()
    assert (dm_press.chat.key, dm_press.chat_kind) == ("console:dm-operator", ChatKind.PRIVATE)


async def test_a_poll_in_one_group_is_not_listed_in_another(witnessed_app, tmp_path):
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(["/in #a", "/poll Lunch in a? | Pizza | Sushi", "/in #b"])
    before = len(output.getvalue())
    await console.run_lines(["/poll list"])
    in_b = output.getvalue()[before:]
    assert "Lunch in a?" not in in_b and "No polls in this chat yet" in in_b
    await console.run_lines(["/in #a", "/poll list"])
    assert "Lunch in a?" in output.getvalue()[before + len(in_b) :]


async def test_press_by_option_text(witnessed_app, tmp_path):
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(
        ["/poll Is it theft? | Yes | Yes, partly | No", "/as alice", "/press Yes", "/press ye"]
    )
    await console.run_lines(["/press"])
    text = output.getvalue()
    assert "Usage: /press N or /press LABEL" in text
    assert "Your vote in poll #1 is in: Yes." in text
    assert "Yes\n██████████ 100% (1)" in text
    assert "No button “ye” on message #1. Choose 1–3 or a label." in text

    await console.run_lines(["/as bob", "/press no", "/as 小红", "/press yes, P"])
    text = output.getvalue()
    assert "Your vote in poll #1 is in: No." in text
    assert "Your vote in poll #1 is in: Yes, partly." in text

    await console.run_lines(["/as operator", "/poll 算不算？ | 算 | 不算", "/as 小明", "/press 算"])
    assert "Your vote in poll #2 is in: 算." in output.getvalue()


async def test_press_in_a_ranked_ballot_by_option_text(witnessed_app, tmp_path):
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(
        ["/poll Order? | Red | Green | Blue --ranked", "/as alice", "/press green"]
    )
    await console.run_lines(["/press blue", "/press green", "/press red"])
    text = output.getvalue()
    assert "[1] Red   [2] ① Green   [3] ② Blue" in text
    assert "[1] ② Red   [2] Green   [3] ① Blue" in text  # "green" matched "① Green"
    assert "No button" not in text


@pytest.mark.parametrize("line", ["/press ²", "/press ⑨", f"/press {NINES}"])
async def test_odd_presses_are_notes(witnessed_app, tmp_path, line):
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(["/poll Q? | Yes | No", line, "/press 12345", "/about"])
    text = output.getvalue()
    assert text.count("No button “") == 2 and "Choose 1–2 or a label." in text
    assert "About Parley" in text and len(text) < 5_000


async def test_attach_refuses_what_is_not_a_small_regular_file(witnessed_app, tmp_path):
    too_big = tmp_path / "big.bin"
    too_big.write_bytes(b"x" * (MAX_ATTACHMENT_BYTES + 1))
    just_fits = tmp_path / "fits.md"
    just_fits.write_bytes(b"y" * MAX_ATTACHMENT_BYTES)
    locked = tmp_path / "locked.md"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    console, output = console_for(witnessed_app, tmp_path)
    lines = [
        f"/attach {tmp_path}",
        f"/attach {too_big}",
        f"/attach {tmp_path / 'missing.md'}",
        "/attach nul\x00byte",
        "/attach",
        f"/attach {just_fits}",
        "/about",
    ]
    if os.geteuid() != 0:  # root reads anything
        lines.insert(0, f"/attach {locked}")
    await console.run_lines(lines)
    text = output.getvalue()
    assert "it is not a regular file (a directory, device or pipe)." in text
    assert f"larger than {MAX_ATTACHMENT_BYTES} bytes" in text
    assert "missing.md: there is no such file." in text and "Usage: /attach PATH" in text
    assert f"Attached fits.md ({MAX_ATTACHMENT_BYTES} bytes)" in text and "About Parley" in text
    if os.geteuid() != 0:
        assert "locked.md: you may not read it." in text


async def test_attached_files_waiting_are_bounded(witnessed_app, tmp_path):
    note = tmp_path / "note.md"
    note.write_text("# hi", encoding="utf-8")
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines([f"/attach {note}"] * 11)
    text = output.getvalue()
    assert text.count("Attached note.md") == 10
    assert "10 files are already waiting for your next command; send it first." in text


class HiccupTerminal(io.StringIO):
    """A terminal whose next write of `marker` fails once, as a pty may with EIO."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = marker

    def write(self, text: str) -> int:
        if self.marker and self.marker in text:
            self.marker = ""
            raise OSError(errno.EIO, "Input/output error")
        return super().write(text)


async def test_an_unexpected_error_in_a_line_is_a_note_and_the_console_goes_on(
    witnessed_app, tmp_path, caplog
):
    console, output = console_for(witnessed_app, tmp_path, output=HiccupTerminal("/where"))
    with caplog.at_level(logging.ERROR, logger="parley.console"):
        await console.run_lines(["/where", "/about"])
    text = output.getvalue()
    assert "Something went wrong in the console (incident " in text and "About Parley" in text
    incident = text.split("(incident ", 1)[1][:8]
    assert any(incident in record.getMessage() for record in caplog.records)


async def test_a_reply_file_that_cannot_be_saved_still_prints_the_reply(witnessed_app, tmp_path):
    (tmp_path / "files").write_text("a file where the folder should be", encoding="utf-8")
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(["/poll Q? | Yes | No", "/poll results 1 chart", "/about"])
    text = output.getvalue()
    assert "Could not save " in text and "set PARLEY_CONSOLE_FILES to a writable folder" in text
    assert "Results of poll #1" in text or "Poll #1" in text
    assert "something went wrong" not in text.lower() and "About Parley" in text


def limit_memory() -> None:
    """Keep a runaway read from taking the machine: 1 GB of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.slow
def test_the_real_console_survives_every_crash_line(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    lines = [
        "/poll Q? | Yes | No",
        "/press ²",
        "/press ⑨",
        f"/press {NINES}",
        "/attach /dev/zero",
        f"/attach {tmp_path}",
        f"/attach {fifo}",
        "/press yes",
        "/about",
    ]
    env = {**os.environ, "PARLEY_DB": str(tmp_path / "cli.db"), "NO_COLOR": "1"}
    for key in ("DISCORD_TOKEN", "TELEGRAM_TOKEN", "PARLEY_LOCALE", "PARLEY_LOG_LEVEL"):
        env.pop(key, None)
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "parley",
            "console",
            *(arg for line in lines for arg in ("-c", line)),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=90,
        preexec_fn=limit_memory,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert out.count("No button “") == 3
    assert "Cannot attach /dev/zero: it is not a regular file" in out
    assert f"Cannot attach {fifo}: it is not a regular file" in out
    assert "Your vote in poll #1 is in: Yes." in out and "About Parley" in out
    assert "Traceback" not in out + result.stderr


async def test_a_chat_id_in_a_message_header_cannot_steer_the_terminal(witnessed_app, tmp_path):
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(["/poll Q? | Yes | No", "/poll share 1 console:x\x1b[2Jy\u202e"])
    text = output.getvalue()
    assert "→ #x[2Jy" in text
    assert "\x1b" not in text and "\u202e" not in text


async def test_a_press_never_lands_on_someone_elses_private_ballot(witnessed_app, tmp_path):
    console, output = console_for(witnessed_app, tmp_path)
    await console.run_lines(["/poll Pick? | A | B | C --multi 2", "/as alice", "/press A"])
    await console.run_lines(["/as bob", "/press B", "/press submit"])
    text = output.getvalue()
    assert "bob@#console> [2. B]" in text  # the poll's button, not alice's ballot
    assert "Your vote in poll #1 is in: B." in text
    assert "Your vote in poll #1 is in: A, B." not in text
