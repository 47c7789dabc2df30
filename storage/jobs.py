"""Durable scheduled jobs: what to run, when, who holds it (a lease), and how it went."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.identity import ChatRef
from storage.database import Database, Row, Transaction
from storage.quota import Quota
from storage.timestamps import from_db, to_db
from storage.url import Engine

_COLUMNS = "id, kind, payload, due_at, status, attempts, last_error, platform, chat_id, created_by"


@dataclass(frozen=True, slots=True)
class Job:
    """A stored job; `payload` holds the job kind's own small arguments."""

    id: int
    kind: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    chat: ChatRef | None = None
    created_by: str | None = None


_CLAIMABLE = (
    "(status = 'pending' OR (status = 'running' AND (lease_until IS NULL OR lease_until <= ?)))"
)
"""A pending job, or a running one whose holder stopped renewing its lease (it died)."""

DEFAULT_LEASE = timedelta(seconds=60)

_CLAIM_NEXT = (
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?,"
    " lease_until = ? WHERE id = (SELECT id FROM jobs WHERE"
    " ((status = 'pending' AND due_at <= ?) OR"
    " (status = 'running' AND (lease_until IS NULL OR lease_until <= ?)))"
    " ORDER BY due_at, id LIMIT 1{lock}) AND {claimable}"
    " RETURNING " + _COLUMNS
)
"""Take the oldest due job in one statement (re-checked in the outer WHERE, for PostgreSQL)."""
_CLAIM_NEXT_SQLITE = _CLAIM_NEXT.format(lock="", claimable=_CLAIMABLE)
_CLAIM_NEXT_POSTGRESQL = _CLAIM_NEXT.format(lock=" FOR UPDATE SKIP LOCKED", claimable=_CLAIMABLE)


