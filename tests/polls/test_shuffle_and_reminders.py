"""`--shuffle` (each voter's own option order) and `--remind` (closing soon), through the router."""

from __future__ import annotations

from handlers.polls.actions import PollBallot, PollPick, PollSubmit
from tests.polls.helpers import db_rows, gateway, payloads, press, run, settle
from tests.support import make_actor

ALICE = make_actor("alice")
LABELS = ("Ant", "Bee", "Cat", "Dog", "Eel", "Fox", "Gnu", "Hen")


def order_on(reply) -> tuple[str, ...]:
    """The option labels of a ballot's toggles, in the order shown."""
    return tuple(button.label.removeprefix("✓ ") for button in reply.buttons[0] + reply.buttons[1])


def table_counts(app) -> dict[str, int]:
    names = db_rows(app, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name: db_rows(app, f"SELECT count(*) FROM {name}")[0][0] for (name,) in names}


async def test_a_shuffled_poll_gives_each_voter_an_order_of_their_own(polls_app):
    out = await run(
        polls_app, "/poll Pet? | " + " | ".join(LABELS) + " --shuffle --anonymous", ALICE
    )
    [poll] = out.replies
    assert payloads(poll) == [PollBallot(poll=1).encode()]
    assert "options in your own order" in poll.plain_text()
    orders = []
    for name in ("v1", "v2", "v3", "v4"):
        voter = make_actor(name)
        before = table_counts(polls_app)
        first = await press(polls_app, PollBallot(poll=1), voter)
        assert table_counts(polls_app) == before  # nothing stored about the order
        again = await press(polls_app, PollBallot(poll=1), voter)
        assert order_on(first.replies[0]) == order_on(again.replies[0])
        assert sorted(order_on(first.replies[0])) == list(LABELS)
        orders.append(order_on(first.replies[0]))
    assert len(set(orders)) > 1


async def test_a_shuffled_single_choice_ballot_votes_and_the_tally_keeps_declared_order(polls_app):
    await run(polls_app, "/poll Pet? | Ant | Bee | Cat --shuffle", ALICE)
    bob = make_actor("bob")
    picked = await press(polls_app, PollPick(poll=1, picks="-", option=2), bob)
    [update] = picked.updates
    assert "✓ Cat" in [b.label for row in update.buttons for b in row]
    other = await press(polls_app, PollPick(poll=1, picks="2", option=0), bob)
    assert [b.label for row in other.updates[0].buttons for b in row].count("✓ Ant") == 1
    done = await press(polls_app, PollSubmit(poll=1, picks="2"), bob)
    assert done.text.startswith("Your vote in poll #1 is in: Cat")
    two = await press(polls_app, PollSubmit(poll=1, picks="20"), bob)
    assert "out of date" in two.text
    await settle(polls_app)
    tally = gateway(polls_app).edits[-1][1].plain_text()
    assert tally.index("Ant") < tally.index("Bee") < tally.index("Cat")
    assert "Cat\n██████████ 100% (1)" in tally


async def test_an_unshuffled_poll_refuses_the_shuffled_ballot_button(polls_app):
    await run(polls_app, "/poll Pet? | Ant | Bee", ALICE)
    out = await press(polls_app, PollBallot(poll=1), make_actor("bob"))
    assert "out of date" in out.text


async def test_the_chats_are_reminded_before_the_deadline_once(polls_app, clock):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --for 2h --remind 30m", ALICE)
    jobs = "SELECT kind, due_at, status FROM jobs WHERE kind = 'polls.remind'"
    assert db_rows(polls_app, jobs) == [("polls.remind", "2026-03-01T13:30:00.000000Z", "pending")]
    clock.advance(hours=1, minutes=29)
    await polls_app.services.scheduler.run_due()
    assert not [r for _, r in gateway(polls_app).sent if "closes soon" in (r.title or "")]
    clock.advance(minutes=1)
    await polls_app.services.scheduler.run_due()
    [(chat, reminder)] = [
        (c, r) for c, r in gateway(polls_app).sent if "closes soon" in (r.title or "")
    ]
    assert reminder.title == "Poll #1 closes soon" and chat.chat_id == "chat"
    assert "Closes 2026-03-01 14:00 UTC" in reminder.plain_text()


async def test_a_moved_deadline_moves_the_reminder(polls_app, clock):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --for 2h --remind 30m", ALICE)
    await run(polls_app, "/poll deadline 1 5h", ALICE)
    jobs = "SELECT due_at, status FROM jobs WHERE kind = 'polls.remind' ORDER BY id"
    assert db_rows(polls_app, jobs) == [
        ("2026-03-01T13:30:00.000000Z", "cancelled"),
        ("2026-03-01T16:30:00.000000Z", "pending"),
    ]
    clock.advance(hours=2)
    await polls_app.services.scheduler.run_due()
    assert not [r for _, r in gateway(polls_app).sent if "closes soon" in (r.title or "")]


async def test_a_reminder_needs_a_deadline_before_it(polls_app):
    no_deadline = await run(polls_app, "/poll Q | A | B --remind 30m", ALICE)
    assert "`--remind` needs a deadline" in no_deadline.text
    too_late = await run(polls_app, "/poll Q | A | B --for 1h --remind 2h", ALICE)
    assert "shorter than the poll's duration" in too_late.text
    zh = await run(polls_app, "/poll Q | A | B --remind soon", make_actor("li", locale="zh"))
    assert "`--remind` 后面是截止前多久提醒" in zh.text
    assert db_rows(polls_app, "SELECT count(*) FROM polls") == [(0,)]


async def test_a_forged_option_press_opens_a_shuffled_ballot_in_the_voters_own_order(polls_app):
    await run(polls_app, "/poll Pets? | " + " | ".join(LABELS) + " --shuffle --multi", ALICE)
    bob = make_actor("bob")
    shown = await press(polls_app, PollBallot(poll=1), bob)
    forged = await press(polls_app, "v1:poll.vote:1:0", bob)  # no such button on this poll
    [ballot] = forged.replies
    assert order_on(ballot) == order_on(shown.replies[0])
    assert "✓ Ant" in [button.label for row in ballot.buttons for button in row]
