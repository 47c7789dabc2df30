"""`Parley.serve`: lifecycle of adapters, the scheduler and signals."""

from __future__ import annotations

import asyncio
import os
import signal

from tests.support import RecordingGateway


class SlowStartAdapter:
    """An adapter whose platform never finishes connecting (a login retrying with back-off)."""

    platform = "slow"

    def __init__(self) -> None:
        self.gateway = RecordingGateway(platform="slow")
        self.started = asyncio.Event()
        self.stopped = False

    async def start(self) -> None:
        self.started.set()
        await asyncio.Event().wait()

    async def wait(self) -> None:
        await asyncio.Event().wait()

    async def stop(self) -> None:
        self.stopped = True


async def test_sigterm_while_a_platform_is_still_connecting_stops_cleanly(app):
    adapter = SlowStartAdapter()
    serving = asyncio.create_task(app.serve([adapter]))
    await asyncio.wait_for(adapter.started.wait(), 5)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(serving, 5)
    assert adapter.stopped
