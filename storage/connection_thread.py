"""A thread that owns one database connection and runs the event loop's jobs on it, in order.

A job is a plain function of the connection. `submit` queues it and returns a future of the
event loop, which the thread completes (`call_soon_threadsafe`) with what the job returned or
raised; `post` queues one whose outcome nobody awaits. Jobs run one at a time in the order they
were queued, so a job queued after another always sees its effect, even when the task that
queued the first stopped waiting for it. The connection is made, used and closed on the thread
alone, as SQLite's driver requires.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any, Generic, TypeVar

from storage.errors import StorageUnavailableError

log = logging.getLogger("parley.storage")

C = TypeVar("C")
T = TypeVar("T")
_Job = tuple[
    Callable[[Any], Any] | None, asyncio.AbstractEventLoop | None, "asyncio.Future[Any] | None"
]
"""(job, loop, future); no future: posted; no job: the thread closes the connection and ends."""


class ThreadStoppedError(StorageUnavailableError):
    """A job was queued after the thread stopped: the database is closed, so it cannot serve.

    An outage to what is above storage (a friendly reply, a vote batch failed at once), not a
    crash with a traceback for each statement that came too late.
    """


class ConnectionThread(Generic[C]):
    """The one thread a connection lives on; the event loop awaits the jobs it queues there."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._serving = False

    async def start(self, connect: Callable[[], C], disconnect: Callable[[C], None]) -> None:
        """Start the thread and make the connection there (`connect`'s error is raised here).

        `disconnect` closes the connection when the thread stops.
        """
        ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._thread = threading.Thread(
            target=self._serve, args=(connect, disconnect, ready), name=self._name, daemon=True
        )
        self._thread.start()
        try:
            await ready
            self._serving = True
        except asyncio.CancelledError:
            self._jobs.put((None, None, None))  # the thread connects on: let it close and end
            raise

    async def stop(self) -> None:
        """Run every job queued so far, close the connection, and end the thread."""
        if not self._serving or self._thread is None:
            return
        self._serving = False
        stopped: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._jobs.put((None, stopped.get_loop(), stopped))
        await stopped
        self._thread.join()

    def submit(self, job: Callable[[C], T]) -> asyncio.Future[T]:
        """Queue `job`; a future of what it returns or raises, completed on this event loop."""
        if not self._serving:
            raise ThreadStoppedError(f"{self._name} has stopped: the database is closed")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put((job, future.get_loop(), future))
        return future

    def post(self, job: Callable[[C], object]) -> None:
        """Queue `job` without awaiting it (jobs queued later run after it); errors are logged.

        After the stop there is nothing left for it to do: it is dropped.
        """
        if self._serving:
            self._jobs.put((job, None, None))

    def _serve(
        self,
        connect: Callable[[], C],
        disconnect: Callable[[C], None],
        ready: asyncio.Future[None],
    ) -> None:
        try:
            connection = connect()
        except BaseException as failure:
            _deliver(ready.get_loop(), ready, None, failure)
            return
        _deliver(ready.get_loop(), ready, None, None)
        loop, stopped = self._run_jobs(connection)
        error: BaseException | None = None
        try:
            disconnect(connection)
        except BaseException as problem:
            error = problem
        if loop is not None and stopped is not None:
            _deliver(loop, stopped, None, error)

    def _run_jobs(
        self, connection: C
    ) -> tuple[asyncio.AbstractEventLoop | None, asyncio.Future[Any] | None]:
        """Run queued jobs until the stop; the loop and future the stop is to complete.

        Whatever a job raises goes to its future, `BaseException`s too (as a thread pool's
        worker does): the thread serves on, and nothing queued waits for a thread that ended.
        """
        while True:
            job, loop, future = self._jobs.get()
            if job is None:
                return loop, future
            try:
                result = job(connection)
            except BaseException as error:
                if loop is None or future is None:
                    log.warning("event=database_job_failed job=%r error=%r", job, error)
                else:
                    _deliver(loop, future, None, error)
            else:
                if loop is not None and future is not None:
                    _deliver(loop, future, result, None)


def _deliver(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    result: object,
    error: BaseException | None,
) -> None:
    """Complete `future` on its loop (from the connection's thread)."""
    with suppress(RuntimeError):  # the loop is closed: nobody waits any more
        loop.call_soon_threadsafe(_settle, future, result, error)


def _settle(future: asyncio.Future[Any], result: object, error: BaseException | None) -> None:
    if future.cancelled():
        return  # its task stopped waiting; the job itself has run
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)
