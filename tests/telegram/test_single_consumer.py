"""Several processes on one database: exactly one receives Telegram updates (the lease holder).

Each `Process` below is a Parley of its own (its own database connection, adapter and lease
owner) on one database file and one fake Bot API, as two processes on one machine would be.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramAdapter, create_adapter
from bot.app import Parley
from storage.leases import Lease, Leases
from tests.support import FakeClock, make_settings
from tests.telegram.builders import make_message_update
from tests.telegram.conftest import FAST
from tests.telegram.fake_api import TOKEN, FakeBotApi, FakeRequest
from tests.telegram.feature import telegram_test_features

OPTIONS = replace(FAST, lease_check_every=0.02)
ABOUT = "About Parley"


class CountingRequest(FakeRequest):
    """The fake transport, remembering which methods this process called."""

    def __init__(self, api: FakeBotApi) -> None:
        super().__init__(api)
        self.methods: list[str] = []

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        self.methods.append(url.rsplit("/", 1)[-1])
        return await super().do_request(url, method, *args, **kwargs)


@dataclass
class Process:
    parley: Parley
    adapter: TelegramAdapter
    polls: CountingRequest
    stopped: bool = field(default=False)

    @property
    def polling(self) -> bool:
        updater = self.adapter.application.updater
        return updater is not None and updater.running

    async def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            await self.adapter.stop()


Start = Callable[[], Awaitable[Process]]


@pytest.fixture
async def start(tmp_path: Path, clock: FakeClock, api: FakeBotApi) -> AsyncIterator[Start]:
    settings = make_settings(tmp_path, TELEGRAM_TOKEN=TOKEN)
    started: list[Process] = []
    async with AsyncExitStack() as stack:

        async def start_process() -> Process:
            parley = await stack.enter_async_context(
                Parley.open(settings, clock, features=telegram_test_features)
            )
            polls = CountingRequest(api)
            adapter = create_adapter(
                settings,
                parley,
                options=OPTIONS,
                request=FakeRequest(api),
                get_updates_request=polls,
            )
            process = Process(parley, adapter, polls)
            started.append(process)
            await adapter.start()
            return process

        yield start_process
        for process in started:
            await process.stop()


async def eventually(check: Callable[[], bool], what: str, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {what}")
        await asyncio.sleep(0.01)


def abouts(api: FakeBotApi) -> int:
    return sum(ABOUT in str(call.params.get("text", "")) for call in api.of("sendMessage"))


async def holder(process: Process) -> Lease | None:
    return await Leases(process.parley.services.storage.database).holder("telegram")


async def test_one_process_polls_and_another_takes_over_when_it_stops(
    start: Start, api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="parley.telegram")
    first = await start()
    second = await start()
    await asyncio.sleep(0.2)  # ten lease checks
    assert first.polling and not second.polling
    assert "getUpdates" in first.polls.methods and "getUpdates" not in second.polls.methods
    assert caplog.text.count("event=telegram_standby") == 1  # said once, not at every check
    served_by_first = await holder(first)
    assert served_by_first is not None
    assert served_by_first.owner.startswith(f"{socket.gethostname()}:{os.getpid()}:")

    api.queue_update(make_message_update("/about"))
    await eventually(lambda: abouts(api) == 1, "the holder answers")

    await first.stop()
    await eventually(lambda: second.polling, "the waiting process takes over")
    served_by_second = await holder(second)
    assert served_by_second is not None and served_by_second.owner != served_by_first.owner
    api.queue_update(make_message_update("/about"))
    await eventually(lambda: abouts(api) == 2, "the new holder answers")

    await second.stop()
    assert await holder(first) is None  # released on a clean stop


async def test_a_dead_holders_lease_expires_and_its_stored_updates_are_handled(
    start: Start, api: FakeBotApi, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="parley.telegram")
    opened = await start()
    database = opened.parley.services.storage.database
    await opened.stop()  # only to open the database: the dead holder comes next
    dead = "elsewhere:4242:dead"
    assert await Leases(database).acquire(
        "telegram", dead, clock.now() + timedelta(seconds=45), now=clock.now()
    )
    update = make_message_update("/about")  # stored, never handled: the holder died
    await opened.parley.services.storage.inbox.store([(update["update_id"], json.dumps(update))])

    process = await start()
    await asyncio.sleep(0.1)
    assert not process.polling
    assert f"event=telegram_standby holder={dead}" in caplog.text
    clock.advance(seconds=44)
    await asyncio.sleep(0.1)
    assert not process.polling and abouts(api) == 0

    clock.advance(seconds=2)
    await eventually(lambda: process.polling, "the lease expired: taken over")
    await eventually(lambda: abouts(api) == 1, "the dead holder's stored update is handled")
    assert "event=telegram_lease_taken" in caplog.text


async def test_a_crashed_holder_on_this_host_is_replaced_at_once(
    start: Start, clock: FakeClock
) -> None:
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await child.wait()  # its pid now names no process
    opened = await start()
    await opened.stop()
    crashed = f"{socket.gethostname()}:{child.pid}:crashed"
    assert await Leases(opened.parley.services.storage.database).acquire(
        "telegram", crashed, clock.now() + timedelta(seconds=45), now=clock.now()
    )
    process = await start()
    assert process.polling  # no 45 s wait after a restart on the same machine
    lease = await holder(process)
    assert lease is not None and lease.owner != crashed


async def test_a_holder_that_loses_its_lease_stops_polling(
    start: Start, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    first = await start()
    assert first.polling
    lease = await holder(first)
    assert lease is not None
    leases = Leases(first.parley.services.storage.database)
    assert await leases.replace(
        "telegram", lease.owner, "elsewhere:7:new", clock.now() + timedelta(seconds=45)
    )
    await eventually(lambda: not first.polling, "polling stops")
    assert "event=telegram_lease_lost" in caplog.text
    await first.stop()
    kept = await leases.holder("telegram")
    assert kept is not None and kept.owner == "elsewhere:7:new"  # not released: not its own
