"""The PostgreSQL engine on a real server: statements, serial writers across connections,
migrations once, receipts, cancellation, outages and the schema SQLite has.

Each `PostgresDatabase` below has connections of its own, as a second Parley process would.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import asyncpg
import pytest

import storage.postgres
from bot.identity import ChatRef
from storage.database import (
    Database,
    MigrationError,
    Receipt,
    handling,
    load_migrations,
    receipts_written,
)
from storage.errors import StorageUnavailableError
from storage.placeholders import numbered
from storage.postgres import WRITE_LOCK, PostgresDatabase
from storage.url import Engine

POLL = (
    "INSERT INTO polls (platform, chat_id, creator, question, kind, anonymous, visibility,"
    " locale, created_at) VALUES (?, ?, ?, ?, 'single', 0, 'live', 'en', '2026-12-01T00:00:00Z')"
    " RETURNING id"
)
ENGINE_ONLY = {"parley_schema", "cache_generations"}
LATEST = max(  # the newest migration number (PostgreSQL: the baseline, 12, and each one after)
    int(entry.name[:3])
    for entry in (Path(storage.__file__).parent / "migrations").iterdir()
    if entry.name[:3].isdigit()
)


def poll(creator: str = "alice", question: str = "Lunch?") -> tuple[str, ...]:
    return ("console", "c1", creator, question)


@pytest.fixture
async def db(postgres_url: str) -> AsyncIterator[PostgresDatabase]:
    async with PostgresDatabase.open(postgres_url) as database:
        yield database


async def backend_pids(url: str) -> list[int]:
    """The server processes of Parley's connections to this database."""
    admin = await asyncpg.connect(url)
    try:
        rows = await admin.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = 'parley'"
        )
    finally:
        await admin.close()
    return [row["pid"] for row in rows]


async def terminate(url: str) -> None:
    """End Parley's connections to this database from the server side."""
    admin = await asyncpg.connect(url)
    try:
        for pid in await backend_pids(url):
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


# Placeholders -------------------------------------------------------------------------------


def test_question_marks_become_numbered_parameters() -> None:
    assert numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?)") == (
        "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
    )


def test_question_marks_in_literals_and_comments_stay_text() -> None:
    sql = (
        "SELECT '?', 'it''s ?', E'\\' ?', \"odd?name\", $$ ? $$, $q$ ? $q$ FROM t"
        " WHERE a = ? -- why?\n AND b = ? /* or? */"
    )
    assert numbered(sql) == (
        "SELECT '?', 'it''s ?', E'\\' ?', \"odd?name\", $$ ? $$, $q$ ? $q$ FROM t"
        " WHERE a = $1 -- why?\n AND b = $2 /* or? */"
    )


def test_each_statement_is_rewritten_once() -> None:
    sql = "SELECT id FROM polls WHERE creator = ? AND id > ? -- memo test"
    numbered.cache_clear()
    first = numbered(sql)
    second = numbered(sql)
    assert first is second
    assert numbered.cache_info().hits == 1
    assert numbered.cache_info().misses == 1


# Statements ---------------------------------------------------------------------------------


async def test_statements_return_ids_rows_changed_and_rows(db: PostgresDatabase) -> None:
    first = await db.insert(POLL, poll(question="Lunch?"))
    second = await db.insert(POLL, poll(question="午饭吃什么？"))
    changed = await db.execute("UPDATE polls SET closed_at = ? WHERE creator = ?", ("t", "alice"))
    none = await db.execute("UPDATE polls SET closed_at = ? WHERE creator = ?", ("t", "bob"))
    row = await db.fetch_one("SELECT id, question FROM polls WHERE id = ?", (second,))
    rows = await db.fetch_all("SELECT question FROM polls ORDER BY id")
    missing = await db.fetch_one("SELECT id FROM polls WHERE id = ?", (999,))
    assert (first, second, changed, none) == (1, 2, 2, 0)
    assert row is not None
    assert (row[0], row["question"]) == (2, "午饭吃什么？")
    assert [r["question"] for r in rows] == ["Lunch?", "午饭吃什么？"]
    assert missing is None


