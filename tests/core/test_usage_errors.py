"""Usage errors say what was wrong: a word that is no subcommand, words in another order."""

from __future__ import annotations

from tests.support import RecordingResponder, make_actor, make_command

MOD = make_actor("mod", moderator=True)


async def say(app, line: str, actor=MOD) -> str:
    out = RecordingResponder()
    await app.router.dispatch(make_command(line, actor=actor), out)
    return out.text


async def test_a_word_that_is_no_subcommand_lists_the_subcommands(app) -> None:
    text = await say(app, "/debate foo")
    assert text.startswith("/debate has no subcommand “foo”.\nUsage: /debate\nAlso: ")
    assert "/debate side <side>" in text and "/debate timeline" in text
    assert "quotes" not in text
    zh = await say(app, "/debate foo", make_actor("小红", locale="zh"))
    assert zh.startswith("/debate 没有“foo”这个子命令。\n用法：/debate\n也可以用：")
    assert "/debate side <side>、" in zh

    settings = await say(app, "/settings bogus x")
    assert settings.startswith("/settings has no subcommand “bogus”.")
    assert "/settings language <language>" in settings


async def test_members_are_shown_only_the_subcommands_they_may_run(app) -> None:
    text = await say(app, "/argue approve 4", make_actor("bob"))
    assert "`side` must be one of" in text
    assert "Also: /argue withdraw <argument_id>" in text and "/argue queue" not in text
    assert "/argue queue" in await say(app, "/argue approve 4")


async def test_choices_are_read_in_any_order(app) -> None:
    assert await say(app, "/summary en short") == await say(app, "/summary short en")
    twice = await say(app, "/summary short long")
    assert twice.startswith("`length` is given twice: “short” and “long”. Give it once.")


async def test_help_for_a_command_with_subcommands_lists_them(app) -> None:
    text = await say(app, "/help debate")
    assert "/debate claim <claim_id>" in text and "/debate glossary" in text
