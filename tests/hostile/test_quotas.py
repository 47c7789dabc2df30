"""Quotas (issue 12, finding 5): open polls, waiting scheduled posts, pending arguments, articles.

Everything runs through the router of the real application on a real SQLite file, with small
caps set through the settings. Rate limits are generous and the clock moves a minute before
each command, so only the quotas refuse. At a cap the next command is answered with the
quota's message and changes no row; closing, cancelling or deciding frees a slot; the person's
and the chat's caps are independent; and two commands at once cannot both take the last slot.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import Parley
from bot.config import Settings
from bot.identity import Actor
from bot.invocation import Invocation
from bot.quotas import ADDED_ARTICLES, OPEN_POLLS, PENDING_ARGUMENTS, SCHEDULED_POSTS, Quotas
from handlers.debate.actions import ArgApprove, ArgReject
from parley.features import build_features
from storage.quota import Quota, Scope
from tests.hostile.authority_worlds import dump, row_changes
from tests.hostile.platforms import GENEROUS_LIMITS, telegram_parley, telegram_visible
from tests.support import (
    FakeClock,
    RecordingGateway,
    RecordingResponder,
    make_actor,
    make_command,
    make_press,
    make_settings,
)
from tests.telegram.builders import ALICE, make_message_update

CAPS = {
    "PARLEY_MAX_OPEN_POLLS_PER_PERSON": 2,
    "PARLEY_MAX_OPEN_POLLS_PER_CHAT": 3,
    "PARLEY_MAX_SCHEDULED_POSTS_PER_PERSON": 2,
    "PARLEY_MAX_SCHEDULED_POSTS_PER_CHAT": 3,
    "PARLEY_MAX_PENDING_ARGUMENTS_PER_PERSON": 2,
    "PARLEY_MAX_ARTICLES_PER_CHAT": 2,
}
ALICE_T, BOB_T, CAROL_T = make_actor("alice"), make_actor("bob"), make_actor("carol")
MOD_A = make_actor("moda", moderator=True)
MOD_B = make_actor("modb", moderator=True)
MOD_C = make_actor("modc", moderator=True)
ARGUMENTS = [
    "Creating thousands of fake accounts to get around a sales ban is fraud, whatever the method.",
    "The terms every API customer accepts forbid training a competing model on the outputs.",
    "Copying a model's reasoning traces at scale skips years of costly research and safety work.",
    "Distilled copies usually lose the refusal behaviour, so dangerous help becomes easy to get.",
    "Resellers hid the real customers, which shows the labs knew the access was not allowed.",
    "If output harvesting is free, nobody will fund frontier research others clone cheaply.",
]
ARTICLE = (
    "Parley keeps every community's articles apart. Each chat discusses one of them at a time."
)


@pytest.fixture
async def app(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Parley]:
    """The real application with small caps and rate limits out of the way."""
    settings = make_settings(tmp_path, **GENEROUS_LIMITS, **CAPS)
    async with Parley.open(settings, clock, features=build_features) as parley:
        parley.services.outbox.register(RecordingGateway())
        yield parley


async def send(app: Parley, clock: FakeClock, invocation: Invocation) -> RecordingResponder:
    """Dispatch one invocation a minute after the previous one (the costly bucket refills)."""
    clock.advance(minutes=1)
    responder = RecordingResponder()
    await app.router.dispatch(invocation, responder)
    return responder


async def command(
    app: Parley, clock: FakeClock, line: str, actor: Actor, chat: str = "chat"
) -> RecordingResponder:
    return await send(app, clock, make_command(line, actor=actor, chat=chat))


async def at_once(app: Parley, clock: FakeClock, *invocations: Invocation) -> list[str]:
    """Dispatch the invocations concurrently; their answers' texts."""
    clock.advance(minutes=1)
    responders = [RecordingResponder() for _ in invocations]
    await asyncio.gather(
        *(app.router.dispatch(inv, out) for inv, out in zip(invocations, responders, strict=True))
    )
    return [out.text for out in responders]


