"""Fixtures: a fake Discord patched in, a Parley app on a temporary database, a harness that
starts the real adapter and waits for each interaction to be handled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl

from bot.adapters.discord import DiscordAdapter
from bot.adapters.discord.client import ParleyClient
from bot.app import Parley
from bot.config import Settings
from bot.services import Services
from handlers.general import GeneralFeature

from . import builders
from .fake_discord import Call, FakeDiscord
from .sample_feature import SampleFeature

TIMEOUT = 5.0


class Harness:
    """Starts adapters against the fake and runs interactions to completion."""

    def __init__(self, fake: FakeDiscord, app: Parley) -> None:
        self.fake = fake
        self.app = app
        self.tree_errors: list[BaseException] = []
        self.adapters: list[DiscordAdapter] = []
        self.handled_by: dict[int, ParleyClient] = {}  # interaction id -> the client it reached
        self._done: dict[int, asyncio.Event] = {}

    async def start(self, token: str = builders.TOKEN, **options: Any) -> DiscordAdapter:
        adapter = DiscordAdapter(
            self.app.router,
            token,
            guild_ready_timeout=0.01,
            retry_delay=lambda: 0.01,
            **options,
        )
        self.adapters.append(adapter)
        await adapter.start()
        await asyncio.wait_for(adapter.client.wait_until_ready(), TIMEOUT)
        tree = adapter.client.tree
        handle_error = tree.on_error

        async def record(interaction: discord.Interaction, error: Exception) -> None:
            self.tree_errors.append(error)
            try:
                await handle_error(interaction, error)
            finally:
                self.finished(interaction.id)

        tree.error(record)
        return adapter

    def track_interactions(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Mark each interaction finished when the client has handled it (see `interact`)."""
        handle = ParleyClient._handle

        async def tracked_handle(
            client: ParleyClient, interaction: discord.Interaction, *args: Any
        ) -> None:
            self.handled_by[interaction.id] = client
            try:
                await handle(client, interaction, *args)
            finally:
                self.finished(interaction.id)

        monkeypatch.setattr(ParleyClient, "_handle", tracked_handle)
        run_command = ParleyClient._run_command

        async def tracked_command(
            client: ParleyClient, interaction: discord.Interaction, *args: Any
        ) -> None:
            """A command that opens a form answers without reaching `_handle`: finished too."""
            self.handled_by.setdefault(interaction.id, client)
            try:
                await run_command(client, interaction, *args)
            finally:
                self.finished(interaction.id)

        monkeypatch.setattr(ParleyClient, "_run_command", tracked_command)

    def finished(self, interaction_id: int) -> None:
        self._done.setdefault(interaction_id, asyncio.Event()).set()

    async def interact(self, payload: dict[str, Any], *, shard: int | None = None) -> list[Call]:
        """Dispatch an INTERACTION_CREATE (on every connection, or on `shard`'s) and return the
        calls made with its token."""
        done = self._done.setdefault(int(payload["id"]), asyncio.Event())
        await self.fake.dispatch("INTERACTION_CREATE", payload, shard=shard)
        await asyncio.wait_for(done.wait(), TIMEOUT)
        await self.app.services.background.idle()  # the live edits it caused
        return self.fake.calls_for(payload["token"])

    async def close(self) -> None:
        for adapter in self.adapters:
            await adapter.stop()


class _ErrorRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def features(services: Services) -> list[Any]:
    return [GeneralFeature(services), SampleFeature()]


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", server.api_url)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(server.gateway_url)
    )
    yield server
    await server.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_path=tmp_path / "parley.db",
        rate_limit_burst=1000,
        rate_limit_per_minute=1000.0,
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Parley]:
    async with Parley.open(settings, features=features) as parley:
        yield parley


@pytest.fixture
def library_errors() -> Callable[[], list[logging.LogRecord]]:
    recorder = _ErrorRecorder()
    logger = logging.getLogger("discord")
    logger.addHandler(recorder)
    yield lambda: recorder.records
    logger.removeHandler(recorder)


@pytest.fixture
async def harness(
    fake: FakeDiscord,
    app: Parley,
    monkeypatch: pytest.MonkeyPatch,
    library_errors: Callable[[], list[logging.LogRecord]],
) -> AsyncIterator[Harness]:
    harness = Harness(fake, app)
    harness.track_interactions(monkeypatch)
    yield harness
    await harness.close()
    assert harness.tree_errors == []
    assert fake.unhandled == []
    assert [r.getMessage() for r in library_errors()] == []
