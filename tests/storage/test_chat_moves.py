"""A chat that changed its id (a Telegram group upgraded to a supergroup) takes its rows along.

On both engines, through the repositories' own reads: settings, switched-off features, the
chat's article, audit entries, jobs and what they post into, arguments, articles, edited
summaries, polls and the chats they are shown in. Moving twice changes nothing; the audit log
still refuses every other change.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from bot.identity import Actor, ChatMoved, ChatRef, MessageRef
from storage.arguments import Submitted
from storage.articles import NewArticle
from storage.audit import AuditEntry
from storage.chat_moves import MOVED_TABLES
from storage.database import Database
from storage.poll_chats import PollMessage
from storage.posts import PostRecord
from storage.quota import Quota
from storage.store import Storage
from tests.storage.test_contract import new_poll

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OLD = ChatRef("telegram", "-4001")
NEW = ChatRef("telegram", "-1004001")
ELSEWHERE = ChatRef("telegram", "-1009999")
MOVED = ChatMoved("telegram", OLD.chat_id, NEW.chat_id)
MOD = Actor("telegram", "7", "Mod", is_moderator=True)


async def fill_old_chat(storage: Storage) -> dict[str, int]:
    """One row of each kind in OLD, and a poll of OLD shown in ELSEWHERE too."""
    settings = storage.chat_settings
    await settings.set_timezone(OLD, "Asia/Shanghai", NOW)
    await settings.set_language(OLD, "zh", NOW)
    await settings.set_feature_enabled(OLD, "debate", False, NOW)
    await storage.audit.record(AuditEntry(NOW, OLD, "7", "Mod", "settings", "tz", "ok"))
    job = await storage.jobs.add(
        "moderation.post",
        NOW + timedelta(hours=1),
        {"item": "summary", "target_platform": "telegram", "target_chat": OLD.chat_id},
        chat=OLD,
        created_by="telegram:7",
        now=NOW,
    )
    await storage.posts.record(
        PostRecord("summary", "", MessageRef(OLD, "55"), False, "7", "Mod", NOW)
    )
    submitted = await storage.arguments.submit(
        OLD,
        MOD,
        "topic",
        "pro",
        "Soup warms.",
        now=NOW,
        window_start=NOW - timedelta(hours=1),
        max_in_window=5,
        pending_quota=Quota(per_person=5),
        checked_up_to=0,
    )
    assert isinstance(submitted, Submitted)
    article = NewArticle("Title", "en", "Body text.", "hash", "text")
    article_id = await storage.articles.add(article, OLD, MOD, NOW, quota=Quota(per_chat=3))
    await storage.articles.set_current(OLD, str(article_id), MOD, NOW)
    await storage.articles.add_edit(OLD, str(article_id), "en", "Edited.", MOD, NOW)
    poll_id = await storage.polls.create(dataclasses.replace(new_poll(), chat=OLD))
    await storage.polls.chats.add_message(poll_id, PollMessage(MessageRef(OLD, "56"), "en"), NOW)
    shared = PollMessage(MessageRef(ELSEWHERE, "9"), "en")
    await storage.polls.chats.add_message(poll_id, shared, NOW)
    await storage.modlog.set_channel("telegram", OLD.chat_id, OLD, NOW)  # the group's own
    await storage.modlog.set_channel("telegram", ELSEWHERE.chat_id, OLD, NOW)  # posts into OLD
    return {"job": job, "argument": submitted.argument_id, "article": article_id, "poll": poll_id}


async def test_every_row_of_the_old_chat_moves_to_the_new_id_once(any_database_url):
    async with Database.open(any_database_url) as db:
        storage = Storage(db)
        ids = await fill_old_chat(storage)
        assert (await storage.chat_settings.get(OLD)).timezone == "Asia/Shanghai"  # cached

        assert await storage.chat_moves.move(MOVED, NOW) > 0

        settings = await storage.chat_settings.get(NEW)
        assert (settings.timezone, settings.language) == ("Asia/Shanghai", "zh")
        assert settings.disabled_features == {"debate"}
        assert (await storage.chat_settings.get(OLD)).timezone is None
        assert [entry.action for entry in await storage.audit.recent(NEW, 5)] == ["settings"]
        [job] = await storage.jobs.pending(chat=NEW)
        assert job.id == ids["job"] and job.payload["target_chat"] == NEW.chat_id
        assert job.payload["item"] == "summary"
        assert await storage.arguments.get(NEW, ids["argument"]) is not None
        assert await storage.arguments.get(OLD, ids["argument"]) is None
        assert await storage.articles.get(ids["article"], NEW) is not None
        assert await storage.articles.current(NEW) == str(ids["article"])
        assert await storage.articles.latest_edit(NEW, str(ids["article"]), "en") is not None
        poll = await storage.polls.get(ids["poll"])
        assert poll is not None and poll.chat == NEW
        assert await storage.polls.chats.numbers(ids["poll"]) == {NEW: 0, ELSEWHERE: 1}
        # The old chat's message stays behind (nobody can edit it); the other chat's is kept.
        messages = await storage.polls.chats.messages(ids["poll"])
        assert [shown.message.chat.chat_id for shown in messages] == [ELSEWHERE.chat_id]
        for community in (NEW, ELSEWHERE):
            modlog = await storage.modlog.channel("telegram", community.chat_id)
            assert modlog is not None and modlog.chat == NEW
        assert await storage.modlog.channel("telegram", OLD.chat_id) is None
        moves = await db.fetch_all("SELECT platform, old_chat_id, new_chat_id FROM chat_moves")
        assert [tuple(row) for row in moves] == [("telegram", OLD.chat_id, NEW.chat_id)]

        assert await storage.chat_moves.move(MOVED, NOW + timedelta(seconds=1)) == 0


async def test_the_new_chats_own_settings_win_and_nothing_else_is_touched(any_database_url):
    async with Database.open(any_database_url) as db:
        storage = Storage(db)
        await storage.chat_settings.set_timezone(OLD, "Asia/Shanghai", NOW)
        await storage.chat_settings.set_timezone(NEW, "Europe/Paris", NOW)
        await storage.chat_settings.set_timezone(ELSEWHERE, "Asia/Tokyo", NOW)
        await storage.audit.record(AuditEntry(NOW, ELSEWHERE, "7", "Mod", "x", "", "ok"))

        await storage.chat_moves.move(MOVED, NOW)

        assert (await storage.chat_settings.get(NEW)).timezone == "Europe/Paris"
        assert (await storage.chat_settings.get(OLD)).timezone is None
        assert (await storage.chat_settings.get(ELSEWHERE)).timezone == "Asia/Tokyo"
        assert len(await storage.audit.recent(ELSEWHERE, 5)) == 1


async def test_the_audit_log_allows_only_the_recorded_move(any_database_url):
    async with Database.open(any_database_url) as db:
        storage = Storage(db)
        await storage.audit.record(AuditEntry(NOW, OLD, "7", "Mod", "settings", "tz", "ok"))
        await storage.audit.record(AuditEntry(NOW, ELSEWHERE, "7", "Mod", "x", "", "ok"))
        await storage.chat_moves.move(MOVED, NOW)
        refused = (
            "UPDATE audit_log SET chat_id = ? WHERE chat_id = ?",  # no move recorded
            "UPDATE audit_log SET detail = 'forged', chat_id = ? WHERE chat_id = ?",
        )
        for sql in refused:
            with pytest.raises(Exception, match="append-only"):
                await db.execute(sql, (NEW.chat_id, ELSEWHERE.chat_id))
        with pytest.raises(Exception, match="append-only"):
            await db.execute(
                "UPDATE audit_log SET detail = 'forged' WHERE chat_id = ?", (NEW.chat_id,)
            )
        assert [entry.detail for entry in await storage.audit.recent(NEW, 5)] == ["tz"]


async def test_every_table_naming_a_chat_is_moved(any_database_url):
    async with Database.open(any_database_url) as db:
        if db.engine == "sqlite":
            sql = (
                "SELECT m.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c"
                " WHERE m.type = 'table' AND (c.name LIKE '%chat_id' OR c.name IN (?, ?))"
            )
        else:
            sql = (
                "SELECT table_name FROM information_schema.columns"
                " WHERE table_schema = current_schema()"
                " AND (column_name LIKE '%chat_id' OR column_name IN (?, ?))"
            )
        chat_columns = ("community", "channel_id")  # a Telegram group's mod-log: it, and where
        naming_a_chat = {str(row[0]) for row in await db.fetch_all(sql, chat_columns)}
        assert naming_a_chat - {"chat_moves"} == MOVED_TABLES
