"""A post whose send fails leaves nothing behind: no poll, no options, no chats, no jobs."""

from bot.app import Parley
from tests.polls.helpers import db_rows, gateway, run

TABLES = ("polls", "poll_options", "poll_chats", "poll_messages", "poll_ballots", "jobs")


def dump(app: Parley) -> dict[str, list[tuple]]:
    """Every row of the tables a post may write."""
    return {table: db_rows(app, f"SELECT * FROM {table}") for table in TABLES}


async def test_a_failed_post_of_a_poll_leaves_no_orphan_poll(polls_app):
    before = dump(polls_app)
    gateway(polls_app).failing_sends = 2
    out = await run(polls_app, "/post poll #news terms-ban")
    assert "something went wrong" in out.text and "Traceback" not in out.text
    out = await run(polls_app, "/post stance #news")
    assert "something went wrong" in out.text
    assert dump(polls_app) == before
    posted = await run(polls_app, "/post poll #news terms-ban")
    assert "Posted the poll" in posted.text
    assert "be allowed to forbid training" in gateway(polls_app).sent[-1][1].plain_text()
    assert len(db_rows(polls_app, "SELECT id FROM polls")) == 1
    assert len(db_rows(polls_app, "SELECT poll_id FROM poll_messages")) == 1


async def test_a_failed_scheduled_poll_leaves_no_orphan_and_the_retry_posts_one(polls_app, clock):
    out = await run(polls_app, "/schedule poll in 1m #news terms-ban")
    assert "Scheduled #1" in out.text, out.text
    before = dump(polls_app)
    gateway(polls_app).failing_sends = 3
    for _ in range(3):
        clock.advance(hours=1)
        await polls_app.services.scheduler.run_due()
    after = dump(polls_app)
    assert {t: rows for t, rows in after.items() if t != "jobs"} == {
        t: rows for t, rows in before.items() if t != "jobs"
    }
    assert [row[0] for row in db_rows(polls_app, "SELECT kind FROM jobs")] == ["moderation.post"]
    clock.advance(hours=1)
    await polls_app.services.scheduler.run_due()
    assert len(db_rows(polls_app, "SELECT id FROM polls")) == 1
    assert len(db_rows(polls_app, "SELECT poll_id FROM poll_messages")) == 1
