"""A chat's time zone comes from the settings the router loaded; an unknown stored zone is UTC."""

from __future__ import annotations

from bot.identity import ChatRef
from tests.core.test_router import MOD, run
from tests.support import make_command

HERE = ChatRef("test", "chat")


async def store_zone(app, name: str) -> None:
    """Store a zone name as a database from a machine with other time-zone data could hold it."""
    await app.services.storage.chat_settings.set_timezone(HERE, name, app.services.clock.now())


async def test_an_unknown_stored_zone_shows_the_audit_in_utc(mod_app):
    await run(mod_app, make_command("/post note hello", actor=MOD))
    await store_zone(mod_app, "Mars/Olympus_Mons")
    out = await run(mod_app, make_command("/audit 5", actor=MOD))
    assert "03-01 12:00 · mod · /post" in out.text  # the clock stands at 2026-03-01 12:00 UTC


async def test_an_unknown_stored_zone_schedules_in_utc_a_known_one_in_itself(mod_app):
    await store_zone(mod_app, "Mars/Olympus_Mons")
    out = await run(mod_app, make_command("/schedule note in 1h hello", actor=MOD))
    assert "at 2026-03-01 13:00 (UTC)" in out.text
    await store_zone(mod_app, "Asia/Shanghai")
    out = await run(mod_app, make_command("/schedule note in 1h hello", actor=MOD))
    assert "at 2026-03-01 21:00 (Asia/Shanghai)" in out.text
