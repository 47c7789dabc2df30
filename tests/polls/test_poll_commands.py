"""`/poll` commands end to end: a command goes in through the router, a reply comes out."""

import csv
import io

import pytest

from handlers.polls.actions import PollVote
from handlers.topics.loader import DEFAULT_TOPIC, load_topic
from tests.polls.helpers import MOD, db_rows, payloads, run, vote
from tests.support import make_actor

ALICE = make_actor("alice")
BOB = make_actor("bob")


async def test_create_posts_the_poll_with_one_button_per_option(polls_app):
    out = await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    [reply] = out.replies
    assert reply.title == "Poll #1" and not reply.private
    assert payloads(reply) == [PollVote(poll=1, option=o).encode() for o in (0, 1)]
    assert "Total voters: 0" in reply.plain_text()
    assert db_rows(polls_app, "SELECT question, kind, anonymous, creator FROM polls") == [
        ("Lunch?", "single", 0, "test:alice")
    ]
    assert db_rows(polls_app, "SELECT count(*) FROM poll_messages") == [(1,)]


async def test_settings_are_read_from_trailing_flags(polls_app):
    line = "/poll Pick | A | B | C --multi 2 --anonymous --results after-close --for 2h"
    out = await run(polls_app, line, ALICE)
    text = out.replies[0].plain_text()
    assert "up to 2 choices · anonymous · closes 2026-03-01 14:00 UTC" in text
    assert "Results are shown when the poll closes" in text
    [row] = db_rows(polls_app, "SELECT kind, max_choices, visibility, closes_at FROM polls")
    assert row == ("multi", 2, "after_close", "2026-03-01T14:00:00.000000Z")
    jobs = db_rows(polls_app, "SELECT kind, status FROM jobs")
    assert jobs == [("polls.close", "pending")]


async def test_deadline_is_read_in_the_chats_time_zone(polls_app, clock):
    chat = polls_app.services.storage.chat_settings
    from bot.identity import ChatRef

    await chat.set_timezone(ChatRef("test", "chat"), "Asia/Shanghai", clock.now())
    await run(polls_app, "/poll Q | A | B --until 2026-03-02 09:00 --role <@&42>", ALICE)
    assert db_rows(polls_app, "SELECT closes_at, allowed_role FROM polls") == [
        ("2026-03-02T01:00:00.000000Z", "42")
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/poll Lunch?", "question | option | option"),
        ("/poll Q | only one", "at least 2 options; this one has 1"),
        ("/poll Q | " + " | ".join(f"o{i}" for i in range(11)), "at most 10 options"),
        ("/poll " + "x" * 301 + " | a | b", "301 characters long; the limit is 300"),
        ("/poll Q | " + "y" * 81 + " | b", "Option 1 is 81 characters long; the limit is 80"),
        ("/poll Q | Pizza | pizza ", "Options 1 and 2 are the same"),
        ("/poll Q | A | B --for 30s", "at least 1 min."),
        ("/poll Q | A | B --for 31d", "at most 30 days"),
        ("/poll Q | A | B --for soon", "`--for` takes a duration"),
        ("/poll Q | A | B --until 2026-02-01 10:00", "at least 1 min from now"),
        ("/poll Q | A | B --until tomorrow", "`--until` takes a date and time"),
        ("/poll Q | A | B --multi 3", "between 1 and the number of options (2)"),
        ("/poll Q | A | B --multi --ranked", "either --multi or --ranked"),
        ("/poll Q | A | B --results never", "live, after-vote or after-close"),
        ("/poll Q | A | B --colour red", "Unknown setting `--colour`"),
        ("/poll Q | A | B --role", "`--role` needs a value"),
    ],
)
async def test_bad_input_gets_a_reply_naming_the_limit(polls_app, line, expected):
    out = await run(polls_app, line, ALICE)
    [reply] = out.replies
    assert reply.private and expected in reply.plain_text()
    assert db_rows(polls_app, "SELECT count(*) FROM polls") == [(0,)]


async def test_limits_are_explained_in_chinese_too(polls_app):
    out = await run(polls_app, "/poll 问题 | 只有一个", make_actor("li", locale="zh-CN"))
    assert "投票至少需要 2 个选项" in out.text


async def test_help_documents_the_settings_syntax(polls_app):
    out = await run(polls_app, "/help poll", ALICE)
    assert "--multi N" in out.text and "--for 2h" in out.text


