"""Scheduled posts: `/schedule ITEM WHEN [TARGET] [options]`, listing, cancelling, running."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.context import Context, Outbox
from bot.errors import UserError
from bot.i18n import Locale
from bot.identity import Actor, ChatRef
from bot.params import ChoiceParam
from bot.posting import PostRequest
from bot.quotas import SCHEDULED_POSTS, refusal
from bot.reply import BulletList, Reply
from bot.sanitize import clipped
from bot.scheduler import Scheduler
from storage.jobs import Job, JobRepository
from storage.quota import Quota, QuotaReachedError

from . import texts
from .posting import Poster, PostPlan
from .scheduled_post import ScheduledPost
from .when import parse_recurrence, parse_when
from .wording import read_plan

log = logging.getLogger("parley.moderation")

JOB_KIND = "moderation.post"
_SHOWN_OPTIONS = 40
_CANCEL_REFUSALS = {
    "running": texts.SCHEDULE_RUNNING,
    "cancelled": texts.SCHEDULE_ALREADY_CANCELLED,
    "done": texts.SCHEDULE_ALREADY_POSTED,
    "failed": texts.SCHEDULE_ALREADY_STOPPED,
}


class ScheduledPosts:
    """Stores scheduled posts as durable jobs and runs them when due."""

    def __init__(
        self,
        poster: Poster,
        scheduler: Scheduler,
        jobs: JobRepository,
        outbox: Outbox,
        *,
        quota: Quota,
    ) -> None:
        self._poster = poster
        self._scheduler = scheduler
        self._jobs = jobs
        self._outbox = outbox
        self._quota = quota
        scheduler.on_failure(self._report_failure)

    async def create(
        self, ctx: Context, item: str | None, details: str, param: ChoiceParam
    ) -> Reply:
        """Schedule the item the words name, at the time among them.

        The post is checked as `/post` would check it, so what `/post` refuses is refused now,
        with the same message. Refused, with nothing stored, when the moderator or the chat
        already has as many posts waiting as the quota allows (counted and stored in one
        transaction, so two processes cannot both take the last place).
        """
        timezone = ctx.settings.zone.key
        when = parse_when(details, timezone, ctx.clock.now())
        plan = read_plan(when.rest, item, param, self._outbox, ctx.chat)
        request = PostRequest(
            plan.target, plan.options, ctx.locale, ctx.actor, ctx.chat, await ctx.moderates()
        )
        await self._poster.check(plan, request)
        post = ScheduledPost(
            plan=plan,
            locale=ctx.locale,
            by_id=ctx.actor.user_id,
            by_name=ctx.actor.display_name,
            recurrence=when.recurrence.describe() if when.recurrence else None,
            timezone=timezone,
            origin_thread=ctx.chat.thread_id,
        )
        try:
            job_id = await self._scheduler.schedule(
                JOB_KIND,
                when.first,
                post.to_json(),
                chat=ctx.chat,
                created_by=ctx.actor.key,
                quota=self._quota,
            )
        except QuotaReachedError as error:
            raise refusal(error, SCHEDULED_POSTS) from None
        local = _local(when.first, ctx.settings.zone)
        if when.recurrence is not None:
            when_text = ctx.t(
                texts.SCHEDULE_REPEATING, rule=when.recurrence.label(ctx.locale), first=local
            )
        else:
            when_text = ctx.t(texts.SCHEDULE_ONCE, first=local)
        return Reply.text(
            ctx.t(
                texts.SCHEDULED,
                id=job_id,
                item=self._poster.label(plan.item),
                target=plan.target_label or texts.HERE,
                details=_details(plan, ctx.locale),
                when=when_text,
                zone=timezone,
            )
        )

    async def list_posts(self, ctx: Context) -> Reply:
        """The pending scheduled posts of this chat, with their options, in the chat's zone."""
        jobs = await self._jobs.pending(chat=ctx.chat, kind=JOB_KIND)
        zone = ctx.settings.zone
        lines = []
        for job in jobs:
            post = ScheduledPost.from_json(job.payload)
            if post is None:
                continue
            repeat = ""
            if post.recurrence:
                rule = parse_recurrence(post.recurrence, post.timezone)
                label = rule.label(ctx.locale)
                if post.timezone != zone.key:
                    label = ctx.t(texts.IN_ZONE, rule=label, zone=post.timezone)
                repeat = ctx.t(texts.SCHEDULE_REPEAT, rule=label)
            lines.append(
                ctx.t(
                    texts.SCHEDULE_LINE,
                    id=job.id,
                    item=self._poster.label(post.plan.item),
                    target=post.plan.target_label or texts.HERE,
                    details=_details(post.plan, ctx.locale),
                    next=_local(job.due_at, zone),
                    repeat=repeat,
                    by=post.by_name,
                )
            )
        if not lines:
            return Reply.text(ctx.t(texts.SCHEDULE_EMPTY))
        title = ctx.t(texts.SCHEDULE_LIST_TITLE, zone=zone.key)
        return Reply(title=title, blocks=(BulletList(tuple(lines)),))

    async def cancel(self, ctx: Context, job_id: int) -> Reply:
        """Cancel a pending scheduled post of this chat (the core checked whose it is)."""
        if not await self._scheduler.cancel(job_id):  # only a pending job is cancelled
            now = await self._jobs.get(job_id)
            refusal_text = _CANCEL_REFUSALS.get(now.status if now else "", texts.SCHEDULE_NOT_FOUND)
            raise UserError(refusal_text, id=job_id)
        return Reply.text(ctx.t(texts.SCHEDULE_CANCELLED, id=job_id))

    async def run(self, job: Job) -> datetime | None:
        """Post a due item; returns the next time for recurring posts."""
        post = ScheduledPost.from_json(job.payload)
        if job.chat is None or post is None:
            raise UserError(texts.SCHEDULE_NOT_FOUND, id=job.id)
        plan = post.plan
        # It was allowed when scheduled, by a moderator of the chat it was scheduled in; the
        # item is checked again against that chat, and the rights at the target may have changed.
        request = PostRequest(
            plan.target,
            plan.options,
            post.locale,
            _scheduler_of(post, plan.target.platform),
            job.chat,
            by_moderator=True,
        )
        await self._poster.check(plan, request)
        await self._poster.post(plan, request, job_id=job.id)
        if post.recurrence:
            rule = parse_recurrence(post.recurrence, post.timezone)
            return rule.next_after(max(job.due_at, self._poster.now()))
        return None

    async def _report_failure(self, job: Job, error: Exception) -> None:
        """Tell the moderator who scheduled the post, privately, why it stopped.

        Never a raw exception. Where the platform will not let the bot write to them, the chat
        it was scheduled from hears only that it stopped, and how to learn why.
        """
        if job.kind != JOB_KIND or job.chat is None:
            return
        post = ScheduledPost.from_json(job.payload)
        if post is None:
            return
        locale = post.locale
        values = {
            "id": job.id,
            "item": self._poster.label(post.plan.item),
            "target": post.plan.target_label or texts.HERE,
        }
        if isinstance(error, UserError):
            text = texts.SCHEDULE_REFUSED.render(locale, reason=error.render(locale), **values)
        else:
            reason = texts.UNREACHABLE if isinstance(error, OSError) else texts.UNEXPECTED
            text = texts.SCHEDULE_FAILED.render(
                locale, attempts=job.attempts + 1, reason=reason, **values
            )
        person = _scheduler_of(post, job.chat.platform)
        gateway = self._outbox.gateway(job.chat.platform)
        told = ChatRef(job.chat.platform, job.chat.chat_id, post.origin_thread)  # its topic
        if await gateway.send_private(person, Reply.text(text, private=True), told):
            return
        notice = texts.SCHEDULE_STOPPED_PUBLICLY.render(locale, id=job.id, name=post.by_name)
        await self._outbox.send(told, Reply.text(notice))


def _scheduler_of(post: ScheduledPost, platform: str) -> Actor:
    """The moderator who scheduled the post, as a person of `platform`."""
    return Actor(platform, post.by_id, post.by_name, is_moderator=True)


def _details(plan: PostPlan, locale: Locale) -> str:
    """The options and pin of a plan, e.g. ` · short zh · pinned` (empty when there are none)."""
    parts = []
    if plan.options:
        parts.append(clipped(plan.options, _SHOWN_OPTIONS))
    if plan.pin:
        parts.append(texts.PINNED.render(locale))
    return "".join(f" · {part}" for part in parts)


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
