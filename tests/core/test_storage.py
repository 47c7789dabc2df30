import asyncio
import contextlib
import sqlite3

import pytest

import storage.sqlite
from bot.identity import ChatRef
from storage.audit import AuditEntry
from storage.database import Database, MigrationError, load_migrations
from storage.errors import StorageUnavailableError


async def test_migrations_apply_once_on_a_real_file(tmp_path):
    path = tmp_path / "p.db"
    async with Database.open(path) as db:
        version = await db.migrate()
        assert version >= 1
        assert (await db.fetch_one("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetch_one("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetch_one("PRAGMA busy_timeout"))[0] == 5000
    async with Database.open(path) as db:
        assert await db.migrate() == version
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == version
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"chat_settings", "audit_log", "jobs"} <= tables


async def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "p.db"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 999")
    with pytest.raises(MigrationError, match="newer than this code"):
        async with Database.open(path):
            pass


async def test_transactions_roll_back_on_error(any_database_url):
    async with Database.open(any_database_url) as db:
        with pytest.raises(RuntimeError):
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO chat_settings (platform, chat_id, updated_at)"
                    " VALUES ('t', '1', 'x')"
                )
                raise RuntimeError
        assert await db.fetch_all("SELECT * FROM chat_settings") == []


async def test_audit_log_is_append_only(tmp_path, clock):
    async with Database.open(tmp_path / "p.db") as db:
        from storage.audit import AuditRepository

        audit = AuditRepository(db)
        chat = ChatRef("t", "1")
        await audit.record(AuditEntry(clock.now(), chat, "u1", "Ann", "/post", "x", "ok"))
        for statement in ("UPDATE audit_log SET actor_name = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                await db.execute(statement)
        assert [e.actor_name for e in await audit.recent(chat, 5)] == ["Ann"]


async def test_backup_is_a_consistent_copy(tmp_path, clock):
    async with Database.open(tmp_path / "p.db") as db:
        from storage.chat_settings import ChatSettingsRepository

        await ChatSettingsRepository(db).set_language(ChatRef("t", "1"), "zh", clock.now())
        await db.backup(tmp_path / "copy.db")
    with sqlite3.connect(tmp_path / "copy.db") as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("SELECT language FROM chat_settings").fetchall() == [("zh",)]


async def test_chat_settings_round_trip_and_cache_invalidation(any_database_url, clock):
    async with Database.open(any_database_url) as db:
        from storage.chat_settings import ChatSettingsRepository

        repo = ChatSettingsRepository(db)
        chat = ChatRef("t", "1")
        assert (await repo.get(chat)).language is None
        await repo.set_language(chat, "zh", clock.now())
        await repo.set_timezone(chat, "Asia/Shanghai", clock.now())
        settings = await repo.get(chat)
        assert (settings.language, settings.timezone) == ("zh", "Asia/Shanghai")
        await repo.set_language(chat, None, clock.now())
        assert (await repo.get(chat)).language is None


def mode_of(path) -> int:
    import stat

    return stat.S_IMODE(path.stat().st_mode)


async def test_the_database_its_sidecars_and_backups_are_private(tmp_path, clock):
    import os

    from storage.chat_settings import ChatSettingsRepository

    old_umask = os.umask(0o022)  # the usual default: files would be world-readable
    try:
        path = tmp_path / "p.db"
        async with Database.open(path) as db:
            await ChatSettingsRepository(db).set_language(ChatRef("t", "1"), "zh", clock.now())
            sidecars = [tmp_path / "p.db-wal", tmp_path / "p.db-shm"]
            assert all(sidecar.exists() for sidecar in sidecars)
            assert [mode_of(p) for p in (path, *sidecars)] == [0o600] * 3
            await db.backup(tmp_path / "copy.db")
            (tmp_path / "old.db").write_bytes(b"")  # a backup target left by someone else
            os.chmod(tmp_path / "old.db", 0o644)
            await db.backup(tmp_path / "old.db")
        assert mode_of(tmp_path / "copy.db") == mode_of(tmp_path / "old.db") == 0o600
    finally:
        os.umask(old_umask)


async def test_a_world_readable_database_from_before_is_made_private(tmp_path, caplog):
    import os

    path = tmp_path / "p.db"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    async with Database.open(path):
        assert mode_of(path) == 0o600
    assert "event=database_file_made_private" in caplog.text


async def test_a_write_cancelled_while_it_begins_leaves_the_connection_usable(tmp_path):
    async with Database.open(tmp_path / "cancel.db") as database:
        await database.execute("CREATE TABLE notes (text TEXT)")

        async def write(text: str) -> None:
            async with database.transaction() as tx:
                await tx.execute("INSERT INTO notes VALUES (?)", (text,))

        for _ in range(20):  # cancel at the first await: while BEGIN runs in SQLite's thread
            task = asyncio.create_task(write("lost"))
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await write("kept")
        rows = await database.fetch_all("SELECT text FROM notes WHERE text = 'kept'")
        assert [row[0] for row in rows] == ["kept"]


async def test_a_locked_database_is_storage_unavailable_and_a_bug_stays_a_bug(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(storage.sqlite, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "p.db"
    async with Database.open(path) as db:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StorageUnavailableError, match="database is locked"):
                await db.execute(
                    "INSERT INTO poll_key (id, fingerprint) VALUES (1, ?)", ("f" * 32,)
                )
            with pytest.raises(StorageUnavailableError, match="database is locked"):
                async with db.transaction() as tx:
                    await tx.execute("DELETE FROM poll_key")
        finally:
            other.execute("ROLLBACK")
            other.close()
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):  # a bug, not an outage
            await db.execute(
                "INSERT INTO poll_choices (poll_id, voter_key, rank, option) VALUES (99, 'x', 0, 0)"
            )
        await db.execute(
            "INSERT INTO poll_key (id, fingerprint) VALUES (1, ?)", ("f" * 32,)
        )  # served again


def test_two_migrations_with_one_number_are_refused(tmp_path):
    for name in ("001_core.sql", "002_polls.sql", "002_moves.sql"):
        (tmp_path / name).write_text("SELECT 1;", encoding="utf-8")
    with pytest.raises(MigrationError, match="share the number 002"):
        load_migrations(folder=tmp_path)
    (tmp_path / "002_moves.sql").rename(tmp_path / "003_moves.sql")
    assert [number for number, _, _ in load_migrations(folder=tmp_path)] == [1, 2, 3]
