"""Gates before I/O: a group's administrators are asked for only when a router gate needs them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramAdapter
from tests.support import FakeClock, make_settings
from tests.telegram.builders import (
    ALICE,
    BOB,
    GROUP_ID,
    make_callback_update,
    make_document,
    make_message_update,
)
from tests.telegram.conftest import shipped_bot
from tests.telegram.fake_api import TOKEN, FakeBotApi

GROUP = "supergroup"
LOOKUP = "getChatAdministrators"


@pytest.fixture
async def telegram(
    tmp_path: Path, clock: FakeClock
) -> AsyncIterator[tuple[TelegramAdapter, FakeBotApi]]:
    """Every shipped feature on the Telegram adapter over the fake Bot API; Bob administers."""
    api = FakeBotApi()
    api.admins[GROUP_ID] = {BOB}
    settings = make_settings(
        tmp_path, TELEGRAM_TOKEN=TOKEN, PARLEY_RATE_LIMIT_BURST=3, PARLEY_RATE_LIMIT_PER_MINUTE=1
    )
    async with shipped_bot(settings, clock, api) as adapter:
        yield adapter, api


async def feed(adapter: TelegramAdapter, payload: dict[str, Any]) -> None:
    application = adapter.application
    await application.process_update(Update.de_json(payload, application.bot))


def texts(api: FakeBotApi) -> list[str]:
    return [str(call.params.get("text", "")) for call in api.of("sendMessage")]


def answers(api: FakeBotApi) -> list[str]:
    return [str(call.params.get("text", "")) for call in api.of("answerCallbackQuery")]


def buttons(api: FakeBotApi) -> tuple[int, list[str]]:
    """The last message sent with buttons: its id and its buttons' callback data."""
    for call in reversed(api.of("sendMessage")):
        markup = call.params.get("reply_markup")
        if markup:
            rows = (json.loads(markup) if isinstance(markup, str) else markup)["inline_keyboard"]
            data = [button["callback_data"] for row in rows for button in row]
            return call.result["message_id"], data
    raise AssertionError("no message with buttons was sent")


async def test_a_members_poll_and_vote_in_a_group_never_ask_for_administrators(telegram) -> None:
    adapter, api = telegram
    await feed(adapter, make_message_update("/poll Lunch? | Pizza | Soup", chat_type=GROUP))
    message_id, data = buttons(api)
    await feed(adapter, make_callback_update(data[0], message_id=message_id, chat_type=GROUP))
    assert "Pizza" in answers(api)[-1]
    assert api.of(LOOKUP) == []


async def test_a_refused_press_asks_for_no_administrators(telegram) -> None:
    adapter, api = telegram
    await feed(adapter, make_callback_update("v1:no.such:1", chat_type=GROUP, message_id=7))
    assert "expired" in answers(api)[-1]
    assert api.of(LOOKUP) == []


async def test_only_a_moderator_command_asks_and_a_members_article_add_downloads_nothing(
    telegram,
) -> None:
    adapter, api = telegram
    await feed(adapter, make_message_update("/about", chat_type=GROUP))
    assert api.of(LOOKUP) == []
    document = make_document("doc1", "harbour.md", 40, "text/markdown")
    update = make_message_update("/article add", chat_type=GROUP, document=document)
    await feed(adapter, update)
    assert "Only moderators" in texts(api)[-1]
    assert len(api.of(LOOKUP)) == 1
    assert api.of("getFile") == []


async def test_only_a_member_out_of_tokens_is_checked_and_an_administrator_gets_more(
    telegram,
) -> None:
    adapter, api = telegram
    for _ in range(3):
        await feed(adapter, make_message_update("/about", chat_type=GROUP, user_id=ALICE))
    for _ in range(3):
        await feed(adapter, make_message_update("/about", chat_type=GROUP, user_id=BOB))
    assert api.of(LOOKUP) == []  # nobody was out of tokens yet
    await feed(adapter, make_message_update("/about", chat_type=GROUP, user_id=ALICE))
    assert "going a bit fast" in texts(api)[-1]
    assert len(api.of(LOOKUP)) == 1
    await feed(adapter, make_message_update("/about", chat_type=GROUP, user_id=BOB))
    assert "going a bit fast" not in texts(api)[-1]
    assert len(api.of(LOOKUP)) == 1  # the administrators were cached
