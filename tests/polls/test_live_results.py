"""What the poll message shows: visibility modes, coalesced live edits, an exact final tally."""

import asyncio

from handlers.polls.actions import PollSubmit
from tests.polls.helpers import gateway, press, run, settle, vote
from tests.support import make_actor

ALICE = make_actor("alice")


def edits_of(app, message_id="chat-1"):
    return [reply for ref, reply in gateway(app).edits if ref.message_id == message_id]


async def test_live_poll_shows_the_tally_to_everyone(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await vote(polls_app, 1, 0, make_actor("bob"))
    [edit] = edits_of(polls_app)
    assert "Pizza\n██████████ 100% (1)" in edit.plain_text()


async def test_after_vote_results_go_to_voters_only(polls_app):
    out = await run(polls_app, "/poll Q | A | B --results after-vote", ALICE)
    assert "Results are shown to you after you vote. Voters so far: 0" in out.text
    ack = await vote(polls_app, 1, 1, make_actor("bob"))
    assert "Results so far:" in ack.text and "B\n██████████ 100% (1)" in ack.text
    [edit] = edits_of(polls_app)
    assert "Voters so far: 1" in edit.plain_text() and "100%" not in edit.plain_text()
    refused = await run(polls_app, "/poll results 1", make_actor("carol"))
    assert "Vote in poll #1 first" in refused.text
    allowed = (await run(polls_app, "/poll results 1", make_actor("bob"))).replies[0]
    assert allowed.private and "100% (1)" in allowed.plain_text()


async def test_after_close_results_stay_hidden_until_the_poll_closes(polls_app):
    await run(polls_app, "/poll Q | A | B --results after-close", ALICE)
    ack = await vote(polls_app, 1, 0, make_actor("bob"))
    assert "%" not in ack.text
    for line in ("/poll results 1", "/poll export 1"):
        assert "hidden until it closes" in (await run(polls_app, line)).text
    await run(polls_app, "/poll close 1", ALICE)
    final = edits_of(polls_app)[-1].plain_text()
    assert "Poll #1 (closed)" in final and "A\n██████████ 100% (1)" in final
    assert not edits_of(polls_app)[-1].buttons
    assert "100% (1)" in (await run(polls_app, "/poll results 1")).text


async def test_a_burst_of_votes_edits_each_message_a_few_times_and_ends_exact(polls_app):
    await run(polls_app, "/poll Burst | A | B | C", ALICE)
    voters = [make_actor(f"v{i}") for i in range(60)]
    await asyncio.gather(*(vote(polls_app, 1, i % 3, voter) for i, voter in enumerate(voters)))
    await asyncio.gather(*(vote(polls_app, 1, 0, voter) for voter in voters[1:30:3]))
    await settle(polls_app)
    edits = edits_of(polls_app)
    assert 1 <= len(edits) <= 4
    final = edits[-1].plain_text()
    # 20 each, then 10 people moved from B or C to A (and v0..: i%3==0 are on A already)
    assert "Total voters: 60" in final
    assert "A\n█████░░░░░ 50% (30)" in final


async def test_closing_flushes_a_waiting_edit_and_posts_results_once(polls_app):
    await run(polls_app, "/poll Tonight? | A | B", ALICE)
    await vote(polls_app, 1, 0, make_actor("bob"))
    await vote(polls_app, 1, 1, make_actor("carol"))  # waits for the coalescing interval
    await run(polls_app, "/poll close 1", ALICE)
    final = edits_of(polls_app)[-1].plain_text()
    assert "(closed)" in final and "Total voters: 2" in final
    announcements = [r for _, r in gateway(polls_app).sent if r.title == "Poll #1 has closed"]
    assert len(announcements) == 1
    await settle(polls_app)
    assert "(closed)" in edits_of(polls_app)[-1].plain_text()


async def test_a_ranked_poll_s_results_after_voting_are_labelled_first_preferences(polls_app):
    await run(polls_app, "/poll Q | A | B | C --ranked --results after-vote", ALICE)
    ack = await press(polls_app, PollSubmit(poll=1, picks="10"), make_actor("bob"))
    assert "Results so far:" in ack.text
    assert "First preferences:" in ack.text and "B\n██████████ 100% (1)" in ack.text
