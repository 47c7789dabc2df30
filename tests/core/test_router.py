import logging
from dataclasses import replace

import pytest

from bot.app import Parley
from bot.commands import CommandSpec, Registry, RegistryError
from bot.context import Context
from bot.i18n import Locale, Localized
from bot.identity import ChatKind, ChatRef
from bot.invocation import Invocation
from bot.params import ChoiceParam
from bot.reply import Reply
from bot.suggestions import Suggestion
from storage.errors import StorageUnavailableError
from tests.core.demo_feature import DemoAdd, DemoReset
from tests.support import RecordingResponder, make_actor, make_command, make_press

MOD = make_actor("mod", moderator=True)


async def run(app: Parley, invocation) -> RecordingResponder:
    responder = RecordingResponder()
    await app.router.dispatch(invocation, responder)
    return responder


async def test_command_with_arguments(demo_app):
    out = await run(demo_app, make_command('/echo 2 loud "hi there"'))
    assert out.text == "HI THERE HI THERE"


async def test_unknown_command_points_to_help(demo_app):
    out = await run(demo_app, make_command("/nosuch thing"))
    assert "/nosuch" in out.text and "/help" in out.text
    assert out.replies[0].private


async def test_usage_error_shows_usage(demo_app):
    out = await run(demo_app, make_command("/echo many hi"))
    assert "whole number" in out.text
    assert "/echo <times> [tone] <text…>" in out.text
    assert "/help echo" in out.text


async def test_usage_error_in_chinese(demo_app):
    out = await run(demo_app, make_command("/echo 9 hi", actor=make_actor(locale="zh-CN")))
    assert "必须在 1 到 3 之间" in out.text
    assert "用法" in out.text


async def test_members_are_refused_moderator_commands_and_buttons(demo_app):
    out = await run(demo_app, make_command("/wipe"))
    assert "Only moderators" in out.text and out.replies[0].private
    out = await run(demo_app, make_press(DemoReset()))
    assert "Only moderators can press" in out.text
    out = await run(demo_app, make_command("/wipe", actor=MOD))
    assert out.text == "wiped"


async def test_refusal_comes_before_argument_parsing(demo_app):
    out = await run(demo_app, make_command("/settings language klingon"))
    assert "Only moderators" in out.text


async def test_configured_moderator_role_counts(demo_app, clock):
    chat = make_command("/wipe").chat
    await demo_app.services.storage.chat_settings.set_moderator_role(chat, "role-7", clock.now())
    member_with_role = make_actor("bob", roles=frozenset({"role-7"}))
    out = await run(demo_app, make_command("/wipe", actor=member_with_role))
    assert out.text == "wiped"


async def test_moderator_actions_are_audited(demo_app):
    await run(demo_app, make_command("/wipe", actor=MOD))
    await run(demo_app, make_command("/wipe"))  # refused: not an action
    entries = await demo_app.services.storage.audit.recent(make_command("/wipe").chat, 10)
    assert [(e.actor_name, e.action, e.outcome) for e in entries] == [("mod", "/wipe", "ok")]


async def test_a_failed_audit_write_is_logged_not_answered(demo_app, caplog, monkeypatch):
    async def locked(entry):
        raise StorageUnavailableError("database is locked")

    monkeypatch.setattr(demo_app.services.storage.audit, "record", locked)
    caplog.set_level(logging.ERROR)
    done = await run(demo_app, make_command("/wipe", actor=MOD))
    assert done.replies == [Reply.text("wiped")]  # no "that was not saved" after the answer
    assert "event=audit_write_failed action='/wipe'" in caplog.text
    assert "database is locked" in caplog.text


async def test_error_boundary_hides_the_exception_and_keeps_serving(demo_app, caplog):
    caplog.set_level(logging.ERROR)
    out = await run(demo_app, make_command("/boom"))
    assert "something went wrong" in out.text
    assert "secret internal detail" not in out.text
    incident = out.text.split("incident ")[1].split(")")[0]
    assert incident in caplog.text and "secret internal detail" in caplog.text
    out = await run(demo_app, make_command("/echo 1 still here"))
    assert out.text == "still here"


async def test_user_errors_are_shown_localized(demo_app):
    out = await run(demo_app, make_command("/refuse", actor=make_actor("Ann", locale="zh")))
    assert out.text == "今天不行，Ann。"


async def test_rate_limit_replies_then_recovers(demo_app, clock):
    replies = [await run(demo_app, make_command("/echo 1 hi")) for _ in range(9)]
    assert all(r.text == "hi" for r in replies[:8])
    assert "wait" in replies[8].text and replies[8].replies[0].private
    clock.advance(seconds=3)
    assert (await run(demo_app, make_command("/echo 1 hi"))).text == "hi"
    others = await run(demo_app, make_command("/echo 1 hi", actor=make_actor("carol")))
    assert others.text == "hi"


async def test_moderators_are_not_rate_limited(demo_app):
    for _ in range(20):
        out = await run(demo_app, make_command("/echo 1 hi", actor=MOD))
    assert out.text == "hi"


async def test_button_press_runs_the_action_and_updates_the_message(demo_app):
    out = await run(demo_app, make_press(DemoAdd(amount=2)))
    assert out.updates and out.updates[0].blocks[0].text == "2"


async def test_forged_and_stale_buttons_expire_politely(demo_app):
    for payload in (
        "v1:demo.add:99",
        "v1:nope",
        "v0:demo.add:1",
        "garbage",
        "v1:demo.add",
        "v1:demo.add:1:2",
        "v1:demo.add:-1",
        "x" * 200,
    ):
        out = await run(demo_app, make_press(payload))
        assert "button has expired" in out.text, payload


