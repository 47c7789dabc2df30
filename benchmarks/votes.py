"""Vote throughput: Parley's group-commit vote path against what simple bots really do.

Workload: V concurrent voters (V votes in flight) each cast N single-choice votes one after
another, awaiting each acknowledgement, on random polls and options, so people change and
withdraw votes. Every path records the chat each ballot was cast in, as the buttons do. Every
arm runs on a real SQLite file in WAL mode with `synchronous = NORMAL`, Parley's own setting:
a commit survives a crash of the process, not of the machine (no fsync per commit). Arms:

1. Parley: `VoteWriter` over `PollBallots` (the vote path the buttons use, without chat
   rendering); an acknowledgement means committed.
2. plain sqlite3: what a simple bot does: the same SQL on the event loop's thread, blocking
   it, one commit per vote (the voters interleave between votes).
3. aiosqlite per vote: one transaction and commit per vote through aiosqlite's thread.
4. executemany: sqlite3 `executemany` of the same ballots in one transaction (no
   acknowledgements): the ceiling of the SQL work itself.
5. asyncio floor: the same voters, each vote a future that one writer task settles per batch,
   no database at all: what acknowledging after a shared commit costs in asyncio alone.
6. Parley again, on polls that already hold many ballots (at 64 in flight): the vote path
   must not slow down as the tables grow (each voter is looked up by key).

Each is run at 64 in flight (Telegram's default update concurrency) and at 1,000; the run
prints each rate with its ack p50/p99 and Parley's ratio to each arm.

Usage: `python benchmarks/votes.py` or `--quick`. `--database postgresql` runs the workload on
a local PostgreSQL server instead (the arms are described in `votes_postgres.py`).
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


def fill(path: Path, ids: list[int], ballots: int) -> None:
    """Store `ballots` ballots of other voters, spread over the polls, before the clock starts."""
    rows = [(ids[n % POLLS], f"stored:{n}", n % OPTIONS) for n in range(ballots)]
    with sqlite3.connect(path, isolation_level=None) as connection:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at, chat_no)"
            " VALUES (?, ?, 'Stored', ?, 0)",
            [(poll, key, _STAMP) for poll, key, _ in rows],
        )
        connection.executemany("INSERT INTO poll_choices VALUES (?, ?, 0, ?)", rows)
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # stored long ago, not on the clock
    connection.close()


async def run_parley(
    path: Path, plan: list[list[tuple[int, int]]], stored: int = 0
) -> tuple[float, list[float]]:
    async with Database.open(path) as database:
        polls = PollRepository(database)
        ids = await make_polls(polls)
        fill(path, ids, stored)
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


_STAMP = "2026-03-01T12:00:00.000000Z"
_CURRENT = "SELECT option FROM poll_choices WHERE poll_id = ? AND voter_key = ?"
_WITHDRAW = "DELETE FROM poll_ballots WHERE poll_id = ? AND voter_key = ?"
_BALLOT = (
    "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at, chat_no)"
    " VALUES (?, ?, ?, ?, 0) ON CONFLICT DO UPDATE SET voter_name = excluded.voter_name,"
    " voted_at = excluded.voted_at, chat_no = excluded.chat_no"
)
_CHOICE = (
    "INSERT INTO poll_choices VALUES (?, ?, 0, ?) ON CONFLICT DO UPDATE"
    " SET option = excluded.option"
)
_PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON")


async def run_plain(path: Path, plan: list[list[tuple[int, int]]]) -> tuple[float, list[float]]:
    """The simple bot: sqlite3 on the event loop, a commit per vote, blocking while it runs."""
    async with Database.open(path) as database:
        ids = await make_polls(PollRepository(database))
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in _PRAGMAS:
        connection.execute(pragma)
    latencies: list[float] = []

    def cast(key: str, name: str, poll_id: int, option: int) -> None:
        connection.execute("BEGIN IMMEDIATE")
        row = connection.execute(_CURRENT, (poll_id, key)).fetchone()
        if row is not None and row[0] == option:
            connection.execute(_WITHDRAW, (poll_id, key))
        else:
            connection.execute(_BALLOT, (poll_id, key, name, _STAMP))
            connection.execute(_CHOICE, (poll_id, key, option))
        connection.execute("COMMIT")

    async def voter(number: int, votes: list[tuple[int, int]]) -> None:
        key, name = f"bench:{number}", f"Voter {number}"
        for poll, option in votes:
            started = time.perf_counter()
            await asyncio.sleep(0)  # the update waits its turn on the loop, as a handler does
            cast(key, name, ids[poll], option)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(voter(n, votes) for n, votes in enumerate(plan)))
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, latencies


async def run_aiosqlite(path: Path, plan: list[list[tuple[int, int]]]) -> tuple[float, list[float]]:
    async with Database.open(path) as database:
        ids = await make_polls(PollRepository(database))
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
                        (poll_id, key, name, _STAMP),
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
    ballots = []
    choices = []
    for position in range(max(len(votes) for votes in plan)):
        for number, votes in enumerate(plan):
            if position < len(votes):
                poll, option = votes[position]
                ballots.append((ids[poll], f"bench:{number}", f"Voter {number}", _STAMP))
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


async def run_floor(plan: list[list[tuple[int, int]]]) -> tuple[float, list[float]]:
    """Each vote awaits a future that one writer task settles per batch: no database at all."""
    queue: list[asyncio.Future[None]] = []
    wake = asyncio.Event()
    latencies: list[float] = []

    async def writer() -> None:
        while True:
            await wake.wait()
            wake.clear()
            batch = queue[:]
            queue.clear()
            for future in batch:
                future.set_result(None)

    async def voter(votes: list[tuple[int, int]]) -> None:
        loop = asyncio.get_running_loop()
        for _ in votes:
            started = time.perf_counter()
            future = loop.create_future()
            queue.append(future)
            wake.set()
            await future
            latencies.append(time.perf_counter() - started)

    settling = asyncio.create_task(writer())
    started = time.perf_counter()
    await asyncio.gather(*(voter(votes) for votes in plan))
    elapsed = time.perf_counter() - started
    settling.cancel()
    return elapsed, latencies


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


def compare(root: Path, voters: int, votes_each: int, slow_each: int, stored: int = 0) -> None:
    """Every arm at `voters` in flight; the aiosqlite arm casts fewer votes (rates compare).

    With `stored`, Parley runs again on polls already holding that many ballots.
    """
    plan = workload(voters, votes_each)
    slow_plan = [votes[:slow_each] for votes in plan]
    total = voters * votes_each
    print(f"\n{voters} votes in flight ({voters} voters), {POLLS} polls of {OPTIONS} options")
    parley_time, parley_latencies = asyncio.run(run_parley(root / f"parley{voters}.db", plan))
    parley = report("Parley (group commit)", total, parley_time, parley_latencies)
    plain_time, plain_latencies = asyncio.run(run_plain(root / f"plain{voters}.db", plan))
    plain = report("plain sqlite3 on the loop", total, plain_time, plain_latencies)
    per_vote_time, per_vote_latencies = asyncio.run(
        run_aiosqlite(root / f"aiosqlite{voters}.db", slow_plan)
    )
    per_vote = report(
        "aiosqlite, commit per vote", voters * slow_each, per_vote_time, per_vote_latencies
    )
    raw = report(
        "sqlite3 executemany (1 txn, no acks)",
        total,
        asyncio.run(run_raw(root / f"raw{voters}.db", plan)),
        None,
    )
    floor_time, floor_latencies = asyncio.run(run_floor(plan))
    floor = report("asyncio floor (futures, no database)", total, floor_time, floor_latencies)
    print(f"Parley / plain sqlite3:  {parley / plain:.2f}x (goal >= 3x at 64 in flight)")
    print(f"Parley / aiosqlite:      {parley / per_vote:.1f}x")
    print(f"Parley / executemany:    {parley / raw:.2f}")
    print(
        f"Parley / asyncio floor:  {parley / floor:.2f} (3x plain would be {3 * plain / floor:.2f})"
    )
    if stored:
        big_time, big_latencies = asyncio.run(run_parley(root / f"stored{voters}.db", plan, stored))
        big = report(f"Parley, {stored:,} ballots stored", total, big_time, big_latencies)
        print(f"Parley {stored:,} stored / empty: {big / parley:.2f} (goal about 1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run for CI")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    arguments = parser.parse_args()
    if arguments.database == "postgresql":
        import votes_postgres  # here: the SQLite run never loads asyncpg or the server

        voters, votes_each = (200, 50) if arguments.quick else (1000, 100)
        plan = workload(voters, votes_each)
        naive_plan = [votes[: max(1, votes_each // 10)] for votes in plan]
        votes_postgres.run(plan, naive_plan, voters, votes_each)
        return
    print("every arm: SQLite WAL, synchronous = NORMAL (durable across a process crash, no fsync)")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        if arguments.quick:
            compare(root, 64, 50, 10, stored=20_000)
            compare(root, 1000, 5, 1)
        else:
            compare(root, 64, 1000, 100, stored=200_000)
            compare(root, 1000, 100, 10)


if __name__ == "__main__":
    main()