def rows(app: Parley) -> list[str]:
    """Every row of every table but the audit log (a moderator's failed attempt is audited)."""
    return [row for row in dump(app.services.settings.database_path) if "audit_log" not in row]


async def count(app: Parley, sql: str) -> int:
    row = await app.services.storage.database.fetch_one(sql)
    assert row is not None
    return int(row[0])


def refused(texts: dict, scope: Scope, limit: int, locale: str = "en") -> str:
    return texts[scope].render(locale, limit=limit)


async def refused_unchanged(
    app: Parley, clock: FakeClock, line: str, actor: Actor, chat: str, expected: str
) -> None:
    """`line` is answered with exactly `expected`, privately, and no row changes."""
    before = rows(app)
    out = await command(app, clock, line, actor, chat)
    assert [reply.plain_text() for reply in out.replies] == [expected]
    assert out.replies[0].private
    assert row_changes(before, rows(app)) == []


# --- open polls ------------------------------------------------------------------------------


def poll(number: int, extra: str = "") -> str:
    return f"/poll Question {number}? | Yes | No {extra}".strip()


async def test_a_creator_at_the_cap_is_refused_until_a_poll_closes(app, clock) -> None:
    await command(app, clock, poll(1), ALICE_T, "one")
    await command(app, clock, poll(2), ALICE_T, "two")
    expected = refused(OPEN_POLLS, Scope.PERSON, 2)
    assert expected.startswith("You already have 2 open polls") and "/poll close ID" in expected
    await refused_unchanged(app, clock, poll(3), ALICE_T, "three", expected)
    # the cap is the creator's, in every chat; others still create polls where she is refused
    await command(app, clock, poll(4), BOB_T, "three")
    closed = await command(app, clock, "/poll close 1", ALICE_T, "one")
    assert "closed" in closed.text.lower()
    await command(app, clock, poll(5), ALICE_T, "three")
    creators = "SELECT count(*) FROM polls WHERE creator = 'test:alice' AND closed_at IS NULL"
    assert await count(app, creators) == 2


async def test_stance_after_at_the_cap_changes_nothing(app, clock) -> None:
    await command(app, clock, "/stance", ALICE_T)
    await command(app, clock, poll(2), ALICE_T)
    expected = refused(OPEN_POLLS, Scope.PERSON, 2)
    await refused_unchanged(app, clock, "/stance after 1", ALICE_T, "chat", expected)
    await command(app, clock, "/poll close 2", ALICE_T)
    started = await command(app, clock, "/stance after 1", ALICE_T)
    assert "Stance check #1 — after" in started.text
    assert await count(app, "SELECT count(*) FROM polls WHERE closed_at IS NULL") == 1


async def test_a_passed_deadline_frees_the_slot_before_the_close_job_runs(app, clock) -> None:
    await command(app, clock, poll(1, "--for 1h"), ALICE_T)
    await command(app, clock, poll(2), ALICE_T)
    await refused_unchanged(
        app, clock, poll(3), ALICE_T, "chat", refused(OPEN_POLLS, Scope.PERSON, 2)
    )
    clock.advance(hours=1)  # poll 1's deadline passed; its close job has not run yet
    out = await command(app, clock, poll(3), ALICE_T)
    assert await count(app, "SELECT count(*) FROM polls") == 3, out.text