async def test_locale_comes_from_chat_then_platform_then_default(demo_app, clock):
    out = await run(demo_app, make_command("/about"))
    assert out.replies[0].title == "About Parley"
    out = await run(demo_app, make_command("/about", actor=make_actor(locale="zh-hans")))
    assert out.replies[0].title == "关于 Parley"
    await run(demo_app, make_command("/settings language zh", actor=MOD))
    out = await run(demo_app, make_command("/about", actor=make_actor(locale="en-US")))
    assert out.replies[0].title == "关于 Parley"
    await run(demo_app, make_command("/settings language auto", actor=MOD))
    out = await run(demo_app, make_command("/about", actor=make_actor(locale="en-US")))
    assert out.replies[0].title == "About Parley"


async def test_subcommand_resolution_prefers_the_subcommand(demo_app):
    registry = demo_app.router.registry
    assert registry.resolve("help", "echo")[0].path == "help"
    assert registry.resolve("nosuch", "") is None


async def test_an_unavailable_database_gets_a_polite_reply_and_recovers(demo_app, tmp_path):
    import sqlite3

    blocker = sqlite3.connect(tmp_path / "parley.db", timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    database = demo_app.services.storage.database
    await database.execute("PRAGMA busy_timeout = 50")
    try:
        out = await run(demo_app, make_command("/settings language zh", actor=MOD))
        assert "can't reach my database" in out.text and "Traceback" not in out.text
    finally:
        blocker.rollback()
        blocker.close()
    out = await run(demo_app, make_command("/settings language zh", actor=MOD))
    assert out.text == "这里现在使用简体中文。"


async def test_a_private_chat_user_is_limited_like_a_member_a_group_moderator_gets_more(app):
    async def burst(actor, chat_kind) -> int:
        allowed = 0
        for _ in range(30):
            out = RecordingResponder()
            invocation = Invocation(
                actor=actor,
                chat=ChatRef("test", actor.user_id),
                chat_kind=chat_kind,
                command="about",
            )
            await app.router.dispatch(invocation, out)
            allowed += "going a bit fast" not in out.text
        return allowed

    in_private = await burst(make_actor("dora", moderator=True), ChatKind.PRIVATE)
    in_group = await burst(make_actor("greta", moderator=True), ChatKind.GROUP)
    assert in_private == 8 and in_group == 24, (in_private, in_group)


async def test_choice_aliases_are_read_as_their_choice_and_listed_in_chinese(demo_app):
    out = await run(demo_app, make_command("/echo 1 大声 hi"))
    assert out.text == "HI"
    out = await run(demo_app, make_command("/echo 1 SHOUT hi"))
    assert out.text == "HI"
    zh = make_actor(locale="zh-CN")
    out = await run(demo_app, make_command("/help echo", actor=zh))
    assert "平静（calm）、大声（loud）" in out.text


async def test_subcommand_aliases_run_the_subcommand_and_help_names_them(demo_app):
    typed = await run(demo_app, make_command("/counter 看看"))
    english = await run(demo_app, make_command("/counter peek"))
    assert typed.text == english.text
    out = await run(demo_app, make_command("/help counter 看看"))
    assert "/counter peek" in out.text and "Also: /counter 看看" in out.text


def test_an_alias_that_shadows_a_command_or_has_no_subcommand_fails_at_start_up():
    registry = Registry()
    peek = CommandSpec(name="c", subcommand="peek", description=Localized("a", "甲"), handler=_show)
    registry.add_command(peek)
    with pytest.raises(RegistryError):
        registry.add_command(replace(peek, subcommand="look", aliases=("peek",)))
    with pytest.raises(RegistryError):
        registry.add_command(replace(peek, name="d", subcommand=None, aliases=("看",)))
    with pytest.raises(ValueError, match="not a choice"):
        ChoiceParam(name="x", description=Localized("x", "x"), choices=("a",), aliases={"乙": "b"})


def test_a_command_registered_after_an_alias_of_its_path_fails_at_start_up():
    """A later `/c look` would be shadowed by `/c peek`'s alias `look`, never to run."""
    registry = Registry()
    peek = CommandSpec(
        name="c",
        subcommand="peek",
        aliases=("look",),
        description=Localized("a", "甲"),
        handler=_show,
    )
    registry.add_command(peek)
    with pytest.raises(RegistryError, match="duplicate"):
        registry.add_command(replace(peek, subcommand="look", aliases=()))
    for untypable in ("Look", "two  words", " 看"):  # the router lowercases and splits words
        with pytest.raises(RegistryError, match="cannot be typed"):
            registry.add_command(replace(peek, subcommand="other", aliases=(untypable,)))


async def _show(ctx: Context) -> Reply:
    return Reply.text("shown")


def test_suggestions_for_a_parameter_the_command_lacks_fail_at_start_up():
    """A misspelt parameter name would make the suggestions silently never appear."""

    async def nothing(chat: ChatRef, typed: str, locale: Locale, limit: int) -> list[Suggestion]:
        return []

    spec = CommandSpec(
        name="c",
        description=Localized("a", "甲"),
        handler=_show,
        suggestions=(("claim", nothing),),
    )
    with pytest.raises(RegistryError, match="'claim', which is not a parameter"):
        Registry().add_command(spec)


async def test_plain_text_fields_take_the_colon_of_their_language(app):
    """Plain text (Telegram's button answers) writes `时区：UTC`, as the chat renderers do."""
    zh = make_actor("mod", moderator=True, locale="zh-CN")
    out = await run(app, make_command("/settings", actor=zh))
    assert "时区：" in out.text and "时区: " not in out.text
    english = await run(app, make_command("/settings", actor=MOD))
    assert "Time zone: " in english.text
