"""Issue 16's poll buttons on Telegram: a `--shuffle` poll's Vote button opens a private ballot."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramAdapter
from handlers.polls.actions import PollBallot
from tests.support import FakeClock, make_settings
from tests.telegram.builders import BOB, make_callback_update, make_message_update
from tests.telegram.conftest import shipped_bot
from tests.telegram.fake_api import TOKEN, FakeBotApi

GROUP = "supergroup"


@pytest.fixture
async def telegram(
    tmp_path: Path, clock: FakeClock
) -> AsyncIterator[tuple[TelegramAdapter, FakeBotApi]]:
    api = FakeBotApi()
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, PARLEY_RATE_LIMIT_BURST=100)
    async with shipped_bot(settings, clock, api) as adapter:
        yield adapter, api


async def feed(adapter: TelegramAdapter, payload: dict[str, Any]) -> None:
    application = adapter.application
    await application.process_update(Update.de_json(payload, application.bot))


def keyboards(api: FakeBotApi) -> list[tuple[int, list[str], list[str]]]:
    """Every message sent with buttons: its id, its buttons' labels and callback data."""
    found = []
    for call in api.of("sendMessage"):
        markup = call.params.get("reply_markup")
        if markup:
            rows = (json.loads(markup) if isinstance(markup, str) else markup)["inline_keyboard"]
            labels = [button["text"] for row in rows for button in row]
            data = [button["callback_data"] for row in rows for button in row]
            found.append((call.result["message_id"], labels, data))
    return found


def answers(api: FakeBotApi) -> list[str]:
    return [str(call.params.get("text", "")) for call in api.of("answerCallbackQuery")]


async def test_the_vote_button_of_a_shuffled_poll_opens_a_ballot_in_the_voters_order(telegram):
    adapter, api = telegram
    line = "/poll Pet? | Ant | Bee | Cat | Dog --shuffle --open"
    await feed(adapter, make_message_update(line, chat_type=GROUP))
    [(poll_message, labels, data)] = keyboards(api)
    assert labels == ["Vote"] and data == [PollBallot(poll=1).encode()]
    await feed(adapter, make_callback_update(data[0], message_id=poll_message, chat_type=GROUP))
    ballot_id, toggles, picks = keyboards(api)[-1]
    assert sorted(toggles[:4]) == ["Ant", "Bee", "Cat", "Dog"]
    assert all(payload.startswith("v1:poll.pick:1:-:") for payload in picks[:4])
    await feed(adapter, make_callback_update(picks[0], message_id=ballot_id, chat_type=GROUP))
    edited = api.of("editMessageText")[-1].params
    markup = edited["reply_markup"]
    rows = (json.loads(markup) if isinstance(markup, str) else markup)["inline_keyboard"]
    assert rows[0][0]["text"] == f"✓ {toggles[0]}"
    submit = next(b["callback_data"] for row in rows for b in row if b["text"] == "Submit")
    await feed(adapter, make_callback_update(submit, message_id=ballot_id, chat_type=GROUP))
    assert f"Your vote in poll #1 is in: {toggles[0]}" in " ".join(
        [*answers(api), *(str(c.params.get("text", "")) for c in api.of("sendMessage"))]
    )
    await feed(adapter, make_message_update("/poll add 1 Eel", chat_type=GROUP, user_id=BOB))
    assert any("Added option 5 to poll #1: Eel." in str(c.params) for c in api.calls)