async def test_bytes_and_text_order_as_in_sqlite(db: PostgresDatabase) -> None:
    await db.execute("INSERT INTO button_seal_key (id, secret) VALUES (1, ?)", (bytes(range(32)),))
    secret = await db.fetch_one("SELECT secret FROM button_seal_key")
    for chat in ["b", "B", "_", "a", "-1", "é", "中"]:
        await db.execute(
            "INSERT INTO chat_settings (platform, chat_id, updated_at) VALUES ('x', ?, 't')",
            (chat,),
        )
    order = await db.fetch_all("SELECT chat_id FROM chat_settings ORDER BY chat_id")
    assert secret is not None and secret["secret"] == bytes(range(32))
    assert [row[0] for row in order] == sorted(["b", "B", "_", "a", "-1", "é", "中"])


async def test_transactions_commit_or_roll_back_as_a_whole(db: PostgresDatabase) -> None:
    async with db.transaction() as tx:
        poll_id = await tx.insert(POLL, poll())
        await tx.execute_many(
            "INSERT INTO poll_options (poll_id, position, label) VALUES (?, ?, ?)",
            [(poll_id, 0, "Pizza"), (poll_id, 1, "Sushi")],
        )
        await tx.execute(
            "INSERT INTO poll_messages (poll_id, platform, chat_id, message_id, locale,"
            " posted_at) VALUES (?, 'console', 'c1', 'm1', 'en', 't')",
            (poll_id,),
        )
        inside = await tx.fetch_all("SELECT label FROM poll_options ORDER BY position")
    with pytest.raises(ZeroDivisionError):
        async with db.transaction() as tx:
            await tx.execute("DELETE FROM poll_options")
            raise ZeroDivisionError
    async with db.transaction() as tx:
        removed = await tx.for_each_chat(
            ["DELETE FROM poll_messages WHERE platform = ? AND chat_id = ?"],
            [ChatRef("console", "c1"), ChatRef("console", "c2")],
        )
    options = await db.fetch_all("SELECT label FROM poll_options ORDER BY position")
    assert [row[0] for row in inside] == ["Pizza", "Sushi"]
    assert [row[0] for row in options] == ["Pizza", "Sushi"]
    assert removed == 1


async def test_database_open_picks_postgresql_for_both_schemes(postgres_url: str) -> None:
    short = postgres_url.replace("postgresql://", "postgres://", 1)
    async with Database.open(postgres_url) as one, Database.open(short) as two:
        engines = {type(one), type(two)}
        ids = [await one.insert(POLL, poll()), await two.insert(POLL, poll())]
    assert engines == {PostgresDatabase}
    assert ids == [1, 2]


async def test_compact_rewrites_the_tables_without_their_deleted_rows(
    db: PostgresDatabase,
) -> None:
    for question in ("gone", "kept"):
        await db.insert(POLL, poll(question=question))
    await db.execute("DELETE FROM polls WHERE question = 'gone'")
    before = await db.fetch_one("SELECT pg_relation_filenode('polls')")
    await db.compact(["polls", "poll_ballots"])
    after = await db.fetch_one("SELECT pg_relation_filenode('polls')")
    rows = await db.fetch_all("SELECT question FROM polls")
    assert before is not None and after is not None and before[0] != after[0]
    assert [row[0] for row in rows] == ["kept"]
    assert await db.insert(POLL, poll()) == 3


# Serial writers -----------------------------------------------------------------------------


