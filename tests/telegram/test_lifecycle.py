"""Start-up and shut-down: menu publication, wrong tokens, network faults, half-way failures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramAdapter, create_adapter, webhook_from
from bot.adapters.telegram.connection import api_urls
from bot.app import FatalAdapterError, Parley
from tests.support import FakeClock, make_settings
from tests.telegram.builders import make_message_update
from tests.telegram.conftest import FAST, SLEEPS
from tests.telegram.fake_api import TOKEN, FakeBotApi, FakeRequest
from tests.telegram.feature import telegram_test_features

MakeAdapter = Callable[[], Awaitable[TelegramAdapter]]


@pytest.fixture
async def make_adapter(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi
) -> AsyncIterator[MakeAdapter]:
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN)
    adapters: list[TelegramAdapter] = []
    async with Parley.open(settings, clock, features=telegram_test_features) as parley:

        async def make() -> TelegramAdapter:
            adapter = create_adapter(
                settings,
                parley,
                options=FAST,
                request=FakeRequest(api),
                get_updates_request=FakeRequest(api),
            )
            adapters.append(adapter)
            return adapter

        yield make
        for adapter in adapters:
            await adapter.stop()


async def test_menu_is_published_per_scope_and_language(
    make_adapter: MakeAdapter, api: FakeBotApi
) -> None:
    adapter = await make_adapter()
    await adapter.start()
    calls = api.of("setMyCommands")
    seen = {(c.params["scope"]["type"], c.params.get("language_code")) for c in calls}
    assert seen == {
        (scope, language)
        for scope in ("default", "all_private_chats", "all_chat_administrators")
        for language in (None, "zh")
    }
    for call in calls:
        names = [command["command"] for command in call.params["commands"]]
        moderator = call.params["scope"]["type"] != "default"
        assert ("secret" in names) is moderator, (call.params["scope"], names)
        assert all(len(c["description"]) <= 256 for c in call.params["commands"])
    zh_default = next(
        c for c in calls if c.params["scope"]["type"] == "default" and c.params.get("language_code")
    )
    assert {"command": "help", "description": "列出命令或说明某个命令"} in zh_default.params[
        "commands"
    ]


async def test_failing_menu_does_not_stop_the_bot(
    make_adapter: MakeAdapter, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail("setMyCommands", 400, "Bad Request: BOT_COMMAND_INVALID", times=6)
    adapter = await make_adapter()
    await adapter.start()
    assert adapter.application.running
    assert "event=set_commands_failed" in caplog.text
    await adapter.application.process_update(
        Update.de_json(make_message_update("/about"), adapter.application.bot)
    )
    assert any("About Parley" in c.params["text"] for c in api.of("sendMessage"))


async def test_wrong_token_is_fatal_with_a_clear_message(
    make_adapter: MakeAdapter, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api.reject_token = True
    adapter = await make_adapter()
    with pytest.raises(FatalAdapterError, match="rejected TELEGRAM_TOKEN") as caught:
        await adapter.start()
    assert TOKEN not in str(caught.value) and TOKEN not in caplog.text
    assert not adapter.application.running
    await adapter.stop()  # idempotent


async def test_network_errors_at_start_are_retried_with_back_off(
    make_adapter: MakeAdapter, api: FakeBotApi
) -> None:
    SLEEPS.clear()
    api.fail("getMe", 502, "Bad Gateway", times=2)
    adapter = await make_adapter()
    await adapter.start()
    assert adapter.application.running
    assert SLEEPS == [0.01, 0.02]


async def test_unreachable_telegram_gives_up_after_bounded_attempts(
    make_adapter: MakeAdapter, api: FakeBotApi
) -> None:
    api.fail("getMe", 502, "Bad Gateway", times=10)
    adapter = await make_adapter()
    with pytest.raises(FatalAdapterError, match="after 3 attempts"):
        await adapter.start()
    assert len(api.of("getMe")) == 3


async def test_failure_half_way_through_start_stops_what_was_started(
    make_adapter: MakeAdapter, api: FakeBotApi
) -> None:
    api.fail("deleteWebhook", 400, "Bad Request: fake refusal")
    adapter = await make_adapter()
    with pytest.raises(FatalAdapterError, match=r"(?i)fake refusal"):
        await adapter.start()
    assert not adapter.application.running
    assert adapter.application.updater is not None and not adapter.application.updater.running


async def test_revoked_token_ends_the_adapter(make_adapter: MakeAdapter, api: FakeBotApi) -> None:
    adapter = await make_adapter()
    await adapter.start()
    api.reject_token = True
    await adapter.application.process_update(
        Update.de_json(make_message_update("/about"), adapter.application.bot)
    )
    with pytest.raises(FatalAdapterError, match="rejected TELEGRAM_TOKEN"):
        await adapter.wait()


def test_api_urls_for_a_self_hosted_server() -> None:
    assert api_urls(None) == ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot")
    assert api_urls("http://localhost:8081/bot") == (
        "http://localhost:8081/bot",
        "http://localhost:8081/file/bot",
    )
    assert api_urls("http://localhost:8081/") == (
        "http://localhost:8081/bot",
        "http://localhost:8081/file/bot",
    )


def test_webhook_settings(tmp_path: Path) -> None:
    assert webhook_from(make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN)) is None
    hook = webhook_from(
        make_settings(
            tmp_path, TELEGRAM_TOKEN=TOKEN, TELEGRAM_WEBHOOK_URL="https://bot.example.org/tg/hook"
        )
    )
    assert hook is not None
    assert hook.url_path == "/tg/hook" and hook.port == 8443
    assert len(hook.secret_token) >= 32
    fixed = webhook_from(
        make_settings(
            tmp_path,
            TELEGRAM_TOKEN=TOKEN,
            TELEGRAM_WEBHOOK_URL="https://bot.example.org",
            TELEGRAM_WEBHOOK_SECRET="s3cret-value",
        )
    )
    assert fixed is not None and fixed.secret_token == "s3cret-value" and fixed.url_path == "/"