class JobRepository:
    """Reads and writes `jobs`; claiming a job is atomic, so a job runs once per due time."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(
        self,
        kind: str,
        due_at: datetime,
        payload: dict[str, Any],
        *,
        now: datetime,
        chat: ChatRef | None = None,
        created_by: str | None = None,
        within: Transaction | None = None,
    ) -> int:
        """Store a new pending job (inside `within`, when given); returns its id."""
        new_id = await (within or self._db).insert(
            "INSERT INTO jobs (kind, payload, due_at, platform, chat_id, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                kind,
                json.dumps(payload, ensure_ascii=False, sort_keys=True),
                to_db(due_at),
                chat.platform if chat else None,
                chat.chat_id if chat else None,
                created_by,
                to_db(now),
            ),
        )
        return new_id

    async def get(self, job_id: int) -> Job | None:
        """The job with `job_id`, whatever its status."""
        row = await self._db.fetch_one(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        return _job(row) if row else None

    async def pending(self, chat: ChatRef | None = None, kind: str | None = None) -> list[Job]:
        """Pending jobs, optionally only those of one chat and/or one kind."""
        rows = await self._db.fetch_all(
            f"SELECT {_COLUMNS} FROM jobs WHERE status = 'pending'"
            " AND (CAST(? AS TEXT) IS NULL OR (platform = ? AND chat_id = ?))"
            " AND (CAST(? AS TEXT) IS NULL OR kind = ?)"
            " ORDER BY due_at, id",
            (
                chat.platform if chat else None,
                chat.platform if chat else None,
                chat.chat_id if chat else None,
                kind,
                kind,
            ),
        )
        return [_job(row) for row in rows]

    async def add_within_quota(
        self,
        kind: str,
        due_at: datetime,
        payload: dict[str, Any],
        *,
        now: datetime,
        chat: ChatRef,
        created_by: str,
        quota: Quota,
    ) -> int:
        """Store a new pending job if `created_by` and `chat` have room for one more of `kind`.

        Counted and stored in one write transaction (writers are serial on both engines), so
        two processes cannot both take the last place; `QuotaReachedError`, with nothing
        stored, when either is full.
        """
        async with self._db.transaction() as tx:
            person, here = await self.waiting(kind, created_by=created_by, chat=chat, within=tx)
            quota.check(person=person, chat=here)
            return await self.add(
                kind, due_at, payload, now=now, chat=chat, created_by=created_by, within=tx
            )

    async def waiting(
        self, kind: str, *, created_by: str, chat: ChatRef, within: Transaction | None = None
    ) -> tuple[int, int]:
        """How many jobs of `kind` wait to run (pending, or running now): `created_by`'s, `chat`'s.

        A running job counts too: a recurring one is pending again once it has run. Read
        inside `within`, when given.
        """
        row = await (within or self._db).fetch_one(
            "SELECT coalesce(sum(CASE WHEN created_by = ? THEN 1 ELSE 0 END), 0),"
            " coalesce(sum(CASE WHEN platform = ? AND chat_id = ? THEN 1 ELSE 0 END), 0)"
            " FROM jobs"
            " WHERE status IN ('pending', 'running') AND kind = ?"
            " AND (created_by = ? OR (platform = ? AND chat_id = ?))",
            (
                created_by,
                chat.platform,
                chat.chat_id,
                kind,
                created_by,
                chat.platform,
                chat.chat_id,
            ),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending job is due, or the earliest lease of a running job expires."""
        row = await self._db.fetch_one(
            "SELECT MIN(CASE status WHEN 'pending' THEN due_at ELSE lease_until END) FROM jobs"
            " WHERE status = 'pending' OR (status = 'running' AND lease_until IS NOT NULL)"
        )
        return from_db(row[0]) if row and row[0] else None

    async def claim(
        self,
        job_id: int,
        owner: str = "",
        *,
        now: datetime | None = None,
        lease: timedelta = DEFAULT_LEASE,
    ) -> Job | None:
        """Take a job for `owner` until `now + lease`; None when someone else holds it.

        A running job is claimable again only once its lease has expired. `now` defaults to
        the system clock. The job comes as it was before the claim, as from `claim_next`.
        """
        moment = now or datetime.now(UTC)
        async with self._db.transaction() as tx:
            row = await tx.fetch_one(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?,"
                f" lease_until = ? WHERE id = ? AND {_CLAIMABLE} RETURNING {_COLUMNS}",
                (owner, to_db(moment + lease), job_id, to_db(moment)),
            )
        return _before_claim(row) if row else None

    async def claim_next(
        self, owner: str, *, now: datetime, lease: timedelta = DEFAULT_LEASE
    ) -> Job | None:
        """Take the oldest due job (or one whose lease expired) for `owner`; None when none is.

        The job comes as it was before the claim: `attempts` counts the earlier runs.

        One statement: on SQLite a write transaction (writers are serial); on PostgreSQL a
        row lock that skips the rows other processes are claiming (`FOR UPDATE SKIP LOCKED`),
        outside the write lock, so pollers never wait for one another or claim a job twice.
        """
        params = (owner, to_db(now + lease), to_db(now), to_db(now), to_db(now))
        if self._db.engine is Engine.POSTGRESQL:
            row = await self._db.fetch_one(_CLAIM_NEXT_POSTGRESQL, params)
        else:
            async with self._db.transaction() as tx:
                row = await tx.fetch_one(_CLAIM_NEXT_SQLITE, params)
        return _before_claim(row) if row else None

    async def renew(self, job_id: int, owner: str, until: datetime) -> bool:
        """Extend `owner`'s lease on a running job; False when the lease was lost."""
        count = await self._db.execute(
            "UPDATE jobs SET lease_until = ?"
            " WHERE id = ? AND status = 'running' AND lease_owner = ?",
            (to_db(until), job_id, owner),
        )
        return count == 1

    async def outside_changes(self) -> tuple[int, int]:
        """A value that changes when another connection commits a change, or adds a job.

        The engine's counter (SQLite: any commit by another connection; PostgreSQL: commits to
        the cached topics) and the newest job id, which moves on both engines.
        """
        row = await self._db.fetch_one("SELECT coalesce(max(id), 0) FROM jobs")
        return (await self._db.data_version(), int(row[0]) if row else 0)

    async def complete(self, job_id: int, now: datetime) -> None:
        """Mark a job done."""
        await self._set_final(job_id, "done", None, now)

    async def fail(self, job_id: int, error: str, now: datetime) -> None:
        """Mark a job failed for good."""
        await self._set_final(job_id, "failed", error, now)

    async def reschedule(self, job_id: int, due_at: datetime, error: str | None = None) -> None:
        """Make a job pending again at `due_at` (a retry keeps its error and attempt count)."""
        await self._db.execute(
            "UPDATE jobs SET status = 'pending', due_at = ?, last_error = ?,"
            " attempts = CASE WHEN CAST(? AS TEXT) IS NULL THEN 0 ELSE attempts END,"
            " lease_owner = NULL, lease_until = NULL WHERE id = ?",
            (to_db(due_at), error, error, job_id),
        )

    async def cancel(self, job_id: int, now: datetime) -> bool:
        """Cancel a pending job; False when it was not pending."""
        count = await self._db.execute(
            "UPDATE jobs SET status = 'cancelled', finished_at = ?"
            " WHERE id = ? AND status = 'pending'",
            (to_db(now), job_id),
        )
        return count == 1

    async def _set_final(self, job_id: int, status: str, error: str | None, now: datetime) -> None:
        await self._db.execute(
            "UPDATE jobs SET status = ?, last_error = ?, finished_at = ?,"
            " lease_owner = NULL, lease_until = NULL WHERE id = ?",
            (status, error, to_db(now), job_id),
        )


def _before_claim(row: Row) -> Job:
    """The job a claim's `RETURNING` row shows, as it was before: `attempts` counts earlier runs."""
    return replace(_job(row), attempts=row[5] - 1)


def _job(row: Row) -> Job:
    return Job(
        id=row[0],
        kind=row[1],
        payload=json.loads(row[2]),
        due_at=from_db(row[3]),
        status=row[4],
        attempts=row[5],
        last_error=row[6],
        chat=ChatRef(row[7], row[8]) if row[7] is not None else None,
        created_by=row[9],
    )
