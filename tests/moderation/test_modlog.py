"""The mod-log through the core on a platform without servers: the group chat is its own
community, and its audit entries go to the chat `/settings modlog` names."""

from __future__ import annotations

from bot.identity import ChatRef
from tests.core.test_router import MOD, run
from tests.support import make_actor, make_command

LOG = ChatRef("test", "log")


def cases(gateway) -> list[str]:
    return [reply.title or "" for chat, reply in gateway.sent if chat == LOG]


async def test_entries_are_posted_numbered_and_a_failure_is_said_once(mod_app, gateway):
    out = await run(mod_app, make_command("/settings modlog #log", actor=MOD))
    assert "posted in #log" in out.text and out.replies[0].private
    await run(mod_app, make_command("/settings ratelimit 30", actor=MOD))
    assert cases(gateway) == ["Case #1 · /settings modlog", "Case #2 · /settings ratelimit"]

    await run(mod_app, make_command("/settings ratelimit 30", actor=MOD, chat="other"))
    assert len(cases(gateway)) == 2  # another chat: another community, no mod-log

    gateway.failing_sends = 2
    out = await run(mod_app, make_command("/settings ratelimit 40", actor=MOD))
    assert "could not post this action in the mod-log channel" in out.text
    out = await run(mod_app, make_command("/settings ratelimit 50", actor=MOD))
    assert "mod-log" not in out.text  # once

    out = await run(mod_app, make_command("/settings modlog #log", actor=make_actor("bob")))
    assert "moderators" in out.text.lower() and len(cases(gateway)) == 2

    gateway.forbidden.add("locked")
    out = await run(mod_app, make_command("/settings modlog #locked", actor=MOD))
    assert "I can't post the mod-log in #locked: I lack the Send Messages" in out.text
