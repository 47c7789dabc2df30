"""Operator commands while the bot runs: the command line queues them, the running bot runs them.

The bot keeps caches (ballots, settings) that a second process writing the same database
would leave stale, so `parley forget-user` with a bot running stores a request; the bot's
scheduler notices it within about a second, does the work in-process, stores the result,
and the command line prints it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.scheduler import JobRunner
from bot.services import BaseFeature, Services
from handlers.moderation.feature import forget_user
from storage.database import Database
from storage.jobs import Job
from storage.operator_requests import JOB_KIND, OperatorRequestRepository

log = logging.getLogger("parley.operator")

FORGET_USER = "forget-user"
ANSWER_TIMEOUT = 60.0
"""Seconds the command line waits for the running bot's answer."""
_POLL_INTERVAL = 0.1


async def forget_user_now(services: Services, platform: str, user_id: str) -> int:
    """Forget a person in this process (the moderation feature decides what that removes)."""
    return await forget_user(services, platform, user_id)


class OperatorRequests(BaseFeature):
    """The running bot's side: the job that answers what the command line queued."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def jobs(self) -> Mapping[str, JobRunner]:
        """The operator-request job."""
        return {JOB_KIND: request_runner(self._services)}


def request_runner(services: Services) -> JobRunner:
    """The job runner with which a running bot answers queued operator requests."""
    requests = OperatorRequestRepository(services.storage.database)

    async def run(job: Job) -> datetime | None:
        request_id = int(job.payload.get("request", 0))
        found = await requests.arguments(request_id)
        if found is None:  # already answered (a retried job) or withdrawn
            return None
        command, arguments = found
        result = await _perform(services, command, arguments)
        await requests.answer(request_id, result, services.clock.now())
        log.info("event=operator_request_done id=%d command=%s", request_id, command)
        return None

    return run


async def _perform(services: Services, command: str, arguments: dict[str, Any]) -> dict[str, Any]:
    if command != FORGET_USER:
        return {"error": f"unknown operator command {command!r}"}
    try:
        count = await forget_user_now(services, arguments["platform"], arguments["user_id"])
    except Exception as error:
        log.exception("event=operator_request_failed command=%s", command)
        return {"error": f"{type(error).__name__}: {error}"}
    return {"count": count}


async def ask_running_bot(
    database: Database,
    command: str,
    arguments: dict[str, Any],
    clock: Clock,
    patience: float = ANSWER_TIMEOUT,
) -> dict[str, Any] | None:
    """Queue a request for the bot serving `database`; its result, or None after `patience` s."""
    requests = OperatorRequestRepository(database)
    request_id = await requests.submit(command, arguments, clock.now())
    deadline = time.monotonic() + patience
    while (result := await requests.take_result(request_id)) is None:
        if time.monotonic() > deadline:
            return None
        await asyncio.sleep(_POLL_INTERVAL)
    return result
