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


class IdleAdapter:
    """An adapter that connects at once and never ends on its own."""

    platform = "idle"

    def __init__(self) -> None:
        self.gateway = RecordingGateway(platform="idle")
        self.serving = asyncio.Event()

    async def start(self) -> None:
        pass

    async def wait(self) -> None:
        self.serving.set()  # `serve` waits on its adapters once the stop signals are in place
        await asyncio.Event().wait()

    async def stop(self) -> None:
        pass


async def test_stopping_lets_commands_in_progress_finish_and_turns_new_ones_away(demo_app):
    from tests.support import RecordingResponder, make_actor, make_command

    release = asyncio.Event()
    entered = asyncio.Event()
    demo = demo_app.router.registry.command("echo")
    original = demo.handler

    async def slow_echo(ctx, **args):
        entered.set()
        await release.wait()
        return await original(ctx, **args)

    object.__setattr__(demo, "handler", slow_echo)
    adapter = IdleAdapter()
    serving = asyncio.create_task(demo_app.serve([adapter]))
    first = RecordingResponder()
    in_progress = asyncio.create_task(
        demo_app.router.dispatch(make_command("/echo 1 still here"), first)
    )
    await asyncio.wait_for(asyncio.gather(adapter.serving.wait(), entered.wait()), 5)
    os.kill(os.getpid(), signal.SIGTERM)
    restarting = "Parley 正在重启，请稍后再试。"
    late = RecordingResponder()
    for _ in range(500):  # until the signal is handled: then every new command is turned away
        late = RecordingResponder()
        await demo_app.router.dispatch(
            make_command("/about", actor=make_actor("zed", locale="zh")), late
        )
        if late.text == restarting:
            break
        await asyncio.sleep(0.01)
    assert late.text == restarting and late.replies[0].private
    assert not serving.done()  # waiting for the command in progress
    release.set()
    await asyncio.wait_for(asyncio.gather(in_progress, serving), 5)
    assert first.text == "still here"
