"""The durable scheduler: jobs live in the database, survive restarts, are retried with back-off.

A scheduler claims a job with a lease (owner and expiry) and renews it while the job runs; a
job whose lease expired (its process died) is claimed again, so no job is reset at start-up
and two schedulers on one database never run one job twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.errors import UserError
from bot.identity import ChatRef
from storage.errors import StorageUnavailableError
from storage.jobs import DEFAULT_LEASE, Job, JobRepository
from storage.quota import Quota

log = logging.getLogger("parley.scheduler")

JobRunner = Callable[[Job], Awaitable[datetime | None]]
"""Runs a job; returns when to run it again (recurring jobs) or None when it is finished."""

FailureReporter = Callable[[Job, Exception], Awaitable[None]]
"""Told about a job that failed for good, e.g. to notify the moderator who scheduled it."""

MAX_IDLE = timedelta(seconds=30)
OUTCOME_RETRY_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0)
FAULT_PAUSE = 1.0
"""Seconds to wait after a failed pass (e.g. a locked database) before trying again."""
_OUTAGES = (OSError, StorageUnavailableError)
"""Failures of what a job reaches (a network, a timeout, a locked database): logged in one line,
retried. `TimeoutError` (and asyncio's, the same class) is an `OSError`."""
OUTSIDE_CHECK = 1.0
"""Seconds between checks for jobs another process added (e.g. an operator request)."""


class UnknownJobKindError(LookupError):
    """A job of a kind nobody registered a runner for."""


class Scheduler:
    """Runs stored jobs when they come due; jobs due while the bot was down run at start-up."""

    def __init__(
        self,
        jobs: JobRepository,
        clock: Clock,
        *,
        max_attempts: int = 5,
        first_retry: timedelta = timedelta(seconds=30),
        longest_retry: timedelta = timedelta(hours=1),
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self._jobs = jobs
        self._clock = clock
        self._runners: dict[str, JobRunner] = {}
        self._reporters: list[FailureReporter] = []
        self._max_attempts = max_attempts
        self._first_retry = first_retry
        self._longest_retry = longest_retry
        self._lease = lease
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        """Who holds this scheduler's leases: host, pid and a token of this scheduler."""
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._run_lock = asyncio.Lock()
        self._stopping = False

    def register(self, kind: str, runner: JobRunner) -> None:
        """Run jobs of `kind` with `runner`."""
        if kind in self._runners:
            raise ValueError(f"job kind {kind!r} registered twice")
        self._runners[kind] = runner

    def on_failure(self, reporter: FailureReporter) -> None:
        """Call `reporter` when a job fails for good."""
        self._reporters.append(reporter)

    async def schedule(
        self,
        kind: str,
        due_at: datetime,
        payload: dict[str, Any] | None = None,
        *,
        chat: ChatRef | None = None,
        created_by: str | None = None,
        quota: Quota | None = None,
    ) -> int:
        """Store a job and wake the loop; returns the job id.

        With a `quota` (of `kind` per `created_by` and per `chat`), the count and the insert
        are one transaction: `QuotaReachedError`, with nothing stored, when either is full.
        """
        if kind not in self._runners:
            raise UnknownJobKindError(kind)
        now = self._clock.now()
        if quota is None:
            job_id = await self._jobs.add(
                kind, due_at, payload or {}, now=now, chat=chat, created_by=created_by
            )
        elif chat is None or created_by is None:
            raise ValueError("a quota counts per person and per chat: give both")
        else:
            job_id = await self._jobs.add_within_quota(
                kind, due_at, payload or {}, now=now, chat=chat, created_by=created_by, quota=quota
            )
        self._wake.set()
        return job_id

    async def run_now(
        self, kind: str, payload: dict[str, Any] | None = None, *, chat: ChatRef | None = None
    ) -> None:
        """Store a job due now and run it here at once, unless another process took it first.

        Work that must not be lost halfway (a poll's results announcement): if this process
        dies while it runs, its lease runs out and any process runs the job again.
        """
        job_id = await self.schedule(kind, self._clock.now(), payload, chat=chat)
        job = await self._jobs.claim(job_id, self.owner, now=self._clock.now(), lease=self._lease)
        if job is not None:
            await self._run(job)

    async def cancel(self, job_id: int) -> bool:
        """Cancel a pending job."""
        return await self._jobs.cancel(job_id, self._clock.now())

    async def cancel_matching(self, kind: str, chat: ChatRef, **payload: object) -> int:
        """Cancel the pending jobs of `kind` in `chat` whose payload holds `payload`."""
        matching = [
            job
            for job in await self._jobs.pending(chat=chat, kind=kind)
            if all(job.payload.get(key) == value for key, value in payload.items())
        ]
        return sum([await self.cancel(job.id) for job in matching])

    async def run_due(self) -> int:
        """Run every job that is due now; returns how many ran (successfully or not)."""
        async with self._run_lock:
            count = 0
            while job := await self._jobs.claim_next(
                self.owner, now=self._clock.now(), lease=self._lease
            ):
                await self._run(job)
                count += 1
            return count

    async def start(self) -> None:
        """Run what is due (also jobs whose holder died), then keep running."""
        ran = await self.run_due()
        log.info("event=scheduler_started ran_at_startup=%d", ran)
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name="parley-scheduler")

    async def stop(self) -> None:
        """Stop the loop (a job in progress is allowed to finish)."""
        if self._task is None:
            return
        # Python 3.11's `wait_for` can swallow a cancellation that races with a wake-up;
        # the flag ends the loop even then.
        self._stopping = True
        self._wake.set()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _loop(self) -> None:
        while not self._stopping:
            try:
                await self._wait_for_next()
                if not self._stopping:
                    await self.run_due()
            except Exception:  # e.g. the database is locked: try again, never die
                log.exception("event=scheduler_pass_failed")
                await asyncio.sleep(FAULT_PAUSE)

    async def _wait_for_next(self) -> None:
        """Sleep until the next job is due, a wake-up, or another process commits a change."""
        next_due = await self._jobs.next_due_at()
        wait = MAX_IDLE
        if next_due is not None:
            wait = min(max(next_due - self._clock.now(), timedelta(0)), MAX_IDLE)
        self._wake.clear()
        seen = await self._jobs.outside_changes()
        left = wait.total_seconds()
        while left > 0 and not self._wake.is_set():
            step = min(left, OUTSIDE_CHECK)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), step)
            left -= step
            if await self._jobs.outside_changes() != seen:
                return

    async def _keep_lease(self, job: Job) -> None:
        """Renew the lease of a running job every third of its length, until cancelled."""
        while True:
            await asyncio.sleep(self._lease.total_seconds() / 3)
            try:
                held = await self._jobs.renew(job.id, self.owner, self._clock.now() + self._lease)
            except StorageUnavailableError:
                log.warning("event=job_lease_renewal_failed id=%d", job.id)
                continue
            if not held:
                log.error("event=job_lease_lost id=%d owner=%s", job.id, self.owner)
                return

    async def _run(self, job: Job) -> None:
        """Run a claimed job and store how it went, renewing its lease all the while."""
        heartbeat = asyncio.create_task(self._keep_lease(job), name=f"parley-lease-{job.id}")
        try:
            await self._run_and_record(job)
        finally:
            heartbeat.cancel()

    async def _run_and_record(self, job: Job) -> None:
        runner = self._runners.get(job.kind)
        try:
            if runner is None:
                raise UnknownJobKindError(job.kind)
            next_run = await runner(job)
        except Exception as error:
            await self._handle_failure(job, error)
            return
        if next_run is None:
            await self._record_outcome(job, lambda: self._jobs.complete(job.id, self._clock.now()))
        else:
            await self._record_outcome(job, lambda: self._jobs.reschedule(job.id, next_run))
        log.info("event=job_done id=%d kind=%s", job.id, job.kind)

    async def _record_outcome(self, job: Job, write: Callable[[], Awaitable[None]]) -> None:
        """Store that a job ran, retrying a while: a job left `running` would run again."""
        for pause in OUTCOME_RETRY_PAUSES:
            try:
                await write()
                return
            except StorageUnavailableError:
                log.warning("event=job_outcome_write_failed id=%d retry_in=%.1fs", job.id, pause)
                await asyncio.sleep(pause)
        await write()

    async def _handle_failure(self, job: Job, error: Exception) -> None:
        attempts = job.attempts + 1
        reason = f"{type(error).__name__}: {error}"[:500]
        retryable = not isinstance(error, UserError)  # a refusal does not heal by itself
        if not retryable:  # an expected outcome (the item is gone, a permission was taken away)
            log.warning("event=job_refused id=%d kind=%s reason=%r", job.id, job.kind, reason)
        elif isinstance(error, _OUTAGES):  # the platform or the database is away: it may heal
            log.warning(
                "event=job_failed id=%d kind=%s attempt=%d reason=%r",
                job.id,
                job.kind,
                attempts,
                reason,
            )
        else:  # a bug: its traceback is what the operator needs
            log.error(
                "event=job_failed id=%d kind=%s attempt=%d",
                job.id,
                job.kind,
                attempts,
                exc_info=error,
            )
        if retryable and attempts < self._max_attempts and job.kind in self._runners:
            delay = min(self._first_retry * 2 ** (attempts - 1), self._longest_retry)
            await self._jobs.reschedule(job.id, self._clock.now() + delay, reason)
            return
        await self._jobs.fail(job.id, reason, self._clock.now())
        for reporter in self._reporters:
            try:
                await reporter(job, error)
            except Exception:
                log.exception("event=job_failure_report_failed id=%d", job.id)
