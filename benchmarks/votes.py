"""Vote throughput: Parley's group-commit vote path against a naive loop and the raw ceiling.

Workload: V concurrent voters each cast N single-choice votes (one after another, awaiting
each acknowledgement) on random polls and options, so people change and withdraw votes. Every
path records the chat each ballot was cast in, as the buttons do.

1. Parley: `VoteWriter` over `PollBallots` (the ballots part of `PollRepository`) on a real
   SQLite file (the vote path the buttons use, without chat rendering); an acknowledgement
   means committed.
2. Naive: the same voters, one aiosqlite transaction and commit per vote.
3. Raw: sqlite3 `executemany` of the same ballots in one transaction (no acknowledgements).

Usage: `python benchmarks/votes.py` (1,000 voters × 100 votes) or `--quick` (200 × 50).
`--database postgresql` runs the same workload on a local PostgreSQL server instead (the arms
are described in `votes_postgres.py`): Parley, a naive asyncpg loop, `executemany`, and two
processes voting together against one alone.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.identity import ChatRef
from domain.polls import PollKind, ResultsVisibility, VoteOp
from handlers.polls.voting import VoteWriter
from storage.database import Database
from storage.poll_ballots import VoteCommand
from storage.polls import NewPoll, PollRepository
from tests.support import FakeClock

POLLS = 10
OPTIONS = 4
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def workload(voters: int, votes_each: int, seed: int = 7) -> list[list[tuple[int, int]]]:
    """For each voter, the (poll index, option) of each of their votes."""
    rng = random.Random(seed)
    return [
        [(rng.randrange(POLLS), rng.randrange(OPTIONS)) for _ in range(votes_each)]
        for _ in range(voters)
    ]


async def make_polls(polls: PollRepository) -> list[int]:
    ids = []
    for number in range(POLLS):
        ids.append(
            await polls.create(
                NewPoll(
                    chat=ChatRef("bench", "chat"),
                    creator="bench:owner",
                    question=f"Question {number}?",
                    options=tuple(f"Option {i}" for i in range(OPTIONS)),
                    kind=PollKind.SINGLE,
                    max_choices=None,
                    anonymous=False,
                    visibility=ResultsVisibility.LIVE,
                    allowed_role=None,
                    locale="en",
                    salt=None,
                    created_at=NOW,
                    closes_at=None,
                )
            )
        )
    return ids


async def run_parley(path: Path, plan: list[list[tuple[int, int]]]) -> tuple[float, list[float]]:
    async with Database.open(path) as database:
        polls = PollRepository(database)
        ids = await make_polls(polls)
        writer = VoteWriter(polls.ballots, FakeClock(NOW))
        latencies: list[float] = []

        async def voter(number: int, votes: list[tuple[int, int]]) -> None:
            key, name = f"bench:{number}", f"Voter {number}"
            for poll, option in votes:
                started = time.perf_counter()
                await writer.submit(
                    VoteCommand(ids[poll], key, VoteOp.TOGGLE, (option,), name, chat_no=0)
                )
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(voter(n, votes) for n, votes in enumerate(plan)))
        return time.perf_counter() - started, latencies


async def run_naive(path: Path, plan: list[list[tuple[int, int]]]) -> tuple[float, list[float]]:
    async with Database.open(path) as database:
        ids = await make_polls(PollRepository(database))
    stamp = "2026-03-01T12:00:00.000000Z"
    async with aiosqlite.connect(path, isolation_level=None) as connection:
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        lock = asyncio.Lock()
        latencies: list[float] = []

        async def cast(key: str, name: str, poll_id: int, option: int) -> None:
            async with lock:
                await connection.execute("BEGIN IMMEDIATE")
                cursor = await connection.execute(
                    "SELECT option FROM poll_choices WHERE poll_id = ? AND voter_key = ?",
                    (poll_id, key),
                )
                row = await cursor.fetchone()
                if row is not None and row[0] == option:
                    await connection.execute(
                        "DELETE FROM poll_ballots WHERE poll_id = ? AND voter_key = ?",
                        (poll_id, key),
                    )
                else:
                    await connection.execute(
                        "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at,"
                        " chat_no) VALUES (?, ?, ?, ?, 0) ON CONFLICT DO UPDATE"
                        " SET voter_name = excluded.voter_name, voted_at = excluded.voted_at,"
                        " chat_no = excluded.chat_no",
                        (poll_id, key, name, stamp),
                    )
                    await connection.execute(
                        "INSERT INTO poll_choices VALUES (?, ?, 0, ?)"
                        " ON CONFLICT DO UPDATE SET option = excluded.option",
                        (poll_id, key, option),
                    )
                await connection.execute("COMMIT")

        async def voter(number: int, votes: list[tuple[int, int]]) -> None:
            key, name = f"bench:{number}", f"Voter {number}"
            for poll, option in votes:
                started = time.perf_counter()
                await cast(key, name, ids[poll], option)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(voter(n, votes) for n, votes in enumerate(plan)))
        return time.perf_counter() - started, latencies


async def run_raw(path: Path, plan: list[list[tuple[int, int]]]) -> float:
    async with Database.open(path) as database:
        ids = await make_polls(PollRepository(database))
    stamp = "2026-03-01T12:00:00.000000Z"
    ballots = []
    choices = []
    for position in range(max(len(votes) for votes in plan)):
        for number, votes in enumerate(plan):
            if position < len(votes):
                poll, option = votes[position]
                ballots.append((ids[poll], f"bench:{number}", f"Voter {number}", stamp))
                choices.append((ids[poll], f"bench:{number}", option))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA foreign_keys = ON")
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at, chat_no)"
        " VALUES (?, ?, ?, ?, 0) ON CONFLICT DO UPDATE SET voter_name = excluded.voter_name,"
        " voted_at = excluded.voted_at, chat_no = excluded.chat_no",
        ballots,
    )
    connection.executemany(
        "INSERT INTO poll_choices VALUES (?, ?, 0, ?) ON CONFLICT DO UPDATE"
        " SET option = excluded.option",
        choices,
    )
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(name: str, votes: int, elapsed: float, latencies: list[float] | None) -> float:
    rate = votes / elapsed
    line = f"{name:<34} {votes:>7} votes {elapsed:7.2f} s {rate:>10,.0f} votes/s"
    if latencies:
        p50 = statistics.median(latencies) * 1000
        p99 = percentile(latencies, 0.99) * 1000
        line += f"   ack p50 {p50:7.2f} ms  p99 {p99:7.2f} ms"
    print(line)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run for CI")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    arguments = parser.parse_args()
    voters, votes_each = (200, 50) if arguments.quick else (1000, 100)
    naive_each = max(1, votes_each // 10)  # the naive loop is slow: run a tenth, compare rates
    plan = workload(voters, votes_each)
    naive_plan = [votes[:naive_each] for votes in plan]
    total = voters * votes_each
    if arguments.database == "postgresql":
        import votes_postgres  # here: the SQLite run never loads asyncpg or the server

        votes_postgres.run(plan, naive_plan, voters, votes_each)
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        print(f"{voters} concurrent voters, {POLLS} polls of {OPTIONS} options, SQLite WAL")
        parley_time, parley_latencies = asyncio.run(run_parley(root / "parley.db", plan))
        parley = report("Parley (group commit)", total, parley_time, parley_latencies)
        naive_time, naive_latencies = asyncio.run(run_naive(root / "naive.db", naive_plan))
        naive = report("naive (commit per vote)", voters * naive_each, naive_time, naive_latencies)
        raw = report(
            "raw sqlite3 executemany (1 txn)",
            total,
            asyncio.run(run_raw(root / "raw.db", plan)),
            None,
        )
    print(f"Parley / naive: {parley / naive:.1f}x (target >= 15x)")
    print(f"Parley / raw:   {parley / raw:.2f} (target >= 0.25)")


if __name__ == "__main__":
    main()
