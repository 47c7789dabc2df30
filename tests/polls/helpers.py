"""Small drivers for poll tests: run a command or press a button through the real router."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass

from bot.app import Parley
from bot.identity import Actor, ChatRef, MessageRef
from bot.reply import Reply
from tests.support import RecordingGateway, RecordingResponder, make_actor, make_command, make_press

MOD = make_actor("mod", moderator=True)


@dataclass
class ChatResponder(RecordingResponder):
    """A recording responder whose posted messages are in the invocation's chat."""

    chat: str = "chat"

    async def reply(self, reply: Reply) -> MessageRef | None:
        await super().reply(reply)
        return MessageRef(ChatRef("test", self.chat), f"{self.chat}-{len(self.replies)}")


async def run(app: Parley, line: str, actor: Actor | None = None, chat: str = "chat"):
    responder = ChatResponder(chat=chat)
    await app.router.dispatch(make_command(line, actor=actor or MOD, chat=chat), responder)
    return responder


async def press(app: Parley, payload: str, actor: Actor, chat: str = "chat"):
    responder = ChatResponder(chat=chat)
    await app.router.dispatch(make_press(payload, actor=actor, chat=chat), responder)
    return responder


async def vote(app: Parley, poll_id: int, option: int, actor: Actor):
    return await press(app, f"v1:poll.vote:{poll_id}:{option}", actor)


def gateway(app: Parley, platform: str = "test") -> RecordingGateway:
    return app.services.outbox.gateway(platform)  # type: ignore[return-value]


def payloads(reply: Reply) -> list[str]:
    return [button.payload for row in reply.buttons for button in row]


def db_rows(app: Parley, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(app.services.settings.database_path) as connection:
        return connection.execute(sql, params).fetchall()


async def settle(seconds: float = 0.12) -> None:
    """Let coalesced refreshes (50 ms interval in tests) run."""
    await asyncio.sleep(seconds)
