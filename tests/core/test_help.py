from tests.core.test_router import MOD, run
from tests.support import make_actor, make_command


async def test_help_lists_member_commands_for_members(demo_app):
    out = await run(demo_app, make_command("/help"))
    assert "/echo <times> [tone] <text…>" in out.text
    assert "/wipe" not in out.text and "/settings" not in out.text


async def test_help_lists_moderator_commands_for_moderators(demo_app):
    out = await run(demo_app, make_command("/help", actor=MOD))
    assert "For moderators" in out.text and "/wipe" in out.text


async def test_help_in_chinese(demo_app):
    out = await run(demo_app, make_command("/help", actor=make_actor(locale="zh")))
    assert "Parley 命令" in out.text and "中文：Repeat text" in out.text


async def test_help_for_one_command_describes_limits(demo_app):
    out = await run(demo_app, make_command("/help /echo"))
    assert "times: how often — whole number, 1–3" in out.text
    assert "tone (optional)" in out.text and "one of: calm, loud" in out.text
    assert "text, 1–50 characters" in out.text


async def test_help_for_unknown_command(demo_app):
    out = await run(demo_app, make_command("/help frobnicate"))
    assert "no command /frobnicate" in out.text
