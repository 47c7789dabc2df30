"""Closing at the deadline through the durable scheduler, also across a restart."""

from bot.app import Parley
from tests.polls.conftest import features_with_fast_edits
from tests.polls.helpers import db_rows, gateway, run, vote
from tests.support import RecordingGateway, make_actor

ALICE = make_actor("alice")


def announcements(app):
    return [reply for _, reply in gateway(app).sent if reply.title == "Poll #1 has closed"]


async def test_poll_closes_at_its_deadline(polls_app, clock):
    await run(polls_app, "/poll Q | A | B --for 10m --anonymous", ALICE)
    await vote(polls_app, 1, 1, make_actor("bob"))
    assert await polls_app.services.scheduler.run_due() == 0
    clock.advance(minutes=10)
    assert await polls_app.services.scheduler.run_due() == 2  # the close, then the WAL clearing
    [announcement] = announcements(polls_app)
    assert "B\n██████████ 100% (1)" in announcement.plain_text()
    assert db_rows(polls_app, "SELECT closed_at IS NOT NULL, salt FROM polls") == [(1, None)]
    assert db_rows(polls_app, "SELECT kind, status FROM jobs ORDER BY id") == [
        ("polls.close", "done"),
        ("polls.clear_wal", "done"),
        ("polls.announce", "done"),
    ]


async def open_app(settings, clock):
    app_context = Parley.open(settings, clock, features=features_with_fast_edits)
    app = await app_context.__aenter__()
    app.services.outbox.register(RecordingGateway())
    return app_context, app


async def test_deadline_passed_while_down_closes_once_at_start_up(settings, clock):
    context, app = await open_app(settings, clock)
    await run(app, "/poll Q | A | B --for 1h", ALICE)
    await vote(app, 1, 0, make_actor("bob"))
    await context.__aexit__(None, None, None)

    clock.advance(hours=3)
    context, app = await open_app(settings, clock)
    await app.services.scheduler.start()
    await app.services.scheduler.stop()
    assert len(announcements(app)) == 1
    assert "A\n██████████ 100% (1)" in announcements(app)[0].plain_text()
    [(closed_at,)] = db_rows(app, "SELECT closed_at FROM polls")
    assert closed_at == "2026-03-01T15:00:00.000000Z"  # closed when the bot came back
    final = [reply for _, reply in gateway(app).edits][-1]
    assert "(closed)" in final.plain_text() and not final.buttons
    await context.__aexit__(None, None, None)

    context, app = await open_app(settings, clock)
    await app.services.scheduler.start()
    await app.services.scheduler.stop()
    assert announcements(app) == []
    assert "closed" in (await vote(app, 1, 1, make_actor("carol"))).text
    await context.__aexit__(None, None, None)


async def test_closing_by_hand_leaves_the_job_nothing_to_do(polls_app, clock):
    await run(polls_app, "/poll Q | A | B --for 10m", ALICE)
    await run(polls_app, "/poll close 1", ALICE)
    clock.advance(minutes=11)
    await polls_app.services.scheduler.run_due()
    assert len(announcements(polls_app)) == 1


async def test_closing_by_hand_cancels_the_deadline_job(polls_app, clock):
    await run(polls_app, "/poll Q | A | B --for 30d", ALICE)
    await run(polls_app, "/poll Other | A | B --for 30d", ALICE)
    await run(polls_app, "/poll close 1", ALICE)
    jobs = "SELECT payload, status FROM jobs WHERE kind = 'polls.close' ORDER BY id"
    deadline = '"closes_at": "2026-03-31T12:00:00.000000Z"'
    assert db_rows(polls_app, jobs) == [
        ("{" + deadline + ', "poll_id": 1}', "cancelled"),
        ("{" + deadline + ', "poll_id": 2}', "pending"),
    ]
