"""Scheduling that cannot surprise: checked when asked, bound to what it named, failing privately.

The real features on a real SQLite file (the `app` fixture), driven through the router.
"""

from __future__ import annotations

import logging

from bot.identity import ChatRef
from tests.core.test_router import MOD, run
from tests.support import make_command

HERE = ChatRef("test", "chat")


def gateway(app):
    return app.services.outbox.gateway("test")


async def pending(app) -> list:
    return await app.services.storage.jobs.pending(kind="moderation.post")


async def test_schedule_refuses_what_post_refuses_with_the_same_message(app):
    for item in ("summary bogus", "debate foo", "poll 99", "poll no-such-template", "stance nope"):
        posted = await run(app, make_command(f"/post {item}", actor=MOD))
        scheduled = await run(app, make_command(f"/schedule {item} in 1m", actor=MOD))
        first_line = posted.text.splitlines()[0]
        assert first_line == scheduled.text.splitlines()[0], item
        assert "Scheduled" not in scheduled.text
    assert await pending(app) == [] and gateway(app).sent == []


async def test_refusals_name_the_wrong_word(app):
    out = await run(app, make_command("/post summary bogus", actor=MOD))
    assert "“bogus”" in out.text
    out = await run(app, make_command("/post debate foo", actor=MOD))
    assert "“foo”" in out.text and "takes no options" in out.text
    out = await run(app, make_command("/post nonsense #news", actor=MOD))
    assert "nothing called “nonsense” to post" in out.text


async def test_an_existing_poll_scheduled_by_number_is_that_poll_at_run_time(app, clock):
    await run(app, make_command("/poll Which one? | A | B", actor=MOD))
    out = await run(app, make_command("/schedule #news in 1h poll 1", actor=MOD))
    assert "Scheduled #" in out.text and "poll → #news · 1" in out.text
    await run(app, make_command("/poll Another? | C | D", actor=MOD))
    clock.advance(hours=2)
    assert await app.services.scheduler.run_due() == 1
    [reply] = [r for c, r in gateway(app).sent if c.chat_id == "news"]
    assert "Which one?" in reply.plain_text()
    assert len(await app.services.storage.polls.in_chat(HERE)) == 2  # nothing new was made


async def test_a_refused_run_logs_one_line_and_tells_only_the_moderator(app, clock, caplog):
    await run(app, make_command("/schedule summary daily 09:00 #news short", actor=MOD))
    await run(app, make_command("/settings feature summary off", actor=MOD, chat="news"))
    caplog.set_level(logging.DEBUG)
    clock.advance(days=1)
    await app.services.scheduler.run_due()
    assert not [record for record in caplog.records if record.exc_info]
    refused = [record for record in caplog.records if "event=job_refused" in record.getMessage()]
    assert len(refused) == 1
    assert gateway(app).sent == []  # nothing public, neither the post nor the notice
    [(who, notice)] = gateway(app).private
    assert who == MOD.user_id and "was stopped" in notice.plain_text()
    assert "switched off" in notice.plain_text() and notice.private


async def test_one_who_cannot_be_messaged_privately_learns_only_that_it_stopped(app, clock):
    await run(app, make_command("/schedule summary in 1m #news", actor=MOD))
    await run(app, make_command("/settings feature summary off", actor=MOD, chat="news"))
    gateway(app).unreachable.add(MOD.user_id)
    clock.advance(minutes=2)
    await app.services.scheduler.run_due()
    [(chat, notice)] = gateway(app).sent
    assert chat == HERE and "was stopped" in notice.plain_text()
    assert "switched off" not in notice.plain_text() and "private chat" in notice.plain_text()


async def test_post_respects_a_switched_off_feature_at_the_target(app):
    await run(app, make_command("/settings feature summary off", actor=MOD, chat="news"))
    out = await run(app, make_command("/post summary #news", actor=MOD))
    assert "not posted in #news" in out.text and gateway(app).sent == []
    out = await run(app, make_command("/post summary", actor=MOD))
    assert "Posted the summary to this chat" in out.text


async def test_schedule_list_shows_each_jobs_options_and_zone(app):
    await run(app, make_command("/settings timezone Asia/Shanghai", actor=MOD))
    await run(app, make_command("/schedule summary weekly fri 18:30 #news short zh pin", actor=MOD))
    out = await run(app, make_command("/schedule list", actor=MOD))
    assert "(times in Asia/Shanghai)" in out.text
    assert "summary → #news · short zh · pinned" in out.text
    assert "repeats weekly fri 18:30" in out.text


async def test_cancelling_twice_or_after_the_post_says_what_happened(app, clock):
    await run(app, make_command("/schedule summary in 1m", actor=MOD))
    await run(app, make_command("/schedule summary in 2h", actor=MOD))
    [first, second] = [job.id for job in await pending(app)]
    await run(app, make_command(f"/schedule cancel {second}", actor=MOD))
    again = await run(app, make_command(f"/schedule cancel {second}", actor=MOD))
    assert f"#{second} is already cancelled" in again.text
    clock.advance(minutes=2)
    await app.services.scheduler.run_due()
    late = await run(app, make_command(f"/schedule cancel {first}", actor=MOD))
    assert f"#{first} was already posted" in late.text


async def test_an_unreachable_platform_is_one_log_line_per_attempt(app, clock, caplog):
    await run(app, make_command("/schedule summary in 1m #news", actor=MOD))
    gateway(app).failing_sends = 1
    caplog.set_level(logging.DEBUG)
    clock.advance(minutes=2)
    await app.services.scheduler.run_due()
    failed = [r for r in caplog.records if "event=job_failed" in r.getMessage()]
    assert len(failed) == 1 and failed[0].exc_info is None
    assert "ConnectionError: platform unreachable" in failed[0].getMessage()


async def test_a_mistyped_subcommand_gets_its_own_usage_not_a_schedule(app):
    for text, first_line in (
        ("/schedule cancel abc", "`job_id` must be a whole number, not “abc”."),
        ("/schedule 取消", "`job_id` is missing: the number from /schedule list"),
        ("/schedule list extra", "Too many arguments: “extra” is not expected."),
        ("/stance after", "`poll_id` is missing: the poll number, e.g. 12"),
    ):
        out = await run(app, make_command(text, actor=MOD))
        assert out.text.splitlines()[0] == first_line, text
    assert await pending(app) == []
