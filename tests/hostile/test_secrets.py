"""Tokens and secrets never appear in logs, replies or exceptions.

Full scenarios run on Telegram and on Discord with Parley's real logging pipeline at DEBUG
(`configure_logging` with the configured secrets), including a handler that crashes with the
token in its exception, a Bot API error whose description echoes the token in a URL, and a
start with a wrong token. The captured log (formatted, and every raw record), every payload
sent to the platform and every exception text are scanned for each secret. The `python -m parley`
entry point is scanned the same way at DEBUG, and its log must not say who voted what: Parley's
DEBUG setting leaves the platform libraries at INFO.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.adapters.telegram import create_adapter
from bot.app import FatalAdapterError, Parley
from bot.commands import CommandSpec
from bot.context import Context
from bot.i18n import Localized
from bot.logs import configure_logging
from bot.reply import Reply
from bot.services import BaseFeature, Feature, Services
from handlers.polls.actions import PollVote
from tests.discord import builders as discord_builders
from tests.hostile.platforms import all_features, discord_parley, telegram_parley
from tests.support import FakeClock, make_settings
from tests.telegram import builders as telegram_builders
from tests.telegram.builders import make_callback_update, make_message_update
from tests.telegram.conftest import FAST
from tests.telegram.fake_api import TOKEN, FakeBotApi, FakeRequest
from tests.telegram.fake_server import serve_fake_api

ROOT = Path(__file__).resolve().parents[2]
POLL_KEY = "5ec7e7" + "0123456789abcdef" * 4
WEBHOOK_SECRET = "webhook-secret-0123456789"
WRONG_DISCORD = "wrong-discord-token-0123456789"
API_URL = f"https://api.telegram.org/bot{TOKEN}/sendMessage"
SECRETS = (TOKEN, discord_builders.TOKEN, POLL_KEY, WEBHOOK_SECRET, WRONG_DISCORD)


class CrashingFeature(BaseFeature):
    """A command whose handler fails with the token in its exception, like a leaky library."""

    def __init__(self, services: Services) -> None:
        self._settings = services.settings

    def commands(self) -> Iterable[CommandSpec]:
        return (
            CommandSpec(name="boom", description=Localized("crash", "崩溃"), handler=self.boom),
        )

    async def boom(self, ctx: Context) -> Reply:
        telegram, discord = self._settings.telegram_token, self._settings.discord_token
        where = [f"https://api.telegram.org/bot{telegram.get_secret_value()}/sendMessage"]
        where += [f"Authorization: Bot {discord.get_secret_value()}"] if discord else []
        raise RuntimeError(f"request failed: {where}")


def features_with_crash(services: Services) -> list[Feature]:
    return [*all_features(services), CrashingFeature(services)]


class Records(logging.Handler):
    """Every raw log record, at every level."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def parley_texts(self) -> list[str]:
        """The messages of Parley's own records, unformatted: they must not need redaction.

        Libraries may log the Bot API URL with the token at DEBUG, and exceptions (like the
        crash here) may carry it: the formatter redacts those, as the formatted log shows.
        """
        return [r.getMessage() for r in self.records if r.name.startswith("parley")]


