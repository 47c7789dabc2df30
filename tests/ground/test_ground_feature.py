"""Common ground through the real router: private cards, one vote each, results, forgetting."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.app import Parley
from bot.reply import Reply
from handlers.ground.actions import GroundVote
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from tests.ground.communities import plant
from tests.support import RecordingResponder, make_actor, make_command, make_press

MOD = make_actor("mod", moderator=True)
CLAIMS = sum(len(side.claims) for side in load_topic(DEFAULT_TOPIC).debate_map.sides)


async def run(app: Parley, line: str, actor=MOD, chat: str = "chat") -> RecordingResponder:
    responder = RecordingResponder()
    await app.router.dispatch(make_command(line, actor=actor, chat=chat), responder)
    return responder


async def press(app: Parley, payload: str, actor, chat: str = "chat") -> RecordingResponder:
    responder = RecordingResponder()
    await app.router.dispatch(make_press(payload, actor=actor, chat=chat), responder)
    return responder


def card(out: RecordingResponder) -> Reply:
    return (out.updates or out.replies)[-1]


def rows(app: Parley, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(app.services.settings.database_path) as connection:
        return connection.execute(sql, params).fetchall()


def stance_button(reply: Reply, index: int) -> str:
    return reply.buttons[0][index].payload


async def test_the_card_is_private_and_a_vote_brings_the_next_statement(app):
    alice = make_actor("alice")
    out = await run(app, "/ground", alice)
    first = card(out)
    assert first.private and len(first.buttons[0]) == 3
    assert f"1 of {CLAIMS}" in first.title
    out = await press(app, stance_button(first, 0), alice)
    second = card(out)
    assert f"2 of {CLAIMS}" in second.title
    assert second.blocks[0] != first.blocks[0]
    assert rows(app, "SELECT voter, stance FROM ground_votes") == [("test:alice", 1)]


async def test_one_vote_per_person_per_statement_changeable(app):
    alice = make_actor("alice")
    first = card(await run(app, "/ground", alice))
    agree, disagree = stance_button(first, 0), stance_button(first, 1)
    await press(app, agree, alice)
    await press(app, disagree, alice)
    assert rows(app, "SELECT count(*), min(stance) FROM ground_votes") == [(1, -1)]


async def test_a_card_sealed_for_one_person_does_not_vote_for_another(app):
    alice, bob = make_actor("alice"), make_actor("bob")
    first = card(await run(app, "/ground", alice))
    out = await press(app, stance_button(first, 0), bob)
    assert rows(app, "SELECT count(*) FROM ground_votes") == [(0,)]
    assert out.replies and out.replies[-1].private


async def test_forged_votes_on_another_chats_statement_answer_like_a_missing_one(app):
    alice = make_actor("alice")
    await run(app, "/ground add Parley should keep every vote private.", chat="other")
    other_id = rows(app, "SELECT id FROM ground_statements WHERE chat_id = 'other'")[0][0]
    forged = GroundVote(statement=other_id, stance="agree").encode()
    out = await press(app, forged, alice)
    assert rows(app, "SELECT count(*) FROM ground_votes") == [(0,)]
    assert "expired" in out.text.lower() or "no statement" in out.text.lower()


async def test_members_propose_moderators_decide(app):
    alice = make_actor("alice")
    out = await run(app, "/ground propose Both sides want fair rules for AI training.", alice)
    assert "waits for a moderator" in out.text and out.replies[0].private
    member_queue = await run(app, "/ground queue", alice)
    assert "Only moderators" in member_queue.text
    queue = await run(app, "/ground queue")
    assert "fair rules" in queue.text and queue.replies[0].private
    approve = queue.replies[0].buttons[0][0].payload
    refused = await press(app, approve, alice)
    assert "Only moderators" in refused.text
    decided = await press(app, approve, MOD)
    assert "approved" in decided.text
    texts = rows(app, "SELECT status FROM ground_statements WHERE source = 'proposed'")
    assert texts == [("approved",)]
    again = await press(app, approve, MOD)
    assert "not waiting" in again.text


async def test_near_duplicates_and_bad_lengths_are_refused(app):
    await run(app, "/ground add Distillation without permission breaks the terms.")
    out = await run(app, "/ground add distillation without permission breaks the terms!")
    assert "very much like statement" in out.text
    out = await run(app, "/ground add short")
    assert "at least 10 characters" in out.text
    assert rows(app, "SELECT count(*) FROM ground_statements WHERE source = 'seeded'") == [(1,)]


async def test_proposals_are_bounded_per_person(app):
    alice = make_actor("alice")
    for text in (
        "Labs should publish what data they train on.",
        "Terms of service are not the same as law.",
        "Export controls shape this debate more than ethics.",
    ):
        await run(app, f"/ground propose {text}", alice)
    out = await run(app, "/ground propose Everyone copies everyone in this industry.", alice)
    assert "3 proposals waiting" in out.text


async def _vote_camps(app: Parley, sizes: list[int]) -> None:
    """Seed statements and let planted camps vote on them through the buttons' handler."""
    community = plant(sizes, own_per_camp=4, bridges=2, seen_share=1.0)
    for text in SEEDED[: community.statements]:
        await run(app, f"/ground add {text}")
    ids = [r[0] for r in rows(app, "SELECT id FROM ground_statements WHERE source = 'seeded'")]
    for vote in community.votes:
        person = make_actor(f"p{vote.participant}")
        stance = {1: "agree", -1: "disagree", 0: "pass"}[int(vote.stance)]
        action = GroundVote(statement=ids[vote.statement], stance=stance).encode()
        await press(app, _seal(app, action, person), person)


