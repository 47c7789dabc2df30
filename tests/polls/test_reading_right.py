"""Polls that read right (issue 15): times in the chat's zone, paging, rankings, chat names."""

import csv
import io

import pytest

from bot.identity import ChatRef
from handlers.polls.actions import PollPick, PollSubmit, PollVote
from handlers.polls.by_chat import chat_name
from tests.polls.helpers import MOD, db_rows, gateway, press, run, settle, vote
from tests.support import make_actor

ALICE = make_actor("alice")
BOB = make_actor("bob")


async def set_zone(app, clock, chat: str, zone: str) -> None:
    await app.services.storage.chat_settings.set_timezone(ChatRef("test", chat), zone, clock.now())


async def test_deadline_is_shown_in_the_chats_zone_and_labelled(polls_app, clock):
    await set_zone(polls_app, clock, "chat", "Asia/Shanghai")
    out = await run(polls_app, "/poll Q | A | B --until 2026-03-02 09:00", ALICE)
    assert "closes 2026-03-02 09:00 Asia/Shanghai" in out.text
    listed = await run(polls_app, "/poll list", ALICE)
    assert "closes 2026-03-02 09:00 Asia/Shanghai" in listed.text
    await run(polls_app, "/poll close 1", ALICE)
    await settle(polls_app)
    [(_, edited), *_] = gateway(polls_app).edits
    assert "closed 2026-03-01 20:00 Asia/Shanghai" in edited.plain_text()  # 12:00 UTC
    listed = await run(polls_app, "/poll list", ALICE, chat="chat")
    assert "#1 Q — closed 2026-03-01 20:00 Asia/Shanghai, 0 voters" in listed.text


async def test_each_chat_sees_a_shared_poll_in_its_own_zone(polls_app, clock):
    await set_zone(polls_app, clock, "chat", "Asia/Shanghai")
    await set_zone(polls_app, clock, "other", "Europe/London")
    await run(polls_app, "/poll Q | A | B --for 2h")
    await run(polls_app, "/poll share 1 #other")
    [(chat, copy)] = gateway(polls_app).sent
    assert chat.chat_id == "other" and "closes 2026-03-01 14:00 Europe/London" in copy.plain_text()
    await vote(polls_app, 1, 0, BOB)
    await settle(polls_app)
    edits = gateway(polls_app).edits
    shown = {message.chat.chat_id: reply.plain_text() for message, reply in edits}
    assert "closes 2026-03-01 14:00 Europe/London" in shown["other"]
    assert "closes 2026-03-01 22:00 Asia/Shanghai" in shown["chat"]


async def test_chinese_chat_reads_its_zone_too(polls_app, clock):
    await set_zone(polls_app, clock, "chat", "Asia/Shanghai")
    await polls_app.services.storage.chat_settings.set_language(
        ChatRef("test", "chat"), "zh", clock.now()
    )
    out = await run(polls_app, "/poll 问题 | 甲 | 乙 --for 1h", ALICE)
    assert "2026-03-01 21:00 Asia/Shanghai 截止" in out.text


async def test_poll_list_says_when_older_polls_follow_and_pages(polls_app):
    for number in range(1, 18):
        await run(polls_app, f"/poll Question {number} | A | B", make_actor(f"member{number}"))
    first = await run(polls_app, "/poll list", ALICE)
    [reply] = first.replies
    assert "#17 Question 17" in reply.plain_text() and "#3 Question 3" in reply.plain_text()
    assert "#2 Question 2" not in reply.plain_text()
    assert reply.footer == "Older polls follow: /poll list 2 shows them."
    second = await run(polls_app, "/poll list 2", ALICE)
    [page] = second.replies
    assert page.title == "Polls in this chat — page 2" and page.footer is None
    assert "#2 Question 2" in page.plain_text() and "#1 Question 1" in page.plain_text()
    assert "#3 Question 3" not in page.plain_text()
    beyond = await run(polls_app, "/poll list 3", ALICE)
    assert beyond.replies[0].private
    assert "There is no page 3 of polls in this chat" in beyond.text
    bad = await run(polls_app, "/poll list two", ALICE)
    assert "two" in bad.text and bad.replies[0].private