async def test_check_then_write_transactions_of_two_connections_do_not_interleave(
    postgres_url: str,
) -> None:
    async with (
        PostgresDatabase.open(postgres_url) as one,
        PostgresDatabase.open(postgres_url) as two,
    ):
        checked = asyncio.Event()

        async def quota_of_one(database: PostgresDatabase, question: str) -> bool:
            async with database.transaction() as tx:
                row = await tx.fetch_one("SELECT count(*) FROM polls WHERE creator = ?", ("alice",))
                checked.set()
                await asyncio.sleep(0.2)  # the other connection tries to check meanwhile
                if row is None or row[0] > 0:
                    return False
                await tx.insert(POLL, poll(question=question))
                return True

        first = asyncio.create_task(quota_of_one(one, "first"))
        await checked.wait()
        second = asyncio.create_task(quota_of_one(two, "second"))
        outcomes = await asyncio.gather(first, second)
        rows = await one.fetch_all("SELECT question FROM polls")
    assert outcomes == [True, False]
    assert [row[0] for row in rows] == ["first"]


async def test_a_write_outside_a_transaction_waits_for_the_other_writer(
    postgres_url: str,
) -> None:
    async with (
        PostgresDatabase.open(postgres_url) as one,
        PostgresDatabase.open(postgres_url) as two,
    ):
        order: list[str] = []
        inside = asyncio.Event()

        async def long_writer() -> None:
            async with one.transaction() as tx:
                inside.set()
                await asyncio.sleep(0.2)
                await tx.insert(POLL, poll(question="first"))
                order.append("first committed")

        writer = asyncio.create_task(long_writer())
        await inside.wait()
        await two.insert(POLL, poll(question="second"))
        order.append("second committed")
        await writer
        # A reader is never blocked by a writer.
        async with one.transaction():
            seen = await two.fetch_all("SELECT question FROM polls ORDER BY id")
    assert order == ["first committed", "second committed"]
    assert [row[0] for row in seen] == ["first", "second"]


async def test_waiting_past_the_lock_timeout_is_an_outage_that_clears(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.postgres, "LOCK_TIMEOUT", "200ms")
    holder = await asyncpg.connect(postgres_url)
    try:
        async with PostgresDatabase.open(postgres_url) as db:
            await holder.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            with pytest.raises(StorageUnavailableError, match="lock timeout"):
                await db.insert(POLL, poll())
            await holder.execute("COMMIT")
            await db.insert(POLL, poll())
            count = await db.fetch_one("SELECT count(*) FROM polls")
    finally:
        await holder.close()
    assert count is not None and count[0] == 1


# Migrations ---------------------------------------------------------------------------------


async def test_two_processes_starting_together_migrate_once(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="parley.storage")

    async def start(stack: AsyncExitStack) -> PostgresDatabase:
        return await stack.enter_async_context(PostgresDatabase.open(postgres_url))

    async with AsyncExitStack() as one, AsyncExitStack() as two:
        first, second = await asyncio.gather(start(one), start(two))
        versions = [await first.migrate(), await second.migrate()]
        row = await first.fetch_one("SELECT version FROM parley_schema")
    applied = [r for r in caplog.records if "event=migration_applied" in r.getMessage()]
    assert versions == [LATEST, LATEST]
    assert row is not None and row["version"] == LATEST
    assert len(applied) == LATEST - 11


async def test_a_database_newer_than_the_code_is_refused(postgres_url: str) -> None:
    async with PostgresDatabase.open(postgres_url) as db:
        await db.execute("UPDATE parley_schema SET version = 99")
    with pytest.raises(MigrationError, match="newer than this code"):
        async with PostgresDatabase.open(postgres_url):
            pass


