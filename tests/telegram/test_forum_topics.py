"""Forum topics: a schedule made in a topic posts there, is cancelled there, and reports there.

A supergroup with topics sends each message with its topic's `message_thread_id`; the job
keeps it (its target and where it was made), so a post made in topic 77 never lands in General.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.app import Parley
from tests.support import FakeClock, make_settings
from tests.telegram.builders import ALICE, GROUP_ID, make_message_update
from tests.telegram.conftest import shipped_parley
from tests.telegram.fake_api import BOT_ID, TOKEN, FakeBotApi
from tests.telegram.test_lazy_moderators import feed

TOPIC = 77
FORUM = {"id": GROUP_ID, "type": "supergroup", "title": "Parley Forum", "is_forum": True}


@pytest.fixture
async def forum(
    tmp_path: Path, clock: FakeClock
) -> AsyncIterator[tuple[Parley, TelegramAdapter, FakeBotApi]]:
    """Every shipped feature in a forum supergroup that Alice administers."""
    api = FakeBotApi()
    api.admins[GROUP_ID] = {ALICE}
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, PARLEY_RATE_LIMIT_BURST=1000)
    async with shipped_parley(settings, clock, api) as (parley, adapter):
        yield parley, adapter, api


def in_topic(text: str) -> dict[str, Any]:
    """Alice writes `text` in topic 77."""
    update = make_message_update(text, chat=FORUM)
    update["message"].update(message_thread_id=TOPIC, is_topic_message=True)
    return update


def sent_since(api: FakeBotApi, start: int) -> list[tuple[Any, str]]:
    """(thread, text) of each message sent after the first `start` calls."""
    return [
        (call.params.get("message_thread_id"), str(call.params["text"]))
        for call in api.calls[start:]
        if call.method == "sendMessage"
    ]


async def test_a_schedule_made_in_a_topic_posts_and_is_cancelled_there(forum, clock) -> None:
    parley, adapter, api = forum
    await feed(adapter, in_topic("/schedule summary in 1h"))
    await feed(adapter, in_topic("/schedule summary in 2h"))
    # The confirmations go to Alice privately; the notes saying so stay in the topic.
    assert [thread for thread, _ in sent_since(api, 0)] == [None, TOPIC, None, TOPIC]

    start = len(api.calls)
    clock.advance(hours=1, minutes=1)
    assert await parley.services.scheduler.run_due() == 1
    [(thread, _)] = sent_since(api, start)
    assert thread == TOPIC

    start = len(api.calls)
    await feed(adapter, in_topic("/schedule cancel 2"))
    [(private, text), (thread, _)] = sent_since(api, start)
    assert private is None and "#2" in text and thread == TOPIC
    clock.advance(hours=2)
    assert await parley.services.scheduler.run_due() == 0


async def test_a_stopped_scheduled_post_is_told_in_its_topic(forum, clock) -> None:
    parley, adapter, api = forum
    await feed(adapter, in_topic("/schedule summary in 1h"))
    api.statuses[(GROUP_ID, BOT_ID)] = "left"  # the bot was removed meanwhile
    api.fail("sendMessage", 403, "Forbidden: bot can't initiate conversation with a user")
    start = len(api.calls)
    clock.advance(hours=2)
    await parley.services.scheduler.run_due()
    [private, (thread, text)] = sent_since(api, start)  # Alice never opened a private chat
    assert private[0] is None and thread == TOPIC and "#1" in text
