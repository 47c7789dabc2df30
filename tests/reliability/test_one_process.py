"""One Parley process per database file, and operator commands beside a running bot.

The first process is the real entry point (`python -m parley run`) polling the fake Bot API on
127.0.0.1; the others are the real command line, as an operator runs them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.reliability.bot_process import BotProcess, eventually
from tests.reliability.parley_cli import parley
from tests.telegram.builders import ALICE, make_message_update
from tests.telegram.fake_api import FakeBotApi
from tests.telegram.fake_server import serve_fake_api

pytestmark = pytest.mark.slow  # real processes or real time: see the README

ARGUMENT = "Point Alice: independent replication should come before any public claim."


@asynccontextmanager
async def running_bot(tmp_path: Path) -> AsyncIterator[tuple[BotProcess, FakeBotApi]]:
    """`parley run` serving Telegram until the block ends (then stopped with Ctrl-C)."""
    api = FakeBotApi()
    async with serve_fake_api(api) as base_url:
        bot = BotProcess(tmp_path / "parley.db", base_url, tmp_path / "bot.log")
        await bot.start()
        try:
            api.queue_update(make_message_update("/about", user_id=ALICE + 1))
            await eventually(lambda: bool(api.of("sendMessage")), within=30, what="serving")
            yield bot, api
            assert await bot.interrupt() == 0, bot.log()[-3000:]
        finally:
            if bot.process and bot.process.returncode is None:
                await bot.kill()
    assert "Traceback" not in bot.log(), bot.log()[-3000:]


def rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(sql).fetchall()


async def test_a_second_process_on_the_same_database_refuses_naming_the_first(tmp_path):
    database = tmp_path / "parley.db"
    async with running_bot(tmp_path) as (bot, _):
        assert bot.process is not None
        for command in (("console", "-c", "/about"), ("run",)):
            second = await parley(*command, database=database)
            assert second.returncode == 1, second
            assert "is in use by another Parley process" in second.stderr
            assert f"pid {bot.process.pid}" in second.stderr and "`parley run`" in second.stderr
            assert "running since 20" in second.stderr and "Traceback" not in second.stderr
            assert "operator>" not in second.stdout  # it served nothing
        chinese = await parley("run", database=database, PARLEY_LOCALE="zh")
        assert chinese.returncode == 1 and f"进程 {bot.process.pid}" in chinese.stderr
    after = await parley("console", "-c", "/about", database=database)  # the lock died with it
    assert after.returncode == 0 and "About Parley" in after.stdout, after


async def test_forget_user_while_the_bot_runs_is_done_by_the_bot(tmp_path):
    database = tmp_path / "parley.db"
    async with running_bot(tmp_path) as (bot, api):
        api.queue_update(make_message_update(f"/argue labs {ARGUMENT}", chat_type="supergroup"))
        await eventually(
            lambda: any("Your argument #1" in text for text in api.sent_texts()),
            within=15,
            what="the argument acknowledged",
        )
        assert rows(database, "SELECT author_id FROM arguments") == [(str(ALICE),)]
        forget = await parley("forget-user", "telegram", str(ALICE), database=database)
        assert forget.returncode == 0, forget
        assert f"Parley is running (pid {bot.process.pid}" in forget.stdout
        assert f" of telegram:{ALICE}." in forget.stdout
        assert "Removed or anonymized 0 records" not in forget.stdout
        assert "event=operator_request_done" in bot.log()  # the bot did it, caches and all
        assert rows(database, "SELECT COUNT(*) FROM operator_requests") == [(0,)]
        assert (str(ALICE),) not in rows(database, "SELECT author_id FROM arguments")


async def test_forget_user_and_article_add_without_a_bot_work_as_before(tmp_path):
    database = tmp_path / "parley.db"
    note = tmp_path / "note.md"
    note.write_text("# Replication\n\nA finding is believed once others repeat it.\n", "utf-8")
    forget = await parley("forget-user", "telegram", str(ALICE), database=database)
    assert forget.returncode == 0 and "anonymized" in forget.stdout, forget
    assert "Parley is running" not in forget.stdout
    added = await parley("article", "add", str(note), database=database)
    assert added.returncode == 0 and "Added article 1: Replication" in added.stdout, added


async def test_article_add_while_the_bot_runs_is_seen_by_the_bot(tmp_path):
    database = tmp_path / "parley.db"
    note = tmp_path / "note.md"
    note.write_text("# Replication\n\nA finding is believed once others repeat it.\n", "utf-8")
    async with running_bot(tmp_path) as (_, api):
        added = await parley("article", "add", str(note), database=database)
        assert added.returncode == 0 and "Added article 1: Replication" in added.stdout, added
        api.queue_update(make_message_update("/article list", user_id=ALICE))
        await eventually(
            lambda: any("Replication" in text for text in api.sent_texts()),
            within=15,
            what="the running bot lists the new article",
        )


async def test_a_backup_beside_the_running_bot_is_private_and_names_the_poll_key(tmp_path):
    database = tmp_path / "parley.db"
    async with running_bot(tmp_path):
        backup = await parley("db", "backup", str(tmp_path / "copy.db"), database=database)
    assert backup.returncode == 0, backup
    key_file = tmp_path / "parley.db.pollkey"
    assert key_file.exists()
    assert f"Keep the poll key file {key_file} together with this backup" in backup.stdout
    assert (tmp_path / "copy.db").stat().st_mode & 0o777 == 0o600
    with_setting = await parley(
        "db", "backup", str(tmp_path / "again.db"), database=database, PARLEY_POLL_KEY="k" * 44
    )
    assert "The poll key is set in PARLEY_POLL_KEY: keep that value" in with_setting.stdout
    chinese = await parley(
        "db", "backup", str(tmp_path / "zh.db"), database=database, PARLEY_LOCALE="zh"
    )
    assert f"请把投票密钥文件 {key_file} 与这份备份放在一起保存" in chinese.stdout


async def test_a_link_to_the_database_is_the_same_database(tmp_path):
    database = tmp_path / "parley.db"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "linked.db"
    async with running_bot(tmp_path):
        link.symlink_to(database)
        second = await parley("console", "-c", "/about", database=link)
    assert second.returncode == 1 and "is in use by another Parley process" in second.stderr
