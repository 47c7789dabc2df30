"""Platform faults not covered in tests/telegram and tests/discord: a Discord 429 on a send is
waited out and retried; Telegram's long poll survives network errors and keeps serving."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from aiohttp import web

from bot.adapters.telegram import TelegramOptions, create_adapter
from bot.app import Parley
from bot.identity import ChatRef
from bot.reply import Reply
from tests.discord import builders
from tests.discord.conftest import Harness
from tests.reliability.bot_process import eventually
from tests.support import FakeClock, make_settings
from tests.telegram.builders import make_message_update
from tests.telegram.fake_api import TOKEN, FakeBotApi
from tests.telegram.fake_server import serve_fake_api
from tests.telegram.feature import telegram_test_features


async def test_discord_429_on_a_send_is_waited_out_and_retried(harness: Harness) -> None:
    adapter = await harness.start()
    server = harness.fake
    answer = server._answer
    limited = {"left": 1}

    def rate_limited(request: web.Request, call):
        if limited["left"] and call.method == "POST" and call.path.endswith("/messages"):
            limited["left"] -= 1
            body = (
                b'{"message": "You are being rate limited.", "retry_after": 0.3, "global": false}'
            )
            headers = {
                "Content-Type": "application/json",
                "Via": "1.1 google",
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": "0.3",
                "X-RateLimit-Bucket": "fake-bucket",
                "X-RateLimit-Scope": "user",
            }
            return web.Response(status=429, body=body, headers=headers)
        return answer(request, call)

    server._answer = rate_limited
    started = time.monotonic()
    ref = await adapter.gateway.send(ChatRef("discord", builders.CHANNEL_ID), Reply.text("hi"))
    waited = time.monotonic() - started
    posts = [c for c in server.calls if c.method == "POST" and c.path.endswith("/messages")]
    assert len(posts) == 2 and ref.message_id  # refused once, then sent
    assert waited >= 0.25  # the retry_after was honoured


@pytest.mark.slow
async def test_telegram_polling_survives_network_errors(tmp_path: Path, clock: FakeClock) -> None:
    api = FakeBotApi()
    async with serve_fake_api(api) as base_url:
        settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=base_url)
        async with Parley.open(settings, clock, features=telegram_test_features) as parley:
            adapter = create_adapter(
                settings, parley, options=TelegramOptions(poll_timeout=1, bootstrap_retries=0)
            )
            await adapter.start()
            try:
                api.fail("getUpdates", 502, "Bad Gateway", times=2)
                api.queue_update(make_message_update("/greet 1 Ann"))
                await eventually(lambda: bool(api.of("sendMessage")), within=15)
                assert api.of("sendMessage")[0].params["text"] == "Hello Ann!"
                assert api.failures["getUpdates"] == []  # both errors were served
            finally:
                await adapter.stop()