@contextmanager
def parley_logging(secrets: Iterable[str]) -> Iterator[tuple[io.StringIO, Records]]:
    """Parley's own logging at DEBUG into a buffer, plus the raw records; restored after."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    noisy = [logging.getLogger(name) for name in logging.root.manager.loggerDict]
    levels = {logger.name: logger.level for logger in noisy}
    stream = io.StringIO()
    raw = Records()
    configure_logging("DEBUG", secrets, stream)
    root.addHandler(raw)
    try:
        yield stream, raw
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        for logger in noisy:
            logger.setLevel(levels[logger.name])


def chain(error: BaseException) -> str:
    texts = []
    current: BaseException | None = error
    while current is not None:
        texts += [str(current), repr(current)]
        # What a traceback would show: the cause, or the context unless suppressed (`from None`).
        hidden = current.__suppress_context__
        current = current.__cause__ or (None if hidden else current.__context__)
    return "\n".join(texts)


def leaks(text: str) -> list[str]:
    found = [secret for secret in SECRETS if secret in text]
    return found + (["abc-fake"] if "abc-fake" in text else [])


async def test_telegram_scenario_leaks_no_secret(tmp_path: Path) -> None:
    env = {"PARLEY_POLL_KEY": POLL_KEY, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, **env)
    exceptions: list[str] = []
    with parley_logging(settings.secrets()) as (stream, raw):
        async with telegram_parley(tmp_path, features=features_with_crash, **env) as rig:
            rig.adapter.application.bot  # noqa: B018 - the real bot, built with the token
            for line in ("/help", "/poll Lunch? | Pizza | Sushi", "/boom", "/summary"):
                await rig.feed(make_message_update(line))
            rig.api.fail("sendMessage", 400, f"Bad Request: chat not found ({API_URL})")
            await rig.feed(make_message_update("/help"))
            await rig.feed(make_callback_update(PollVote(poll=1, option=0).encode()))
            sent = [repr(call.params) for call in rig.api.calls]
        # A wrong token at start-up.
        wrong = FakeBotApi()
        wrong.reject_token = True
        async with Parley.open(settings, FakeClock(), features=features_with_crash) as parley:
            adapter = create_adapter(
                settings,
                parley,
                options=FAST,
                request=FakeRequest(wrong),
                get_updates_request=FakeRequest(wrong),
            )
            with pytest.raises(FatalAdapterError) as refused:
                await adapter.start()
            exceptions.append(chain(refused.value))
    log = stream.getvalue()
    assert log.count("event=handler_crashed") >= 2 and "hat not found" in log, log[-3000:]
    assert "rejected TELEGRAM_TOKEN" in exceptions[0]
    assert leaks(log) == []
    assert [text for text in raw.parley_texts() if leaks(text)] == []
    assert [text for text in sent if leaks(text)] == []
    assert [text for text in exceptions if leaks(text)] == []


async def test_discord_scenario_leaks_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"PARLEY_POLL_KEY": POLL_KEY}
    settings = make_settings(tmp_path, DISCORD_TOKEN=discord_builders.TOKEN, **env)
    with parley_logging([*settings.secrets(), WRONG_DISCORD]) as (stream, raw):
        rigged = discord_parley(tmp_path, monkeypatch, features=features_with_crash, **env)
        async with rigged as rig:
            for name, options in (("help", {}), ("boom", {}), ("poll", {"poll": "A? | B | C"})):
                subcommand = "create" if name == "poll" else None
                await rig.interact(discord_builders.slash(name, options, subcommand=subcommand))
            with pytest.raises(FatalAdapterError) as refused:
                await rig.harness.start(token=WRONG_DISCORD)
            sent = [repr(call.payload) for call in rig.fake.calls]
            paths = [call.path for call in rig.fake.calls]
    log = stream.getvalue()
    assert "event=handler_crashed" in log, log[-3000:]
    assert leaks(log) == []
    assert [text for text in raw.parley_texts() if leaks(text)] == []
    assert [text for text in sent + paths if leaks(text)] == []
    assert leaks(chain(refused.value)) == []


async def _until(check: Callable[[], bool], process: asyncio.subprocess.Process) -> None:
    for _ in range(1000):
        if check() or process.returncode is not None:
            return
        await asyncio.sleep(0.02)


async def _run_entry_point(
    tmp_path: Path, api: FakeBotApi, script: Callable[[asyncio.subprocess.Process], Awaitable[None]]
) -> str:
    """`python -m parley run` at DEBUG against `api` while `script` runs; stdout and stderr."""
    async with serve_fake_api(api) as base_url:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PARLEY_"))}
        env.update(
            TELEGRAM_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=base_url,
            PARLEY_DB=str(tmp_path / "parley.db"),
            PARLEY_LOG_LEVEL="DEBUG",
            PARLEY_POLL_KEY=POLL_KEY,
            PYTHONPATH=str(ROOT),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "parley",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await _until(lambda: bool(api.of("getUpdates")), process)
            await script(process)
            process.send_signal(signal.SIGINT)
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    return (stdout + stderr).decode()


@pytest.mark.slow
async def test_entry_point_at_debug_leaks_no_secret(tmp_path: Path) -> None:
    api = FakeBotApi()
    api.fail("sendMessage", 400, f"Bad Request: chat not found ({API_URL})")

    async def script(process: asyncio.subprocess.Process) -> None:
        api.queue_update(make_message_update("/help"))
        api.queue_update(make_message_update("/help"))
        await _until(lambda: len(api.of("sendMessage")) >= 2, process)

    output = await _run_entry_point(tmp_path, api, script)
    assert "hat not found" in output, output[-3000:]
    assert leaks(output) == []


@pytest.mark.slow
async def test_entry_point_at_debug_does_not_say_who_voted_what(tmp_path: Path) -> None:
    """At DEBUG the platform libraries still log at INFO: no update with a voter and a payload."""
    api = FakeBotApi()
    payloads: list[str] = []

    def poll_buttons() -> list[str]:
        markups = [call.params.get("reply_markup") for call in api.of("sendMessage")]
        rows = [row for markup in markups if markup for row in markup["inline_keyboard"]]
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]

    async def script(process: asyncio.subprocess.Process) -> None:
        poll = "/poll Secret? | Yes | No --anonymous"
        api.queue_update(make_message_update(poll, chat_type="supergroup"))
        await _until(lambda: bool(poll_buttons()), process)
        payloads.append(poll_buttons()[1])
        press = make_callback_update(
            payloads[0], chat_type="supergroup", message_id=api._next_message_id
        )
        api.queue_update(press)
        await _until(lambda: bool(api.of("answerCallbackQuery")), process)

    output = await _run_entry_point(tmp_path, api, script)
    acknowledgements = [str(call.params.get("text")) for call in api.of("answerCallbackQuery")]
    assert [text.startswith("Your vote in poll #1 is in: No.") for text in acknowledgements] == [
        True
    ], output[-3000:]
    assert "logger=telegram" in output, output[-3000:]  # the libraries do log, at INFO
    voter = str(telegram_builders.ALICE)
    assert [line for line in output.splitlines() if voter in line and "poll.vote" in line] == []
    assert payloads[0] not in output and "Your vote" not in output


def test_debug_setting_leaves_platform_libraries_at_info() -> None:
    libraries = ("telegram.ext.ExtBot", "telegram.ext.Application", "discord.state")
    libraries += ("discord.http", "discord.webhook.async_", "aiohttp.client", "httpx")
    with parley_logging(SECRETS):
        assert logging.getLogger("parley.polls").isEnabledFor(logging.DEBUG)
        for name in libraries:
            logger = logging.getLogger(name)
            assert logger.isEnabledFor(logging.WARNING), name
            assert not logger.isEnabledFor(logging.DEBUG), name
