"""A scheduled post as its job stores it: typed fields, one version, to and from JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.i18n import Locale, parse_locale
from bot.identity import ChatRef

from .posting import PostPlan

VERSION = 1


@dataclass(frozen=True, slots=True)
class ScheduledPost:
    """What a `moderation.post` job posts, where, for whom, and how often."""

    plan: PostPlan
    locale: Locale
    by_id: str
    """The scheduling moderator's user id (`storage.job_erasure` finds a person's posts by it)."""
    by_name: str
    recurrence: str | None
    timezone: str
    origin_thread: str | None = None
    """The forum topic it was scheduled in (the job's chat has none): failures are told there."""

    def to_json(self) -> dict[str, Any]:
        """The job payload."""
        return {
            "v": VERSION,
            "item": self.plan.item,
            "options": self.plan.options,
            "target_platform": self.plan.target.platform,
            "target_chat": self.plan.target.chat_id,
            "target_thread": self.plan.target.thread_id,
            "origin_thread": self.origin_thread,
            "target_label": self.plan.target_label,
            "pin": self.plan.pin,
            "locale": self.locale,
            "by_id": self.by_id,
            "by_name": self.by_name,
            "recurrence": self.recurrence,
            "timezone": self.timezone,
        }

    @classmethod
    def from_json(cls, payload: Mapping[str, Any]) -> ScheduledPost | None:
        """The post a payload describes, or None for one forget-me emptied or another version.

        Payloads stored before the version field existed have this version's fields.
        """
        if payload.get("v", VERSION) != VERSION or "item" not in payload:
            return None
        target = ChatRef(
            str(payload["target_platform"]),
            str(payload["target_chat"]),
            _thread(payload.get("target_thread")),
        )
        plan = PostPlan(
            str(payload["item"]),
            str(payload["options"]),
            target,
            str(payload.get("target_label") or ""),
            bool(payload.get("pin")),
        )
        return cls(
            plan=plan,
            locale=parse_locale(str(payload.get("locale"))) or "en",
            by_id=str(payload.get("by_id", "")),
            by_name=str(payload.get("by_name", "?")),
            recurrence=payload.get("recurrence") or None,
            timezone=str(payload.get("timezone") or "UTC"),
            origin_thread=_thread(payload.get("origin_thread")),
        )


def _thread(value: object) -> str | None:
    """A forum topic's id as stored (payloads before topics were kept have none)."""
    return None if value is None else str(value)
