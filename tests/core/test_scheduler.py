from datetime import timedelta

import pytest

from bot.identity import ChatRef
from bot.scheduler import Scheduler
from storage.database import Database
from storage.errors import StorageUnavailableError
from storage.jobs import JobRepository


def make_scheduler(db, clock, ran, *, fail_times=0, recur=None):
    scheduler = Scheduler(JobRepository(db), clock, max_attempts=3)
    failures = {"left": fail_times}

    async def runner(job):
        if failures["left"] > 0:
            failures["left"] -= 1
            raise RuntimeError("platform down")
        ran.append((job.id, job.payload, clock.now()))
        return recur(job) if recur else None

    scheduler.register("demo", runner)
    return scheduler


async def test_jobs_survive_a_restart_and_run_once_at_startup(any_database_url, clock):
    path = any_database_url
    ran: list = []
    async with Database.open(path) as db:
        scheduler = make_scheduler(db, clock, ran)
        job_id = await scheduler.schedule(
            "demo",
            clock.now() + timedelta(hours=1),
            {"poll": 7},
            chat=ChatRef("t", "c"),
            created_by="t:mod",
        )
        await scheduler.run_due()
        assert ran == []
    clock.advance(hours=2)  # the bot was down when the job came due
    async with Database.open(path) as db:
        scheduler = make_scheduler(db, clock, ran)
        await scheduler.start()
        await scheduler.stop()
        assert [(i, p) for i, p, _ in ran] == [(job_id, {"poll": 7})]
        await scheduler.run_due()
        assert len(ran) == 1
        job = await JobRepository(db).get(job_id)
        assert job.status == "done" and job.chat == ChatRef("t", "c")


async def test_a_job_whose_process_died_runs_again_once_its_lease_expires(any_database_url, clock):
    async with Database.open(any_database_url) as db:
        jobs = JobRepository(db)
        job_id = await jobs.add("demo", clock.now(), {}, now=clock.now())
        assert await jobs.claim(job_id, "dead:1:x", now=clock.now(), lease=timedelta(minutes=1))
        assert not await jobs.claim(job_id, "other:2:y", now=clock.now())  # claiming is atomic
        ran: list = []
        scheduler = make_scheduler(db, clock, ran)
        await scheduler.start()  # start-up resets nothing: the holder may still be running it
        await scheduler.stop()
        assert ran == []
        clock.advance(seconds=59)
        await scheduler.run_due()
        assert ran == []
        clock.advance(seconds=2)  # the holder stopped renewing: its lease expired
        await scheduler.run_due()
        assert [i for i, _, _ in ran] == [job_id]
        job = await jobs.get(job_id)
        assert job.status == "done" and job.attempts == 2


async def test_failures_are_retried_with_back_off_then_reported(any_database_url, clock):
    async with Database.open(any_database_url) as db:
        ran: list = []
        reports: list = []
        scheduler = make_scheduler(db, clock, ran, fail_times=5)

        async def report(job, error):
            reports.append((job.id, f"{type(error).__name__}: {error}"))

        scheduler.on_failure(report)
        job_id = await scheduler.schedule("demo", clock.now())
        await scheduler.run_due()
        job = await JobRepository(db).get(job_id)
        assert job.status == "pending" and job.due_at == clock.now() + timedelta(seconds=30)
        clock.advance(seconds=30)
        await scheduler.run_due()
        job = await JobRepository(db).get(job_id)
        assert job.due_at == clock.now() + timedelta(seconds=60)
        clock.advance(seconds=60)
        await scheduler.run_due()
        job = await JobRepository(db).get(job_id)
        assert job.status == "failed" and "platform down" in job.last_error
        assert reports == [(job_id, "RuntimeError: platform down")]
        assert ran == []


async def test_a_retry_that_succeeds_completes(any_database_url, clock):
    async with Database.open(any_database_url) as db:
        ran: list = []
        scheduler = make_scheduler(db, clock, ran, fail_times=1)
        job_id = await scheduler.schedule("demo", clock.now())
        await scheduler.run_due()
        clock.advance(minutes=1)
        await scheduler.run_due()
        assert (await JobRepository(db).get(job_id)).status == "done" and len(ran) == 1


