"""The durable inbox through the real polling loop and webhook: stored before confirmed, replayed
first at start-up, never handled twice, refused when absurd, and nothing of a vote kept."""

from __future__ import annotations

import asyncio
import logging
import socket
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.inbox import Inbox
from bot.app import Parley
from handlers.polls.actions import PollVote
from handlers.polls.service import CLEAR_WAL_RETRY
from parley.features import build_features
from storage.database import Database, handling
from storage.inbox import InboxRepository, receipt
from tests.support import FakeClock, make_settings
from tests.telegram.builders import (
    ALICE,
    BOB,
    GROUP_ID,
    make_callback_update,
    make_message_update,
)
from tests.telegram.conftest import shipped_parley
from tests.telegram.fake_api import TOKEN, FakeBotApi
from tests.telegram.test_end_to_end import eventually

ARTICLE = "Inboxes keep updates. A crash loses none of them. Every one is handled once."

CAROL = 3333333


@asynccontextmanager
async def running(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi, **env: object
) -> AsyncIterator[tuple[Parley, TelegramAdapter]]:
    """Parley with every feature, polling the in-process fake Bot API."""
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN, **env)
    async with shipped_parley(settings, clock, api) as started:
        yield started


async def left_behind(tmp_path: Path, clock: FakeClock, *updates: dict[str, Any]) -> None:
    """The inbox as a process leaves it that died after storing `updates`."""
    async with Parley.open(make_settings(tmp_path), clock, features=build_features) as parley:
        await Inbox(parley.services.storage.inbox).store(list(updates))


def inbox_rows(tmp_path: Path) -> list[tuple[int, str, str | None]]:
    with sqlite3.connect(tmp_path / "parley.db") as db:
        return db.execute("SELECT update_id, state, payload FROM telegram_inbox").fetchall()


def files_containing(folder: Path, needle: bytes) -> list[str]:
    """The database files (with `-wal` and `-shm`) that hold `needle` anywhere."""
    return [p.name for p in folder.glob("parley.db*") if needle in p.read_bytes()]


def texts_to(api: FakeBotApi, chat_id: int) -> list[str]:
    return [str(c.params["text"]) for c in api.of("sendMessage") if c.params["chat_id"] == chat_id]


class ConfirmWatchingApi(FakeBotApi):
    """Checks, at each `getUpdates`, that the updates it confirms are in the bot's inbox."""

    def __init__(self, database: Path) -> None:
        super().__init__()
        self.database = database
        self.handed_out: set[int] = set()
        self.confirmed: set[int] = set()
        self.unstored: list[int] = []

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        confirming = {u for u in self.handed_out - self.confirmed if u < offset}
        if confirming:
            with sqlite3.connect(self.database) as db:
                rows = db.execute("SELECT update_id FROM telegram_inbox").fetchall()
            self.unstored += sorted(confirming - {row[0] for row in rows})
            self.confirmed |= confirming
        updates = await super()._get_updates(params)
        self.handed_out.update(update["update_id"] for update in updates)
        return updates


async def test_every_update_is_stored_before_getupdates_confirms_it(
    tmp_path: Path, clock: FakeClock
) -> None:
    api = ConfirmWatchingApi(tmp_path / "parley.db")
    async with running(tmp_path, clock, api):
        for number in range(5):
            api.queue_update(make_message_update("/about", user_id=ALICE + number))
            await asyncio.sleep(0)
        await eventually(lambda: len(api.of("sendMessage")) == 5)
        api.queue_update(make_message_update("/help", user_id=BOB))
        await eventually(lambda: bool(texts_to(api, BOB)))
    assert len(api.confirmed) == 6 and api.unstored == []  # the last one by the final call


