"""Units of work (`Database.run`): one transaction, on either engine; SQLite runs it in one hop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

import storage.sqlite
from storage.connection_thread import ThreadStoppedError
from storage.database import Database, Receipt, handling
from storage.errors import StorageUnavailableError
from storage.units import Unit, execute_many, fetch_all

NOTES = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"
INSERT = "INSERT INTO notes (id, text) VALUES (?, ?)"


def noted(texts: list[str], threads: list[int] | None = None) -> Unit[int]:
    """Insert `texts` after the notes already there; how many there are then."""
    rows = yield from fetch_all("SELECT count(*) FROM notes")
    if threads is not None:
        threads.append(threading.get_ident())
    start = int(rows[0][0])
    yield from execute_many(INSERT, [(start + n, text) for n, text in enumerate(texts)])
    rows = yield from fetch_all("SELECT count(*) FROM notes")
    if threads is not None:
        threads.append(threading.get_ident())
    return int(rows[0][0])


async def texts(database: Database) -> list[str]:
    return [row["text"] for row in await database.fetch_all("SELECT text FROM notes ORDER BY id")]


async def test_a_unit_commits_its_statements_and_returns_what_it_returns(any_database_url):
    async with Database.open(any_database_url) as database:
        await database.execute(NOTES)
        assert await database.run(noted(["one", "two"])) == 2
        assert await database.run(noted(["three"])) == 3
        assert await texts(database) == ["one", "two", "three"]
    if not any_database_url.startswith("postgresql"):
        with sqlite3.connect(any_database_url) as raw:  # in the file, not only in a connection
            assert raw.execute("SELECT count(*) FROM notes").fetchone()[0] == 3


async def test_a_failing_unit_leaves_nothing_and_the_database_serves_on(any_database_url):
    def broken() -> Unit[None]:
        yield from execute_many(INSERT, [(1, "kept only if all is")])
        yield from execute_many(INSERT, [(1, "the same id again")])

    def gives_up() -> Unit[None]:
        yield from execute_many(INSERT, [(2, "written, then the unit fails")])
        raise LookupError("no such poll")

    async with Database.open(any_database_url) as database:
        await database.execute(NOTES)
        with pytest.raises(Exception, match=r"UNIQUE|unique|duplicate"):
            await database.run(broken())
        with pytest.raises(LookupError, match="no such poll"):
            await database.run(gives_up())
        assert await texts(database) == []
        assert await database.run(noted(["after"])) == 1


async def test_a_unit_commits_the_receipt_of_the_update_being_handled(any_database_url):
    async with Database.open(any_database_url) as database:
        await database.execute(NOTES)
        await database.execute(
            "INSERT INTO telegram_inbox (update_id, state, payload) VALUES (?, 'taken', '{}')",
            (5,),
        )
        receipt = Receipt(
            "UPDATE telegram_inbox SET state = 'finished', payload = NULL WHERE update_id = ?", (5,)
        )
        with handling(receipt):
            await database.run(noted(["vote"]))
        assert receipt.spent
        row = await database.fetch_one("SELECT state FROM telegram_inbox WHERE update_id = 5")
        assert row is not None and row["state"] == "finished"


async def test_sqlite_runs_the_whole_unit_on_its_connection_thread(tmp_path: Path):
    threads: list[int] = []
    async with Database.open(tmp_path / "units.db") as database:
        await database.execute(NOTES)
        await database.run(noted(["one"], threads))
    assert len(threads) == 2 and len(set(threads)) == 1
    assert threads[0] != threading.get_ident()  # not the event loop's thread


async def test_a_unit_cancelled_while_it_runs_is_rolled_back(tmp_path: Path):
    started, release = threading.Event(), threading.Event()

    def slow() -> Unit[None]:
        yield from execute_many(INSERT, [(1, "before the cancel")])
        started.set()
        release.wait(10)  # on the connection's thread: the event loop runs on meanwhile
        yield from execute_many(INSERT, [(2, "after the cancel")])

    async with Database.open(tmp_path / "units.db") as database:
        await database.execute(NOTES)
        task = asyncio.create_task(database.run(slow()))
        assert await asyncio.to_thread(started.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        release.set()  # the unit goes on, to the end of its statements, and is rolled back
        assert await texts(database) == []
        assert await database.run(noted(["next"])) == 1


async def test_a_unit_cancelled_while_it_waits_for_the_write_lock_never_runs(
    tmp_path: Path, monkeypatch
):
    monkeypatch.setattr(storage.sqlite, "BUSY_TIMEOUT_MS", 10_000)
    path = tmp_path / "units.db"
    ran: list[bool] = []

    def recorded() -> Unit[None]:
        ran.append(True)
        yield from execute_many(INSERT, [(1, "too late")])

    async with Database.open(path) as database:
        await database.execute(NOTES)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process writes: the unit's BEGIN waits
        try:
            task = asyncio.create_task(database.run(recorded()))
            await asyncio.sleep(0)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert await texts(database) == []
        assert ran == []


async def test_a_closed_sqlite_database_refuses_work_instead_of_waiting_forever(tmp_path: Path):
    async with Database.open(tmp_path / "units.db") as database:
        await database.execute(NOTES)
    with pytest.raises(ThreadStoppedError, match="database is closed"):
        await database.fetch_all("SELECT text FROM notes")
    with pytest.raises(ThreadStoppedError):
        await database.run(noted(["late"]))


async def test_a_closed_sqlite_database_is_unavailable_storage_to_those_above(tmp_path: Path):
    async with Database.open(tmp_path / "units.db") as database:
        await database.execute(NOTES)
    with pytest.raises(StorageUnavailableError, match="database is closed"):
        await database.run(noted(["late"]))  # the router's friendly reply, no crash report


class Halt(BaseException):
    """Not an `Exception` (as `SystemExit`, `KeyboardInterrupt`): it ended the thread once."""


async def test_a_unit_raising_a_base_exception_is_rolled_back_and_the_database_serves_on(
    tmp_path: Path,
):
    def halts() -> Unit[None]:
        yield from execute_many(INSERT, [(1, "written, then the unit halts")])
        raise Halt

    async with Database.open(tmp_path / "units.db") as database:
        await database.execute(NOTES)
        with pytest.raises(Halt):  # a guard, not a timing: the old thread died and never answered
            await asyncio.wait_for(database.run(halts()), 30)
        assert await asyncio.wait_for(texts(database), 30) == []
        assert await database.run(noted(["after"])) == 1
