"""`/post` and `/schedule` read item, target, options and pin in any order, targets in any form."""

from __future__ import annotations

import pytest

from bot.identity import ChatRef
from tests.core.test_router import MOD, run
from tests.support import make_command

NEWS = ChatRef("test", "news")


@pytest.mark.parametrize(
    "line",
    [
        "/post note #news pin big news",
        "/post #news note big news pin",
        "/post pin big news note #news",
        "/post note test:news big pin news",
    ],
)
async def test_post_words_in_any_order_mean_the_same(mod_app, gateway, line):
    out = await run(mod_app, make_command(line, actor=MOD))
    assert "and pinned it" in out.text, out.text
    [(chat, reply)] = gateway.sent
    assert chat == NEWS and reply.blocks[0].text == "big news"
    assert gateway.pins and gateway.pins[0].chat == NEWS


async def test_schedule_takes_the_same_words_in_any_order(mod_app, gateway, clock):
    for line in (
        "/schedule note in 1h #news hello",
        "/schedule #news hello in 1h note",
        "/schedule in 1h note test:news hello",
    ):
        out = await run(mod_app, make_command(line, actor=MOD))
        assert "note → " in out.text and "· hello" in out.text, line
    clock.advance(hours=2)
    assert await mod_app.services.scheduler.run_due() == 3
    assert [(chat, reply.blocks[0].text) for chat, reply in gateway.sent] == [(NEWS, "hello")] * 3


async def test_target_mistakes_name_the_word(mod_app, gateway):
    out = await run(mod_app, make_command("/post note #news #other hi", actor=MOD))
    assert "both “#news” and “#other” are chats" in out.text
    out = await run(mod_app, make_command("/post note irc:general hi", actor=MOD))
    assert "not connected to “irc”" in out.text and "“irc:general”" in out.text
    out = await run(mod_app, make_command("/schedule note in 1h irc:general hi", actor=MOD))
    assert "not connected to “irc”" in out.text
    out = await run(mod_app, make_command("/post #news", actor=MOD))
    assert "What should I post?" in out.text and "note" in out.text
    assert gateway.sent == []


async def test_a_number_written_with_a_hash_is_an_option_not_a_chat(mod_app, gateway):
    await run(mod_app, make_command("/post note #2", actor=MOD))
    [(chat, reply)] = gateway.sent
    assert chat == ChatRef("test", "chat") and reply.blocks[0].text == "#2"


async def test_every_shipped_item_has_a_chinese_name_and_word(app):
    items = app.services.features.postables()
    for item in items.values():
        assert item.label is not None and item.label.zh != item.name, item.name
        assert any(not alias.isascii() for alias in item.aliases), item.name
