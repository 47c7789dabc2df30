"""Jobs with two connections on one database, as two processes: claims, quotas; both engines."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.identity import ChatRef
from bot.scheduler import Scheduler
from storage.database import Database
from storage.jobs import Job, JobRepository
from storage.postgres import PostgresDatabase
from storage.quota import Quota, QuotaReachedError
from tests.support import FakeClock

LEASE = timedelta(seconds=60)


@pytest.fixture
async def two_databases(any_database_url: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two connections to one database: two processes' worth."""
    async with Database.open(any_database_url) as first, Database.open(any_database_url) as second:
        yield first, second


async def test_two_schedulers_polling_many_due_jobs_run_each_exactly_once(
    two_databases: tuple[Database, Database], clock: FakeClock
) -> None:
    first_db, second_db = two_databases
    ran: Counter[int] = Counter()

    async def runner(job: Job) -> None:
        ran[job.id] += 1
        await asyncio.sleep(0)  # let the other scheduler claim meanwhile

    schedulers = [Scheduler(JobRepository(db), clock, lease=LEASE) for db in two_databases]
    for scheduler in schedulers:
        scheduler.register("demo", runner)
    jobs = JobRepository(first_db)
    ids = [await jobs.add("demo", clock.now(), {"n": n}, now=clock.now()) for n in range(60)]

    counts = await asyncio.gather(*(scheduler.run_due() for scheduler in schedulers))

    assert sum(counts) == 60 and all(counts)  # both took part
    assert ran == Counter({job_id: 1 for job_id in ids})
    rows = await second_db.fetch_all("SELECT status, attempts FROM jobs")
    assert {(row[0], row[1]) for row in rows} == {("done", 1)}


async def test_a_scheduler_stopped_mid_job_loses_the_job_to_the_other_after_its_lease(
    two_databases: tuple[Database, Database], clock: FakeClock
) -> None:
    first_db, second_db = two_databases
    started = asyncio.Event()
    ran: list[tuple[str, int]] = []

    def runner_for(name: str, *, hang: bool) -> object:
        async def runner(job: Job) -> None:
            ran.append((name, job.id))
            started.set()
            if hang:
                await asyncio.Event().wait()  # dies mid-job: never finishes, never releases

        return runner

    dying = Scheduler(JobRepository(first_db), clock, lease=LEASE)
    dying.register("demo", runner_for("dying", hang=True))  # type: ignore[arg-type]
    survivor = Scheduler(JobRepository(second_db), clock, lease=LEASE)
    survivor.register("demo", runner_for("survivor", hang=False))  # type: ignore[arg-type]
    job_id = await JobRepository(first_db).add("demo", clock.now(), {}, now=clock.now())

    running = asyncio.create_task(dying.run_due())
    await started.wait()
    running.cancel()  # the process is gone; its lease stays in the row
    with pytest.raises(asyncio.CancelledError):
        await running

    assert await survivor.run_due() == 0  # the lease still holds
    clock.advance(seconds=59)
    assert await survivor.run_due() == 0
    clock.advance(seconds=2)
    assert await survivor.run_due() == 1
    assert await survivor.run_due() == 0  # once
    assert ran == [("dying", job_id), ("survivor", job_id)]
    job = await JobRepository(second_db).get(job_id)
    assert job is not None and (job.status, job.attempts) == ("done", 2)


@pytest.mark.postgres
async def test_claiming_skips_a_job_another_process_holds_locked_instead_of_waiting(
    postgres_url: str, clock: FakeClock
) -> None:
    async with (
        PostgresDatabase.open(postgres_url) as first_db,
        PostgresDatabase.open(postgres_url) as second_db,
    ):
        jobs = JobRepository(first_db)
        older = await jobs.add("demo", clock.now() - timedelta(minutes=1), {}, now=clock.now())
        newer = await jobs.add("demo", clock.now(), {}, now=clock.now())
        async with first_db.transaction() as tx:  # another process is in the middle of a write
            await tx.fetch_one("SELECT id FROM jobs WHERE id = ? FOR UPDATE", (older,))
            began = time.monotonic()
            claimed = await JobRepository(second_db).claim_next("b", now=clock.now())
            waited = time.monotonic() - began
        assert claimed is not None and claimed.id == newer
        assert waited < 1  # neither the row lock nor the write lock held it up
        again = await JobRepository(second_db).claim_next("b", now=clock.now())
        assert again is not None and again.id == older


async def test_two_processes_scheduling_at_once_cannot_both_take_the_last_place(
    two_databases: tuple[Database, Database], clock: FakeClock
) -> None:
    async def runner(job: Job) -> None:
        return None

    schedulers = [Scheduler(JobRepository(db), clock) for db in two_databases]
    for scheduler in schedulers:
        scheduler.register("post", runner)
    chat = ChatRef("test", "room")
    quota = Quota(per_person=3, per_chat=5)
    later = clock.now() + timedelta(hours=1)

    async def attempt(scheduler: Scheduler, who: str) -> int | None:
        try:
            return await scheduler.schedule("post", later, chat=chat, created_by=who, quota=quota)
        except QuotaReachedError:
            return None

    outcomes = await asyncio.gather(
        *(attempt(schedulers[n % 2], "test:alice") for n in range(8)),
        *(attempt(schedulers[n % 2], f"test:other{n}") for n in range(4)),
    )

    assert sum(job_id is not None for job_id in outcomes[:8]) == 3  # alice's cap
    rows = await two_databases[1].fetch_all("SELECT created_by FROM jobs")
    mine = [row[0] for row in rows if row[0] == "test:alice"]
    assert len(mine) == 3 and len(rows) == 5  # and the chat's cap, across both processes