async def test_plurals_read_right(polls_app):
    await run(polls_app, "/poll Q | A | B", ALICE)
    await vote(polls_app, 1, 0, BOB)
    assert "open, 1 voter" in (await run(polls_app, "/poll list", ALICE)).text
    await vote(polls_app, 1, 0, ALICE)
    assert "open, 2 voters" in (await run(polls_app, "/poll list", ALICE)).text


async def test_ranked_confirmation_reads_as_a_ranking(polls_app):
    await run(polls_app, "/poll Mascot | Cat | Dog | Owl --ranked", ALICE)
    done = await press(polls_app, PollSubmit(poll=1, picks="20"), BOB)
    assert "Your vote in poll #1 is in: Owl > Cat." in done.text


async def test_multi_confirmation_in_chinese_uses_the_enumeration_comma(polls_app, clock):
    await polls_app.services.storage.chat_settings.set_language(
        ChatRef("test", "chat"), "zh", clock.now()
    )
    await run(polls_app, "/poll 午饭 | 面条 | 米饭 | 饺子 --multi 3", ALICE)
    done = await press(polls_app, PollSubmit(poll=1, picks="02"), BOB)
    assert "面条、饺子" in done.text


async def test_ranked_ballot_buttons_show_the_rank_not_two_numbers(polls_app):
    await run(polls_app, "/poll Mascot | Cat | Dog | Owl --ranked", ALICE)
    picked = await press(polls_app, PollPick(poll=1, picks="1", option=0), BOB)
    [ballot] = picked.updates
    labels = [button.label for row in ballot.buttons[:-1] for button in row]
    assert labels == ["② Cat", "① Dog", "Owl"]


async def test_multi_reballot_over_the_limit_keeps_the_vote_and_says_why(polls_app):
    await run(polls_app, "/poll Pick | A | B | C --multi 2", ALICE)
    await press(polls_app, PollSubmit(poll=1, picks="01"), BOB)
    reopened = await press(polls_app, PollVote(poll=1, option=2), BOB)
    [ballot] = reopened.replies
    text = ballot.plain_text()
    assert "You can pick up to 2 options; unpick one first." in text
    assert "A" in text and "B" in text
    assert PollSubmit(poll=1, picks="01").encode() in [
        button.payload.rpartition(":")[0] for row in ballot.buttons for button in row
    ]


@pytest.mark.parametrize(
    ("chat", "expected"),
    [
        (ChatRef("discord", "123"), "<#123>"),
        (ChatRef("console", "news"), "#news"),
        (ChatRef("telegram", "@parley_news"), "@parley_news"),
        (ChatRef("telegram", "-100777"), "Telegram chat 1"),
    ],
)
def test_chats_are_named_not_shown_as_raw_ids(chat, expected):
    assert chat_name(chat, ChatRef("console", "here"), "en", {}) == expected
    assert "-100777" not in chat_name(chat, ChatRef("console", "here"), "zh", {})


def csv_rows(reply) -> list[list[str]]:
    return list(csv.reader(io.StringIO(reply.attachment.data.decode())))


async def test_export_after_forgetme_keeps_the_counted_ballot_without_a_name(polls_app):
    await run(polls_app, "/poll Q | A | B", ALICE)
    await vote(polls_app, 1, 1, BOB)
    await vote(polls_app, 1, 0, ALICE)
    await run(polls_app, "/poll close 1", ALICE)
    await polls_app.services.features.forget_user("test", "bob")
    assert "Total voters: 2" in (await run(polls_app, "/poll results 1")).text
    rows = csv_rows((await run(polls_app, "/poll export 1")).replies[0])
    assert len(rows) == 3  # header, alice, and bob's vote that the tally still counts
    assert rows[1][0] == "alice"
    assert rows[2] == ["(forgotten at their request)", "B", "", ""]


