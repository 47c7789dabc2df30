"""Postable items: what moderators can post or schedule (a summary, a debate card, a poll…).

A feature offers items; the moderation feature posts them now (`/post`) or later (`/schedule`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.i18n import Locale, Localized
from bot.identity import Actor, ChatRef, MessageRef
from bot.reply import Reply


class PinRefusedError(Exception):
    """The platform will not pin the posted message, for a reason a moderator can fix."""

    def __init__(self, reason: Localized) -> None:
        super().__init__(reason.en)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class PostRequest:
    """Post item `options` (the item's own argument text) into `target` in `locale`.

    `origin` is the chat the moderator asked from (for a scheduled post, the chat it was
    scheduled in); items that name a stored object authorize against it.
    """

    target: ChatRef
    options: str
    locale: Locale
    requested_by: Actor
    origin: ChatRef
    by_moderator: bool


@dataclass(frozen=True, slots=True)
class Postable:
    """An item a moderator can post: builds its reply, and hears where it was posted.

    A `build` that stores something (a new poll) names a `discard` that removes it again: the
    poster calls it when the built reply could not be sent, so a failed post leaves nothing.
    """

    name: str
    description: Localized
    usage: str
    build: Callable[[PostRequest], Awaitable[Reply]]
    label: Localized | None = None
    """What the item is called in replies ("the summary", "摘要"); else its name."""
    aliases: tuple[str, ...] = ()
    """Other words a moderator may type for it (Chinese forms): `/post 摘要`."""
    feature: str | None = None
    """The switchable feature it belongs to: not posted where that feature is off."""
    takes_options: bool = True
    """Whether words besides item, target and pin mean something to it (else they are refused)."""
    posted: Callable[[PostRequest, MessageRef], Awaitable[None]] | None = None
    check: Callable[[PostRequest], Awaitable[None]] | None = None
    """Refuses (with a `UserError`) what `build` would refuse, without building: for schedules."""
    discard: Callable[[PostRequest], Awaitable[None]] | None = None
    """Undoes what `build` stored for this request, when its reply was never posted."""
