"""The database remembers which poll key it was used with (finding 8).

Restoring a database without its key file, or with another key, is refused at start-up while
an anonymous poll holds a salt: with a new key everyone could vote again. Without salted polls a
new key replaces the old fingerprint. An existing key file is never overwritten.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.app import Parley
from bot.config import Settings
from handlers.polls.anonymity import MASTER_KEY_BYTES
from handlers.polls.master_key import (
    MasterKeyError,
    fingerprint,
    key_file_path,
    load_master_key,
)
from tests.polls.conftest import features_with_fast_edits
from tests.polls.helpers import MOD, run, vote
from tests.support import FakeClock, RecordingGateway, make_actor, make_settings

ROOT = Path(__file__).resolve().parents[2]
ALICE = make_actor("alice")
KEY = "ab" * 32
OTHER = "cd" * 32


@asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[Parley]:
    async with Parley.open(settings, FakeClock(), features=features_with_fast_edits) as app:
        app.services.outbox.register(RecordingGateway())
        yield app


async def anonymous_poll_with_a_vote(settings: Settings) -> None:
    async with started(settings) as app:
        await run(app, "/poll Secret? | Yes | No --anonymous", ALICE)
        await vote(app, 1, 0, ALICE)


def rows(settings: Settings, sql: str) -> list[tuple]:
    with sqlite3.connect(settings.database_path) as connection:
        return connection.execute(sql).fetchall()


def database_bytes(settings: Settings) -> bytes:
    """The database file with its WAL and shm."""
    path = settings.database_path
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def cli(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARLEY_", "DISCORD_"))}
    env.pop("TELEGRAM_TOKEN", None)
    env.update(PARLEY_DB=str(tmp_path / "k.db"), PYTHONPATH=str(ROOT), NO_COLOR="1")
    command = [sys.executable, "-m", "parley", *arguments]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )


@pytest.mark.slow
def test_a_backup_restored_without_its_key_file_does_not_start(tmp_path: Path) -> None:
    lines = ("/poll Secret? | A | B --anonymous", "/as alice", "/press 1")
    first = cli(tmp_path, "console", *(part for line in lines for part in ("-c", line)))
    assert first.returncode == 0 and "Your vote in poll #1 is in: A." in first.stdout, first
    assert cli(tmp_path, "db", "backup", "restored.db").returncode == 0
    for path in tmp_path.glob("k.db*"):  # a new host: the database comes back, the key does not
        path.unlink()
    shutil.copy(tmp_path / "restored.db", tmp_path / "k.db")

    again = cli(tmp_path, "console", "-c", "/as alice", "-c", "/press 1")
    key_file = tmp_path / "k.db.pollkey"
    assert again.returncode == 1, again
    assert "Traceback" not in again.stderr and "Your vote" not in again.stdout
    assert again.stderr.startswith("parley: The poll master key is missing"), again.stderr
    assert f"no key file at {key_file}" in again.stderr
    assert "1 anonymous poll still depends on it" in again.stderr
    assert not key_file.exists()  # nothing was made in its place


@pytest.mark.parametrize("where", ["key file", "PARLEY_POLL_KEY"])
async def test_a_different_key_is_refused_while_a_poll_holds_a_salt(
    tmp_path: Path, where: str
) -> None:
    env = {"PARLEY_POLL_KEY": KEY} if where == "PARLEY_POLL_KEY" else {}
    await anonymous_poll_with_a_vote(make_settings(tmp_path, **env))
    key_file = key_file_path(make_settings(tmp_path))
    if where == "key file":
        key_file.write_text(OTHER + "\n")  # another host's key file copied over it
        settings = make_settings(tmp_path)
    else:
        settings = make_settings(tmp_path, PARLEY_POLL_KEY=OTHER)
    with pytest.raises(MasterKeyError) as refused:
        async with started(settings):
            pass
    message = str(refused.value)
    assert f"The poll master key in {'the key file' if where == 'key file' else where}" in message
    assert "is not the key the database" in message and str(key_file) in message
    assert OTHER not in message and KEY not in message
    if where == "key file":
        assert key_file.read_text() == OTHER + "\n"  # never overwritten
    assert rows(settings, "SELECT count(*) FROM poll_ballots") == [(1,)]


async def test_without_salted_polls_a_new_key_replaces_the_fingerprint(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path)
    async with started(settings) as app:
        await run(app, "/poll Secret? | Yes | No --anonymous", ALICE)
        await vote(app, 1, 0, ALICE)
        await run(app, "/poll close 1", MOD)  # the salt is erased
    [(old,)] = rows(settings, "SELECT fingerprint FROM poll_key")
    key_file = key_file_path(settings)
    key_file.unlink()
    with caplog.at_level(logging.WARNING, logger="parley"):
        async with started(settings):
            pass
    new_key = bytes.fromhex(key_file.read_text().strip())
    assert rows(settings, "SELECT fingerprint FROM poll_key") == [(fingerprint(new_key),)]
    assert fingerprint(new_key) != old
    assert any("event=poll_key_replaced" in r.getMessage() for r in caplog.records)


async def test_a_database_without_a_fingerprint_gets_one_and_never_the_key(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path, PARLEY_POLL_KEY=KEY)
    await anonymous_poll_with_a_vote(settings)
    with sqlite3.connect(settings.database_path) as connection:
        connection.execute("DELETE FROM poll_key")  # as in a database from before fingerprints
    async with started(settings):
        pass
    stored = rows(settings, "SELECT fingerprint FROM poll_key")
    assert stored == [(fingerprint(bytes.fromhex(KEY)),)] and len(stored[0][0]) == 32
    raw = database_bytes(settings)
    assert KEY.encode() not in raw and bytes.fromhex(KEY) not in raw
    with pytest.raises(MasterKeyError):  # and from now on it is checked
        async with started(make_settings(tmp_path, PARLEY_POLL_KEY=OTHER)):
            pass


def test_processes_starting_together_all_read_the_one_whole_key(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    with ThreadPoolExecutor(max_workers=16) as pool:
        keys = list(pool.map(lambda _: load_master_key(settings), range(64)))
    assert len(set(keys)) == 1 and len(keys[0]) == MASTER_KEY_BYTES
    assert [path.name for path in tmp_path.iterdir() if "pollkey" in path.name] == [
        key_file_path(settings).name
    ]  # no draft left behind
