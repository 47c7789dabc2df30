"""A live poll message Telegram says is gone is edited no more (adapters.md D7).

Telegram answers an edit of a deleted message with `400 message to edit not found`, and one in a
group that removed the bot with `403 Forbidden`; both last, so the poll forgets the message
instead of trying it again on every vote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import FakeClock, make_settings
from tests.telegram.builders import BOB, make_callback_update, make_message_update
from tests.telegram.conftest import shipped_parley
from tests.telegram.fake_api import TOKEN, FakeBotApi
from tests.telegram.test_lazy_moderators import answers, buttons, feed

GROUP = "supergroup"


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (400, "Bad Request: message to edit not found"),
        (403, "Forbidden: bot was kicked from the supergroup chat"),
    ],
)
async def test_a_poll_message_gone_for_the_bot_is_not_edited_again(
    tmp_path: Path, clock: FakeClock, status: int, description: str
) -> None:
    api = FakeBotApi()
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, PARLEY_RATE_LIMIT_BURST=1000)
    async with shipped_parley(settings, clock, api) as (parley, adapter):
        await feed(adapter, make_message_update("/poll Lunch? | Pizza | Soup", chat_type=GROUP))
        message_id, data = buttons(api)
        api.fail("editMessageText", status, description)

        press = make_callback_update(data[0], message_id=message_id, chat_type=GROUP, user_id=BOB)
        await feed(adapter, press)
        await parley.services.background.idle()
        assert answers(api)[-1].startswith("Your vote in poll #1 is in: Pizza")

        await feed(adapter, make_message_update("/poll close 1", chat_type=GROUP))  # Alice's
        await parley.services.background.idle()
        assert "Poll #1 is closed." in api.sent_texts()
    assert len(api.of("editMessageText")) == 1  # only the refused edit: closing edits nothing
