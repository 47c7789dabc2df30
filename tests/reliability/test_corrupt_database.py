"""A damaged database: refused at start-up; damage found while serving gets the storage reply."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest

from bot.app import Parley
from bot.commands import CommandSpec
from bot.context import Context
from bot.i18n import Localized
from bot.reply import Reply
from bot.services import BaseFeature, Feature, Services
from parley.features import build_features
from storage.database import CorruptDatabaseError, Database
from tests.polls.helpers import MOD, run
from tests.reliability.parley_cli import parley
from tests.support import FakeClock, RecordingGateway, make_settings

STORAGE_REPLY = "I can't reach my database right now"
CRASH_REPLY = "Sorry, something went wrong on my side (incident"


def damage_table(path: Path, table: str) -> None:
    """Flip every byte of the b-tree page header of `table`'s root page, as a failing disk might."""
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the page is in the main file only
        page_size = raw.execute("PRAGMA page_size").fetchone()[0]
        (root,) = raw.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    offset = (root - 1) * page_size + (100 if root == 1 else 0)
    with path.open("r+b") as file:
        file.seek(offset)
        header = file.read(8)
        file.seek(offset)
        file.write(bytes(byte ^ 0xFF for byte in header))


async def make_polls_database(tmp_path: Path) -> Path:
    settings = make_settings(tmp_path)
    async with Parley.open(settings, FakeClock(), features=build_features) as app:
        app.services.outbox.register(RecordingGateway())
        assert "Poll #1" in (await run(app, "/poll Lunch? | Pizza | Sushi", MOD)).text
    return settings.database_path


async def test_a_damaged_file_that_still_opens_is_refused_before_anything_is_served(tmp_path):
    database = await make_polls_database(tmp_path)
    damage_table(database, "polls")
    with sqlite3.connect(database) as raw:  # it still opens and reads
        assert raw.execute("SELECT COUNT(*) FROM chat_settings").fetchone() == (0,)
    with pytest.raises(CorruptDatabaseError, match=r"is damaged .*restore a backup"):
        async with Database.open(database):
            pass


@pytest.mark.slow
async def test_the_command_line_refuses_a_damaged_file_in_plain_words(tmp_path):
    database = await make_polls_database(tmp_path)
    damage_table(database, "polls")
    result = await parley("console", "-c", "/poll list", database=database)
    assert result.returncode == 1
    assert "is damaged" in result.stderr and "restore a backup" in result.stderr
    assert str(database) in result.stderr
    assert "Traceback" not in result.stderr and "No polls" not in result.stdout


async def test_damage_found_while_serving_gets_the_storage_reply_not_a_crash(tmp_path):
    settings = make_settings(tmp_path)
    async with Parley.open(settings, FakeClock(), features=build_features) as app:
        app.services.outbox.register(RecordingGateway())
        await run(app, "/poll Lunch? | Pizza | Sushi", MOD)
        damage_table(settings.database_path, "polls")
        with sqlite3.connect(settings.database_path) as other:  # a commit elsewhere: the bot
            other.execute("PRAGMA user_version = user_version")  # drops its cached pages
            other.execute("CREATE TABLE nudge (x)")
        out = await run(app, "/poll list", MOD)
    assert STORAGE_REPLY in out.text and "incident" not in out.text


class BrokenFeature(BaseFeature):
    """A command with a bug: it stores a chat setting without a chat."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def commands(self) -> Iterable[CommandSpec]:
        return (
            CommandSpec(
                name="broken",
                description=Localized("A bug", "一个错误"),
                handler=self.broken,
            ),
        )

    async def broken(self, ctx: Context) -> Reply:
        await self.services.storage.database.execute(
            "INSERT INTO chat_settings (platform, chat_id, updated_at) VALUES ('t', NULL, 'x')"
        )
        return Reply.text("stored")


def broken_features(services: Services) -> list[Feature]:
    return [BrokenFeature(services)]


async def test_a_broken_constraint_is_still_reported_as_a_bug(tmp_path, caplog):
    async with Parley.open(make_settings(tmp_path), FakeClock(), features=broken_features) as app:
        app.services.outbox.register(RecordingGateway())
        out = await run(app, "/broken", MOD)
    assert CRASH_REPLY in out.text and STORAGE_REPLY not in out.text
    assert "event=handler_crashed" in caplog.text and "NOT NULL" in caplog.text