async def test_a_chat_at_the_cap_refuses_everyone_there_and_only_there(app, clock) -> None:
    await command(app, clock, poll(1), ALICE_T)
    await command(app, clock, poll(2), ALICE_T)
    await command(app, clock, poll(3), BOB_T)
    expected = refused(OPEN_POLLS, Scope.CHAT, 3)
    assert expected.startswith("This chat already has 3 open polls")
    await refused_unchanged(app, clock, poll(4), CAROL_T, "chat", expected)
    # zh
    carol_zh = make_actor("carol", locale="zh-CN")
    zh = refused(OPEN_POLLS, Scope.CHAT, 3, "zh")
    assert "这个聊天里已有 3 个进行中的投票" in zh
    await refused_unchanged(app, clock, poll(4), carol_zh, "chat", zh)
    # the chat's cap does not follow its members elsewhere
    await command(app, clock, poll(5), CAROL_T, "elsewhere")
    await command(app, clock, poll(6), BOB_T, "elsewhere")
    assert await count(app, "SELECT count(*) FROM polls WHERE chat_id = 'elsewhere'") == 2
    # a stance check's before-poll is a poll too
    await refused_unchanged(app, clock, "/stance", CAROL_T, "chat", expected)
    await command(app, clock, "/poll close 3", BOB_T)
    await command(app, clock, poll(7), CAROL_T)
    assert await count(app, "SELECT count(*) FROM polls WHERE chat_id = 'chat'") == 4


async def test_two_polls_at_once_cannot_both_take_the_last_slot(app, clock) -> None:
    await command(app, clock, poll(1), ALICE_T)
    answers = await at_once(
        app,
        clock,
        make_command(poll(2), actor=ALICE_T, chat="a"),
        make_command(poll(3), actor=ALICE_T, chat="b"),
    )
    assert sum(refused(OPEN_POLLS, Scope.PERSON, 2) in text for text in answers) == 1, answers
    assert await count(app, "SELECT count(*) FROM polls") == 2
    # two people at once, for the chat's last slot
    await command(app, clock, poll(4), BOB_T)
    answers = await at_once(
        app,
        clock,
        make_command(poll(5), actor=CAROL_T),
        make_command(poll(6), actor=make_actor("dan")),
    )
    assert sum(refused(OPEN_POLLS, Scope.CHAT, 3) in text for text in answers) == 1, answers
    assert await count(app, "SELECT count(*) FROM polls WHERE chat_id = 'chat'") == 3


# --- scheduled posts -------------------------------------------------------------------------


def schedule(hours: int) -> str:
    return f"/schedule debate in {hours}h"


async def test_a_moderator_at_the_cap_is_refused_until_a_post_is_cancelled(app, clock) -> None:
    await command(app, clock, schedule(2), MOD_A, "one")
    await command(app, clock, schedule(3), MOD_A, "two")
    expected = refused(SCHEDULED_POSTS, Scope.PERSON, 2)
    assert "Cancel one with /schedule cancel ID first" in expected
    await refused_unchanged(app, clock, schedule(4), MOD_A, "three", expected)
    cancelled = await command(app, clock, "/schedule cancel 1", MOD_A, "one")
    assert "Cancelled scheduled post #1" in cancelled.text
    out = await command(app, clock, schedule(4), MOD_A, "three")
    assert "Scheduled #3" in out.text


async def test_a_post_that_ran_frees_its_slot(app, clock) -> None:
    await command(app, clock, schedule(1), MOD_A)
    await command(app, clock, schedule(5), MOD_A)
    await refused_unchanged(
        app, clock, schedule(6), MOD_A, "chat", refused(SCHEDULED_POSTS, Scope.PERSON, 2)
    )
    clock.advance(hours=1)
    assert await app.services.scheduler.run_due() >= 1
    out = await command(app, clock, schedule(6), MOD_A)
    assert "Scheduled #" in out.text
    waiting = "SELECT count(*) FROM jobs WHERE kind = 'moderation.post' AND status = 'pending'"
    assert await count(app, waiting) == 2


async def test_a_chat_at_the_cap_refuses_every_moderator_there_and_only_there(app, clock) -> None:
    await command(app, clock, schedule(2), MOD_A)
    await command(app, clock, schedule(3), MOD_A)
    await command(app, clock, schedule(4), MOD_B)
    expected = refused(SCHEDULED_POSTS, Scope.CHAT, 3)
    assert expected.startswith("This chat already has 3 scheduled posts waiting")
    await refused_unchanged(app, clock, schedule(5), MOD_C, "chat", expected)
    out = await command(app, clock, schedule(5), MOD_C, "elsewhere")
    assert "Scheduled #4" in out.text
    out = await command(app, clock, schedule(5), MOD_B, "elsewhere")
    assert "Scheduled #5" in out.text


