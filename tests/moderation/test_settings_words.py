"""`/settings` in Chinese: keys, values and features in Chinese words, panels without codes."""

from __future__ import annotations

import re

from bot.identity import ChatKind, ChatRef
from bot.invocation import Invocation
from tests.core.test_router import MOD, run
from tests.support import make_actor, make_command

HERE = ChatRef("test", "chat")


async def test_chinese_keys_and_values_change_the_settings(app):
    out = await run(app, make_command("/settings 语言 中文", actor=MOD))
    assert out.text == "这里现在使用简体中文。"
    out = await run(app, make_command("/settings 功能 投票 关", actor=MOD))
    assert out.text == "这里已关闭“投票”功能。"
    assert "polls" in (await app.services.storage.chat_settings.get(HERE)).disabled_features
    out = await run(app, make_command("/settings 频率限制 30", actor=MOD))
    assert out.text == "现在这里每位成员每分钟最多可使用 30 条命令。"
    out = await run(app, make_command("/settings 时区 Asia/Shanghai", actor=MOD))
    assert out.text.startswith("时区已设为 Asia/Shanghai")
    out = await run(app, make_command("/settings 功能 投票 开启", actor=MOD))
    assert out.text == "这里已开启“投票”功能。"


async def test_the_chinese_panel_has_no_codes_or_english_words(app):
    await run(app, make_command("/settings language zh", actor=MOD))
    await run(app, make_command("/settings feature polls off", actor=MOD))
    out = await run(app, make_command("/settings", actor=MOD))
    values = " ".join(value for _, value in out.replies[0].blocks[0].pairs)
    assert "简体中文" in values and "投票已关闭" in values and "摘要已开启" in values
    assert not re.search(r"[A-Za-z]", values.replace("UTC", "").replace("Discord", ""))
    assert "、" in values and "," not in values


async def test_the_rate_limit_cannot_be_switched_off_and_default_restores_it(app):
    out = await run(app, make_command("/settings ratelimit 0", actor=MOD))
    assert "cannot be switched off" in out.text and "`default` (20)" in out.text
    await run(app, make_command("/settings ratelimit 5", actor=MOD))
    out = await run(app, make_command("/settings ratelimit default", actor=MOD))
    assert "back to the default (20 commands per minute per member)" in out.text
    assert (await app.services.storage.chat_settings.get(HERE)).rate_limit_per_minute is None
    out = await run(app, make_command("/settings ratelimit lots", actor=MOD))
    assert "“lots” is not a rate" in out.text


async def test_the_moderator_role_is_discord_only_and_says_so(app):
    for platform in ("console", "telegram"):
        invocation = Invocation(
            actor=make_actor("mod", moderator=True),
            chat=ChatRef(platform, "group"),
            chat_kind=ChatKind.GROUP,
            command="settings",
            text="modrole @Mods",
        )
        out = await run(app, invocation)
        assert "can be set on Discord only" in out.text, platform


async def test_an_unknown_feature_lists_them_in_the_readers_language(app):
    await run(app, make_command("/settings language zh", actor=MOD))
    out = await run(app, make_command("/settings 功能 聊天 关", actor=MOD))
    assert "没有“聊天”这个功能" in out.text and "投票（polls）" in out.text


def test_a_chinese_field_is_joined_with_a_full_width_colon_on_the_console_and_telegram():
    from bot.adapters.console.render import Style, render_reply
    from bot.adapters.telegram.render import render_html
    from bot.reply import Fields, Reply

    reply = Reply(blocks=(Fields((("语言", "简体中文"), ("Language", "English"))),))
    assert render_reply(reply, "#1", Style(colour=False)).splitlines()[1:] == [
        "语言：简体中文",
        "Language: English",
    ]
    assert render_html(reply) == "<b>语言</b>：简体中文\n<b>Language</b>: English"


async def test_every_switchable_feature_is_named_in_both_languages(app):
    names = {spec.feature for spec in app.router.registry.commands() if spec.feature}
    switches = app.services.features.switches()
    assert names and names <= set(switches)
    assert all(switches[name].zh != name for name in names)
