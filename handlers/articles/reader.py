"""Read a fetched page (extract its text) in a worker process that is killed when time is up.

Extraction is CPU-bound and its cost depends on the page's shape, not only its size: a 1.7 MB
table of wide cells costs trafilatura about 25 s and most of a gigabyte. A thread cannot be
stopped, so each page is read by a fresh `python -m handlers.articles.reader_worker` under a memory
and CPU-time limit, and killed at the deadline. Its environment holds only PATH and the library
path (no tokens), and it speaks JSON both ways. At most `workers` pages are read at a time.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from bot.errors import UserError
from bot.i18n import Localized
from handlers.articles.extract import ReadableText
from handlers.articles.fetch import FetchedPage

READ_SECONDS = 10.0
WORKERS = 2
WORKER_MEMORY_BYTES = 1024 * 1024 * 1024
MAX_ANSWER_BYTES = 16 * 1024 * 1024
_PROJECT_ROOT = Path(__file__).resolve().parents[2]
_KEPT_ENVIRONMENT = ("PATH", "LD_LIBRARY_PATH", "SYSTEMROOT")

TOO_SLOW = Localized(
    "This page took too long to read (over {seconds} seconds), so I stopped.",
    "这个网页读取时间过长（超过 {seconds} 秒），已停止读取。",
)
TOO_COMPLEX = Localized(
    "This page is too complex for me to read.", "这个网页结构过于复杂，无法读取。"
)
BUSY = Localized(
    "I am reading other pages right now; try again in a minute.",
    "正在读取其他网页，请过一分钟再试。",
)


class ExtractionError(RuntimeError):
    """The worker failed with an unexpected error (a bug: logged, never shown to users)."""


class PageReader:
    """Extracts pages' readable text in worker processes, in a time budget they cannot exceed."""

    def __init__(
        self,
        *,
        seconds: float = READ_SECONDS,
        workers: int = WORKERS,
        memory_bytes: int = WORKER_MEMORY_BYTES,
    ) -> None:
        self._seconds = seconds
        self._memory_bytes = memory_bytes
        self._slots = asyncio.Semaphore(workers)

    async def read(self, page: FetchedPage) -> ReadableText:
        """The page's title and text, or a `UserError`: too slow, too complex, no text, busy."""
        try:
            async with asyncio.timeout(self._seconds):
                await self._slots.acquire()
        except TimeoutError:
            raise UserError(BUSY) from None
        try:
            answer, status = await self._ask_worker(page)
        finally:
            self._slots.release()
        return _readable_or_refusal(answer, status)

    async def _ask_worker(self, page: FetchedPage) -> tuple[bytes, int]:
        """Run one worker on `page`: its answer and exit status, or `TOO_SLOW` past the budget."""
        header = {"url": page.url, "media_type": page.media_type, "charset": page.charset}
        limits = (str(self._seconds), str(self._memory_bytes))
        environment = {key: os.environ[key] for key in _KEPT_ENVIRONMENT if key in os.environ}
        worker = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "handlers.articles.reader_worker", *limits),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            cwd=_PROJECT_ROOT,
            env=environment,
        )
        try:
            async with asyncio.timeout(self._seconds):
                answer = await _exchange(worker, json.dumps(header).encode() + b"\n" + page.body)
                return answer, await worker.wait()
        except TimeoutError:
            raise UserError(TOO_SLOW, seconds=round(self._seconds)) from None
        finally:
            if worker.returncode is None:
                worker.kill()
            await worker.wait()


async def _exchange(worker: asyncio.subprocess.Process, request: bytes) -> bytes:
    """Send the request, then read the answer until the worker closes it (capped)."""
    assert worker.stdin is not None and worker.stdout is not None
    try:
        worker.stdin.write(request)
        await worker.stdin.drain()
        worker.stdin.close()
    except ConnectionError:  # the worker died before reading it all; its answer says why
        pass
    answer = bytearray()
    while chunk := await worker.stdout.read(64 * 1024):
        answer.extend(chunk)
        if len(answer) > MAX_ANSWER_BYTES:
            raise UserError(TOO_COMPLEX)
    return bytes(answer)


def _readable_or_refusal(answer: bytes, status: int) -> ReadableText:
    """The text in the worker's answer, or the refusal (or bug) it reports."""
    if status < 0:  # killed by a signal: past its CPU time, or aborted out of memory
        raise UserError(TOO_COMPLEX)
    try:
        outcome = json.loads(answer)
    except ValueError:
        raise ExtractionError(f"the page reader exited with status {status}, no answer") from None
    if "markdown" in outcome:
        return ReadableText(outcome["title"], outcome["markdown"])
    if "refused" in outcome:
        raise UserError(Localized(**outcome["refused"]), **outcome["values"])
    if "error" in outcome:
        raise ExtractionError(outcome["error"])
    raise UserError(TOO_COMPLEX)
