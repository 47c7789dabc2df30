"""Moderator panels on Telegram: never in the group, even when no private chat is possible."""

from __future__ import annotations

from pathlib import Path

from tests.telegram.builders import GROUP_ID, make_chat, make_message_update
from tests.tours.telegram_tour import ALICE, one, telegram_tour, text_of


async def test_an_anonymous_administrator_is_told_why_and_the_group_sees_no_panel(
    tmp_path: Path,
) -> None:
    async with telegram_tour(tmp_path) as tour:
        await tour.say("/settings timezone Asia/Shanghai", user=ALICE)
        group = make_chat("supergroup")
        start = len(tour.api.calls)
        await tour.rig.feed(
            make_message_update("/audit", chat_type="supergroup", sender_chat=group)
        )
        calls = [call for call in tour.api.calls[start:] if call.method == "sendMessage"]
        note = one(calls, "sendMessage", GROUP_ID)
        assert text_of(note).startswith(
            "I show this only in a private chat, and I can't write privately to an anonymous"
        )
        assert all("/settings timezone" not in text_of(call) for call in calls)
