"""Helpers for driving the debate feature through the real router."""

from __future__ import annotations

from bot.app import Parley
from bot.identity import Actor
from bot.invocation import Invocation
from bot.reply import Button, Reply
from handlers.debate.paging import fits
from tests.support import RecordingResponder, make_actor, make_press

MOD = make_actor("mod", moderator=True)


async def run(app: Parley, invocation: Invocation) -> RecordingResponder:
    responder = RecordingResponder()
    await app.router.dispatch(invocation, responder)
    return responder


def shown(out: RecordingResponder) -> Reply:
    """The one message a command or press showed (a new reply or the updated source)."""
    messages = out.updates or out.replies
    assert len(messages) >= 1, "nothing was shown"
    return messages[0]


def all_buttons(reply: Reply) -> list[Button]:
    return [b for row in reply.buttons for b in row]


def find_button(reply: Reply, label: str) -> Button:
    matches = [b for b in all_buttons(reply) if label in b.label]
    assert matches, f"no button {label!r} in {[b.label for b in all_buttons(reply)]}"
    return matches[0]


async def press(
    app: Parley, reply: Reply, label: str, *, actor: Actor | None = None, chat: str = "chat"
) -> RecordingResponder:
    return await run(app, make_press(find_button(reply, label).payload, actor=actor, chat=chat))


def assert_fits(reply: Reply) -> None:
    """Within the page limits, with short labels and Discord field limits."""
    assert fits(reply), (len(reply.plain_text()), len(reply.blocks), reply.title)
    assert len(reply.plain_text()) <= 3500 and len(reply.blocks) <= 20
    assert all(len(b.label) <= 80 and len(b.payload.encode()) <= 64 for b in all_buttons(reply))
    assert reply.title is None or len(reply.title) <= 256
    for block in reply.blocks:
        for key, value in getattr(block, "pairs", ()):
            assert len(key) <= 256 and len(value) <= 1024