async def test_a_script_of_comments_only_still_moves_the_version(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = load_migrations(Engine.POSTGRESQL)
    reserved = (shipped[-1][0] + 1, "999_reserved.sql", "-- reserved\n/* filled in later */\n")
    monkeypatch.setattr(storage.postgres, "load_migrations", lambda _: [*shipped, reserved])
    async with PostgresDatabase.open(postgres_url) as db:
        row = await db.fetch_one("SELECT version FROM parley_schema")
    assert row is not None and row[0] == reserved[0]


async def test_postgresql_has_the_tables_and_columns_sqlite_has(
    db: PostgresDatabase, tmp_path: Path
) -> None:
    async with Database.open(tmp_path / "parley.db") as lite:
        version = await lite.migrate()
        tables = await lite.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        sqlite_schema = {
            table[0]: [
                column["name"] for column in await lite.fetch_all(f"PRAGMA table_info({table[0]})")
            ]
            for table in tables
        }
    columns = await db.fetch_all(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    )
    postgres_schema: dict[str, list[str]] = {}
    for row in columns:
        postgres_schema.setdefault(row["table_name"], []).append(row["column_name"])
    assert await db.migrate() == version
    assert set(postgres_schema) - set(sqlite_schema) == ENGINE_ONLY
    for engine_only in ENGINE_ONLY:
        del postgres_schema[engine_only]
    assert postgres_schema == sqlite_schema


# Receipts -----------------------------------------------------------------------------------


async def test_a_receipt_commits_with_the_first_write_and_only_then(db: PostgresDatabase) -> None:
    await db.execute(
        "INSERT INTO telegram_inbox (update_id, state, payload) VALUES (?, 'taken', '{}')", (7,)
    )
    receipt = Receipt(
        "UPDATE telegram_inbox SET state = 'finished', payload = NULL WHERE update_id = ?", (7,)
    )

    async def state() -> str:
        row = await db.fetch_one("SELECT state FROM telegram_inbox WHERE update_id = 7")
        assert row is not None
        return str(row[0])

    with handling(receipt):
        await db.fetch_all("SELECT id FROM polls")  # a read carries no receipt
        after_read = await state()
        with pytest.raises(ZeroDivisionError):
            async with db.transaction() as tx:
                await tx.insert(POLL, poll(question="rolled back"))
                raise ZeroDivisionError
        after_failure = await state()
        await db.insert(POLL, poll(question="kept"))
        after_write = await state()
        await db.insert(POLL, poll(question="later"))
    assert (after_read, after_failure, after_write) == ("taken", "taken", "finished")
    assert receipt.spent


async def test_a_writer_task_commits_another_tasks_receipt(db: PostgresDatabase) -> None:
    await db.execute(
        "INSERT INTO telegram_inbox (update_id, state, payload) VALUES (?, 'taken', '{}')", (8,)
    )
    receipt = Receipt(
        "UPDATE telegram_inbox SET state = 'finished', payload = NULL WHERE update_id = ?", (8,)
    )

    async def writer() -> None:
        async with db.transaction() as tx:
            await tx.insert(POLL, poll())
            await tx.run(receipts_written([receipt]))

    await asyncio.create_task(writer())
    row = await db.fetch_one("SELECT state, payload FROM telegram_inbox WHERE update_id = 8")
    assert row is not None and tuple(row) == ("finished", None)


# Caches -------------------------------------------------------------------------------------


async def test_data_version_moves_when_a_cached_topic_changes_not_for_ballots(
    postgres_url: str,
) -> None:
    async with (
        PostgresDatabase.open(postgres_url) as one,
        PostgresDatabase.open(postgres_url) as two,
    ):
        start = await one.data_version()
        poll_id = await two.insert(POLL, poll())
        after_poll = await one.data_version()
        await two.execute(
            "INSERT INTO poll_ballots (poll_id, voter_key) VALUES (?, ?)", (poll_id, "k")
        )
        await two.execute(
            "INSERT INTO poll_choices (poll_id, voter_key, rank, option) VALUES (?, 'k', 0, 1)",
            (poll_id,),
        )
        after_ballot = await one.data_version()
        await two.execute(
            "INSERT INTO chat_disabled_features (platform, chat_id, feature, disabled_at)"
            " VALUES ('console', 'c1', 'polls', 't')"
        )
        after_switch = await one.data_version()
        async with two.transaction() as tx:
            await tx.execute("UPDATE polls SET question = 'Dinner?'")
            uncommitted = await one.data_version()
    assert after_poll > start
    assert after_ballot == after_poll
    assert after_switch > after_ballot
    assert uncommitted == after_switch


# Cancellation -------------------------------------------------------------------------------


async def test_a_transaction_cancelled_while_waiting_for_the_lock_leaves_no_trace(
    postgres_url: str,
) -> None:
    holder = await asyncpg.connect(postgres_url)
    try:
        async with PostgresDatabase.open(postgres_url) as db:
            await holder.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            waiting = asyncio.create_task(db.insert(POLL, poll(question="cancelled")))
            await asyncio.sleep(0.3)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            await holder.execute("COMMIT")
            await db.insert(POLL, poll(question="after"))
            # The cancelled transaction holds no lock: another connection writes at once.
            await holder.execute(
                "SET lock_timeout = '1s'; BEGIN;"
                f" SELECT pg_advisory_xact_lock({WRITE_LOCK}); COMMIT"
            )
            rows = await db.fetch_all("SELECT question FROM polls")
    finally:
        await holder.close()
    assert [row[0] for row in rows] == ["after"]


async def test_a_transaction_cancelled_mid_statement_is_rolled_back(db: PostgresDatabase) -> None:
    started = asyncio.Event()

    async def slow() -> None:
        async with db.transaction() as tx:
            await tx.insert(POLL, poll(question="cancelled"))
            started.set()
            await tx.execute("SELECT pg_sleep(30)")

    task = asyncio.create_task(slow())
    await started.wait()
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    await db.insert(POLL, poll(question="after"))
    rows = await db.fetch_all("SELECT question FROM polls")
    assert [row[0] for row in rows] == ["after"]


# Outages and bugs ---------------------------------------------------------------------------


async def test_an_unreachable_server_is_an_outage() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StorageUnavailableError):
        async with PostgresDatabase.open(f"postgresql://parley@127.0.0.1:{port}/parley"):
            pass