async def test_two_schedules_at_once_cannot_both_take_the_last_slot(app, clock) -> None:
    await command(app, clock, schedule(2), MOD_A, "a")
    answers = await at_once(
        app,
        clock,
        make_command(schedule(3), actor=MOD_A, chat="b"),
        make_command(schedule(4), actor=MOD_A, chat="c"),
    )
    assert sum(refused(SCHEDULED_POSTS, Scope.PERSON, 2) in t for t in answers) == 1, answers
    assert await count(app, "SELECT count(*) FROM jobs WHERE kind = 'moderation.post'") == 2
    await command(app, clock, schedule(2), MOD_B, "d")
    await command(app, clock, schedule(3), MOD_C, "d")
    answers = await at_once(
        app,
        clock,
        make_command(schedule(4), actor=MOD_B, chat="d"),
        make_command(schedule(5), actor=MOD_C, chat="d"),
    )
    assert sum(refused(SCHEDULED_POSTS, Scope.CHAT, 3) in t for t in answers) == 1, answers
    assert await count(app, "SELECT count(*) FROM jobs WHERE chat_id = 'd'") == 3


# --- pending arguments -----------------------------------------------------------------------


def argue(index: int) -> str:
    return f"/argue labs {ARGUMENTS[index]}"


async def test_an_author_at_the_cap_waits_for_a_decision_or_withdraws(app, clock) -> None:
    await command(app, clock, argue(0), BOB_T)
    await command(app, clock, argue(1), BOB_T)
    expected = refused(PENDING_ARGUMENTS, Scope.PERSON, 2)
    assert (
        expected.startswith("You already have 2 arguments waiting")
        and "/argue withdraw" in expected
    )
    await refused_unchanged(app, clock, argue(2), BOB_T, "chat", expected)
    # the cap is per author and per chat
    assert "Your argument #3" in (await command(app, clock, argue(2), CAROL_T)).text
    assert "Your argument #4" in (await command(app, clock, argue(3), BOB_T, "other")).text
    clock.advance(hours=1)  # the hourly submission limit (3 in all chats) is not tested here
    await refused_unchanged(app, clock, argue(4), BOB_T, "chat", expected)
    withdrawn = await command(app, clock, "/argue withdraw 1", BOB_T)
    assert "You withdrew argument #1" in withdrawn.text
    assert "Your argument #5" in (await command(app, clock, argue(4), BOB_T)).text
    await refused_unchanged(app, clock, argue(5), BOB_T, "chat", expected)
    approved = await send(app, clock, make_press(ArgApprove(argument_id=2), actor=MOD_A))
    assert "Approved argument #2" in approved.text
    assert "Your argument #6" in (await command(app, clock, argue(5), BOB_T)).text
    rejected = await send(app, clock, make_press(ArgReject(argument_id=5), actor=MOD_A))
    assert "Rejected argument #5" in rejected.text
    pending = (
        "SELECT count(*) FROM arguments WHERE author_id = 'bob' AND chat_id = 'chat'"
        " AND status = 'pending'"
    )
    assert await count(app, pending) == 1


async def test_two_arguments_at_once_cannot_both_take_the_last_slot(app, clock) -> None:
    await command(app, clock, argue(0), BOB_T)
    answers = await at_once(
        app, clock, make_command(argue(1), actor=BOB_T), make_command(argue(2), actor=BOB_T)
    )
    assert sum(refused(PENDING_ARGUMENTS, Scope.PERSON, 2) in t for t in answers) == 1, answers
    assert await count(app, "SELECT count(*) FROM arguments") == 2