async def test_updates_left_in_the_inbox_are_handled_first_in_order_per_person(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi
) -> None:
    await left_behind(
        tmp_path,
        clock,
        {**make_message_update(f"/article add {ARTICLE}"), "update_id": 41},
        {**make_message_update("/about"), "update_id": 42},
        {
            **make_message_update(
                "/poll Lunch? | Pizza | Sushi", chat_type="supergroup", user_id=BOB
            ),
            "update_id": 43,
        },
        {
            **make_message_update(
                "/argue labs The logs show the outputs were copied.",
                chat_type="supergroup",
                user_id=BOB + 1,
            ),
            "update_id": 44,
        },
    )
    api.queue_update(make_message_update("/help"))  # newer, from the same person
    async with running(tmp_path, clock, api):

        def helped() -> bool:
            return any("Parley commands" in text for text in texts_to(api, ALICE))

        await eventually(lambda: helped() and len(api.of("sendMessage")) >= 5)
        await eventually(lambda: all(row[1] == "finished" for row in inbox_rows(tmp_path)))
    first, second, third, *rest_of_help = texts_to(api, ALICE)  # /help may take two messages
    assert "Added article" in first and "About Parley" in second and "Parley commands" in third
    assert len(rest_of_help) <= 1
    assert any("Lunch?" in text for text in texts_to(api, GROUP_ID))
    with sqlite3.connect(tmp_path / "parley.db") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone() == (1,)
        assert db.execute("SELECT question FROM polls").fetchall() == [("Lunch?",)]
        assert db.execute("SELECT author_id FROM arguments").fetchall() == [(str(BOB + 1),)]
    assert all(payload is None for _, _, payload in inbox_rows(tmp_path))


async def test_an_update_delivered_again_is_not_handled_again(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi
) -> None:
    update = {**make_message_update("/about"), "update_id": 61}
    async with Parley.open(make_settings(tmp_path), clock, features=build_features) as parley:
        inbox = Inbox(parley.services.storage.inbox)
        await inbox.store([update])
        assert await inbox.take(61)
        inbox.finish(61)  # handled; the process died before its next getUpdates confirmed it
        await inbox.close()
    api.deliver_again(update)  # so Telegram sends it again
    api.queue_update(make_message_update("/help", user_id=BOB))
    async with running(tmp_path, clock, api):
        await eventually(lambda: bool(texts_to(api, BOB)))
    assert texts_to(api, ALICE) == []


