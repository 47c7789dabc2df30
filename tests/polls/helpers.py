"""Small drivers for poll tests: run a command or press a button through the real router."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass

from bot.actions import Action
from bot.app import Parley
from bot.identity import Actor, ChatRef, MessageRef
from bot.reply import Reply
from bot.seals import ButtonSeal
from bot.services import Services
from handlers.polls.actions import PollVote
from handlers.polls.coalescer import RefreshCoalescer
from handlers.polls.feature import PollFeature
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
    await app.services.background.idle()  # the live edits it caused
    return responder


PERSONAL = ("poll.pick", "poll.submit", "poll.retract")


async def press(
    app: Parley,
    payload: Action | str,
    actor: Actor,
    chat: str = "chat",
    message: str | None = None,
    *,
    sealed: bool = True,
):
    """Press `payload` on `message` (default: the first message showing the poll it names).

    A private-ballot payload is sealed for `actor` first, as on a ballot the bot opened for
    them, unless `sealed` is False (a forged press). A raw string is sent as it is (a forgery).
    """
    if isinstance(payload, Action):
        payload = payload.encode()
    if message is None:
        message = poll_message(app, payload, chat)
    if sealed and payload.split(":")[1] in PERSONAL:
        payload = seal_for(app, payload, actor)
    responder = ChatResponder(chat=chat)
    invocation = make_press(payload, actor=actor, chat=chat, message=message)
    await app.router.dispatch(invocation, responder)
    await app.services.background.idle()
    return responder


def poll_message(app: Parley, payload: str, chat: str) -> str:
    """The id of the first message in `chat` that shows the poll `payload` names, else "1"."""
    words = payload.split(":")
    if len(words) < 3 or not words[1].startswith("poll.") or not words[2].isdigit():
        return "1"
    rows = db_rows(
        app,
        "SELECT message_id FROM poll_messages WHERE poll_id = ? AND platform = 'test'"
        " AND chat_id = ? ORDER BY posted_at LIMIT 1",
        (int(words[2]), chat),
    )
    return rows[0][0] if rows else "1"


async def vote(app: Parley, poll_id: int, option: int, actor: Actor, chat: str = "chat"):
    return await press(app, PollVote(poll=poll_id, option=option), actor, chat)


def gateway(app: Parley, platform: str = "test") -> RecordingGateway:
    return app.services.outbox.gateway(platform)  # type: ignore[return-value]


def payloads(reply: Reply) -> list[str]:
    """The payloads of the reply's buttons, private-ballot ones without their seal."""
    found = [button.payload for row in reply.buttons for button in row]
    return [p.rpartition(":")[0] if p.split(":")[1] in PERSONAL else p for p in found]


def seal_for(app: Parley, payload: Action | str, actor: Actor) -> str:
    """`payload` sealed for `actor` with the key the app keeps in its database."""
    key = db_rows(app, "SELECT secret FROM button_seal_key")[0][0]
    text = payload.encode() if isinstance(payload, Action) else payload
    return ButtonSeal(key).seal(text, actor.key)


def db_rows(app: Parley, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(app.services.settings.database_path) as connection:
        return connection.execute(sql, params).fetchall()


LIVE_UPDATES: dict[int, RefreshCoalescer] = {}


def remember_live_updates(services: Services, feature: PollFeature) -> None:
    """Note the coalescer of the poll feature built for `services`, for `settle`."""
    LIVE_UPDATES[id(services)] = feature.service.live


async def settle(app: Parley) -> None:
    """Run the live edits the coalescer holds back now, and wait for one already under way.

    No waiting on the clock: the edits a test sees afterwards are the last ones there will be.
    """
    await LIVE_UPDATES[id(app.services)].flush_all()
    under_way = [
        task
        for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__qualname__", "") == "RefreshCoalescer._later"
    ]
    await asyncio.gather(*under_way)
    await app.services.background.idle()  # the refreshes those handed on