async def test_export_of_an_open_after_vote_poll_gives_the_right_reason(polls_app):
    await run(polls_app, "/poll Q | A | B --results after-vote", ALICE)
    out = await run(polls_app, "/poll export 1")
    assert "shows its results only to people who voted while it is open" in out.text
    assert "/poll close 1" in out.text and "until it closes" not in out.text
    hidden = await run(polls_app, "/poll Q2 | A | B --results after-close", ALICE)
    assert (
        hidden.replies and "hidden until it closes" in (await run(polls_app, "/poll export 2")).text
    )


async def test_anonymous_ranked_export_lets_the_rounds_be_recounted(polls_app):
    await run(polls_app, "/poll Mascot | Cat | Dog | Owl --ranked --anonymous", ALICE)
    for name, picks in {"a": "01", "b": "01", "c": "2", "d": "10"}.items():
        await press(polls_app, PollSubmit(poll=1, picks=picks), make_actor(name))
    await run(polls_app, "/poll close 1", ALICE)
    out = await run(polls_app, "/poll export 1")
    assert "how many ballots gave each ranking" in out.text
    assert csv_rows(out.replies[0]) == [
        ["ranking", "ballots"],
        ["Cat > Dog", "2"],
        ["Dog > Cat", "1"],
        ["Owl", "1"],
    ]
    assert not any(cell == "a" for row in csv_rows(out.replies[0]) for cell in row)


async def test_a_template_takes_poll_settings(polls_app):
    out = await run(polls_app, "/poll template terms-ban --anonymous --for 1h", ALICE)
    [reply] = out.replies
    assert "anonymous · closes 2026-03-01 13:00 UTC" in reply.plain_text()
    assert db_rows(polls_app, "SELECT anonymous, closes_at FROM polls") == [
        (1, "2026-03-01T13:00:00.000000Z")
    ]
    bad = await run(polls_app, "/poll template terms-ban --colour red", ALICE)
    assert "Unknown setting `--colour`" in bad.text
    assert db_rows(polls_app, "SELECT count(*) FROM polls") == [(1,)]


async def test_sharing_a_closed_poll_says_it_is_closed(polls_app):
    await run(polls_app, "/poll Q | A | B")
    open_share = await run(polls_app, "/poll share 1 #other")
    assert "closed" not in open_share.text
    await run(polls_app, "/poll Q2 | A | B")
    await run(polls_app, "/poll close 2")
    closed_share = await run(polls_app, "/poll share 2 #other")
    assert "Poll #2 is closed: the copy shows its final results and takes no votes." in (
        closed_share.text
    )


async def test_chinese_words_for_poll_subcommands_and_views(polls_app):
    zh = make_actor("li", locale="zh")
    await run(polls_app, "/poll 午饭？ | 面条 | 米饭", zh)
    await run(polls_app, "/poll 同步 1 #other", MOD)
    await vote(polls_app, 1, 0, zh)
    listed = await run(polls_app, "/poll 列表", zh)
    assert "#1 午饭？ — 进行中，1 人已投" in listed.text
    by_chat = await run(polls_app, "/poll 结果 1 按群", zh)
    assert by_chat.replies[0].title == "投票 #1 按群统计"
    assert "本群：1 人投票" in by_chat.text
    closed = await run(polls_app, "/poll 结束 1", zh)
    assert "投票 #1 已结束。" in closed.text


async def test_ranked_results_say_how_the_count_and_its_tie_break_work(polls_app):
    await run(polls_app, "/poll Mascot | Cat | Dog | Owl --ranked", ALICE)
    await press(polls_app, PollSubmit(poll=1, picks="01"), BOB)
    [reply] = (await run(polls_app, "/poll results 1", ALICE)).replies
    assert reply.footer is not None and "A tie for fewest" in reply.footer
    assert reply.attachment is not None and "instant-runoff" in reply.attachment.description
    single = await run(polls_app, "/poll Lunch? | A | B", ALICE)
    assert single.replies
    assert (await run(polls_app, "/poll results 2", ALICE)).replies[0].footer is None


async def test_poll_help_lists_until_and_role_in_both_languages(polls_app):
    for actor, words in (
        (ALICE, "--until DATE --role ID"),
        (make_actor("li", locale="zh"), "--until 日期 --role 角色"),
    ):
        text = (await run(polls_app, "/help poll", actor)).text
        assert words in text
