"""The application: owns storage, registry, router and scheduler, and runs the adapters."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Protocol

from bot.audit_feed import AuditFeed
from bot.authority import Authority
from bot.clock import Clock, SystemClock
from bot.commands import Registry, register_all
from bot.config import Settings
from bot.context import Gateway, Outbox
from bot.identity import ChatMoved
from bot.ratelimit import RateLimiter
from bot.router import Router
from bot.scheduler import Scheduler
from bot.seals import ButtonSeal
from bot.services import Feature, FeatureSet, Services
from storage.database import Database
from storage.store import Storage

log = logging.getLogger("parley.app")

FeatureFactory = Callable[[Services], Sequence[Feature]]
DRAIN_TIMEOUT = 10.0  # seconds to let commands in progress finish before shutting down


class FatalAdapterError(Exception):
    """A platform refused to start (e.g. a wrong token); the message is shown to the operator."""


class Adapter(Protocol):
    """A platform connection: started, awaited until it ends, stopped."""

    platform: str

    @property
    def gateway(self) -> Gateway:
        """How the core sends to this platform (read-only: adapters hold their own type)."""
        ...

    async def start(self) -> None:
        """Connect and begin receiving events."""
        ...

    async def wait(self) -> None:
        """Return when the adapter has ended on its own (e.g. the console reached end of input)."""
        ...

    async def stop(self) -> None:
        """Disconnect; safe to call more than once."""
        ...


class Parley:
    """One running bot: the core shared by every adapter."""

    def __init__(self, services: Services, router: Router) -> None:
        self.services = services
        self.router = router

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        settings: Settings,
        clock: Clock | None = None,
        *,
        features: FeatureFactory,
    ) -> AsyncIterator[Parley]:
        """Open the database, build `features`, and close everything on exit.

        The composition root (`parley.features.build_features`) says which features run.
        """
        clock = clock or SystemClock()
        async with Database.open(settings.database_url) as database:
            storage = Storage(database)
            registry = Registry()
            lease = timedelta(seconds=settings.job_lease_seconds)
            scheduler = Scheduler(storage.jobs, clock, lease=lease)
            authority = Authority()
            feed = AuditFeed()
            services = Services(
                settings,
                storage,
                scheduler,
                Outbox(),
                clock,
                registry,
                FeatureSet(),
                authority,
                feed,
            )
            await storage.poll_key.load()
            built = features(services)
            await storage.poll_key.save()
            services.features.extend(built)
            for feature in built:
                register_all(registry, feature.commands(), feature.actions())
                for kind, runner in feature.jobs().items():
                    scheduler.register(kind, runner)
                for custodian in feature.custodians():
                    authority.register(custodian)
            for kind in registry.guarded_kinds():
                authority.custodian(kind)  # a guard with no custodian fails here, at start-up
            limiter = RateLimiter(
                clock, per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst
            )
            router = Router(
                registry,
                storage,
                clock,
                default_locale=settings.locale,
                rate_limiter=limiter,
                authority=authority,
                seal=ButtonSeal(await storage.seal_key.get_or_create()),
                feature_label=services.features.label,
                audit_feed=feed,
            )
            app = cls(services, router)
            try:
                yield app
            finally:
                await scheduler.stop()
                await services.features.shutdown()
                await services.background.idle()

    async def move_chat(self, moved: ChatMoved) -> None:
        """A chat took a new id on its platform: everything kept of it moves there (idempotent)."""
        rows = await self.services.storage.chat_moves.move(moved, self.services.clock.now())
        log.info(
            "event=chat_moved platform=%s old=%s new=%s rows=%d",
            moved.platform,
            moved.old_chat_id,
            moved.new_chat_id,
            rows,
        )

    async def serve(self, adapters: Sequence[Adapter]) -> None:
        """Start the adapters and the scheduler; run until a signal or an adapter ends.

        SIGINT/SIGTERM are honoured from the first moment, also while a platform is still
        connecting (a login may be retrying with back-off).
        """
        started: list[Adapter] = []
        async with _stop_signals() as stop:
            try:
                for adapter in adapters:
                    self.services.outbox.register(adapter.gateway)
                    started.append(adapter)  # stopping is safe after a failed or cut start
                    if not await _unless_stopped(adapter.start(), stop):
                        return
                await self.services.scheduler.start()
                await _wait_for_end(started, stop)
            finally:
                await self.services.scheduler.stop()
                await self._drain()
                await self.services.background.close(DRAIN_TIMEOUT)  # e.g. a flood wait
                await self.services.features.shutdown()  # while the platforms can still send
                for adapter in reversed(started):
                    try:
                        await adapter.stop()
                    except Exception:
                        log.exception("event=adapter_stop_failed platform=%s", adapter.platform)

    async def _drain(self) -> None:
        """Take no new commands; give those in progress a few seconds to finish."""
        self.router.stop_accepting()
        try:
            async with asyncio.timeout(DRAIN_TIMEOUT):
                await self.router.wait_idle()
        except TimeoutError:
            log.warning("event=drain_timeout seconds=%s", DRAIN_TIMEOUT)


@asynccontextmanager
async def _stop_signals() -> AsyncIterator[asyncio.Event]:
    """An event set by SIGINT or SIGTERM while the block runs."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    installed: list[signal.Signals] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        yield stop
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


async def _unless_stopped(work: Awaitable[None], stop: asyncio.Event) -> bool:
    """Run `work` unless `stop` is set first (then cancel it); True when it finished."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait((task, stopping), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if task.done():
        task.result()  # a failed start raises here
        return True
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return False


async def _wait_for_end(adapters: Sequence[Adapter], stop: asyncio.Event) -> None:
    """Wait until `stop` is set or any adapter ends."""
    waiters: list[asyncio.Task[object]] = [
        asyncio.create_task(adapter.wait()) for adapter in adapters
    ]
    waiters.append(asyncio.create_task(stop.wait()))
    try:
        done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
    finally:
        for task in waiters:
            task.cancel()
