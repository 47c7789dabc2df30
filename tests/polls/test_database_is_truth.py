"""The database is the source of truth: what another connection commits is seen at once.

Another connection is the operator's CLI beside a running bot, or a second process on the same
store. Each test here warms the bot's caches, changes the rows from a second `Database` on the
same SQLite file (or, for the last one, from the bot's own storage, bypassing the poll
service), and checks that the next command or press answers from the database.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from bot.app import Parley
from bot.identity import ChatRef
from storage.chat_settings import ChatSettingsRepository
from storage.database import Database
from storage.polls import PollRepository
from tests.polls.helpers import db_rows, run, vote
from tests.support import make_actor

ALICE = make_actor("alice")
BOB = make_actor("bob")
OTHER = ChatRef("test", "other")
LATER = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


@asynccontextmanager
async def second_connection(app: Parley) -> AsyncIterator[Database]:
    async with Database.open(app.services.settings.database_path) as database:
        yield database


def ballots(app: Parley) -> list[tuple]:
    return db_rows(
        app,
        "SELECT b.voter_key, group_concat(c.option, ',') FROM poll_ballots b JOIN poll_choices c"
        " USING (poll_id, voter_key) GROUP BY b.poll_id, b.voter_key ORDER BY b.voter_key",
    )


async def test_a_ballot_forgotten_by_another_connection_is_not_withdrawn_again(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    assert "is in: Pizza" in (await vote(polls_app, 1, 0, BOB)).text
    async with second_connection(polls_app) as other:
        await PollRepository(other).forget_voter("test", "bob")
    assert ballots(polls_app) == []
    again = await vote(polls_app, 1, 0, BOB)
    assert "Your vote in poll #1 is in: Pizza." in again.text
    assert "withdrawn" not in again.text
    assert ballots(polls_app) == [("test:bob", "0")]


async def test_a_poll_closed_by_another_connection_is_closed_here(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi --results after-close", ALICE)
    await vote(polls_app, 1, 0, BOB)
    hidden = await run(polls_app, "/poll results 1", ALICE)
    assert "hidden until it closes" in hidden.text
    async with second_connection(polls_app) as other:
        assert await PollRepository(other).close(1, LATER)
    shown = await run(polls_app, "/poll results 1", ALICE)
    assert "hidden" not in shown.text and "Pizza" in shown.text
    late = await vote(polls_app, 1, 1, BOB)
    assert "Poll #1 is closed" in late.text
    assert ballots(polls_app) == [("test:bob", "0")]


async def test_a_chat_forgotten_by_another_connection_no_longer_shows_the_poll(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await run(polls_app, "/poll share 1 #other")
    assert "is in: Pizza" in (await vote(polls_app, 1, 0, BOB, chat="other")).text
    async with second_connection(polls_app) as other:
        await PollRepository(other).forget_chats([OTHER])
    refused = await vote(polls_app, 1, 1, BOB, chat="other")
    assert "There is no poll #1 in this chat." in refused.text
    assert ballots(polls_app) == [("test:bob", "0")]


async def test_a_chat_forgotten_through_storage_no_longer_shows_the_poll(polls_app):
    await run(polls_app, "/poll Lunch? | Pizza | Sushi", ALICE)
    await run(polls_app, "/poll share 1 #other")
    assert "is in: Pizza" in (await vote(polls_app, 1, 0, BOB, chat="other")).text
    await polls_app.services.storage.polls.forget_chats([OTHER])  # as forget-me does
    refused = await vote(polls_app, 1, 1, BOB, chat="other")
    assert "There is no poll #1 in this chat." in refused.text


async def test_chat_settings_changed_by_another_connection_apply_at_once(polls_app):
    assert "No polls in this chat yet" in (await run(polls_app, "/poll list", ALICE)).text
    async with second_connection(polls_app) as other:
        await ChatSettingsRepository(other).set_language(ChatRef("test", "chat"), "zh", LATER)
    assert "本群还没有投票" in (await run(polls_app, "/poll list", ALICE)).text
