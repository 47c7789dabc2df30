"""Polls people can manage (issue 16): options members add, deadlines, reopening, cloning.

Everything goes through the router: a command or press in, a reply, rows and poll edits out.
"""

from __future__ import annotations

from bot.app import Parley
from handlers.polls.actions import PollSubmit, PollVote
from tests.polls.conftest import features_with_fast_edits
from tests.polls.helpers import MOD, db_rows, gateway, press, run, settle, vote
from tests.support import RecordingGateway, make_actor, make_settings

ALICE = make_actor("alice")
BOB = make_actor("bob")
CAROL = make_actor("carol")


def options(app, poll_id: int = 1) -> list[tuple]:
    return db_rows(
        app,
        "SELECT position, label, added_by, removed_at IS NOT NULL FROM poll_options"
        " WHERE poll_id = ? ORDER BY position",
        (poll_id,),
    )


def ballots(app, poll_id: int = 1) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for key, option in db_rows(
        app,
        "SELECT voter_key, option FROM poll_choices WHERE poll_id = ? ORDER BY voter_key, rank",
        (poll_id,),
    ):
        found.setdefault(key, []).append(option)
    return found


async def last_edit(app):
    await settle(app)
    return gateway(app).edits[-1][1]


async def rank(app, poll_id: int, picks: str, actor, chat: str = "chat"):
    return await press(app, PollSubmit(poll=poll_id, picks=picks), actor, chat)


# --- --open: members add options -----------------------------------------------------------------