async def test_template_lists_and_posts_debate_polls(polls_app):
    listing = await run(polls_app, "/poll template", ALICE)
    assert all(poll.name in listing.text for poll in load_topic(DEFAULT_TOPIC).polls)
    out = await run(polls_app, "/poll template distillation-theft", ALICE)
    assert "Is distilling a competitor's model through its API theft?" in out.text
    assert (
        len(payloads(out.replies[0])) == 5
    )  # theft, wrongful, legitimate, depends, not sure (issue 18)
    zh = await run(polls_app, "/poll template terms-ban", make_actor("li", locale="zh"))
    assert "AI 服务商是否有权在条款中禁止他人用其输出训练模型？" in zh.text
    bad = await run(polls_app, "/poll template nope", ALICE)
    assert "no poll template “nope”" in bad.text


async def test_list_shows_open_and_closed_polls_of_this_chat_only(polls_app):
    assert "No polls in this chat yet" in (await run(polls_app, "/poll list")).text
    await run(polls_app, "/poll First | A | B", ALICE)
    await run(polls_app, "/poll Second | A | B --for 1h", ALICE)
    await run(polls_app, "/poll Elsewhere | A | B", ALICE, chat="other")
    await vote(polls_app, 1, 0, BOB)
    await run(polls_app, "/poll close 1", ALICE)
    text = (await run(polls_app, "/poll list", BOB)).text
    assert "#2 Second — open, 0 voters, closes 2026-03-01 13:00 UTC" in text
    assert "#1 First — closed 2026-03-01 12:00 UTC, 1 voter" in text
    assert "Elsewhere" not in text


async def test_results_send_a_png_chart_and_the_tally(polls_app):
    await run(polls_app, "/poll 午饭？ | 披萨 | 寿司", ALICE)
    await vote(polls_app, 1, 1, BOB)
    out = await run(polls_app, "/poll results 1", ALICE)
    [reply] = out.replies
    assert reply.attachment is not None and reply.attachment.is_image
    assert reply.attachment.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert "寿司\n██████████ 100% (1)" in reply.plain_text()
    assert out.progress == 1  # slow command: the platform is told an answer is coming


async def test_commands_on_unknown_or_foreign_polls_are_refused(polls_app):
    await run(polls_app, "/poll Q | A | B", ALICE, chat="other")
    for line in ("/poll results 1", "/poll close 1", "/poll export 1", "/poll results 9"):
        out = await run(polls_app, line)
        assert "There is no poll #" in out.text, line
    assert "must be a whole number" in (await run(polls_app, "/poll results x")).text


async def test_close_is_for_the_creator_or_a_moderator(polls_app):
    await run(polls_app, "/poll Q | A | B", ALICE)
    refused = await run(polls_app, "/poll close 1", BOB)
    assert "Only the creator of poll #1 or a moderator of the chat where it" in refused.text
    assert "Poll #1 is closed." in (await run(polls_app, "/poll close 1", ALICE)).text
    assert "already closed" in (await run(polls_app, "/poll close 1", MOD)).text
    closed = await vote(polls_app, 1, 0, BOB)
    assert "Poll #1 is closed; votes are no longer accepted." in closed.text
    assert db_rows(polls_app, "SELECT count(*) FROM poll_ballots") == [(0,)]


async def test_export_is_for_moderators_and_lists_named_ballots(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | =Sushi", ALICE)
    await vote(polls_app, 1, 0, make_actor("Zoë"))
    await vote(polls_app, 1, 1, BOB)
    assert "Only moderators" in (await run(polls_app, "/poll export 1", BOB)).text
    out = await run(polls_app, "/poll export 1")
    [reply] = out.replies
    assert reply.private and reply.attachment.filename == "poll-1.csv"
    rows = list(csv.reader(io.StringIO(reply.attachment.data.decode())))
    assert rows[0] == ["voter", "choices", "voted_at", "chat"]
    assert sorted(row[:2] for row in rows[1:]) == [["Zoë", "Pizza"], ["bob", "'=Sushi"]]
    assert rows[1][2] == "2026-03-01T12:00:00+00:00"
    assert {row[3] for row in rows[1:]} == {"test:chat"}


async def test_export_of_an_anonymous_poll_has_counts_only(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --anonymous", ALICE)
    await vote(polls_app, 1, 0, BOB)
    await vote(polls_app, 1, 0, ALICE)
    reply = (await run(polls_app, "/poll export 1")).replies[0]
    rows = list(csv.reader(io.StringIO(reply.attachment.data.decode())))
    assert rows == [["option", "votes", "percent"], ["Pizza", "2", "100"], ["Sushi", "0", "0"]]
    assert "counts per option only" in reply.plain_text()
