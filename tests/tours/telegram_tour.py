"""A Telegram user's side of the tours: send commands, press buttons, read what arrived.

`TelegramTour` drives the `telegram_parley` rig (the real python-telegram-bot `Application`
over the fake Bot API transport, every real feature) and returns, for each step, the exact
Bot API calls it caused. The fake Bot API here also keeps each call's result, so a test can
press a button on the very message the bot sent.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.hostile.platforms import (
    TelegramRig,
    recording_errors,
    telegram_parley,
    telegram_problems,
    telegram_visible,
)
from tests.support import FakeClock
from tests.telegram.builders import ALICE, BOB, GROUP_ID, make_message_update, make_user
from tests.telegram.fake_api import BOT_ID, BOT_USERNAME, Call, FakeBotApi

CAROL = 3333333
QUIET = {"getUpdates", "sendChatAction", "getChatAdministrators", "getChatMember"}
"""Calls that show the user nothing."""

_update_ids = itertools.count(10_000)


class ResultBotApi(FakeBotApi):
    """The fake Bot API, keeping each call's result on the call (`call.result`)."""

    async def answer(
        self, method: str, params: dict[str, Any], files: dict[str, bytes], token: str
    ) -> tuple[int, dict[str, Any]]:
        index = len(self.calls)
        status, body = await super().answer(method, params, files, token)
        if method != "getUpdates" and index < len(self.calls):
            self.calls[index].result = body.get("result")  # type: ignore[attr-defined]
        return status, body


def text_of(call: Call) -> str:
    """What the user reads in a sent or edited message (or a callback answer)."""
    return telegram_visible(str(call.params.get("text") or call.params.get("caption") or ""))


def buttons_of(call: Call) -> dict[str, str]:
    """Button label -> callback data of a sent or edited message."""
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return {b["text"]: b["callback_data"] for row in markup["inline_keyboard"] for b in row}


def message_id_of(call: Call) -> int:
    return int(call.result["message_id"])  # type: ignore[attr-defined]


@dataclass
class TelegramTour:
    rig: TelegramRig

    @property
    def api(self) -> FakeBotApi:
        return self.rig.api

    async def say(
        self,
        text: str,
        *,
        user: int = ALICE,
        chat: str = "supergroup",
        language: str | None = "en",
        name: str = "Alice",
    ) -> list[Call]:
        """Send `text` as `user` in the group (or their private chat); the calls it caused."""
        start = len(self.api.calls)
        update = make_message_update(
            text, chat_type=chat, user_id=user, language_code=language, first_name=name
        )
        await self.rig.feed(update)
        return self._visible_since(start)

    async def press(
        self,
        message: Call,
        label: str,
        *,
        user: int = ALICE,
        language: str | None = "en",
    ) -> list[Call]:
        """Press the button labelled `label` on `message` (a sendMessage or edit call)."""
        data = buttons_of(message)[label]
        chat = message.result["chat"]  # type: ignore[attr-defined]
        chat_type = "private" if chat["type"] == "private" else "supergroup"
        start = len(self.api.calls)
        bot = make_user(BOT_ID, first_name="Parley", username=BOT_USERNAME, is_bot=True)
        bot_message: dict[str, Any] = {
            "message_id": message_id_of(message),
            "from": bot,
            "chat": {"id": chat["id"], "type": chat_type, "title": "Parley Test"}
            if chat_type != "private"
            else {"id": chat["id"], "type": "private", "first_name": "Alice"},
            "date": 1_772_366_400,
            "text": str(message.params.get("text", "")),
        }
        update = {
            "update_id": next(_update_ids),
            "callback_query": {
                "id": f"tour{next(_update_ids)}",
                "from": make_user(user, language_code=language),
                "chat_instance": "-8765432109876543210",
                "message": bot_message,
                "data": data,
            },
        }
        await self.rig.feed(update)
        return self._visible_since(start)

    def _visible_since(self, start: int) -> list[Call]:
        return [call for call in self.api.calls[start:] if call.method not in QUIET]


def one(calls: list[Call], method: str, chat_id: int | None = None) -> Call:
    """The single call of `method` (to `chat_id`) among `calls`."""
    found = [
        call
        for call in calls
        if call.method == method and (chat_id is None or int(call.params["chat_id"]) == chat_id)
    ]
    assert len(found) == 1, [(c.method, c.params.get("chat_id"), text_of(c)[:80]) for c in calls]
    return found[0]


@asynccontextmanager
async def telegram_tour(
    folder: Path, clock: FakeClock | None = None
) -> AsyncIterator[TelegramTour]:
    """A tour in a supergroup administered by Alice (Bob and Carol are members)."""
    async with (
        recording_errors() as errors,
        telegram_parley(folder, clock=clock, api=ResultBotApi()) as rig,
    ):
        rig.api.admins = {GROUP_ID: {ALICE}}
        yield TelegramTour(rig)
        assert rig.errors == [] and rig.api.unknown == []
        assert errors.lines() == []
        assert telegram_problems(rig.api.calls) == []


__all__ = ["ALICE", "BOB", "CAROL", "GROUP_ID", "TelegramTour", "one", "telegram_tour"]
