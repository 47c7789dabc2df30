"""Gates before I/O: a refused command costs the bot no download of what was attached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramAdapter
from tests.support import FakeClock, make_settings
from tests.telegram.builders import ALICE, BOB, GROUP_ID, make_document, make_message_update
from tests.telegram.conftest import shipped_bot
from tests.telegram.fake_api import TOKEN, FakeBotApi

ARTICLE = (
    "# Harbour lights\n\nThe harbour opened a new pier this spring. Boats now dock at night. "
    "The town hopes for more visitors."
)


@pytest.fixture
async def telegram(
    tmp_path: Path, clock: FakeClock
) -> AsyncIterator[tuple[TelegramAdapter, FakeBotApi]]:
    """Every shipped feature on the Telegram adapter over the fake Bot API."""
    api = FakeBotApi()
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN)
    async with shipped_bot(settings, clock, api) as adapter:
        yield adapter, api


async def feed(adapter: TelegramAdapter, payload: dict) -> None:
    application = adapter.application
    await application.process_update(Update.de_json(payload, application.bot))


def texts(api: FakeBotApi) -> list[str]:
    return [str(call.params.get("text", "")) for call in api.of("sendMessage")]


async def test_a_members_refused_article_add_downloads_nothing(telegram) -> None:
    adapter, api = telegram
    api.admins[GROUP_ID] = {BOB}
    api.files["documents/doc1"] = ARTICLE.encode()
    document = make_document("doc1", "harbour.md", len(ARTICLE.encode()), "text/markdown")
    await feed(
        adapter,
        make_message_update(
            "/article add", chat_type="supergroup", user_id=ALICE, document=document
        ),
    )
    assert "Only moderators" in texts(api)[-1]
    assert api.of("getFile") == []
    await feed(
        adapter,
        make_message_update(
            "/article add", chat_type="supergroup", user_id=BOB, first_name="Bob", document=document
        ),
    )
    assert len(api.of("getFile")) == 1
    assert "Harbour lights" in texts(api)[-1]
