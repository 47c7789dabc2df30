"""Group commit for votes: a queue drained by one writer task, one transaction per batch.

Each voter awaits their own vote's result, which is set only after the batch holding it has
committed, so an acknowledgement always means the vote is stored. While one batch commits, the
next one gathers, so a burst of votes costs a few transactions instead of one per vote. A vote
that a has-voted marker refuses (the voter's ballot was kept, without them, when they asked to
be forgotten) is answered with a `UserError` that says so.
"""

from __future__ import annotations

import asyncio
import logging

from bot.clock import Clock
from bot.errors import UserError
from domain.polls import VoteResult, VoteStatus
from handlers.polls.texts import ALREADY_VOTED_BEFORE_FORGET
from storage.errors import StorageUnavailableError
from storage.poll_ballots import PollBallots, VoteCommand

log = logging.getLogger("parley.polls.votes")

MAX_BATCH = 2000


class VoteWriter:
    """Applies queued votes in shared transactions; `submit` returns once the vote committed."""

    def __init__(self, ballots: PollBallots, clock: Clock, *, max_batch: int = MAX_BATCH) -> None:
        self._ballots = ballots
        self._clock = clock
        self._max_batch = max_batch
        self._queue: list[tuple[VoteCommand, asyncio.Future[VoteResult]]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    async def submit(self, vote: VoteCommand) -> VoteResult:
        """Queue a vote and wait until it is committed; returns what it did.

        Raises `UserError` when the voter was forgotten while their ballot was in this poll.
        """
        future: asyncio.Future[VoteResult] = asyncio.get_running_loop().create_future()
        self._queue.append((vote, future))
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name="parley-poll-votes")
        result = await future
        if result.status is VoteStatus.FORGOTTEN:
            raise UserError(ALREADY_VOTED_BEFORE_FORGET, id=vote.poll_id)
        return result

    async def close(self) -> None:
        """Commit everything queued, then let the writer task end."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _drain(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                try:
                    await self._commit(batch)
                except BaseException as stop:  # cancelled, or not an Exception: none waits on
                    for _, future in batch:
                        _settle(future, error=stop)
                    raise
            if self._closing:
                return

    async def _commit(self, batch: list[tuple[VoteCommand, asyncio.Future[VoteResult]]]) -> None:
        try:
            results = await self._ballots.apply_votes(
                [vote for vote, _ in batch], self._clock.now()
            )
        except Exception as error:
            if isinstance(error, StorageUnavailableError):
                # Locked, read-only or full: every vote would fail the same way, so fail them
                # all now rather than one by one, each waiting out the busy timeout.
                log.error("event=vote_batch_failed size=%d reason=%r", len(batch), str(error))
                for _, future in batch:
                    _settle(future, error=error)
                return
            if len(batch) == 1:
                log.exception("event=vote_failed poll=%d", batch[0][0].poll_id)
                _settle(batch[0][1], error=error)
                return
            log.warning("event=vote_batch_failed size=%d retrying=one_by_one", len(batch))
            for item in batch:
                await self._commit([item])
            return
        for (_, future), result in zip(batch, results, strict=True):
            _settle(future, result=result)


def _settle(
    future: asyncio.Future[VoteResult],
    *,
    result: VoteResult | None = None,
    error: BaseException | None = None,
) -> None:
    if future.done():
        return  # the voter stopped waiting; the vote itself stands
    if isinstance(error, asyncio.CancelledError):
        future.cancel()
    elif error is not None:
        future.set_exception(error)
    elif result is not None:
        future.set_result(result)
