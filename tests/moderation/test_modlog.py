"""The mod-log through the core on a platform without servers: the group chat is its own
community, and its audit entries go to the chat `/settings modlog` names."""

from __future__ import annotations

from bot.identity import ChatRef
from handlers.debate.actions import ArgReject
from tests.core.test_router import MOD, run
from tests.support import make_actor, make_command, make_press

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


async def test_a_press_is_posted_by_what_it_did_not_by_its_payload(app):
    gateway = app.services.outbox.gateway("test")
    await run(app, make_command("/settings modlog #log", actor=MOD))
    argument = "a long enough argument for review " * 2
    await run(app, make_command("/argue labs " + argument, actor=make_actor("alice")))
    await run(app, make_press(ArgReject(argument_id=1), actor=MOD))
    assert cases(gateway)[-1] == "Case #2 · rejected argument #1"
    posted = [reply for chat, reply in gateway.sent if chat == LOG][-1]
    assert "v1:" not in repr(posted)


async def test_a_wrong_channel_is_explained_in_chinese_without_english_words(mod_app):
    await run(mod_app, make_command("/settings language zh", actor=MOD))
    out = await run(mod_app, make_command("/settings 管理日志 无效", actor=MOD))
    assert "“无效”不是我能识别的频道" in out.text and "写“关闭”" in out.text
    assert "off" not in out.text


async def test_the_channel_the_mod_log_leaves_is_told_who_moved_or_stopped_it(mod_app, gateway):
    def told(chat: ChatRef) -> list[str]:
        return [
            reply.plain_text()
            for sent_to, reply in gateway.sent
            if sent_to == chat and not reply.title
        ]

    await run(mod_app, make_command("/settings modlog #log", actor=MOD))
    await run(mod_app, make_command("/settings modlog #log", actor=MOD))
    assert told(LOG) == []  # set again to the same channel: it does not leave
    await run(mod_app, make_command("/settings modlog #log2", actor=MOD))
    assert told(LOG) == [
        "mod moved the mod-log to #log2: moderator actions are posted there from now on."
    ]
    await run(mod_app, make_command("/settings language zh", actor=MOD))
    await run(mod_app, make_command("/settings 管理日志 关闭", actor=MOD))
    assert told(ChatRef("test", "log2")) == ["mod 关闭了管理日志：管理操作不再发布到这里。"]
