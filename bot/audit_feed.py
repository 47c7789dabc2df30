"""Audit entries as they are written, for whoever shows them elsewhere (the mod-log channel).

The router publishes every entry it stores with the community it belongs to (a Discord server;
on platforms without servers, the chat itself). A listener may answer with a notice for the
moderator who acted (e.g. "I could not post this in the mod-log channel"); a listener's failure
is logged and never reaches the action's answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.i18n import Localized
from storage.audit import AuditEntry

log = logging.getLogger("parley.audit")


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """An audit entry just stored; `community` is None when the router cannot tell it."""

    entry: AuditEntry
    community: str | None


AuditListener = Callable[[AuditEvent], Awaitable[Localized | None]]
"""Hears an entry; returns a notice for the acting moderator, or None."""


class AuditFeed:
    """The listeners of stored audit entries."""

    def __init__(self) -> None:
        self._listeners: list[AuditListener] = []

    def subscribe(self, listener: AuditListener) -> None:
        """Call `listener` with every entry stored from now on."""
        self._listeners.append(listener)

    async def publish(self, event: AuditEvent) -> list[Localized]:
        """Tell every listener; the notices they return, in order."""
        notices: list[Localized] = []
        for listener in self._listeners:
            try:
                notice = await listener(event)
            except Exception:
                log.exception("event=audit_listener_failed action=%r", event.entry.action)
                continue
            if notice is not None:
                notices.append(notice)
        return notices
