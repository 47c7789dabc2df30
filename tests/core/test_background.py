"""The app's background work: bounded, failures logged, and finished before shutdown ends."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import Parley
from bot.background import BackgroundWork, Lane
from parley.features import build_features
from tests.support import make_settings


async def test_at_most_limit_pieces_run_at_once_and_idle_waits_for_all() -> None:
    work = BackgroundWork(limit=2)
    release = asyncio.Event()
    two_running = asyncio.Event()
    running: list[int] = []
    finished: list[int] = []

    def piece(number: int):
        async def run() -> None:
            running.append(number)
            if len(running) == 2:
                two_running.set()
            await release.wait()
            finished.append(number)

        return run

    for number in range(3):
        work.start(f"piece-{number}", piece(number))
    await two_running.wait()
    for _ in range(10):
        await asyncio.sleep(0)
    assert running == [0, 1] and len(work) == 3  # the third waits for its turn
    release.set()
    await work.idle()
    assert sorted(finished) == [0, 1, 2] and len(work) == 0


async def test_work_in_a_lane_of_its_own_leaves_the_shared_turns_free() -> None:
    work = BackgroundWork(limit=1)
    lane = Lane(1)
    release = asyncio.Event()
    order: list[str] = []

    async def slow() -> None:
        order.append("slow")
        await release.wait()

    async def quick() -> None:
        order.append("quick")

    work.start("slow-1", slow, lane=lane)
    work.start("slow-2", slow, lane=lane)  # waits for the lane's one turn
    work.start("tally", quick)
    for _ in range(10):
        await asyncio.sleep(0)
    assert order == ["slow", "quick"] and len(work) == 2
    release.set()
    await work.idle()
    assert order == ["slow", "quick", "slow"]


async def test_a_failing_piece_is_logged_and_the_rest_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    work = BackgroundWork()
    done: list[str] = []

    async def fails() -> None:
        raise RuntimeError("edit refused")

    async def succeeds() -> None:
        done.append("ok")

    work.start("fails", fails)
    work.start("succeeds", succeeds)
    await work.idle()
    assert done == ["ok"]
    assert "event=background_failed work=fails" in caplog.text


async def test_the_app_finishes_its_background_work_when_it_closes(tmp_path, clock) -> None:
    finished = asyncio.Event()

    async def late() -> None:
        for _ in range(5):
            await asyncio.sleep(0)
        finished.set()

    async with Parley.open(make_settings(tmp_path), clock, features=build_features) as app:
        app.services.background.start("late", late)
    assert finished.is_set()


async def test_closing_cancels_what_outlasts_the_grace(caplog: pytest.LogCaptureFixture) -> None:
    work = BackgroundWork()
    never = asyncio.Event()
    quick: list[str] = []

    async def waits_forever() -> None:  # an edit waiting out a long flood wait
        await never.wait()

    async def finishes() -> None:
        quick.append("done")

    work.start("flood", waits_forever)
    work.start("quick", finishes)
    await asyncio.sleep(0)
    await work.close(grace=0)
    assert len(work) == 0 and quick == ["done"]
    assert "event=background_cancelled count=1" in caplog.text
