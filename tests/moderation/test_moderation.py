import sqlite3

from bot.app import Parley
from bot.identity import ChatRef
from tests.core.demo_feature import DemoAdd, demo_features
from tests.core.test_router import MOD, run
from tests.support import make_actor, make_command, make_press, make_settings

HERE = ChatRef("test", "chat")


async def test_post_here_records_who_posted_what_where(mod_app, gateway):
    out = await run(mod_app, make_command("/post note hello world", actor=MOD))
    assert "Posted the note to this chat" in out.text and out.replies[0].private
    assert gateway.sent[-1][0] == HERE and "hello world" in gateway.sent[-1][1].plain_text()
    rows = await mod_app.services.storage.database.fetch_all(
        "SELECT item, options, chat_id, posted_by_name FROM posts"
    )
    assert [tuple(r) for r in rows] == [("note", "hello world", "chat", "mod")]
    audit = await mod_app.services.storage.audit.recent(HERE, 5)
    assert audit[0].action == "/post" and audit[0].outcome == "ok"


async def test_post_to_a_target_with_pin(mod_app, gateway):
    out = await run(mod_app, make_command("/post note #news pin big news", actor=MOD))
    assert "Posted the note to #news and pinned it" in out.text
    assert gateway.sent[-1][0] == ChatRef("test", "news")
    assert gateway.sent[-1][1].blocks[0].text == "big news"
    assert gateway.pins and gateway.pins[0].chat.chat_id == "news"


async def test_post_refusals_are_clear(mod_app, gateway):
    gateway.forbidden.add("locked")
    out = await run(mod_app, make_command("/post note #locked hi", actor=MOD))
    assert "can't post in #locked" in out.text and "Send Messages" in out.text
    out = await run(mod_app, make_command("/post nothing", actor=MOD))
    assert "nothing called “nothing” to post. Choose one of: note" in out.text
    out = await run(mod_app, make_command("/post note @nowhere", actor=MOD))
    assert "can't read “@nowhere” as a chat. Use #name, or platform:chat_id" in out.text
    assert not gateway.sent
    gateway.pin_fails = True
    out = await run(mod_app, make_command("/post note pin", actor=MOD))
    assert "could not pin" in out.text and len(gateway.sent) == 1


async def test_members_are_refused_every_moderator_command(mod_app):
    for line in (
        "/post note",
        "/schedule note in 1h",
        "/schedule list",
        "/schedule cancel 1",
        "/settings",
        "/settings timezone UTC",
        "/audit",
        "/settings feature demo off",
    ):
        out = await run(mod_app, make_command(line))
        assert "Only moderators" in out.text, line


async def test_schedule_once_runs_when_due_and_lists_and_cancels(mod_app, gateway, clock):
    out = await run(mod_app, make_command("/schedule note in 2h #news reminder", actor=MOD))
    assert "Scheduled #1: note → #news" in out.text
    listing = await run(mod_app, make_command("/schedule list", actor=MOD))
    assert "#1 note → #news" in listing.text
    await run(mod_app, make_command("/schedule note in 3h other", actor=MOD))
    cancel = await run(mod_app, make_command("/schedule cancel 2", actor=MOD))
    assert "Cancelled scheduled post #2" in cancel.text
    again = await run(mod_app, make_command("/schedule cancel 2", actor=MOD))
    assert "Scheduled post #2 is already cancelled" in again.text
    clock.advance(hours=5)
    assert await mod_app.services.scheduler.run_due() == 1
    assert [(c.chat_id, r.blocks[0].text) for c, r in gateway.sent] == [("news", "reminder")]


async def test_recurring_schedule_in_the_chat_time_zone(mod_app, gateway, clock):
    await run(mod_app, make_command("/settings timezone Asia/Shanghai", actor=MOD))
    out = await run(mod_app, make_command("/schedule note daily 09:00 morning", actor=MOD))
    assert "first at 2026-03-02 09:00 (Asia/Shanghai)" in out.text  # clock: 2026-03-01 12:00 UTC
    for _ in range(3):
        clock.advance(days=1)
        await mod_app.services.scheduler.run_due()
    assert len(gateway.sent) == 3
    job = (await mod_app.services.storage.jobs.pending(kind="moderation.post"))[0]
    assert job.due_at.isoformat() == "2026-03-05T01:00:00+00:00"


async def test_due_scheduled_post_runs_once_after_a_restart(tmp_path, clock):
    from tests.support import RecordingGateway

    settings = make_settings(tmp_path)
    async with Parley.open(settings, clock, features=demo_features) as app:
        app.services.outbox.register(RecordingGateway())
        await run(app, make_command("/schedule note in 1h #news while down", actor=MOD))
    clock.advance(hours=3)
    gateway = RecordingGateway()
    async with Parley.open(settings, clock, features=demo_features) as app:
        app.services.outbox.register(gateway)
        await app.services.scheduler.start()
        await app.services.scheduler.stop()
        await app.services.scheduler.run_due()
    assert [r.blocks[0].text for _, r in gateway.sent] == ["while down"]


async def test_a_failing_scheduled_post_is_retried_then_reported(mod_app, gateway, clock):
    await run(mod_app, make_command("/schedule note in 1m #news hi", actor=MOD))
    gateway.failing_sends = 5
    for _ in range(6):
        clock.advance(hours=1)
        await mod_app.services.scheduler.run_due()
    reports = [r.plain_text() for who, r in gateway.private if who == MOD.user_id]
    assert len(reports) == 1 and "failed 5 times" in reports[0]
    assert "I could not reach the platform" in reports[0]
    assert "ConnectionError" not in reports[0] and "platform unreachable" not in reports[0]