SEEDED = (
    "Distillation at scale without permission is theft.",
    "Breaking terms of service should carry legal penalties.",
    "Chinese labs could not have caught up without copying.",
    "Export controls are justified by this behaviour.",
    "American labs trained on the open web without asking either.",
    "Calling it theft is hypocrisy from companies that scraped everything.",
    "Open weights from Chinese labs helped researchers everywhere.",
    "The accusation is mostly about protecting market share.",
    "Labs should disclose where their training data comes from.",
    "An independent body should settle claims like these.",
)


def _seal(app: Parley, payload: str, actor) -> str:
    from bot.seals import ButtonSeal

    key = rows(app, "SELECT secret FROM button_seal_key")[0][0]
    return ButtonSeal(key).seal(payload, actor.key)


async def test_results_show_groups_and_bridges_and_a_picture(app):
    await _vote_camps(app, [8, 7])
    out = await run(app, "/ground results", make_actor("alice"))
    reply = out.replies[-1]
    text = out.text
    assert "Group A · 8 people" in text and "Group B · 7 people" in text
    agreed = text.split("What every group agrees with")[1].split("Group A")[0]
    assert SEEDED[8] in agreed and SEEDED[9] in agreed
    assert SEEDED[0] not in agreed and SEEDED[4] not in agreed
    assert reply.attachment is not None and reply.attachment.data.startswith(b"\x89PNG")
    assert "p1" not in text


async def test_results_in_chinese_and_too_few_people(app):
    zh = make_actor("小红", locale="zh-CN")
    out = await run(app, "/ground 结果", zh)
    assert "至少 5 人表态后" in out.text


async def test_forget_me_removes_a_persons_votes(app):
    alice = make_actor("alice")
    first = card(await run(app, "/ground", alice))
    await press(app, stance_button(first, 0), alice)
    forgotten = await app.services.features.forget_user("test", "alice")
    assert forgotten >= 1
    assert rows(app, "SELECT count(*) FROM ground_votes") == [(0,)]


async def test_anonymous_chats_store_no_user_id_and_forget_still_works(app):
    out = await run(app, "/ground anonymous")
    assert "nobody can trace" in out.text
    alice = make_actor("alice")
    first = card(await run(app, "/ground", alice))
    await press(app, stance_button(first, 0), alice)
    voters = rows(app, "SELECT voter FROM ground_votes")
    assert len(voters) == 1 and "alice" not in voters[0][0] and len(voters[0][0]) == 64
    again = await run(app, "/ground anonymous")
    assert "already anonymous" in again.text
    await app.services.features.forget_user("test", "alice")
    assert rows(app, "SELECT count(*) FROM ground_votes") == [(0,)]


async def test_anonymity_cannot_change_once_votes_exist(app):
    alice = make_actor("alice")
    first = card(await run(app, "/ground", alice))
    await press(app, stance_button(first, 0), alice)
    out = await run(app, "/ground anonymous")
    assert "mix named and anonymous" in out.text
    assert rows(app, "SELECT count(*) FROM ground_chats") == [(0,)]


async def test_moderators_can_post_the_results(app):
    out = await run(app, "/post ground")
    assert "Not enough votes yet" in out.text or "Posted" in out.text


async def test_proposals_sent_at_once_cannot_pass_the_limit_together(app):
    alice = make_actor("alice")
    texts = [
        "Labs should publish what data they train on.",
        "Terms of service are not the same as law.",
        "Export controls shape this debate more than ethics.",
        "Everyone copies everyone in this industry anyway.",
        "Open weights change who can check these claims.",
        "Courts, not companies, should decide what counts as theft.",
    ]
    await asyncio.gather(*(run(app, f"/ground propose {text}", alice) for text in texts))
    assert rows(app, "SELECT count(*) FROM ground_statements WHERE status = 'pending'") == [(3,)]


async def test_results_follow_a_changed_vote(app):
    await _vote_camps(app, [8, 7])
    before = (await run(app, "/ground results")).text
    bridge = rows(app, "SELECT id FROM ground_statements WHERE text = ?", (SEEDED[9],))[0][0]
    for person in range(15):  # everyone now rejects the last bridge, at the same clock time
        actor = make_actor(f"p{person}")
        action = GroundVote(statement=bridge, stance="disagree").encode()
        await press(app, _seal(app, action, actor), actor)
    after = (await run(app, "/ground results")).text
    assert SEEDED[9] in before.split("What every group agrees with")[1].split("Group A")[0]
    assert SEEDED[9] in after.split("What every group rejects")[1].split("Group A")[0]
