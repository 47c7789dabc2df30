"""The per-chat breakdown of a shared poll: recording the chat of each ballot, showing it, and
keeping small chats of anonymous polls from giving a voter away."""

import asyncio
import csv
import io
import sqlite3
from importlib import resources

from bot.identity import ChatKind, ChatRef, MessageRef
from bot.invocation import Invocation
from domain.polls import ChatTally
from handlers.polls.actions import PollByChat, PollSubmit, PollVote
from handlers.polls.by_chat import SMALL_GROUP, break_down
from storage.database import Database
from tests.polls.helpers import (
    MOD,
    ChatResponder,
    db_rows,
    gateway,
    payloads,
    press,
    run,
    seal_for,
    settle,
    vote,
)
from tests.support import make_actor

ALICE = make_actor("alice")


def _voters(*names: str):
    return [make_actor(name) for name in names]


async def test_named_poll_breakdown_by_command_and_button(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await run(polls_app, "/poll share 1 #other")
    await vote(polls_app, 1, 0, make_actor("bob"))
    await press(polls_app, PollVote(poll=1, option=1), make_actor("carol"), chat="other")
    await press(polls_app, PollVote(poll=1, option=0), make_actor("dan"), chat="other")
    out = await run(polls_app, "/poll results 1 bychat", make_actor("eve"))
    text = out.text
    assert out.replies[0].title == "Poll #1 by chat"
    assert "this chat: 1 voter\nPizza: 1\nSushi: 0" in text
    assert "Test chat 1: 2 voters\nPizza: 1\nSushi: 1" in text
    results = await run(polls_app, "/poll results 1", make_actor("eve"))
    assert PollByChat(poll=1).encode() in payloads(results.replies[0])
    pressed = await press(polls_app, PollByChat(poll=1), make_actor("eve"), chat="other")
    assert "this chat: 2 voters" in pressed.text and "Test chat 1: 1 voter" in pressed.text


async def test_named_export_gives_the_chat_of_each_ballot(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await run(polls_app, "/poll share 1 #other")
    await vote(polls_app, 1, 0, make_actor("bob"))
    await press(polls_app, PollVote(poll=1, option=1), make_actor("carol"), chat="other")
    reply = (await run(polls_app, "/poll export 1")).replies[0]
    rows = list(csv.reader(io.StringIO(reply.attachment.data.decode())))
    assert sorted((row[0], row[3]) for row in rows[1:]) == [
        ("bob", "test:chat"),
        ("carol", "test:other"),
    ]


async def test_a_poll_in_one_chat_has_no_by_chat_button(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    results = await run(polls_app, "/poll results 1", ALICE)
    assert payloads(results.replies[0]) == []
    assert "No votes yet." in (await run(polls_app, "/poll results 1 bychat", ALICE)).text


async def test_bad_view_word_gets_a_usage_reply_in_both_languages(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    out = await run(polls_app, "/poll results 1 bychats", ALICE)
    assert "`view` must be one of: chart, bychat" in out.text
    assert "Usage: /poll results <poll_id> [view]" in out.text
    zh = await run(polls_app, "/poll results 1 bychats", make_actor("li", locale="zh-CN"))
    assert "bychat" in zh.text and "用法" in zh.text


async def test_by_chat_follows_the_results_visibility(polls_app):
    await run(polls_app, "/poll Q | A | B --results after-close", ALICE)
    out = await run(polls_app, "/poll results 1 bychat", ALICE)
    assert "hidden until it closes" in out.text and "by chat" not in out.text


async def test_anonymous_poll_pools_small_chats_and_stores_no_voter_link(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --anonymous", ALICE)
    await run(polls_app, "/poll share 1 #big")
    await run(polls_app, "/poll share 1 #tiny")
    for voter in _voters("v1", "v2", "v3", "v4"):
        await press(polls_app, PollVote(poll=1, option=0), voter, chat="big")
    await press(polls_app, PollVote(poll=1, option=1), make_actor("loner"), chat="tiny")
    text = (await run(polls_app, "/poll results 1 bychat", ALICE)).text
    # The tiny chat alone would show the loner's choice; with the big chat shown apart the
    # global tally would give it away by subtraction, so both are counted together.
    assert "Test chat" not in text
    assert "Counted together" in text and "5 voters" in text
    for voter in _voters("v5", "v6", "v7"):
        await press(polls_app, PollVote(poll=1, option=1), voter, chat="chat")
    text = (await run(polls_app, "/poll results 1 bychat", ALICE)).text
    # The smallest chat shown apart joins the tiny one, so the pool has at least 3 voters.
    assert "Test chat 1: 4 voters\nPizza: 4\nSushi: 0" in text
    assert "this chat" not in text and "Test chat 2" not in text
    assert "not recorded: 4 voters\nPizza: 0\nSushi: 4" in text
    rows = db_rows(polls_app, "SELECT * FROM poll_ballots")
    stored = repr(rows)
    for name in ("loner", "v1", "v5", "alice"):
        assert name not in stored
    assert {row[-1] for row in rows} == {0, 1, 2}


def test_break_down_keeps_the_pool_empty_or_big_enough():
    def tally(number: int | None, voters: int) -> ChatTally:
        chat = ChatRef("t", str(number)) if number is not None else None
        return ChatTally(chat, voters, {0: voters})

    big, small, unknown = tally(0, 10), tally(1, 1), tally(None, 1)
    named = break_down([big, small, unknown], anonymous=False)
    assert named.shown == (big, small) and named.pooled == ChatTally(None, 1, {0: 1})
    alone = break_down([big, small], anonymous=True)
    assert alone.shown == () and alone.pooled is not None and alone.pooled.voters == 11
    two_small = break_down([big, tally(1, 1), tally(2, 2)], anonymous=True)
    assert two_small.shown == (big,) and two_small.pooled.voters == SMALL_GROUP
    bigger = break_down([tally(0, 3), tally(1, 5), small], anonymous=True)
    assert bigger.shown == (tally(1, 5),) and bigger.pooled.voters == 4
    assert break_down([], anonymous=True).pooled is None


async def test_private_ballot_keeps_the_chat_it_was_opened_from(polls_app):
    await run(polls_app, "/poll Best? | A | B | C --multi 2 --anonymous", ALICE)
    await run(polls_app, "/poll share 1 #other")
    bob = make_actor("bob")
    await press(polls_app, PollVote(poll=1, option=0), bob, chat="other")
    # Telegram fills the ballot in a private chat: the Submit press comes from there.
    dm = ChatRef("test", "bob")
    submit = Invocation(
        actor=bob,
        chat=dm,
        chat_kind=ChatKind.PRIVATE,
        payload=seal_for(polls_app, PollSubmit(poll=1, picks="02"), bob),
        source=MessageRef(dm, "9"),
    )
    responder = ChatResponder(chat="bob")
    await polls_app.router.dispatch(submit, responder)
    assert "Your vote in poll #1 is in: A, C." in responder.text
    assert [row[0] for row in db_rows(polls_app, "SELECT chat_no FROM poll_ballots")] == [1]


async def test_anonymous_vote_in_a_private_chat_records_no_chat(polls_app):
    dm = ChatRef("test", "carol")
    carol = make_actor("carol")
    create = Invocation(
        actor=carol,
        chat=dm,
        chat_kind=ChatKind.PRIVATE,
        command="poll",
        text="Q | A | B --anonymous",
    )
    await polls_app.router.dispatch(create, ChatResponder(chat="carol"))
    pressed = Invocation(
        actor=carol,
        chat=dm,
        chat_kind=ChatKind.PRIVATE,
        payload=PollVote(poll=1, option=0).encode(),
        source=MessageRef(dm, "carol-1"),
    )
    await polls_app.router.dispatch(pressed, ChatResponder(chat="carol"))
    assert db_rows(polls_app, "SELECT chat_no FROM poll_ballots") == [(None,)]


async def test_concurrent_shares_into_one_chat_post_once(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    outs = await asyncio.gather(*(run(polls_app, "/poll share 1 #other") for _ in range(3)))
    assert len(gateway(polls_app).sent) == 1
    assert sum("now also shown" in out.text for out in outs) == 1
    assert sum("already shown in #other" in out.text for out in outs) == 2
    assert db_rows(polls_app, "SELECT chat_no, chat_id FROM poll_chats ORDER BY chat_no") == [
        (0, "chat"),
        (1, "other"),
    ]


async def test_sharing_again_names_the_other_chat(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await run(polls_app, "/poll share 1 #other")
    again = await run(polls_app, "/poll share 1 #other", MOD)
    assert "Poll #1 is already shown in #other." in again.text
    await settle(polls_app)


async def test_migration_006_upgrades_a_database_with_shared_polls(tmp_path):
    path = tmp_path / "old.db"
    folder = resources.files("storage") / "migrations"
    with sqlite3.connect(path) as connection:
        for number in range(1, 6):
            [script] = [f for f in folder.iterdir() if f.name.startswith(f"{number:03d}_")]
            connection.executescript(script.read_text(encoding="utf-8"))
        connection.execute("PRAGMA user_version = 5")
        connection.execute(
            "INSERT INTO polls (id, platform, chat_id, creator, question, kind, anonymous,"
            " visibility, locale, created_at) VALUES (1, 'tg', '-1', 'tg:1', 'Q', 'single', 0,"
            " 'live', 'en', '2026-03-01T12:00:00.000000Z')"
        )
        connection.executemany(
            "INSERT INTO poll_messages VALUES (1, ?, ?, NULL, ?, 'en', ?)",
            [
                ("tg", "-1", "10", "2026-03-01T12:00:00.000000Z"),
                ("discord", "55", "11", "2026-03-01T12:05:00.000000Z"),
                ("tg", "-2", "12", "2026-03-01T12:03:00.000000Z"),
            ],
        )
        connection.execute("INSERT INTO poll_ballots VALUES (1, 'tg:2', 'Bob', '2026-03-01')")
    async with Database.open(path) as database:
        chats = await database.fetch_all(
            "SELECT chat_no, platform, chat_id FROM poll_chats ORDER BY chat_no"
        )
        ballots = await database.fetch_all("SELECT voter_key, chat_no FROM poll_ballots")
    assert [tuple(row) for row in chats] == [(0, "tg", "-1"), (1, "tg", "-2"), (2, "discord", "55")]
    assert [tuple(row) for row in ballots] == [("tg:2", None)]


async def test_concurrent_stance_after_opens_one_after_poll(polls_app):
    await run(polls_app, "/stance", ALICE)
    outs = await asyncio.gather(*(run(polls_app, "/stance after 1") for _ in range(3)))
    assert sum("already has its after-poll: #2" in out.text for out in outs) == 2
    assert db_rows(polls_app, "SELECT id FROM polls WHERE stance_before = 1") == [(2,)]
