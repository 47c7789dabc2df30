"""Two real `parley run` processes on one PostgreSQL database, two Discord shards each.

Votes on one poll arrive through all four shards (so through both processes' group commits);
two polls' deadlines come due together; the process running one of them is SIGKILLed mid-job
(its lease row says which; the fake Discord is slow to take the final results), and the other
runs that job once more after the lease ran out (PARLEY_JOB_LEASE_SECONDS, 3 s here). Each
deadline job is done, each poll's results delivered once, and the tallies in the database are the
acknowledged votes.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from storage.timestamps import to_db
from tests.discord import builders
from tests.discord.fake_discord import Call, FakeDiscord
from tests.discord.test_shard_processes import eventually, start

pytestmark = pytest.mark.slow  # real processes, a real server and real time

LEASE = 3
LEASE_SECONDS = str(LEASE)
VOTERS = 16
OPTIONS = ("Pizza", "Sushi", "Tacos")
CLOSE = "polls.close"


@pytest.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.close()


def callback(fake: FakeDiscord, payload: dict[str, Any]) -> Call | None:
    """The answer to interaction `payload`, once the fake has it."""
    calls = [c for c in fake.calls_for(payload["token"]) if "/callback" in c.path]
    return calls[0] if calls else None


async def answered(fake: FakeDiscord, payload: dict[str, Any], what: str) -> Call:
    await eventually(lambda: callback(fake, payload) is not None, what)
    answer = callback(fake, payload)
    assert answer is not None
    return answer


def vote_press(custom_id: str, message_id: str, voter: int) -> dict[str, Any]:
    payload = builders.press(custom_id, message_id)
    payload["member"]["user"] = builders.user(f"4000000000000000{voter:02d}", f"Voter {voter}")
    return payload


async def query(database: str, sql: str, *args: object) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(database)
    try:
        return await connection.fetch(sql, *args)
    finally:
        await connection.close()


async def jobs(database: str, kind: str) -> list[asyncpg.Record]:
    return await query(
        database, "SELECT status, attempts, lease_owner FROM jobs WHERE kind = $1 ORDER BY id", kind
    )


async def until(database: str, kind: str, check: Callable[[list[Any]], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not check(rows := await jobs(database, kind)):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within 30 s: {what}: {rows}")
        await asyncio.sleep(0.05)


async def test_two_processes_share_votes_and_jobs_and_survive_a_kill_mid_job(
    server: FakeDiscord, postgres_url: str, tmp_path: Path
) -> None:
    lease = {"PARLEY_JOB_LEASE_SECONDS": LEASE_SECONDS}
    shards = {"0-1/4": (0, 1), "2-3/4": (2, 3)}
    logs = {name: tmp_path / f"shards-{name[0]}.log" for name in shards}
    processes = {
        name: await start(server, name, postgres_url, logs[name], **lease) for name in shards
    }
    try:
        await eventually(lambda: len(server.shards_identified()) == 4, "four shards identified")
        await eventually(
            lambda: all("event=discord_started" in log.read_text() for log in logs.values()),
            "both processes started",
        )
        text = f"Lunch? | {' | '.join(OPTIONS)} --for 1h"
        create = builders.slash("poll", {"poll": text}, subcommand="create")
        await server.dispatch("INTERACTION_CREATE", create, shard=0)
        shown = await answered(server, create, "the poll is posted")
        buttons = [b["custom_id"] for b in shown.message["components"][0]["components"]]
        message = shown.response["resource"]["message"]["id"]
        chosen: dict[int, str] = {}  # each voter's acknowledged choice

        async def vote(voter: int, option: int, shard: int) -> None:
            press = vote_press(buttons[option], message, voter)
            await server.dispatch("INTERACTION_CREATE", press, shard=shard)
            answer = await answered(server, press, f"voter {voter}'s vote answered")
            assert f"Your vote in poll #1 is in: {OPTIONS[option]}" in answer.text, answer.text
            chosen[voter] = OPTIONS[option]

        # Through all four shards at once, so through both processes' group commits.
        await asyncio.gather(*(vote(v, v % len(OPTIONS), v % 4) for v in range(VOTERS)))

        # Poll 2 is posted through the other process; both deadlines are brought forward
        # (a poll lasts at least a minute), and poll 3's new deadline job wakes both schedulers.
        for shard in (2, 1):
            another = builders.slash("poll", {"poll": text}, subcommand="create")
            await server.dispatch("INTERACTION_CREATE", another, shard=shard)
            await answered(server, another, "another poll is posted")
            if shard == 2:
                server.post_delay = 5.0  # Discord is slow: the final results take a while
                soon = to_db(datetime.now(UTC) + timedelta(seconds=1))
                await query(postgres_url, "UPDATE jobs SET due_at = $1", soon)
        await until(postgres_url, CLOSE, lambda r: any(j["status"] == "running" for j in r), "run")
        running = [j for j in await jobs(postgres_url, CLOSE) if j["status"] == "running"]
        holder = int(running[0]["lease_owner"].split(":")[1])
        [victim] = [name for name, process in processes.items() if process.pid == holder]
        processes[victim].kill()  # mid-job, no clean-up: its lease stays in the database
        assert await processes[victim].wait() == -signal.SIGKILL
        server.post_delay = 0.0

        def closed(rows: list[Any]) -> bool:
            return [row["status"] for row in rows] == ["done", "done", "pending"]

        await until(postgres_url, CLOSE, closed, "both deadlines ran, the survivor finishing one")
        await asyncio.sleep(LEASE * 2)  # a second run of any job would show by now

        close_jobs = await jobs(postgres_url, CLOSE)
        assert sorted(row["attempts"] for row in close_jobs[:2]) == [1, 2]  # the killed one twice
        assert close_jobs[2]["attempts"] == 0  # poll 3's deadline is an hour away

        # Each poll's final results reached Discord once: the announcement is a job of its own,
        # marked done only after its posts, so the killed process's post (cut off, never
        # delivered) is made again by the survivor once that job's lease ran out.
        def finals() -> Counter[str]:
            return Counter(
                call.text.split(" has closed")[0]
                for call in server.calls
                if call.method == "POST" and call.path.endswith("/messages") and call.response
            )

        # The killed process's announcement waits out its lease before the survivor makes it:
        # wait for it (a loaded machine is slow to get there), then that nothing came twice.
        both = {"Poll #1": 1, "Poll #2": 1}
        await eventually(lambda: set(finals()) == set(both), "both polls' results posted", 60)
        await asyncio.sleep(LEASE * 2)
        assert finals() == both
        callbacks = Counter(c.path for c in server.calls if "/callback" in c.path)
        assert set(callbacks.values()) == {1}  # each interaction answered once

        tallies = await query(
            postgres_url,
            "SELECT option, count(*) AS votes FROM poll_choices WHERE poll_id = 1 GROUP BY option",
        )
        assert {OPTIONS[row["option"]]: row["votes"] for row in tallies} == Counter(chosen.values())
        polls = await query(postgres_url, "SELECT closed_at, announced_at FROM polls ORDER BY id")
        assert [(p["closed_at"] is None, p["announced_at"] is None) for p in polls] == [
            (False, False),
            (False, False),
            (True, True),
        ]
    finally:
        for process in processes.values():
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
        codes = {name: await asyncio.wait_for(p.wait(), 30) for name, p in processes.items()}
    assert sorted(codes.values()) == [-signal.SIGKILL, 0], [
        log.read_text()[-3000:] for log in logs.values()
    ]
