"""The long-lived objects a feature is built with (no globals: `main()` creates them)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.audit_feed import AuditFeed
from bot.authority import Authority, Custodian
from bot.background import BackgroundWork
from bot.clock import Clock
from bot.commands import ActionSpec, CommandSpec, Registry
from bot.config import Settings
from bot.context import Outbox
from bot.i18n import Localized
from bot.posting import Postable
from bot.scheduler import JobRunner, Scheduler
from storage.store import Storage

log = logging.getLogger("parley.services")


class FeatureSet:
    """The running features, for the few services that work across all of them."""

    def __init__(self) -> None:
        self._features: list[Feature] = []

    def extend(self, features: Iterable[Feature]) -> None:
        """Add the built features."""
        self._features.extend(features)

    def postables(self) -> dict[str, Postable]:
        """Every postable item, by name."""
        return {item.name: item for feature in self._features for item in feature.postables()}

    def switches(self) -> dict[str, Localized]:
        """What each switchable feature is called (`polls`: "polls", "投票"), by its name."""
        return {name: label for feature in self._features for name, label in feature.switches()}

    def label(self, name: str) -> Localized:
        """What people call the feature `name` (its own name if it declared nothing)."""
        return self.switches().get(name, Localized(name, name))

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Ask every feature to forget a person; returns the records changed."""
        return sum([await feature.forget_user(platform, user_id) for feature in self._features])

    async def shutdown(self) -> None:
        """Let every feature finish its pending work; a failure is logged, not raised."""
        for feature in self._features:
            try:
                await feature.shutdown()
            except Exception:
                log.exception("event=feature_shutdown_failed feature=%s", type(feature).__name__)


@dataclass(frozen=True, slots=True)
class Services:
    """Shared services handed to each feature's constructor."""

    settings: Settings
    storage: Storage
    scheduler: Scheduler
    outbox: Outbox
    clock: Clock
    registry: Registry
    features: FeatureSet
    authority: Authority
    audit_feed: AuditFeed
    background: BackgroundWork = field(default_factory=BackgroundWork)
    """Work beside the update that caused it (live tallies' edits); finished at shutdown."""


class Feature(Protocol):
    """A feature module: what it declares, and how it forgets a person."""

    def commands(self) -> Iterable[CommandSpec]:
        """The commands it declares."""
        ...

    def actions(self) -> Iterable[ActionSpec]:
        """The button actions it declares."""
        ...

    def jobs(self) -> Mapping[str, JobRunner]:
        """Runners for the job kinds it schedules."""
        ...

    def custodians(self) -> Iterable[Custodian]:
        """The kinds of object it keeps that commands and buttons name by id."""
        ...

    def postables(self) -> Iterable[Postable]:
        """Items moderators can post and schedule."""
        ...

    def switches(self) -> Iterable[tuple[str, Localized]]:
        """The names its commands give as `feature`, each with what people call it."""
        ...

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Remove or anonymize what it stores about a person; returns how many records changed."""
        ...

    async def shutdown(self) -> None:
        """Finish pending work (queued writes, waiting edits) before the bot stops."""
        ...


class BaseFeature:
    """Empty defaults for the `Feature` protocol; a feature overrides what it has."""

    def commands(self) -> Iterable[CommandSpec]:
        """No commands."""
        return ()

    def actions(self) -> Iterable[ActionSpec]:
        """No button actions."""
        return ()

    def jobs(self) -> Mapping[str, JobRunner]:
        """No scheduled jobs."""
        return {}

    def custodians(self) -> Iterable[Custodian]:
        """No objects named by id."""
        return ()

    def postables(self) -> Iterable[Postable]:
        """Nothing to post."""
        return ()

    def switches(self) -> Iterable[tuple[str, Localized]]:
        """Nothing to switch off."""
        return ()

    async def forget_user(self, platform: str, user_id: str) -> int:
        """Nothing stored about people."""
        return 0

    async def shutdown(self) -> None:
        """Nothing pending."""
