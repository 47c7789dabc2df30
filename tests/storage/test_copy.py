"""`parley db copy`: a community made through the real app moves SQLite → PostgreSQL → SQLite.

Every table comes back identical (row by row and by checksum), ids continue after the copied
ones, the poll key check passes on the new database with the same key file, a non-empty target
is refused and left as it was, an older source is refused untouched, and the command line
prints a per-table line and the summary (or a clear refusal, never a traceback).
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import Parley
from handlers.polls.actions import PollSubmit, PollVote
from parley.db_copy import TableProgress
from storage.copy import CopyError, Problem, copy_database, table_checksum, table_schemas
from storage.database import Database, load_migrations
from storage.db_lock import DatabaseLock
from storage.url import DatabaseUrl
from tests.polls.conftest import features_with_fast_edits
from tests.polls.helpers import ChatResponder, press, run
from tests.support import RecordingGateway, make_actor, make_press, make_settings

ROOT = Path(__file__).resolve().parents[2]
ALICE, BOB, CAROL = make_actor("alice"), make_actor("bob"), make_actor("carol")
ARTICLE = (
    "# Harbour Plan\n\nThe port authority approved a 300 million dollar expansion on Monday. "
    "Critics say the plan ignores the fishing fleet."
)
POPULATED = (
    "polls",
    "poll_options",
    "poll_ballots",
    "poll_choices",
    "poll_messages",
    "poll_chats",
    "poll_key",
    "arguments",
    "articles",
    "jobs",
    "audit_log",
    "chat_settings",
    "button_seal_key",
)


def _settings(tmp_path: Path, database: str | Path):
    return make_settings(
        tmp_path,
        PARLEY_DATABASE_URL=str(database),
        PARLEY_POLL_KEY_FILE=tmp_path / "poll.key",
        PARLEY_RATE_LIMIT_BURST=10_000,
    )


async def populate(tmp_path: Path, database: str | Path, clock) -> None:
    """A small community through the real router: polls of each kind voted, an argument, an
    article, chat settings (audited), the close jobs of polls with a deadline."""
    settings = _settings(tmp_path, database)
    async with Parley.open(settings, clock, features=features_with_fast_edits) as app:
        app.services.outbox.register(RecordingGateway())
        await run(app, "/poll Lunch? | Soup | Salad --for 10m --anonymous", ALICE)
        for actor, option in ((BOB, 0), (CAROL, 1)):
            await press(app, PollVote(poll=1, option=option), actor)
        await run(app, "/poll Colour? | Red | Blue --for 1h", ALICE)
        for actor, option in ((BOB, 1), (CAROL, 1), (ALICE, 0)):
            await press(app, PollVote(poll=2, option=option), actor)
        await run(app, "/poll Order? | Tea | Coffee | Juice --ranked --anonymous", ALICE)
        await press(app, PollSubmit(poll=3, picks="201"), BOB)
        await press(app, PollSubmit(poll=3, picks="12"), CAROL)
        await run(app, "/argue labs Replication should come before any public claim.", BOB)
        await run(app, f"/article add {ARTICLE}")
        await run(app, "/settings timezone Asia/Shanghai")
        await run(app, "/settings ratelimit 30")


async def contents(url: str | Path) -> dict[str, tuple[str, list[tuple[object, ...]]]]:
    """Per table: the checksum and every row in primary-key order (bytes as bytes)."""
    found = {}
    async with Database.open(url, migrate=False) as database, database.snapshot() as reads:
        for table in await table_schemas(database, reads):
            columns = ", ".join(f'"{c}"' for c in table.columns)
            key = ", ".join(f'"{c}"' for c in table.key)
            rows = await reads.fetch_all(f'SELECT {columns} FROM "{table.name}" ORDER BY {key}')
            _, checksum = await table_checksum(reads, table)
            found[table.name] = (checksum, [tuple(_plain(v) for v in row) for row in rows])
    return found


def _plain(value: object) -> object:
    return bytes(value) if isinstance(value, memoryview) else value


@pytest.fixture
async def community(tmp_path: Path, clock) -> Path:
    path = tmp_path / "community.db"
    await populate(tmp_path, path, clock)
    return path


async def test_a_round_trip_through_postgresql_gives_identical_tables(
    tmp_path, community, postgres_url
):
    before = await contents(community)
    assert all(before[table][1] for table in POPULATED), "the community fills every table"
    with sqlite3.connect(community) as raw:
        [(salt,)] = raw.execute("SELECT salt FROM polls WHERE id = 1").fetchall()
    assert isinstance(salt, bytes) and len(salt) == 32  # a BLOB that becomes BYTEA

    to_postgres = await copy_database(DatabaseUrl.parse(community), DatabaseUrl.parse(postgres_url))
    back = tmp_path / "back.db"
    to_sqlite = await copy_database(DatabaseUrl.parse(postgres_url), DatabaseUrl.parse(back))

    on_postgres, after = await contents(postgres_url), await contents(back)
    assert on_postgres == before and after == before
    for report in (to_postgres, to_sqlite):
        assert all(table.matches for table in report.tables)
        assert {t.name: t.checksum for t in report.tables} == {
            name: checksum for name, (checksum, _) in before.items()
        }
        assert report.rows == sum(len(rows) for _, rows in before.values())
    assert "parley_schema" not in before and "cache_generations" not in on_postgres


async def test_ids_continue_after_a_copy_to_postgresql_and_the_poll_key_still_fits(
    tmp_path, community, postgres_url, clock
):
    await copy_database(DatabaseUrl.parse(community), DatabaseUrl.parse(postgres_url))
    settings = _settings(tmp_path, postgres_url)  # the same key file: poll 1 still has its salt
    async with Parley.open(settings, clock, features=features_with_fast_edits) as app:
        app.services.outbox.register(RecordingGateway())
        out = await run(app, "/poll Dinner? | Rice | Noodles --anonymous", ALICE)
        assert "#4" in out.text
        database = app.services.storage.database
        for poll, option, actor in ((4, 1, BOB), (1, 1, ALICE)):  # the old poll takes votes too
            [(message,)] = await database.fetch_all(
                "SELECT message_id FROM poll_messages WHERE poll_id = ?", (poll,)
            )
            vote = make_press(PollVote(poll=poll, option=option), actor=actor, message=message)
            await app.router.dispatch(vote, ChatResponder())
        await run(app, "/argue labs A second argument about the labs and their claims.", CAROL)
        rows = await database.fetch_all(
            "SELECT max(id) FROM polls UNION ALL SELECT max(id) FROM arguments"
        )
        assert [row[0] for row in rows] == [4, 2]
        counts = await app.services.storage.polls.ballots.option_counts(1, first_choice_only=False)
        assert counts == {0: 1, 1: 2}


async def test_a_target_with_rows_is_refused_and_left_unchanged(tmp_path, community, clock):
    target = tmp_path / "busy.db"
    await populate(tmp_path, target, clock)
    async with Database.open(target) as database:
        await database.execute("DELETE FROM arguments")
    before = await contents(target)
    with pytest.raises(CopyError) as refused:
        await copy_database(DatabaseUrl.parse(community), DatabaseUrl.parse(target))
    assert refused.value.problem is Problem.TARGET_NOT_EMPTY
    assert refused.value.details["table"] == "articles"  # parents first; arguments is empty
    assert await contents(target) == before


async def test_a_non_empty_postgresql_target_is_refused_and_left_unchanged(community, postgres_url):
    await copy_database(DatabaseUrl.parse(community), DatabaseUrl.parse(postgres_url))
    before = await contents(postgres_url)
    with pytest.raises(CopyError) as refused:
        await copy_database(DatabaseUrl.parse(community), DatabaseUrl.parse(postgres_url))
    assert refused.value.problem is Problem.TARGET_NOT_EMPTY
    assert await contents(postgres_url) == before


async def test_an_older_source_is_refused_untouched_and_no_target_is_made(tmp_path):
    source, target = tmp_path / "old.db", tmp_path / "new.db"
    with sqlite3.connect(source) as old:
        for number, _, sql in load_migrations()[:12]:
            old.executescript(f"{sql}\nPRAGMA user_version = {number};")
    with pytest.raises(CopyError) as refused:
        await copy_database(DatabaseUrl.parse(source), DatabaseUrl.parse(target))
    assert refused.value.problem is Problem.SOURCE_OLDER
    assert refused.value.details["version"] == 12
    with sqlite3.connect(source) as old:
        assert old.execute("PRAGMA user_version").fetchone() == (12,)
    assert not target.exists()


async def test_a_sqlite_copy_into_a_new_file(tmp_path, community):
    target = tmp_path / "sub" / "copy.db"
    report = await copy_database(DatabaseUrl.parse(community), DatabaseUrl.parse(target))
    assert await contents(target) == await contents(community)
    assert [t.name for t in report.tables].index("polls") < [t.name for t in report.tables].index(
        "poll_choices"
    )


async def test_the_checksum_sees_one_changed_value(tmp_path, community):
    target = tmp_path / "copy.db"
    await copy_database(DatabaseUrl.parse(community), DatabaseUrl.parse(target))
    with sqlite3.connect(target) as raw:
        raw.execute("UPDATE poll_options SET label = 'Soup!' WHERE poll_id = 1 AND position = 0")
    source, copy = await contents(community), await contents(target)
    assert source["poll_options"][0] != copy["poll_options"][0]
    assert {t: v for t, v in source.items() if t != "poll_options"} == {
        t: v for t, v in copy.items() if t != "poll_options"
    }


def _parley(*arguments: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PARLEY_")}
    environment.update(env, PYTHONPATH=str(ROOT), PARLEY_LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-m", "parley", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_command_copies_to_postgresql_and_prints_the_summary(
    tmp_path, community, postgres_url
):
    tables = await contents(community)
    done = _parley("db", "copy", str(community), postgres_url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    choices = len(tables["poll_choices"][1])
    assert "polls: 3/3 rows" in done.stderr and f"poll_choices: {choices}/{choices}" in done.stderr
    rows = sum(len(rows) for _, rows in tables.values())
    assert f"Copied {len(tables)} tables, {rows} rows" in done.stdout
    assert "Row counts and checksums match in every table." in done.stdout
    assert f"PARLEY_DATABASE_URL={DatabaseUrl.parse(postgres_url)}" in done.stdout
    assert "poll key is not in the database" in done.stdout
    assert f"Copy {community}.pollkey to {tmp_path / 'parley.pollkey'}" in done.stdout

    key_file = tmp_path / "poll.key"
    again = _parley(
        "db",
        "copy",
        str(community),
        postgres_url,
        cwd=tmp_path,
        PARLEY_LOCALE="zh",
        PARLEY_POLL_KEY_FILE=str(key_file),
    )
    assert again.returncode == 1
    assert "不是空的" in again.stderr and "Traceback" not in again.stderr

    other = tmp_path / "other.db"
    back = _parley(
        "db", "copy", postgres_url, str(other), cwd=tmp_path, PARLEY_POLL_KEY_FILE=str(key_file)
    )
    assert back.returncode == 0, back.stderr
    assert f"keep PARLEY_POLL_KEY_FILE={key_file} for the new URL" in back.stdout
    assert await contents(other) == tables


@pytest.mark.parametrize(
    ("source", "target", "words"),
    [
        ("{db}", "mysql://x/y", "target is not a database URL"),
        ("{db}", "postgresql://parley@127.0.0.1:1/none", "Cannot open the target database"),
        ("{tmp}/missing.db", "{tmp}/x.db", "There is no database file"),
        ("{db}", "{db}", "the same database"),
    ],
)
async def test_the_command_refuses_clearly(tmp_path, community, source, target, words):
    values = {"db": str(community), "tmp": str(tmp_path)}
    done = _parley("db", "copy", source.format(**values), target.format(**values), cwd=tmp_path)
    assert done.returncode == 1
    assert words in done.stderr and "Traceback" not in done.stderr


async def test_the_command_refuses_a_source_a_bot_serves(tmp_path, community):
    lock = DatabaseLock.acquire(community, "parley run", serving=True)
    try:
        done = _parley("db", "copy", str(community), str(tmp_path / "new.db"), cwd=tmp_path)
    finally:
        lock.release()
    assert done.returncode == 1
    assert f"pid {os.getpid()}" in done.stderr and "Stop it before copying" in done.stderr
    assert not (tmp_path / "new.db").exists()


def test_the_progress_bar_redraws_on_a_terminal_and_prints_lines_otherwise():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        progress = TableProgress(stream, "en")
        progress("polls", 0, 4)
        progress("polls", 2, 4)
        progress("polls", 4, 4)
        progress("jobs", 0, 0)
    assert log.getvalue() == "polls: 4/4 rows\njobs: 0/0 rows\n"
    drawn = terminal.getvalue()
    assert drawn.count("\r") == 4 and drawn.count("\n") == 2
    assert "█" * 15 + "░" * 15 + " polls: 2/4 rows" in drawn
