"""Posting items into chats: resolve the target, check permission, post, pin and record."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.context import Outbox
from bot.errors import UserError
from bot.i18n import Localized
from bot.identity import ChatRef, MessageRef
from bot.posting import PinRefusedError, Postable, PostRequest
from bot.services import FeatureSet
from storage.posts import PostRecord
from storage.store import Storage

from . import texts

log = logging.getLogger("parley.moderation")


@dataclass(frozen=True, slots=True)
class PostPlan:
    """What to post where: an item with its options, a target, and whether to pin it."""

    item: str
    options: str
    target: ChatRef
    target_label: str
    pin: bool


@dataclass(frozen=True, slots=True)
class PostOutcome:
    """Where the item went and whether pinning worked."""

    message: MessageRef
    pinned: bool
    pin_refusal: Localized | None = None
    """Why the platform would not pin it, when it said (a missing permission)."""


class Poster:
    """Posts items for moderators, now or from the scheduler."""

    def __init__(
        self,
        features: FeatureSet,
        outbox: Outbox,
        storage: Storage,
        clock: Clock,
    ) -> None:
        self._features = features
        self._outbox = outbox
        self._posts = storage.posts
        self._chat_settings = storage.chat_settings
        self._clock = clock

    def now(self) -> datetime:
        """The current time."""
        return self._clock.now()

    def item(self, name: str) -> Postable:
        """The postable called `name`, or a `UserError` listing the choices."""
        items = self._features.postables()
        found = items.get(name.lower())
        if found is None:
            raise UserError(texts.UNKNOWN_ITEM, item=name[:40], items=", ".join(sorted(items)))
        return found

    def label(self, name: str) -> Localized:
        """What replies call the item `name` ("summary", "摘要")."""
        postable = self._features.postables().get(name)
        if postable is None or postable.label is None:
            return Localized(name, name)
        return postable.label

    async def check(self, plan: PostPlan, request: PostRequest) -> None:
        """Refuse clearly what posting would refuse, before anything is built or stored.

        Options an item takes none of, an item whose feature is off at the target, a target
        the bot or the moderator cannot post in, and the item's own `Postable.check`: `/post`
        and `/schedule` (when asked, and again when due) refuse with the same message.
        """
        postable = self.item(plan.item)
        where = plan.target_label or texts.HERE
        if not postable.takes_options and plan.options:
            raise UserError(
                texts.NO_OPTIONS, item=self.label(plan.item), word=plan.options.split()[0][:40]
            )
        settings = await self._chat_settings.get(plan.target)
        if postable.feature is not None and postable.feature in settings.disabled_features:
            raise UserError(texts.FEATURE_OFF_THERE, item=self.label(plan.item), target=where)
        gateway = self._outbox.gateway(plan.target.platform)
        reason = await gateway.check_can_post(plan.target, request.requested_by)
        if reason is not None:
            raise UserError(texts.CANNOT_POST, target=where, reason=reason)
        if postable.check is not None:
            await postable.check(request)

    async def post(
        self, plan: PostPlan, request: PostRequest, job_id: int | None = None
    ) -> PostOutcome:
        """Build the item, post it, pin it if asked, and record the post.

        When the send fails, the item discards what its build stored (see `Postable.discard`).
        """
        postable = self.item(plan.item)
        actor = request.requested_by
        reply = await postable.build(request)
        try:
            message = await self._outbox.send(plan.target, reply)
        except BaseException:
            if postable.discard is not None:
                await postable.discard(request)
            raise
        if postable.posted is not None:
            await postable.posted(request, message)
        pinned, refusal = False, None
        if plan.pin:
            try:
                await self._outbox.gateway(plan.target.platform).pin(message)
                pinned = True
            except PinRefusedError as error:
                refusal = error.reason
            except Exception:
                log.warning("event=pin_failed chat=%s", plan.target.key, exc_info=True)
        await self._posts.record(
            PostRecord(
                item=plan.item,
                options=plan.options,
                message=message,
                pinned=pinned,
                posted_by_id=actor.user_id,
                posted_by_name=actor.display_name,
                posted_at=self._clock.now(),
                job_id=job_id,
            )
        )
        return PostOutcome(message, pinned, refusal)