async def test_refusals_and_failure_reports_name_this_chat_not_a_placeholder_or_an_id(
    mod_app, gateway, clock
):
    gateway.forbidden.add(HERE.chat_id)
    out = await run(mod_app, make_command("/post note hi", actor=MOD))
    assert "can't post in this chat: I lack" in out.text and "?" not in out.text
    gateway.forbidden.clear()
    await run(mod_app, make_command("/schedule note in 1m hi", actor=MOD))
    gateway.failing_sends = 5
    for _ in range(6):
        clock.advance(hours=1)
        await mod_app.services.scheduler.run_due()
    [(who, report)] = [(who, r.plain_text()) for who, r in gateway.private]
    assert who == MOD.user_id and "(note → this chat) failed 5 times" in report


async def test_settings_show_and_validate(mod_app):
    out = await run(mod_app, make_command("/settings", actor=MOD))
    assert "Time zone" in out.text and "demo on" in out.text
    out = await run(mod_app, make_command("/settings timezone Mars/Base", actor=MOD))
    assert "not a time zone" in out.text
    out = await run(mod_app, make_command("/settings modrole <@&42>", actor=MOD))
    assert "now count as moderators" in out.text
    member = make_actor("bob", roles=frozenset({"42"}))
    assert (
        "Settings of this chat"
        in (await run(mod_app, make_command("/settings", actor=member))).text
    )
    out = await run(mod_app, make_command("/settings modrole everyone", actor=MOD))
    assert "is not a role" in out.text
    out = await run(mod_app, make_command("/settings feature nosuch off", actor=MOD))
    assert "no feature “nosuch”" in out.text


async def test_feature_switch_turns_a_feature_off_for_everyone(mod_app):
    await run(mod_app, make_command("/settings feature demo off", actor=MOD))
    out = await run(mod_app, make_command("/echo 1 hi"))
    assert "switched off in this chat" in out.text
    await run(mod_app, make_command("/settings feature demo on", actor=MOD))
    assert (await run(mod_app, make_command("/echo 1 hi"))).text == "hi"


async def test_chat_rate_limit(mod_app):
    await run(mod_app, make_command("/settings ratelimit 2", actor=MOD))
    replies = [await run(mod_app, make_command("/echo 1 hi")) for _ in range(3)]
    assert [r.text for r in replies[:2]] == ["hi", "hi"] and "wait" in replies[2].text


async def test_audit_lists_recent_moderator_actions(mod_app):
    await run(mod_app, make_command("/settings timezone UTC", actor=MOD))
    await run(mod_app, make_command("/settings timezone Nowhere/Land", actor=MOD))
    out = await run(mod_app, make_command("/audit 5", actor=MOD))
    assert "mod · /settings timezone UTC" in out.text
    assert "Nowhere/Land (failed)" in out.text


async def test_forget_me_asks_then_forgets(mod_app, tmp_path):
    alice = make_actor("alice")
    await run(mod_app, make_press(DemoAdd(amount=1), actor=alice))
    prompt = await run(mod_app, make_command("/forgetme", actor=alice))
    assert prompt.replies[0].private and prompt.replies[0].buttons
    payload = prompt.replies[0].buttons[0][0].payload
    await run(mod_app, make_command("/post note x", actor=make_actor("alice", moderator=True)))
    done = await run(mod_app, make_press(payload, actor=alice))
    assert "3 records" in done.text  # the demo press, the post, and the post's audit row
    with sqlite3.connect(tmp_path / "parley.db") as raw:
        assert raw.execute("SELECT posted_by_name FROM posts").fetchall() == [("(forgotten)",)]
        audit = raw.execute("SELECT actor_id, actor_name, action, detail FROM audit_log")
        assert audit.fetchall() == [("forgotten", "forgotten", "/post", "")]


async def test_cancelling_a_post_while_it_runs_says_so_instead_of_claiming_success(mod_app, clock):
    await run(mod_app, make_command("/schedule note daily 09:00 morning", actor=MOD))
    assert await mod_app.services.storage.jobs.claim(1)  # the scheduler has just picked it up
    out = await run(mod_app, make_command("/schedule cancel 1", actor=MOD))
    assert "being posted right now" in out.text and "Cancelled" not in out.text
    await mod_app.services.storage.jobs.reschedule(1, clock.now())  # it ran; pending again
    out = await run(mod_app, make_command("/schedule cancel 1", actor=MOD))
    assert "Cancelled scheduled post #1" in out.text


async def test_a_scheduled_post_stops_when_the_bot_may_no_longer_post_there(
    mod_app, gateway, clock
):
    await run(mod_app, make_command("/schedule note daily 09:00 #news hello", actor=MOD))
    gateway.forbidden.add("news")
    for _ in range(6):
        clock.advance(days=1)
        await mod_app.services.scheduler.run_due()
    assert not [c for c, _ in gateway.sent if c.chat_id == "news"]
    reports = [r.plain_text() for _, r in gateway.private]
    assert len(reports) == 1 and "was stopped" in reports[0]
    assert "Send Messages permission" in reports[0]
    job = await mod_app.services.storage.jobs.get(1)
    assert job.status == "failed" and job.attempts == 1  # a refusal is not retried


async def test_commands_that_only_read_are_not_audited(mod_app):
    for line in ("/settings", "/schedule list", "/audit"):
        await run(mod_app, make_command(line, actor=MOD))
    await run(mod_app, make_command("/settings timezone UTC", actor=MOD))
    entries = await mod_app.services.storage.audit.recent(HERE, 10)
    assert [e.action for e in entries] == ["/settings timezone"]
