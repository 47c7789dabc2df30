"""The storage contract on both engines: every repository statement the survey changed, run.

Each test opens `Database.open(any_database_url)`: a fresh SQLite file and a fresh PostgreSQL
database (marked `postgres`). Rows come back through the repositories' own reads.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from bot.identity import Actor, ChatRef, MessageRef
from domain.polls import PollKind, ResultsVisibility, VoteOp, VoteStatus
from storage.arguments import ArgumentRepository, ArgumentStatus, Submitted, VoteOutcome
from storage.articles import ArticleRepository, CacheKey, DuplicateArticleError, NewArticle
from storage.database import Database
from storage.inbox import InboxRepository
from storage.job_erasure import JobErasure
from storage.jobs import JobRepository
from storage.operator_requests import OperatorRequestRepository
from storage.poll_ballots import VoteCommand
from storage.poll_chats import PollMessage
from storage.polls import NewPoll, PollRepository
from storage.posts import PostRecord, PostRepository
from storage.quota import Quota
from storage.scrub import SALT_TABLES, SCRUBBED_TABLES, DiskScrubber
from storage.seal_key import SealKeyRepository
from storage.store import Storage

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CHAT = ChatRef("test", "chat")
OTHER = ChatRef("test", "other")
ALICE = Actor("test", "alice", "Alice")
BOB = Actor("test", "bob", "Bob")


def new_poll(*, anonymous: bool = False, kind: PollKind = PollKind.SINGLE) -> NewPoll:
    return NewPoll(
        chat=CHAT,
        creator="test:alice",
        question="Lunch?",
        options=("Soup", "Salad", "Stew"),
        kind=kind,
        max_choices=None,
        anonymous=anonymous,
        visibility=ResultsVisibility.LIVE,
        allowed_role=None,
        locale="en",
        salt=secrets.token_bytes(32) if anonymous else None,
        created_at=NOW,
        closes_at=NOW + timedelta(days=1),
    )


def shown(chat: ChatRef, message: str) -> PollMessage:
    return PollMessage(MessageRef(chat, message), "en")


async def test_inserts_return_ids_and_writes_return_rows_changed(any_database_url):
    async with Database.open(any_database_url) as db:
        posts = PostRepository(db)
        record = PostRecord("rules", "", MessageRef(CHAT, "m1"), True, "alice", "Alice", NOW)
        first, second = await posts.record(record), await posts.record(record)
        assert 0 < first < second
        assert await posts.forget_poster("test", "alice") == 2
        assert await db.execute("UPDATE posts SET item = 'x' WHERE id = ?", (second,)) == 1
        assert await db.execute("UPDATE posts SET item = 'x' WHERE id = ?", (second + 9,)) == 0
        key = (
            "INSERT INTO poll_key (id, fingerprint) VALUES (1, ?)"
            " ON CONFLICT DO NOTHING RETURNING id"
        )
        assert await db.insert(key, ("a" * 32,)) == 1
        with pytest.raises(LookupError):  # a conflicting insert returns no id, on both engines
            await db.insert(key, ("b" * 32,))
        request = await OperatorRequestRepository(db).submit("forget", {"user": "x"}, NOW)
        assert await OperatorRequestRepository(db).arguments(request) == ("forget", {"user": "x"})


async def test_arguments_submit_decide_and_one_upvote_per_person(any_database_url):
    async with Database.open(any_database_url) as db:
        arguments = ArgumentRepository(db)
        outcome = await arguments.submit(
            CHAT,
            ALICE,
            "topic",
            "pro",
            "Soup warms.",
            now=NOW,
            window_start=NOW - timedelta(hours=1),
            max_in_window=5,
            pending_quota=Quota(per_person=5),
            checked_up_to=0,
        )
        assert isinstance(outcome, Submitted) and outcome.argument_id > 0
        argument_id = outcome.argument_id
        assert await arguments.decide(CHAT, argument_id, ArgumentStatus.APPROVED, BOB, NOW)
        assert not await arguments.decide(CHAT, argument_id, ArgumentStatus.APPROVED, BOB, NOW)
        assert await arguments.upvote(CHAT, argument_id, BOB, NOW) == VoteOutcome.COUNTED
        assert await arguments.upvote(CHAT, argument_id, BOB, NOW) == VoteOutcome.ALREADY_VOTED
        assert await arguments.forget("test", "bob") >= 2  # the vote, and bob as decider


async def test_a_cached_summary_is_replaced_and_edits_get_ids(any_database_url):
    async with Database.open(any_database_url) as db:
        articles = ArticleRepository(db)
        key = CacheKey("hash", "short", "en", "v1")
        await articles.cache_summary(key, '{"v": 1}', NOW)
        await articles.cache_summary(key, '{"v": 2}', NOW + timedelta(minutes=1))
        assert await articles.cached_summary(key) == '{"v": 2}'
        article = NewArticle("Title", "en", "Body text.", "hash", "text")
        article_id = await articles.add(article, CHAT, ALICE, NOW, quota=Quota(per_chat=3))
        assert article_id > 0
        first = await articles.add_edit(CHAT, str(article_id), "en", "One.", ALICE, NOW)
        second = await articles.add_edit(CHAT, str(article_id), "en", "Two.", ALICE, NOW)
        assert 0 < first < second


async def test_summary_edits_withdraw_restore_and_articles_dedupe_and_remove(any_database_url):
    async with Database.open(any_database_url) as db:
        articles = ArticleRepository(db)
        ref = str(
            await articles.add(NewArticle("T", "en", "Body.", "h1", "text"), CHAT, ALICE, NOW)
        )
        first = await articles.add_edit(CHAT, ref, "en", "One.", BOB, NOW)
        await articles.add_edit(CHAT, ref, "zh", "二。", ALICE, NOW)
        assert await articles.withdraw_edits(CHAT, ref, ("en", "zh-Hans"), NOW) == ["en"]
        assert await articles.latest_edit(CHAT, ref, "en") is None
        assert await articles.find_edit(OTHER, ref, first) is None
        old = await articles.find_edit(CHAT, ref, first)
        assert old is not None and old.withdrawn_at == NOW and old.version == 1
        await articles.add_edit(CHAT, ref, "en", old.text, ALICE, NOW, restored_from=old.id)
        latest = await articles.latest_edit(CHAT, ref, "en")
        assert latest is not None and (latest.version, latest.restored_from) == (2, first)
        history, total = await articles.edit_history(CHAT, ref, "en", 1)
        assert ([e.id for e in history], total, history[0].restores) == ([latest.id], 2, 1)
        assert await articles.forget_author("test", "bob") >= 2  # the edit and its restored copy
        assert await articles.edit_history(CHAT, ref, "en", 5) == ([], 0)
        assert [e.text for e in (await articles.edit_history(CHAT, ref, "zh", 5))[0]] == ["二。"]
        url = NewArticle("W", "en", "Web.", "h2", "url", "https://example.org/a")
        web = await articles.add(url, CHAT, ALICE, NOW)
        found = await articles.duplicate(CHAT, "https://example.org/a")
        assert found is not None and (found.id, found.home) == (web, CHAT)
        assert await articles.duplicate(OTHER, "https://example.org/a") is None
        with pytest.raises(DuplicateArticleError) as same_text:
            await articles.add(NewArticle("X", "en", "Web.", "h2", "text"), CHAT, BOB, NOW)
        assert same_text.value.existing.id == web
        await articles.add(NewArticle("X", "en", "Web.", "h2", "text"), OTHER, BOB, NOW)
        assert not await articles.remove(web, OTHER)
        assert await articles.remove(web, CHAT) and await articles.get(web, CHAT) is None


async def test_jobs_filter_count_reschedule_and_erase_by_payload(any_database_url):
    async with Database.open(any_database_url) as db:
        jobs = JobRepository(db)
        mine = await jobs.add(
            "post", NOW, {"by_id": "alice"}, chat=CHAT, created_by="test:alice", now=NOW
        )
        await jobs.add("post", NOW, {}, chat=OTHER, created_by="test:bob", now=NOW)
        await jobs.add("poll.close", NOW, {}, now=NOW)
        assert len(await jobs.pending()) == 3
        assert [job.id for job in await jobs.pending(chat=CHAT)] == [mine]
        assert len(await jobs.pending(kind="post")) == 2
        assert await jobs.waiting("post", created_by="test:alice", chat=OTHER) == (1, 1)
        assert await jobs.claim(mine, "me", now=NOW)
        await jobs.reschedule(mine, NOW + timedelta(minutes=5), "platform down")
        assert (await jobs.get(mine)).attempts == 1  # a retry keeps its attempt count
        await jobs.reschedule(mine, NOW + timedelta(minutes=5))
        assert (await jobs.get(mine)).attempts == 0
        scrubbed = await JobErasure(db).forget_creator("test", "alice", (), NOW)
        assert scrubbed == 1
        assert (await jobs.get(mine)).status == "cancelled"


async def test_the_inbox_stores_once_takes_once_and_recovers(any_database_url):
    async with Database.open(any_database_url) as db:
        inbox = InboxRepository(db)
        await inbox.prepare()
        assert await inbox.store([(1, "{}"), (2, "{}")], refused=[3]) == 2
        assert await inbox.store([(1, "{}"), (4, "{}")]) == 3  # 1 again is not stored twice
        assert await inbox.settle(take=[1, 2, 3], finish=[]) == {3}
        assert await inbox.settle(take=[1, 4], finish=[1]) == {1}
        interrupted, waiting = await inbox.recover()
        assert interrupted == [2, 4] and [update.update_id for update in waiting] == [2, 4]


async def test_a_poll_is_voted_tallied_shared_closed_and_forgotten(any_database_url):
    async with Database.open(any_database_url) as db:
        polls = PollRepository(db)
        poll_id = await polls.create(new_poll(), quota=Quota(per_person=2, per_chat=2))
        await polls.chats.add_message(poll_id, shown(CHAT, "m1"), NOW)
        await polls.chats.add_message(poll_id, shown(OTHER, "m2"), NOW)
        await polls.chats.add_message(poll_id, shown(OTHER, "m3"), NOW)  # same chat: no number
        assert await polls.chats.numbers(poll_id) == {CHAT: 0, OTHER: 1}
        votes = [
            VoteCommand(poll_id, f"test:{name}", VoteOp.TOGGLE, (option,), name, chat_no)
            for name, option, chat_no in (("a", 0, 0), ("b", 0, 1), ("c", 2, None))
        ]
        results = await polls.ballots.apply_votes(votes, NOW)
        assert [result.status for result in results] == [VoteStatus.RECORDED] * 3
        again = VoteCommand(poll_id, "test:b", VoteOp.TOGGLE, (1,), "b", None)
        assert (await polls.ballots.apply_votes([again], NOW))[0].status == VoteStatus.CHANGED
        counts = {0: 1, 1: 1, 2: 1}
        assert await polls.ballots.option_counts(poll_id, first_choice_only=True) == counts
        assert await polls.ballots.option_counts(poll_id, first_choice_only=False) == counts
        tallies = await polls.ballots.chat_tallies(poll_id, first_choice_only=False)
        assert [tally.voters for tally in tallies] == [1, 1, 1]  # chat 0, chat 1 (kept), unknown
        assert await polls.close(poll_id, NOW, keep_salt=False)
        assert not await polls.close(poll_id, NOW)
        assert await polls.forget_voter("test", "a") == 1  # closed: the ballot stays, unlinked
        assert await polls.ballots.voter_count(poll_id) == 3
        keys = await polls.ballots.by_voter_key(poll_id)
        assert "test:a" not in keys and sum(len(key) > 40 for key in keys) == 1
        assert await polls.forget_chats([OTHER]) >= 2
        assert await polls.chats.numbers(poll_id) == {CHAT: 0}


async def test_an_anonymous_voter_is_forgotten_and_marked(any_database_url):
    async with Database.open(any_database_url) as db:
        polls = PollRepository(db)
        poll_id = await polls.create(new_poll(anonymous=True))
        assert await polls.holds_salts()
        vote = VoteCommand(poll_id, "k" * 64, VoteOp.TOGGLE, (1,))
        assert (await polls.ballots.apply_votes([vote], NOW))[0].status == VoteStatus.RECORDED
        assert await polls.forget_anonymous_voter(lambda salt: "k" * 64) == 1
        refused = await polls.ballots.apply_votes([vote], NOW)  # the has-voted marker holds
        assert refused[0].status == VoteStatus.FORGOTTEN
        assert await polls.ballots.voter_count(poll_id) == 1
        assert await polls.close(poll_id, NOW)
        assert not await polls.holds_salts()
        assert await polls.clear_wal()
        await DiskScrubber(db).vacuum(SALT_TABLES)


async def test_keys_are_created_once_and_read_back(any_database_url):
    async with Database.open(any_database_url) as db:
        seal = SealKeyRepository(db)
        assert await seal.get_or_create() == await seal.get_or_create()
        storage = Storage(db)
        assert (await storage.poll_key.load()).fingerprint is None
        storage.poll_key.remember("f" * 32)
        await storage.poll_key.save()
        assert (await Storage(db).poll_key.load()).fingerprint == "f" * 32


NOT_PERSONAL = {
    "summary_cache",  # summaries of article texts, keyed by content hash
    "written_summaries",  # what a language model wrote from article texts, keyed the same way
    "poll_key",  # the key's fingerprint
    "button_seal_key",
    "platform_leases",  # which process serves a platform
    "poll_refresh",  # when a poll's messages may be edited next
    "ground_chats",  # a chat's salt for anonymous common-ground votes
    "chat_moves",  # which group ids became which (groups, never a person's private chat)
    "modlog_channels",  # a server's (or group's) mod-log channel and case count, no person
    "cache_generations",  # PostgreSQL's counters
    "parley_schema",  # PostgreSQL's schema version
}


async def test_every_table_with_personal_data_is_scrubbed_after_a_forget(any_database_url):
    async with Database.open(any_database_url) as db:
        if db.engine == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        tables = {str(row[0]) for row in await db.fetch_all(sql)}
        assert tables - NOT_PERSONAL == set(SCRUBBED_TABLES)
        await DiskScrubber(db).vacuum()
