"""End to end over HTTP on 127.0.0.1: the real polling loop, and `python -m parley` as a child."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.telegram import TelegramAdapter, TelegramOptions, create_adapter
from bot.app import Parley
from tests.support import FakeClock, make_settings
from tests.telegram.builders import make_callback_update, make_message_update
from tests.telegram.conftest import FAST
from tests.telegram.fake_api import TOKEN, FakeBotApi, FakeRequest
from tests.telegram.fake_server import serve_fake_api
from tests.telegram.feature import Tap, telegram_test_features

ROOT = Path(__file__).resolve().parents[2]


async def eventually(check: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@pytest.fixture
async def served(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi
) -> AsyncIterator[TelegramAdapter]:
    async with serve_fake_api(api) as base_url:
        settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base_url)
        async with Parley.open(settings, clock, features=telegram_test_features) as parley:
            adapter = create_adapter(
                settings, parley, options=TelegramOptions(poll_timeout=1, bootstrap_retries=0)
            )
            await adapter.start()
            try:
                yield adapter
            finally:
                await adapter.stop()


async def test_polling_loop_delivers_updates_and_confirms_offsets(
    served: TelegramAdapter, api: FakeBotApi
) -> None:
    assert [c.method for c in api.calls[:1]] == ["getMe"]
    assert api.of("deleteWebhook")
    first = api.queue_update(make_message_update("/greet 1 Ann"))
    await eventually(lambda: bool(api.of("sendMessage")))
    assert api.of("sendMessage")[0].params["text"] == "Hello Ann!"
    second = api.queue_update(make_callback_update(Tap(amount=1).encode(), message_id=9))
    await eventually(lambda: bool(api.of("answerCallbackQuery")))
    assert api.of("editMessageText")[0].params["message_id"] == 9
    offsets = [int(c.params.get("offset") or 0) for c in api.of("getUpdates")]
    assert first + 1 in offsets and second + 1 in offsets
    allowed = api.of("getUpdates")[-1].params["allowed_updates"]
    assert "callback_query" in allowed and "chat_member" in allowed
    await served.stop()
    assert int(api.of("getUpdates")[-1].params["offset"]) == second + 1


async def test_files_travel_as_multipart_and_downloads(
    served: TelegramAdapter, api: FakeBotApi
) -> None:
    api.queue_update(make_message_update("/chart"))
    await eventually(lambda: bool(api.of("sendMessage")))
    [photo] = api.of("sendPhoto")
    assert photo.files["photo"] == b"\x89PNG fake" and photo.params["caption"] == "<b>Chart</b>"


def _environment(tmp_path: Path, base_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "DISCORD_", "PARLEY_"))
    }
    env.update(
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=base_url,
        PARLEY_DB=str(tmp_path / "parley.db"),
        PYTHONPATH=str(ROOT),
    )
    return env


async def _run_bot(tmp_path: Path, base_url: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "parley",
        "run",
        cwd=tmp_path,
        env=_environment(tmp_path, base_url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.slow
async def test_entry_point_serves_telegram_and_stops_cleanly_on_sigint(
    tmp_path: Path, api: FakeBotApi
) -> None:
    async with serve_fake_api(api) as base_url:
        process = await _run_bot(tmp_path, base_url)
        try:
            await eventually(lambda: bool(api.of("getUpdates")), within=30)
            api.queue_update(make_message_update("/help"))
            await eventually(lambda: bool(api.of("sendMessage")), within=15)
            process.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "<b>Parley commands</b>" in api.of("sendMessage")[0].params["text"]
    assert TOKEN not in log and "abc-fake" not in log
    assert "Traceback" not in log


@pytest.mark.slow
async def test_entry_point_exits_1_with_a_clear_message_for_a_wrong_token(
    tmp_path: Path, api: FakeBotApi
) -> None:
    api.reject_token = True
    async with serve_fake_api(api) as base_url:
        process = await _run_bot(tmp_path, base_url)
        try:
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    log = stderr.decode()
    assert process.returncode == 1, log
    assert "parley: Telegram rejected TELEGRAM_TOKEN" in log
    assert "Traceback" not in log and TOKEN not in log


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_sets_the_webhook_and_checks_the_secret(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi
) -> None:
    port = _free_port()
    settings = make_settings(
        tmp_path,
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_URL="https://bot.example.org/tg-hook",
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=port,
        TELEGRAM_WEBHOOK_SECRET="hook-secret-1",
    )
    async with Parley.open(settings, clock, features=telegram_test_features) as parley:
        adapter = create_adapter(
            settings,
            parley,
            options=FAST,
            request=FakeRequest(api),
            get_updates_request=FakeRequest(api),
        )
        await adapter.start()
        try:
            [hook] = api.of("setWebhook")
            assert hook.params["url"] == "https://bot.example.org/tg-hook"
            assert hook.params["secret_token"] == "hook-secret-1"
            url = f"http://127.0.0.1:{port}/tg-hook"
            async with aiohttp.ClientSession() as session:
                update = make_message_update("/greet 1 Hook")
                forged = await session.post(url, json=update)
                assert forged.status == 403
                headers = {"X-Telegram-Bot-Api-Secret-Token": "hook-secret-1"}
                accepted = await session.post(url, json=update, headers=headers)
                assert accepted.status == 200
            await eventually(lambda: bool(api.of("sendMessage")))
            assert [c.params["text"] for c in api.of("sendMessage")] == ["Hello Hook!"]
        finally:
            await adapter.stop()
