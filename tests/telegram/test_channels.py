"""Channels (adapters.md D3, D4): their administrators moderate, and private answers stay private.

A channel post comes from the channel itself (`sender_chat`, no `from`): whoever posted is one
of its administrators. A press on a channel's message comes from a person, checked against the
channel's administrators. Anything meant for one person's eyes is never posted to subscribers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.telegram import TelegramAdapter
from tests.support import FakeClock, make_settings
from tests.telegram.builders import (
    ALICE,
    BOB,
    CHANNEL_ID,
    make_callback_update,
    make_channel_post,
)
from tests.telegram.conftest import shipped_bot
from tests.telegram.fake_api import TOKEN, FakeBotApi
from tests.telegram.test_lazy_moderators import answers, feed

ARGUMENT = "Audits by independent labs would settle the numbers."


@pytest.fixture
async def channel(
    tmp_path: Path, clock: FakeClock
) -> AsyncIterator[tuple[TelegramAdapter, FakeBotApi]]:
    """Every shipped feature; Alice administers the channel (she created it), Bob reads it."""
    api = FakeBotApi()
    api.admins[CHANNEL_ID] = {ALICE}
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, PARLEY_RATE_LIMIT_BURST=1000)
    async with shipped_bot(settings, clock, api) as adapter:
        yield adapter, api


def posted_in_channel(api: FakeBotApi) -> list[str]:
    return [
        str(c.params["text"]) for c in api.of("sendMessage") if c.params["chat_id"] == CHANNEL_ID
    ]


async def test_a_channel_administrator_approves_on_the_queue_a_reader_is_refused(channel) -> None:
    adapter, api = channel
    await feed(adapter, make_channel_post(f"/argue labs {ARGUMENT}", signature="Alice"))
    await feed(adapter, make_channel_post("/argue queue"))  # a moderator panel: never published
    [note] = posted_in_channel(api)
    assert ARGUMENT not in note and "a channel post does not say who sent it" in note
    message_id = api.of("sendMessage")[-1].result["message_id"]

    def press(user_id: int) -> dict:  # an Approve button on a channel message (an old queue)
        return make_callback_update(
            "v1:arg.ok:1", message_id=message_id, chat_type="channel", user_id=user_id
        )

    await feed(adapter, press(BOB))
    assert "Only moderators" in answers(api)[-1]
    await feed(adapter, press(ALICE))
    to_alice = [c.params["text"] for c in api.of("sendMessage") if c.params["chat_id"] == ALICE]
    assert "Approved argument #1." in [answers(api)[-1], *to_alice]
    assert not api.of("editMessageText")  # the refreshed queue is not edited into the channel
    assert all(ARGUMENT not in text for text in posted_in_channel(api))
    assert len(api.of("getChatAdministrators")) == 1  # the channel's, asked once


async def test_private_answers_to_channel_posts_are_never_published(channel) -> None:
    adapter, api = channel
    await feed(adapter, make_channel_post("/poll Lunch?"))  # a usage error: private
    await feed(adapter, make_channel_post(f"/argue labs {ARGUMENT}"))  # "thanks": private
    await feed(adapter, make_channel_post("/poll Lunch? | Pizza | Soup"))  # the poll: public
    assert len(posted_in_channel(api)) == 1
    assert "Lunch?" in posted_in_channel(api)[0] and "Pizza" in posted_in_channel(api)[0]
    assert [c.params["chat_id"] for c in api.of("sendMessage")] == [CHANNEL_ID]