async def test_a_member_adds_an_option_to_an_open_poll_and_it_appears_on_the_poll(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --open", ALICE)
    await vote(polls_app, 1, 0, CAROL)
    out = await run(polls_app, "/poll add 1 Tacos  al   pastor", BOB)
    assert out.text.startswith("Added option 3 to poll #1: Tacos al pastor.")
    assert options(polls_app)[2] == (2, "Tacos al pastor", "test:bob", 0)
    assert ballots(polls_app) == {"test:carol": [0]}
    edited = await last_edit(polls_app)
    assert PollVote(poll=1, option=2).encode() in [b.payload for row in edited.buttons for b in row]
    assert (
        "Tacos al pastor" in edited.plain_text()
        and "members may add options" in edited.plain_text()
    )
    audit = db_rows(polls_app, "SELECT actor_id, action, outcome FROM audit_log")
    assert ("bob", "/poll add", "ok") in audit


async def test_adding_to_a_poll_not_open_to_members_is_for_its_creator_and_moderators(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    refused = await run(polls_app, "/poll add 1 Tacos", BOB)
    assert "Only the creator of poll #1 or a moderator" in refused.text
    assert (await run(polls_app, "/poll add 1 Tacos", ALICE)).text.startswith("Added option 3")
    assert (await run(polls_app, "/poll add 1 Ramen", MOD)).text.startswith("Added option 4")
    assert [row[1] for row in options(polls_app)] == ["Pizza", "Sushi", "Tacos", "Ramen"]


async def test_added_options_are_checked_for_near_duplicates_length_and_count(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --open", ALICE)
    near = await run(polls_app, "/poll add 1 pizza!", BOB)
    assert near.replies[0].private and "nearly the same as the option “Pizza”" in near.text
    long = await run(polls_app, "/poll add 1 " + "x" * 81, BOB)
    assert "80" in long.text
    for label in ("Tacos", "Ramen"):
        await run(polls_app, f"/poll add 1 {label}", BOB)
    third = await run(polls_app, "/poll add 1 Curry", BOB)
    assert "You have added 2 options to this poll already" in third.text
    for number, dish in enumerate(("Curry", "Bibimbap", "Falafel", "Paella", "Goulash", "Borscht")):
        await run(polls_app, f"/poll add 1 {dish}", make_actor(f"m{number}"))
    full = await run(polls_app, "/poll add 1 Pho", CAROL)
    assert "no room for another option (at most 10" in full.text
    assert len(options(polls_app)) == 10


async def test_bad_additions_are_explained_in_chinese(polls_app):
    await run(polls_app, "/poll 午饭？ | 饺子 | 面条 --open", ALICE)
    zh = make_actor("li", locale="zh")
    out = await run(polls_app, "/poll add 1 饺子！", zh)
    assert "这与已有选项“饺子”几乎相同。" in out.text
    assert len(options(polls_app)) == 2


BALLOTS = (
    (make_actor("v1"), "01"),
    (make_actor("v2"), "10"),
    (BOB, "20"),
    (make_actor("v3"), "01"),
)


async def test_an_added_option_changes_no_ranked_ballot_and_not_the_winner(polls_app):
    await run(polls_app, "/poll Q | A | B | C --ranked --open", ALICE)
    for actor, picks in BALLOTS:
        await rank(polls_app, 1, picks, actor)
    await run(polls_app, "/poll Q2 | A | B | C --ranked", ALICE)
    for actor, picks in BALLOTS:
        await rank(polls_app, 2, picks, actor)
    before = ballots(polls_app)
    await run(polls_app, "/poll add 1 D", CAROL)
    assert ballots(polls_app) == before
    await run(polls_app, "/poll close 1", ALICE)
    await run(polls_app, "/poll close 2", ALICE)
    announced = [r.plain_text() for _, r in gateway(polls_app).sent if "has closed" in r.title]
    winners = [text.splitlines()[-1] for text in announced]
    assert winners[0] == winners[1] == "Winner: A"


async def test_a_moderator_removes_an_added_option_from_the_poll_and_its_ballots(polls_app):
    await run(polls_app, "/poll Q | A | B | C --ranked --open", ALICE)
    await run(polls_app, "/poll add 1 Spam", BOB)
    await rank(polls_app, 1, "30", BOB)
    await rank(polls_app, 1, "3", CAROL)
    await rank(polls_app, 1, "12", make_actor("dan"))
    assert (await run(polls_app, "/poll remove 1 4", BOB)).text.startswith("Only moderators")
    assert "not one members added" in (await run(polls_app, "/poll remove 1 1", MOD)).text
    out = await run(polls_app, "/poll remove 1 4", MOD)
    assert (
        "2 ballot(s) named it" in out.text and "1 with no other choice were withdrawn" in out.text
    )
    assert ballots(polls_app) == {"test:bob": [0], "test:dan": [1, 2]}
    assert options(polls_app)[3][3] == 1
    edited = await last_edit(polls_app)
    assert "Spam" not in edited.plain_text()
    assert len([b for row in edited.buttons for b in row]) == 3
    stale = await press(polls_app, PollSubmit(poll=1, picks="3"), CAROL)
    assert "That ballot button is out of date" in stale.text
    again = await rank(polls_app, 1, "2", CAROL)
    assert again.text == "Your vote in poll #1 is in: C."
    await run(polls_app, "/poll close 1", MOD)
    [announced] = [r.plain_text() for _, r in gateway(polls_app).sent if "has closed" in r.title]
    assert "Spam" not in announced
    audit = db_rows(
        polls_app, "SELECT actor_id, action FROM audit_log WHERE action = '/poll remove'"
    )
    assert ("mod", "/poll remove") in audit


# --- deadlines, reopening, cloning ---------------------------------------------------------------


async def test_the_creator_moves_the_deadline_and_the_closing_follows(polls_app, clock):
    await run(polls_app, "/poll Q | A | B --for 1h", ALICE)
    assert "Only the creator" in (await run(polls_app, "/poll deadline 1 3h", BOB)).text
    out = await run(polls_app, "/poll deadline 1 3h", ALICE)
    assert out.text == "Poll #1 now closes 2026-03-01 15:00 UTC."
    assert "closes 2026-03-01 15:00 UTC" in (await last_edit(polls_app)).plain_text()
    assert db_rows(polls_app, "SELECT status FROM jobs WHERE kind = 'polls.close' ORDER BY id") == [
        ("cancelled",),
        ("pending",),
    ]
    clock.advance(hours=1, minutes=1)
    await polls_app.services.scheduler.run_due()
    assert db_rows(polls_app, "SELECT closed_at FROM polls") == [(None,)]
    clock.advance(hours=2)
    await polls_app.services.scheduler.run_due()
    assert db_rows(polls_app, "SELECT closed_at IS NOT NULL FROM polls") == [(1,)]
    audit = db_rows(polls_app, "SELECT actor_id, action, detail FROM audit_log")
    assert ("alice", "/poll deadline", "1 3h") in audit


async def test_a_stale_closing_job_leaves_a_moved_deadline_alone(polls_app, clock):
    await run(polls_app, "/poll Q | A | B --for 1h", ALICE)
    await run(polls_app, "/poll deadline 1 3h", ALICE)
    db_rows(polls_app, "UPDATE jobs SET status = 'pending' WHERE kind = 'polls.close'")
    clock.advance(hours=1, minutes=1)
    await polls_app.services.scheduler.run_due()
    assert db_rows(polls_app, "SELECT closed_at FROM polls") == [(None,)]


async def test_deadline_words_in_both_forms_and_bad_ones(polls_app, clock):
    await run(polls_app, "/poll Q | A | B --for 1h", ALICE)
    assert (
        "2026-03-02 09:00 UTC"
        in (await run(polls_app, "/poll deadline 1 2026-03-02 09:00", ALICE)).text
    )
    cleared = await run(polls_app, "/poll deadline 1 none", ALICE)
    assert "no longer has a deadline" in cleared.text
    assert db_rows(polls_app, "SELECT closes_at FROM polls") == [(None,)]
    bad = await run(polls_app, "/poll deadline 1 soonish", ALICE)
    assert "“soonish” is not a deadline" in bad.text
    far = await run(polls_app, "/poll deadline 1 40d", ALICE)
    assert "at most 30 days" in far.text
    zh = await run(polls_app, "/poll deadline 1 soonish", make_actor("alice", locale="zh"))
    assert "“soonish”不是有效的截止时间" in zh.text


async def test_a_closed_named_poll_reopens_and_announces_again(polls_app, clock):
    await run(polls_app, "/poll Q | A | B", ALICE)
    await vote(polls_app, 1, 0, BOB)
    await run(polls_app, "/poll close 1", ALICE)
    assert "still open" not in (await run(polls_app, "/poll deadline 1 2h", ALICE)).text
    out = await run(polls_app, "/poll reopen 1 2h", ALICE)
    assert out.text.startswith("Poll #1 is open again")
    assert db_rows(polls_app, "SELECT closed_at, announced_at, closes_at FROM polls") == [
        (None, None, "2026-03-01T14:00:00.000000Z")
    ]
    edited = await last_edit(polls_app)
    assert edited.buttons and "closes 2026-03-01 14:00 UTC" in edited.plain_text()
    await vote(polls_app, 1, 1, CAROL)
    assert "still open" in (await run(polls_app, "/poll reopen 1", ALICE)).text
    clock.advance(hours=2)
    await polls_app.services.scheduler.run_due()
    announced = [r for _, r in gateway(polls_app).sent if r.title == "Poll #1 has closed"]
    assert len(announced) == 2 and "(1)" in announced[1].plain_text()


async def test_reopening_keeps_trust(polls_app):
    await run(polls_app, "/poll Secret | A | B --anonymous", ALICE)
    await run(polls_app, "/poll Hidden | A | B --results after-close", ALICE)
    await run(polls_app, "/poll Named | A | B", ALICE)
    await run(polls_app, "/poll Kept | A | B", ALICE)
    await vote(polls_app, 4, 0, BOB)
    for poll_id in (1, 2, 3, 4):
        await run(polls_app, f"/poll close {poll_id}", ALICE)
    await polls_app.services.features.forget_user("test", "bob")
    assert "is anonymous" in (await run(polls_app, "/poll reopen 1", ALICE)).text
    assert "showed its results" in (await run(polls_app, "/poll reopen 2", ALICE)).text
    assert "Only the creator" in (await run(polls_app, "/poll reopen 3", BOB)).text
    assert "asked to be forgotten" in (await run(polls_app, "/poll reopen 4", ALICE)).text
    assert db_rows(polls_app, "SELECT count(*) FROM polls WHERE closed_at IS NULL") == [(0,)]
    zh = await run(polls_app, "/poll reopen 1", make_actor("alice", locale="zh"))
    assert "投票 #1 是匿名投票" in zh.text
    assert (await run(polls_app, "/poll reopen 3", MOD)).text.startswith("Poll #3 is open again")


async def test_clone_starts_the_same_poll_here_without_removed_options(polls_app):
    await run(polls_app, "/poll Q | A | B --ranked --open --for 2h --remind 30m", ALICE)
    await run(polls_app, "/poll add 1 C", BOB)
    await run(polls_app, "/poll add 1 D", BOB)
    await run(polls_app, "/poll remove 1 3", MOD)
    out = await run(polls_app, "/poll clone 1", CAROL)
    assert out.replies[0].title == "Poll #2"
    assert [row[1] for row in options(polls_app, 2)] == ["A", "B", "D"]
    row = db_rows(
        polls_app,
        "SELECT creator, kind, open_options, remind_before, closes_at FROM polls WHERE id = 2",
    )
    assert row == [("test:carol", "ranked", 1, 1800, "2026-03-01T14:00:00.000000Z")]
    elsewhere = await run(polls_app, "/poll clone 1", CAROL, chat="other")
    assert "There is no poll #1 in this chat" in elsewhere.text


# --- who may start polls -------------------------------------------------------------------------


async def test_a_chat_can_keep_starting_polls_to_its_moderators(polls_app):
    assert "Only moderators" in (await run(polls_app, "/settings polls moderators", BOB)).text
    out = await run(polls_app, "/settings polls moderators")
    assert out.text == "From now on, moderators only may start polls in this chat."
    assert "Who starts polls: moderators only" in (await run(polls_app, "/settings")).text
    await run(polls_app, "/poll Q | A | B")
    for line in ("/poll Q | A | B", "/poll clone 1", "/poll template terms-ban", "/stance"):
        refused = await run(polls_app, line, BOB)
        assert refused.text == "In this chat only moderators start polls (/settings polls).", line
    zh = await run(polls_app, "/poll Q | A | B", make_actor("li", locale="zh"))
    assert zh.text == "本群只有管理员可以发起投票（/settings polls）。"
    elsewhere = await run(polls_app, "/poll Q | A | B", BOB, chat="other")
    assert elsewhere.replies[0].title == "Poll #2"
    await run(polls_app, "/settings polls 所有人")
    assert (await run(polls_app, "/poll Q | A | B", BOB)).replies[0].title == "Poll #3"


# --- who has not voted yet ----------------------------------------------------------------------


async def test_the_creator_asks_who_voted_last_time_but_not_yet(polls_app):
    await run(polls_app, "/poll Last week? | A | B", ALICE)
    for name in ("Bob", "Carol", "Dan"):
        await vote(polls_app, 1, 0, make_actor(name))
    await run(polls_app, "/poll This week? | A | B", ALICE)
    await vote(polls_app, 2, 1, CAROL)
    out = await run(polls_app, "/poll nonvoters 2", ALICE)
    [reply] = out.replies
    assert reply.private and reply.title == "Voted in poll #1 but not yet in poll #2"
    assert reply.plain_text().splitlines()[1:] == ["Bob", "Dan"]
    assert "Only the creator" in (await run(polls_app, "/poll nonvoters 2", BOB)).text
    await polls_app.services.features.forget_user("test", "dan")
    assert "Dan" not in (await run(polls_app, "/poll nonvoters 2", MOD)).text
    audit = db_rows(polls_app, "SELECT actor_id, action FROM audit_log")
    assert ("alice", "/poll nonvoters") in audit


async def test_nonvoters_never_on_anonymous_polls_nor_where_members_are_unknown(polls_app):
    await run(polls_app, "/poll Before | A | B --anonymous", ALICE)
    await run(polls_app, "/poll Now | A | B", ALICE)
    await run(polls_app, "/poll Secret | A | B --anonymous", ALICE)
    assert "(#1) was anonymous" in (await run(polls_app, "/poll nonvoters 2", ALICE)).text
    assert "Poll #3 is anonymous" in (await run(polls_app, "/poll nonvoters 3", ALICE)).text
    await run(polls_app, "/poll First | A | B", ALICE, chat="new")
    assert (
        "first poll of its chat"
        in (await run(polls_app, "/poll nonvoters 4", ALICE, chat="new")).text
    )
    await run(polls_app, "/poll Alice's | A | B", ALICE, chat="club")
    await run(polls_app, "/poll Bob's | A | B", BOB, chat="club")
    refused = await run(polls_app, "/poll nonvoters 6", BOB, chat="club")
    assert refused.text.startswith("Only moderators of the chat where poll #5 was started")
    gateway(polls_app).knows_members = False
    out = await run(polls_app, "/poll nonvoters 2", ALICE)
    assert out.text.startswith("This platform does not let the bot know a chat's members")


async def test_forgetting_a_person_clears_the_options_they_added(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --open", ALICE)
    await run(polls_app, "/poll add 1 Tacos", BOB)
    await polls_app.services.features.forget_user("test", "bob")
    assert options(polls_app)[2] == (2, "Tacos", None, 0)


async def test_role_only_polls_take_options_from_members_with_the_role_and_stances_none(polls_app):
    await run(polls_app, "/poll Q | A | B --open --role 42", ALICE)
    assert "Only the creator" in (await run(polls_app, "/poll add 1 C", BOB)).text
    voter = make_actor("vic", roles=frozenset({"42"}))
    assert (await run(polls_app, "/poll add 1 C", voter)).text.startswith("Added option 3")
    assert (await run(polls_app, "/poll add 1 D", ALICE)).text.startswith("Added option 4")
    await run(polls_app, "/stance", ALICE)
    assert "part of a stance check" in (await run(polls_app, "/poll add 2 Maybe", ALICE)).text


async def test_reopening_counts_against_the_open_poll_quota(tmp_path, clock):
    settings = make_settings(tmp_path, PARLEY_MAX_OPEN_POLLS_PER_PERSON=1)
    async with Parley.open(settings, clock, features=features_with_fast_edits) as app:
        app.services.outbox.register(RecordingGateway())
        await run(app, "/poll Q | A | B", ALICE)
        await run(app, "/poll close 1", ALICE)
        await run(app, "/poll R | A | B", ALICE)
        refused = await run(app, "/poll reopen 1", ALICE)
        assert refused.text.startswith("You already have 1 open polls")
        assert db_rows(app, "SELECT closed_at IS NOT NULL FROM polls WHERE id = 1") == [(1,)]


async def test_a_removed_option_leaves_the_by_chat_breakdown_and_the_export(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --open", ALICE)
    await run(polls_app, "/poll share 1 #other")
    await run(polls_app, "/poll add 1 Spam", BOB)
    await vote(polls_app, 1, 2, CAROL)
    await vote(polls_app, 1, 0, make_actor("dan"))
    await run(polls_app, "/poll remove 1 3")
    breakdown = (await run(polls_app, "/poll results 1 bychat")).text
    assert "Pizza: 1\nSushi: 0" in breakdown and "Spam" not in breakdown
    export = await run(polls_app, "/poll export 1")
    assert b"Spam" not in export.replies[0].attachment.data


async def test_a_chinese_deadline_refusal_offers_the_chinese_word_for_none(polls_app):
    li = make_actor("li", locale="zh", moderator=True)
    await run(polls_app, "/poll 午饭？ | 披萨 | 寿司", li)
    refused = await run(polls_app, "/poll deadline 1 明天", li)
    assert "或“无”（不设截止）" in refused.text and "none" not in refused.text
    cleared = await run(polls_app, "/poll deadline 1 无", li)
    assert "已取消截止时间" in cleared.text


async def test_removing_an_option_nobody_chose_says_so_plainly(polls_app):
    await run(polls_app, "/poll Q | A | B --open", ALICE)
    await run(polls_app, "/poll add 1 Spam", BOB)
    out = await run(polls_app, "/poll remove 1 3", MOD)
    assert out.text == "Removed option 3 from poll #1: Spam. No ballot named it."
    await run(polls_app, "/poll add 1 Eggs", BOB)
    zh = await run(polls_app, "/poll remove 1 4", make_actor("mod", moderator=True, locale="zh"))
    assert zh.text == "已从投票 #1 删除第 4 个选项：Eggs。没有选票选了它。"


async def test_polls_switched_off_are_named_as_people_call_them(polls_app):
    await run(polls_app, "/poll 午饭？ | 饺子 | 面条")
    await run(polls_app, "/settings feature polls off")
    zh = make_actor("li", locale="zh")
    out = await run(polls_app, "/poll close 1", zh)
    assert "本群已关闭“投票”功能。管理员可以用 /settings feature polls on 重新开启。" in out.text
    out = await press(polls_app, PollVote(poll=1, option=0), zh)
    assert "本群已关闭“投票”功能" in out.text