async def test_a_crash_interrupted_update_runs_again_unless_its_effect_was_stored(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    async with Parley.open(make_settings(tmp_path), clock, features=build_features) as parley:
        inbox = Inbox(parley.services.storage.inbox)
        await inbox.store(
            [
                {**make_message_update("/about"), "update_id": 77},
                {**make_message_update("/about", user_id=BOB), "update_id": 78},
            ]
        )
        assert await inbox.take(77) and await inbox.take(78)  # the process died handling both
        with handling(receipt(78)):  # 78 had stored its effect: its receipt committed with it
            await parley.services.storage.database.execute(
                "INSERT INTO chat_settings (platform, chat_id, updated_at) VALUES ('x', 'y', 'z')"
            )
        await inbox.close()
    assert (77, "taken") in [row[:2] for row in inbox_rows(tmp_path)]
    assert (78, "finished", None) in inbox_rows(tmp_path)
    caplog.set_level(logging.INFO)
    async with running(tmp_path, clock, api):
        await eventually(lambda: bool(texts_to(api, ALICE)))
        api.queue_update(make_message_update("/help", user_id=CAROL))
        await eventually(lambda: bool(texts_to(api, CAROL)))
    assert "event=inbox_interrupted count=1 update_ids=77" in caplog.text
    assert len(texts_to(api, ALICE)) == 1 and texts_to(api, BOB) == []
    assert (77, "finished", None) in inbox_rows(tmp_path)


async def test_a_vote_is_stored_until_taken_and_leaves_no_trace_after_the_poll_closes(
    tmp_path: Path, clock: FakeClock
) -> None:
    api = ConfirmWatchingApi(tmp_path / "parley.db")
    api.admins[GROUP_ID] = {ALICE}
    async with running(tmp_path, clock, api) as (parley, _):
        api.queue_update(
            make_message_update("/poll Secret? | Yes | No --anonymous", chat_type="supergroup")
        )
        await eventually(lambda: bool(api.of("sendMessage")))
        poll = api.of("sendMessage")[0]
        press = make_callback_update(
            PollVote(poll=1, option=0).encode(),
            message_id=poll.result["message_id"],
            chat_type="supergroup",
            user_id=BOB,
        )
        press["callback_query"]["from"]["first_name"] = "Quixotically"
        press_id = api.queue_update(press)
        await eventually(lambda: bool(api.of("answerCallbackQuery")))
        assert "Your vote" in api.of("answerCallbackQuery")[0].params["text"]
        await eventually(lambda: inbox_rows(tmp_path) == [])  # handled, then confirmed
        api.queue_update(make_message_update("/poll close 1", chat_type="supergroup"))
        await eventually(lambda: any("closed" in t for t in texts_to(api, GROUP_ID)))
        await parley.services.background.idle()
        for _ in range(10):  # closing leaves the WAL to a job, retried while a reader holds it
            await parley.services.scheduler.run_due()
            if not files_containing(tmp_path, b"Quixotically"):
                break
            clock.advance(seconds=CLEAR_WAL_RETRY.total_seconds())
            await asyncio.sleep(0.05)
    assert press_id in api.confirmed and api.unstored == []
    assert not files_containing(tmp_path, b"Quixotically")


async def test_an_absurdly_large_update_is_refused_and_the_next_one_served(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(tmp_path, clock, api):
        huge = api.queue_update(make_message_update("/about " + "x" * 200_000))
        api.queue_update(make_message_update("/help", user_id=BOB))
        await eventually(lambda: bool(texts_to(api, BOB)))
    assert texts_to(api, ALICE) == []
    assert f"event=update_refused reason=size update_id={huge}" in caplog.text
    assert all(payload is None or len(payload) < 10_000 for _, _, payload in inbox_rows(tmp_path))


async def test_the_inbox_is_bounded_and_takes_each_update_once(tmp_path: Path) -> None:
    async with Database.open(tmp_path / "inbox.db") as database:
        inbox = Inbox(InboxRepository(database), max_waiting=2)
        await inbox.store([{"update_id": 1}, {"update_id": 2}])
        room = asyncio.create_task(inbox.wait_for_room())
        await asyncio.sleep(0.05)
        assert not room.done()  # polling would pause here
        assert await inbox.take(1)
        await asyncio.wait_for(room, 1)
        assert not await inbox.take(1)
        both = await asyncio.gather(inbox.take(2), inbox.take(2))  # two copies, one batch
        assert sorted(both) == [False, True]
        assert await inbox.take(3)  # never stored (e.g. fed directly): nothing to refuse
        await inbox.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_webhook_answers_only_once_the_update_is_stored(
    tmp_path: Path, clock: FakeClock, api: FakeBotApi
) -> None:
    port = _free_port()
    hook = {
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg-hook",
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": port,
        "TELEGRAM_WEBHOOK_SECRET": "hook-secret-1",
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": "hook-secret-1"}
    url = f"http://127.0.0.1:{port}/tg-hook"
    stored: Callable[[int], bool] = lambda u: any(row[0] == u for row in inbox_rows(tmp_path))  # noqa: E731
    async with running(tmp_path, clock, api, **hook), aiohttp.ClientSession() as session:
        first = {**make_message_update("/about"), "update_id": 501}
        answer = await session.post(url, json=first, headers=headers)
        assert answer.status == 200 and stored(501)
        await eventually(lambda: bool(texts_to(api, ALICE)))
        # The disk refuses every write from now. Dropped from a thread: on the loop's own thread
        # it would wait for the lock of a transaction that needs the loop to finish.
        await asyncio.to_thread(_drop_inbox, tmp_path / "parley.db")
        second = {**make_message_update("/help", user_id=BOB), "update_id": 502}
        answer = await session.post(url, json=second, headers=headers)
        assert answer.status == 500  # Telegram keeps it and sends it again
        await asyncio.sleep(0.2)
    assert texts_to(api, BOB) == []


def _drop_inbox(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE telegram_inbox")
