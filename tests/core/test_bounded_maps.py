"""In-memory maps keyed by people, chats or polls stay bounded however many distinct keys come.

Rate-limit buckets are forgotten once refilled (a new bucket starts full, so nothing changes);
the live-refresh coalescer remembers only polls refreshed within its interval; the Telegram
moderator lookup keeps a chat's lock only while a lookup of that chat is under way.
"""

import asyncio
import gc

from telegram import Bot

from bot.adapters.telegram.moderators import ModeratorCache
from bot.background import BackgroundWork
from bot.ratelimit import Budget, RateLimiter
from handlers.polls.coalescer import RefreshCoalescer
from tests.support import FakeClock
from tests.telegram.fake_api import TOKEN, FakeBotApi, FakeRequest

PEOPLE = 5_000


def test_rate_buckets_of_people_gone_quiet_are_forgotten(clock: FakeClock):
    limiter = RateLimiter(clock, per_minute=60, burst=5)
    allowances = limiter.allowances(Budget.COMMAND, is_moderator=False)
    for number in range(PEOPLE):
        assert limiter.acquire(f"test:p{number}", allowances) == 0.0
        clock.advance(seconds=1)  # one token refills in a second
    assert len(limiter) <= 2


def test_a_forgotten_bucket_answers_as_the_kept_one_would(clock: FakeClock):
    limiter = RateLimiter(clock, per_minute=60, burst=3)
    allowances = limiter.allowances(Budget.COMMAND, is_moderator=False)
    assert [limiter.acquire("test:bob", allowances) for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]
    assert len(limiter) == 1
    clock.advance(seconds=2)
    assert limiter.acquire("test:carol", allowances) == 0.0
    assert len(limiter) == 2  # Bob's bucket has two of three tokens: kept
    clock.advance(seconds=1)
    assert limiter.acquire("test:carol", allowances) == 0.0
    assert len(limiter) == 1  # Bob's is full again: forgotten
    assert [limiter.acquire("test:bob", allowances) for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]


async def test_the_coalescer_forgets_polls_refreshed_an_interval_ago():
    refreshed: list[int] = []

    async def refresh(poll_id: int) -> None:
        refreshed.append(poll_id)

    work = BackgroundWork()
    coalescer = RefreshCoalescer(refresh, 0.0, work)
    for poll_id in range(PEOPLE):
        await coalescer.changed(poll_id)
        await work.idle()
    assert refreshed == list(range(PEOPLE))
    assert len(coalescer) <= 1


async def test_moderator_lookups_leave_no_lock_behind():
    api = FakeBotApi()
    chats = range(-1_000_500, -1_000_000)
    for chat_id in chats:
        api.admins[chat_id] = {7}
    cache = ModeratorCache(Bot(TOKEN, request=FakeRequest(api)))
    before = live_locks()
    answers = await asyncio.gather(
        *(cache.is_moderator(chat_id, 7) for chat_id in chats),
        *(cache.is_moderator(chat_id, 8) for chat_id in chats),
    )
    assert answers == [True] * len(chats) + [False] * len(chats)
    assert len(api.of("getChatAdministrators")) == len(chats)  # one lookup per chat
    assert live_locks() - before < 10


async def test_moderator_lists_expire_and_stay_bounded(monkeypatch):
    api = FakeBotApi()
    chats = range(-1_000_050, -1_000_000)
    for chat_id in chats:
        api.admins[chat_id] = {7}
    now = [0.0]
    monkeypatch.setattr("bot.adapters.telegram.moderators.MAX_GROUPS", 20)
    cache = ModeratorCache(Bot(TOKEN, request=FakeRequest(api)), ttl=60, now=lambda: now[0])
    for chat_id in chats:
        assert await cache.is_moderator(chat_id, 7)
    assert len(cache._admins) == 20  # the 20 latest lookups
    assert await cache.is_moderator(chats[-1], 7)  # still kept: no new lookup
    assert len(api.of("getChatAdministrators")) == len(chats)
    now[0] = 61.0
    assert await cache.is_moderator(chats[0], 7)  # asked again; expired entries go when read
    assert len(api.of("getChatAdministrators")) == len(chats) + 1


def live_locks() -> int:
    gc.collect()
    return sum(isinstance(thing, asyncio.Lock) for thing in gc.get_objects())