async def test_recurring_jobs_are_rescheduled(any_database_url, clock):
    async with Database.open(any_database_url) as db:
        ran: list = []
        scheduler = make_scheduler(db, clock, ran, recur=lambda job: job.due_at + timedelta(days=1))
        start = clock.now()
        job_id = await scheduler.schedule("demo", start)
        await scheduler.run_due()
        clock.advance(days=1)
        await scheduler.run_due()
        job = await JobRepository(db).get(job_id)
        assert len(ran) == 2 and job.status == "pending"
        assert job.due_at == start + timedelta(days=2)


async def test_cancelled_jobs_do_not_run(any_database_url, clock):
    async with Database.open(any_database_url) as db:
        ran: list = []
        scheduler = make_scheduler(db, clock, ran)
        job_id = await scheduler.schedule("demo", clock.now())
        assert await scheduler.cancel(job_id)
        assert not await scheduler.cancel(job_id)
        await scheduler.run_due()
        assert ran == []


async def test_the_loop_runs_jobs_as_they_come_due(any_database_url):
    import asyncio

    from bot.clock import SystemClock

    clock = SystemClock()
    async with Database.open(any_database_url) as db:
        ran: list = []
        scheduler = make_scheduler(db, clock, ran)
        await scheduler.start()
        try:
            await scheduler.schedule("demo", clock.now() + timedelta(milliseconds=50))
            for _ in range(100):
                if ran:
                    break
                await asyncio.sleep(0.02)
        finally:
            await scheduler.stop()
        assert len(ran) == 1


async def test_a_run_whose_outcome_cannot_be_stored_at_once_is_not_run_again(
    any_database_url, clock, monkeypatch
):

    import bot.scheduler

    monkeypatch.setattr(bot.scheduler, "OUTCOME_RETRY_PAUSES", (0, 0))
    async with Database.open(any_database_url) as db:
        ran: list = []
        scheduler = make_scheduler(db, clock, ran)
        jobs = JobRepository(db)
        real_complete = jobs.complete
        failures = {"left": 2}

        async def flaky_complete(job_id, now):
            if failures["left"]:
                failures["left"] -= 1
                raise StorageUnavailableError("database is locked")
            await real_complete(job_id, now)

        monkeypatch.setattr(JobRepository, "complete", lambda self, *a: flaky_complete(*a))
        job_id = await scheduler.schedule("demo", clock.now())
        await scheduler.run_due()
        await scheduler.run_due()
        assert len(ran) == 1 and (await jobs.get(job_id)).status == "done"


@pytest.mark.slow
async def test_two_schedulers_on_one_database_never_run_a_job_twice(any_database_url):
    import asyncio

    from bot.clock import SystemClock

    clock = SystemClock()
    path = any_database_url
    runs: list[int] = []
    first_started = asyncio.Event()

    async def slow(job):
        runs.append(job.id)
        first_started.set()
        await asyncio.sleep(1.2)  # four lease lengths: only the renewals keep the job held
        return None

    lease = timedelta(seconds=0.3)
    async with Database.open(path) as first_db, Database.open(path) as second_db:
        first = Scheduler(JobRepository(first_db), clock, lease=lease)
        second = Scheduler(JobRepository(second_db), clock, lease=lease)
        for scheduler in (first, second):
            scheduler.register("slow", slow)
        job_id = await first.schedule("slow", clock.now())
        running = asyncio.create_task(first.run_due())
        await first_started.wait()
        await second.start()  # a second process starting while the first runs a job
        try:
            for _ in range(10):  # also after the first lease would have expired
                assert await second.run_due() == 0
                await asyncio.sleep(0.1)
            await running
        finally:
            await second.stop()
        job = await JobRepository(second_db).get(job_id)
    assert runs == [job_id]
    assert (job.status, job.attempts) == ("done", 1)


@pytest.mark.slow
async def test_a_job_another_process_adds_runs_within_about_a_second(any_database_url):
    import asyncio
    import time

    from bot.clock import SystemClock

    clock = SystemClock()
    path = any_database_url
    ran = asyncio.Event()

    async def runner(job):
        ran.set()

    async with Database.open(path) as bot_db, Database.open(path) as operator_db:
        scheduler = Scheduler(JobRepository(bot_db), clock)
        scheduler.register("demo", runner)
        await scheduler.start()  # idle: nothing is due, so it would sleep 30 s
        try:
            await asyncio.sleep(0.2)
            added = time.monotonic()
            await JobRepository(operator_db).add("demo", clock.now(), {}, now=clock.now())
            await asyncio.wait_for(ran.wait(), 5)
        finally:
            await scheduler.stop()
    assert time.monotonic() - added < 3
