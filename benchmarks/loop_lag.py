"""Event-loop stalls: the longest the loop is blocked while heavy commands run beside votes.

A monitor task asks to wake every millisecond and records how late it woke. Beside a steady
stream of votes (through the poll service, as the buttons cast them), a moderator runs:

1. `/poll export` of a named poll with 100,000 ballots;
2. `/poll results` of a ranked poll with 30,000 ballots (the instant-runoff count a live refresh
   makes too).

Baseline: the same monitor while only the votes run. Prints each command's time and the longest
stall, and the stall as a ratio to the baseline's. Goal: no stall over 50 ms.

Usage: `python benchmarks/loop_lag.py` or `--quick` (10,000 and 3,000 ballots).
"""

from __future__ import annotations

# ruff: noqa: E402  (imports follow the sys.path set-up for running from a checkout)
import argparse
import asyncio
import logging
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import Parley
from bot.services import Feature, Services
from domain.polls import VoteOp
from handlers.polls.feature import PollFeature
from parley.features import build_features
from parley.heap import settle_heap
from tests.support import (
    FakeClock,
    RecordingGateway,
    RecordingResponder,
    make_actor,
    make_command,
    make_settings,
)

MOD = make_actor("mod", moderator=True)
GOAL_MS = 50.0
_STAMP = "2026-03-01T12:00:00.000000Z"


class StallMonitor:
    """Wakes every millisecond; the longest lateness seen is the longest stall."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> StallMonitor:
        self._task = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()

    async def _watch(self) -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.001)
            self.longest = max(self.longest, time.perf_counter() - asked - 0.001)


def fill(path: Path, poll_id: int, ballots: int, options: int, *, ranked: bool) -> None:
    """Store `ballots` ballots in poll `poll_id` directly (the set-up is not what is measured)."""
    rng = random.Random(poll_id)
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at, chat_no)"
            " VALUES (?, ?, ?, ?, 1)",
            [(poll_id, f"test:v{n}", f"Voter {n}", _STAMP) for n in range(ballots)],
        )
        choices = []
        for number in range(ballots):
            order = rng.sample(range(options), options if ranked else 1)
            choices += [
                (poll_id, f"test:v{number}", rank, option) for rank, option in enumerate(order)
            ]
        connection.executemany("INSERT INTO poll_choices VALUES (?, ?, ?, ?)", choices)
    connection.close()


async def run(app: Parley, line: str) -> None:
    """Run a moderator's command through the router."""
    await app.router.dispatch(make_command(line, actor=MOD), RecordingResponder())


async def measure(
    app: Parley, polls: PollFeature, work: Awaitable[None] | None
) -> tuple[float, float]:
    """The seconds `work` took and the longest stall while it ran beside a stream of votes."""
    record = await polls.service.existing(1)
    stop = asyncio.Event()

    async def voter(number: int) -> None:
        actor = make_actor(f"streamer{number}")
        while not stop.is_set():
            await polls.service.vote(record, actor, VoteOp.TOGGLE, (number % 2,), chat_no=1)

    async with StallMonitor() as monitor:
        streams = [asyncio.create_task(voter(n)) for n in range(16)]
        started = time.perf_counter()
        if work is None:
            await asyncio.sleep(1.0)
        else:
            await work
        elapsed = time.perf_counter() - started
        stop.set()
        await asyncio.gather(*streams)
    return elapsed, monitor.longest


async def main_async(named: int, ranked: int) -> None:
    logging.disable(logging.WARNING)
    found: list[PollFeature] = []

    def features(services: Services) -> list[Feature]:
        built = build_features(services)
        found.extend(f for f in built if isinstance(f, PollFeature))
        return built

    with tempfile.TemporaryDirectory() as folder:
        settings = make_settings(Path(folder), PARLEY_RATE_LIMIT_BURST=1_000_000)
        async with Parley.open(settings, FakeClock(), features=features) as app:
            app.services.outbox.register(RecordingGateway())
            await run(app, "/poll Stream? | Yes | No")
            await run(app, "/poll Exported? | A | B | C | D")
            await run(app, "/poll Ranked? | A | B | C | D | E | F --ranked")
            path = settings.database_path
            assert path is not None
            fill(path, 2, named, 4, ranked=False)
            fill(path, 3, ranked, 6, ranked=True)
            await run(app, "/poll results 1")  # warm up: the chart's modules and fonts load once
            settle_heap()
            [polls] = found
            _, baseline = await measure(app, polls, None)
            export_s, export_stall = await measure(app, polls, run(app, "/poll export 2"))
            count_s, count_stall = await measure(app, polls, run(app, "/poll results 3"))
    print("longest event-loop stall beside 16 voters voting without pause")
    print(f"votes only (baseline)                       stall {baseline * 1000:7.1f} ms")
    for name, seconds, stall in (
        (f"/poll export, {named:,} named ballots", export_s, export_stall),
        (f"/poll results, ranked, {ranked:,} ballots", count_s, count_stall),
    ):
        ratio = stall / max(baseline, 1e-4)
        verdict = "met" if stall * 1000 <= GOAL_MS else "not met"
        print(
            f"{name:<43} stall {stall * 1000:7.1f} ms (×{ratio:.1f} the baseline;"
            f" goal <= {GOAL_MS:.0f} ms: {verdict}), command {seconds * 1000:7.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run for CI")
    quick = parser.parse_args().quick
    asyncio.run(main_async(10_000, 3_000) if quick else main_async(100_000, 30_000))


if __name__ == "__main__":
    main()
