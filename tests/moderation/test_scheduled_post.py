"""A scheduled post's job payload: typed, versioned, readable in its older form."""

import json

from bot.identity import ChatRef
from handlers.moderation.scheduled_post import VERSION, ScheduledPost
from tests.core.test_router import MOD, run
from tests.support import make_command

HERE = ChatRef("test", "chat")


async def stored_payloads(app) -> list[dict]:
    rows = await app.services.storage.database.fetch_all(
        "SELECT payload FROM jobs WHERE kind = 'moderation.post' ORDER BY id"
    )
    return [json.loads(row[0]) for row in rows]


async def test_the_job_stores_a_versioned_post_that_reads_back_the_same(mod_app):
    await run(mod_app, make_command("/schedule note daily 09:00 #news morning", actor=MOD))
    [payload] = await stored_payloads(mod_app)
    assert payload["v"] == VERSION
    post = ScheduledPost.from_json(payload)
    assert post is not None and post.to_json() == payload
    assert post.plan.target == ChatRef("test", "news") and post.plan.options == "morning"
    assert post.by_id == MOD.user_id and post.recurrence and post.timezone == "UTC"


async def test_a_payload_from_before_the_version_field_still_runs(mod_app, gateway, clock):
    await run(mod_app, make_command("/schedule note in 1h old style", actor=MOD))
    [payload] = await stored_payloads(mod_app)
    del payload["v"]
    await mod_app.services.storage.database.execute(
        "UPDATE jobs SET payload = ? WHERE kind = 'moderation.post'", (json.dumps(payload),)
    )
    listing = await run(mod_app, make_command("/schedule list", actor=MOD))
    assert "note" in listing.text
    clock.advance(hours=2)
    assert await mod_app.services.scheduler.run_due() == 1
    assert gateway.sent[-1][0] == HERE and "old style" in gateway.sent[-1][1].plain_text()


def test_an_emptied_or_future_payload_is_no_post():
    assert ScheduledPost.from_json({}) is None
    assert ScheduledPost.from_json({"v": VERSION + 1, "item": "note"}) is None