# --- articles --------------------------------------------------------------------------------


def article(number: int) -> str:
    return f"/article add Article {number}. {ARTICLE}"


async def test_a_chat_at_the_article_cap_is_refused_before_any_fetch(app, clock) -> None:
    await command(app, clock, article(1), MOD_A)
    await command(app, clock, article(2), MOD_B)
    expected = refused(ADDED_ARTICLES, Scope.CHAT, 2)
    assert "/article use ID" in expected and "PARLEY_MAX_ARTICLES_PER_CHAT" in expected
    await refused_unchanged(app, clock, article(3), MOD_C, "chat", expected)
    # a web address is refused before it is fetched (this one could not be)
    await refused_unchanged(
        app, clock, "/article add https://unreachable.invalid/page", MOD_C, "chat", expected
    )
    zh = refused(ADDED_ARTICLES, Scope.CHAT, 2, "zh")
    mod_zh = make_actor("modz", moderator=True, locale="zh")
    await refused_unchanged(app, clock, article(3), mod_zh, "chat", zh)
    # another chat has its own cap
    out = await command(app, clock, article(3), MOD_A, "elsewhere")
    assert "Added article 3" in out.text


async def test_two_articles_at_once_cannot_both_take_the_last_slot(app, clock) -> None:
    await command(app, clock, article(1), MOD_A)
    answers = await at_once(
        app, clock, make_command(article(2), actor=MOD_A), make_command(article(3), actor=MOD_B)
    )
    assert sum(refused(ADDED_ARTICLES, Scope.CHAT, 2) in t for t in answers) == 1, answers
    assert await count(app, "SELECT count(*) FROM articles") == 2


# --- a real platform -------------------------------------------------------------------------


async def test_telegram_private_chat_user_hits_the_open_poll_cap(tmp_path, clock) -> None:
    async with telegram_parley(tmp_path, clock=clock, **CAPS) as rig:
        for number in (1, 2, 3):
            clock.advance(minutes=1)
            rig.api.calls.clear()
            await rig.feed(make_message_update(f"/poll Lunch {number}? | Pizza | Sushi"))
        sent = [call for call in rig.api.calls if call.method == "sendMessage"]
        assert [call.params["chat_id"] for call in sent] == [ALICE]
        assert telegram_visible(sent[0].params["text"]) == refused(OPEN_POLLS, Scope.PERSON, 2)
        database = rig.parley.services.storage.database
        row = await database.fetch_one("SELECT count(*), min(chat_id) FROM polls")
        assert row is not None and (row[0], row[1]) == (2, str(ALICE))
        assert rig.errors == []


# --- the defaults ----------------------------------------------------------------------------


def test_the_defaults_are_the_documented_ones() -> None:
    example = Path(__file__).parents[2] / ".env.example"
    documented = {
        key: int(value)
        for key, _, value in (
            line.partition("=") for line in example.read_text(encoding="utf-8").splitlines()
        )
        if key.startswith("PARLEY_MAX_")
    }
    assert documented == {
        "PARLEY_MAX_OPEN_POLLS_PER_PERSON": 25,
        "PARLEY_MAX_OPEN_POLLS_PER_CHAT": 100,
        "PARLEY_MAX_SCHEDULED_POSTS_PER_PERSON": 20,
        "PARLEY_MAX_SCHEDULED_POSTS_PER_CHAT": 50,
        "PARLEY_MAX_PENDING_ARGUMENTS_PER_PERSON": 5,
        "PARLEY_MAX_ARTICLES_PER_CHAT": 200,
    }
    quotas = Quotas.from_settings(Settings(_env_file=None))  # type: ignore[call-arg]
    assert quotas == Quotas(
        open_polls=Quota(per_person=25, per_chat=100),
        scheduled_posts=Quota(per_person=20, per_chat=50),
        pending_arguments=Quota(per_person=5),
        added_articles=Quota(per_chat=200),
    )
