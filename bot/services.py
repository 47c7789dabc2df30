"""The long-lived objects a feature is built with (no globals: `main()` creates them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.clock import Clock
from bot.commands import ActionSpec, CommandSpec, Registry
from bot.config import Settings
from bot.context import Outbox
from bot.scheduler import JobRunner, Scheduler
from storage.store import Storage


@dataclass(frozen=True, slots=True)
class Services:
    """Shared services handed to each feature's constructor."""

    settings: Settings
    storage: Storage
    scheduler: Scheduler
    outbox: Outbox
    clock: Clock
    registry: Registry


class Feature(Protocol):
    """A feature module: its commands, button actions and scheduled job kinds."""

    def commands(self) -> Iterable[CommandSpec]:
        """The commands it declares."""
        ...

    def actions(self) -> Iterable[ActionSpec]:
        """The button actions it declares."""
        ...

    def jobs(self) -> Mapping[str, JobRunner]:
        """Runners for the job kinds it schedules."""
        ...