async def test_a_connection_killed_mid_transaction_is_an_outage_then_reconnects(
    db: PostgresDatabase, postgres_url: str
) -> None:
    await db.insert(POLL, poll(question="before"))
    started = asyncio.Event()

    async def interrupted() -> None:
        async with db.transaction() as tx:
            await tx.insert(POLL, poll(question="lost"))
            started.set()
            await tx.execute("SELECT pg_sleep(30)")

    task = asyncio.create_task(interrupted())
    await started.wait()
    await asyncio.sleep(0.1)
    await terminate(postgres_url)
    with pytest.raises(StorageUnavailableError):
        await asyncio.wait_for(task, 10)
    await db.insert(POLL, poll(question="after"))
    rows = await db.fetch_all("SELECT question FROM polls ORDER BY id")
    assert [row[0] for row in rows] == ["before", "after"]


async def test_connections_killed_between_calls_are_opened_again(
    db: PostgresDatabase, postgres_url: str
) -> None:
    before = await db.data_version()
    await terminate(postgres_url)
    await asyncio.sleep(0.1)
    await db.insert(POLL, poll(question="after"))
    assert await db.data_version() > before
    assert len(await backend_pids(postgres_url)) == 2


async def test_broken_constraints_and_refused_updates_are_bugs_not_outages(
    db: PostgresDatabase,
) -> None:
    await db.execute("INSERT INTO poll_key (id, fingerprint) VALUES (1, ?)", ("a" * 32,))
    with pytest.raises(asyncpg.UniqueViolationError):
        await db.execute("INSERT INTO poll_key (id, fingerprint) VALUES (1, ?)", ("b" * 32,))
    await db.execute(
        "INSERT INTO audit_log (at, platform, chat_id, actor_id, actor_name, action, outcome)"
        " VALUES ('t', 'console', 'c1', 'alice', 'Alice', 'poll.close', 'ok')"
    )
    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        await db.execute("UPDATE audit_log SET action = 'nothing'")
    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        await db.execute("DELETE FROM audit_log")
    forgotten = await db.execute(
        "UPDATE audit_log SET actor_id = 'forgotten', actor_name = 'forgotten', detail = ''"
    )
    assert forgotten == 1
