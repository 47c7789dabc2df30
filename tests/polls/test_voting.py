"""Voting with buttons: one ballot per person, changes, withdrawals, private ballots, roles."""

import asyncio

from handlers.polls.actions import PollPick, PollRetract, PollSubmit, PollVote
from tests.polls.helpers import db_rows, payloads, press, run, seal_for, vote
from tests.support import make_actor

ALICE = make_actor("alice")
BOB = make_actor("bob")


def ballots(app):
    return db_rows(
        app,
        "SELECT b.voter_key, group_concat(c.option, ',') FROM poll_ballots b JOIN poll_choices c"
        " USING (poll_id, voter_key) GROUP BY b.poll_id, b.voter_key ORDER BY b.voter_key",
    )


async def test_press_votes_again_changes_same_again_withdraws(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    first = await vote(polls_app, 1, 0, BOB)
    assert first.replies[0].private
    assert "Your vote in poll #1 is in: Pizza." in first.text
    assert ballots(polls_app) == [("test:bob", "0")]
    changed = await vote(polls_app, 1, 1, BOB)
    assert "is now: Sushi" in changed.text
    assert ballots(polls_app) == [("test:bob", "1")]
    withdrawn = await vote(polls_app, 1, 1, BOB)
    assert "Your vote in poll #1 is withdrawn." in withdrawn.text
    assert ballots(polls_app) == []
    assert db_rows(polls_app, "SELECT count(*) FROM poll_choices") == [(0,)]


async def test_one_ballot_per_person_under_concurrent_presses(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi | Tacos", ALICE)
    people = [make_actor(f"p{i}") for i in range(40)]
    presses = [vote(polls_app, 1, i % 3, person) for i, person in enumerate(people)]
    presses += [vote(polls_app, 1, (i + 1) % 3, person) for i, person in enumerate(people[:20])]
    presses += [vote(polls_app, 1, 2, ALICE) for _ in range(15)]
    replies = await asyncio.gather(*presses)
    assert all(r.replies and r.replies[0].private for r in replies)
    rows = db_rows(polls_app, "SELECT voter_key, count(*) FROM poll_choices GROUP BY voter_key")
    assert all(count == 1 for _, count in rows)
    keys = {key for key, _ in rows}
    assert {f"test:p{i}" for i in range(40)} <= keys
    # alice pressed the same option 15 times: odd count, so her vote stands
    assert ("test:alice", "2") in ballots(polls_app)
    assert db_rows(polls_app, "SELECT count(*) FROM poll_ballots") == [(41,)]


async def test_multi_choice_ballot_is_filled_privately_then_submitted(polls_app):
    await run(polls_app, "/poll Toppings | Ham | Olives | Basil --multi 2", ALICE)
    opened = await vote(polls_app, 1, 2, BOB)
    ballot = opened.replies[0]
    assert ballot.private and ballot.title == "Your ballot — poll #1"
    assert PollSubmit(poll=1, picks="2").encode() in payloads(ballot)
    picked = await press(polls_app, PollPick(poll=1, picks="2", option=0), BOB)
    assert PollSubmit(poll=1, picks="20").encode() in payloads(picked.updates[0])
    full = await press(polls_app, PollPick(poll=1, picks="20", option=1), BOB)
    assert "You can pick up to 2 options" in full.text
    assert ballots(polls_app) == []  # nothing is stored before Submit
    done = await press(polls_app, PollSubmit(poll=1, picks="20"), BOB)
    assert "Your vote in poll #1 is in: Basil, Ham." in done.text
    assert ballots(polls_app) == [("test:bob", "2,0")]
    too_many = await press(polls_app, PollSubmit(poll=1, picks="012"), BOB)
    assert "You can pick up to 2 options; you picked 3." in too_many.text
    empty = await press(polls_app, PollSubmit(poll=1, picks="-"), BOB)
    assert "Pick at least one option." in empty.text
    retract = await press(polls_app, PollRetract(poll=1), BOB)
    assert "withdrawn" in retract.text and ballots(polls_app) == []
    again = await press(polls_app, PollRetract(poll=1), BOB)
    assert "You have no vote in poll #1 to withdraw." in again.text


async def test_forged_ballot_payloads_are_refused(polls_app):
    await run(polls_app, "/poll Q | A | B --ranked", ALICE)
    for payload in (
        PollSubmit(poll=1, picks="11"),
        PollSubmit(poll=1, picks="9"),
        PollVote(poll=1, option=5),
    ):
        out = await press(polls_app, payload, BOB)
        assert "out of date" in out.text, payload
    assert "There is no poll #99" in (await press(polls_app, PollVote(poll=99, option=0), BOB)).text
    unsealed = await press(polls_app, PollSubmit(poll=1, picks="01"), BOB, sealed=False)
    assert "This button has expired" in unsealed.text
    sealed_for_alice = seal_for(polls_app, PollSubmit(poll=1, picks="01"), ALICE)
    assert "This button has expired" in (await press(polls_app, sealed_for_alice, BOB)).text
    assert ballots(polls_app) == []


async def test_ranked_poll_is_counted_by_instant_runoff_through_the_command(polls_app):
    await run(polls_app, "/poll Mascot | Cat | Dog | Owl --ranked", ALICE)
    rankings = {"a": "01", "b": "01", "c": "1", "d": "10", "e": "20", "f": "21", "g": "2"}
    for name, ranking in rankings.items():
        out = await press(polls_app, PollSubmit(poll=1, picks=ranking), make_actor(name))
        assert "is in" in out.text
    text = (await run(polls_app, "/poll results 1", ALICE)).text
    assert "Round 1: Cat 2 · Dog 2 · Owl 3 — eliminated: Cat" in text
    assert "Round 2: Dog 4 · Owl 3" in text and "Winner: Dog" in text


async def test_only_the_allowed_role_may_vote(polls_app):
    await run(polls_app, "/poll Q | A | B --role 77", ALICE)
    refused = await vote(polls_app, 1, 0, BOB)
    assert "Only members with the role 77 can vote in poll #1." in refused.text
    member = make_actor("carol", roles=frozenset({"77"}))
    assert "is in" in (await vote(polls_app, 1, 0, member)).text
    assert ballots(polls_app) == [("test:carol", "0")]


async def test_votes_after_the_deadline_are_refused_even_before_the_job_runs(polls_app, clock):
    await run(polls_app, "/poll Q | A | B --for 5m", ALICE)
    clock.advance(minutes=6)
    out = await vote(polls_app, 1, 0, BOB)
    assert "closed" in out.text and ballots(polls_app) == []


async def test_switched_off_feature_refuses_presses(polls_app):
    await run(polls_app, "/poll Q | A | B", ALICE)
    from bot.identity import ChatRef

    chat = ChatRef("test", "chat")
    now = polls_app.services.clock.now()
    await polls_app.services.storage.chat_settings.set_feature_enabled(chat, "polls", False, now)
    out = await vote(polls_app, 1, 0, BOB)
    assert "polls" in out.text and ballots(polls_app) == []
