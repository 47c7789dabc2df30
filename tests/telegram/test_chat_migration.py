"""A group upgraded to a supergroup keeps its settings and schedules (adapters.md D1).

Telegram tells it twice (a service message in each chat) and refuses every later call to the
old id with `ChatMigrated`; either way Parley moves the chat's rows to the new id, once, and a
daily post keeps running in the supergroup.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramAdapter
from bot.app import Parley
from tests.support import FakeClock, make_settings
from tests.telegram.builders import (
    ALICE,
    BASIC_GROUP_ID,
    make_message_update,
    make_migration_updates,
)
from tests.telegram.conftest import shipped_parley
from tests.telegram.fake_api import TOKEN, FakeBotApi

SUPERGROUP_ID = -1009876543210
OLD_CHAT = {"id": BASIC_GROUP_ID, "type": "group", "title": "Parley Test"}
NEW_CHAT = {"id": SUPERGROUP_ID, "type": "supergroup", "title": "Parley Test"}


@pytest.fixture
async def bot(
    tmp_path: Path, clock: FakeClock
) -> AsyncIterator[tuple[Parley, TelegramAdapter, FakeBotApi]]:
    """Every shipped feature; Alice administers the group, before and after the upgrade."""
    api = FakeBotApi()
    api.admins[BASIC_GROUP_ID] = {ALICE}
    api.admins[SUPERGROUP_ID] = {ALICE}
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, PARLEY_RATE_LIMIT_BURST=1000)
    async with shipped_parley(settings, clock, api) as (parley, adapter):
        yield parley, adapter, api


async def feed(adapter: TelegramAdapter, payload: dict[str, Any]) -> None:
    application = adapter.application
    await application.process_update(Update.de_json(payload, application.bot))


async def say(adapter: TelegramAdapter, api: FakeBotApi, chat: dict[str, Any], text: str) -> str:
    """Alice writes `text` in `chat`; the bot's answer (a moderator panel in her private chat,
    with a note in `chat`)."""
    before = len(api.of("sendMessage"))
    await feed(adapter, make_message_update(text, chat=chat))
    sent = api.of("sendMessage")[before:]
    assert chat["id"] in {call.params["chat_id"] for call in sent} <= {chat["id"], ALICE}
    return "\n".join(str(call.params["text"]) for call in sent)


async def set_up_the_basic_group(adapter: TelegramAdapter, api: FakeBotApi) -> None:
    assert "Asia/Shanghai" in await say(adapter, api, OLD_CHAT, "/settings timezone Asia/Shanghai")
    assert "Scheduled #" in await say(adapter, api, OLD_CHAT, "/schedule summary daily 09:00")


async def assert_the_supergroup_has_it_all(adapter: TelegramAdapter, api: FakeBotApi) -> None:
    assert "Asia/Shanghai" in await say(adapter, api, NEW_CHAT, "/settings")
    listed = await say(adapter, api, NEW_CHAT, "/schedule list")
    assert "summary" in listed and "daily 09:00" in listed


def posts_into(api: FakeBotApi, chat_id: int) -> int:
    return sum(1 for call in api.of("sendMessage") if call.params["chat_id"] == chat_id)


async def test_the_service_messages_move_the_group_and_its_daily_post_goes_on(bot, clock) -> None:
    parley, adapter, api = bot
    await set_up_the_basic_group(adapter, api)
    api.migrate(BASIC_GROUP_ID, SUPERGROUP_ID)
    since = len(api.calls)
    for update in make_migration_updates(BASIC_GROUP_ID, SUPERGROUP_ID):
        await feed(adapter, update)  # both notices: the second changes nothing

    await assert_the_supergroup_has_it_all(adapter, api)
    posted_before = posts_into(api, SUPERGROUP_ID)
    clock.advance(days=1)
    assert await parley.services.scheduler.run_due() == 1
    assert posts_into(api, SUPERGROUP_ID) == posted_before + 1
    to_old = [call for call in api.calls[since:] if call.params.get("chat_id") == BASIC_GROUP_ID]
    assert to_old == []


async def test_a_scheduled_post_refused_with_chat_migrated_is_re_targeted(bot, clock) -> None:
    parley, adapter, api = bot
    await set_up_the_basic_group(adapter, api)
    api.migrate(BASIC_GROUP_ID, SUPERGROUP_ID)  # no service message reached the bot
    since = len(api.calls)
    clock.advance(days=1)

    assert await parley.services.scheduler.run_due() == 1

    refused = [call for call in api.calls[since:] if call.params.get("chat_id") == BASIC_GROUP_ID]
    assert [call.method for call in refused] == ["getChat", "sendMessage"]  # then the new id
    assert posts_into(api, SUPERGROUP_ID) == 1
    await assert_the_supergroup_has_it_all(adapter, api)
    for update in make_migration_updates(BASIC_GROUP_ID, SUPERGROUP_ID):
        await feed(adapter, update)  # arriving late: nothing more to move
    await assert_the_supergroup_has_it_all(adapter, api)
    since = len(api.calls)
    clock.advance(days=1)
    assert await parley.services.scheduler.run_due() == 1  # the next day's, straight there
    checked_and_sent = api.calls[since:]
    assert {call.params["chat_id"] for call in checked_and_sent} == {SUPERGROUP_ID}
    assert [call.method for call in checked_and_sent][-1] == "sendMessage"
