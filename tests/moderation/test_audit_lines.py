"""`/audit` says what a button press did, and in which time zone its times are."""

from __future__ import annotations

from handlers.debate.actions import ArgReject
from tests.core.test_router import MOD, run
from tests.support import make_actor, make_command, make_press


async def test_a_press_is_shown_by_what_it_did_not_by_its_payload(app):
    alice = make_actor("alice")
    await run(
        app, make_command("/argue labs " + "a long enough argument for review " * 2, actor=alice)
    )
    await run(app, make_press(ArgReject(argument_id=1), actor=MOD))
    await run(app, make_command("/settings timezone Asia/Shanghai", actor=MOD))
    out = await run(app, make_command("/audit", actor=MOD))
    assert "(times in Asia/Shanghai)" in out.text
    assert "mod · rejected argument #1" in out.text and "v1:" not in out.text
    await run(app, make_command("/settings language zh", actor=MOD))
    out = await run(app, make_command("/audit", actor=MOD))
    assert "驳回了论点 #1" in out.text and "（时间为 Asia/Shanghai）" in out.text
