"""Scheduled posts: `/schedule ITEM WHEN [TARGET] [options]`, listing, cancelling, running."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.context import Context, Outbox
from bot.errors import UserError
from bot.identity import Actor
from bot.posting import PostRequest
from bot.quotas import SCHEDULED_POSTS, refusal
from bot.reply import BulletList, Reply
from bot.scheduler import Scheduler
from storage.jobs import Job, JobRepository
from storage.quota import Quota, QuotaReachedError

from . import texts
from .posting import Poster
from .scheduled_post import ScheduledPost
from .when import parse_recurrence, parse_when

log = logging.getLogger("parley.moderation")

JOB_KIND = "moderation.post"


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

    async def create(self, ctx: Context, item: str, details: str) -> Reply:
        """Schedule `item` at the time at the start of `details`.

        Refused, with nothing stored, when the moderator or the chat already has as many posts
        waiting as the quota allows (counted and stored in one transaction, so two processes
        cannot both take the last place).
        """
        timezone = ctx.settings.zone.key
        when = parse_when(details, timezone, ctx.clock.now())
        plan = self._poster.plan(ctx.chat, item, when.rest)
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
        local = _local(when.first, timezone)
        template = texts.SCHEDULE_FIRST if when.recurrence else texts.SCHEDULE_ONCE
        return Reply.text(
            ctx.t(
                texts.SCHEDULED,
                id=job_id,
                item=plan.item,
                target=plan.target_label or ctx.t(texts.HERE),
                when=ctx.t(template, first=local, zone=timezone),
            )
        )

    async def list_posts(self, ctx: Context) -> Reply:
        """The pending scheduled posts of this chat."""
        jobs = await self._jobs.pending(chat=ctx.chat, kind=JOB_KIND)
        if not jobs:
            return Reply.text(ctx.t(texts.SCHEDULE_EMPTY))
        lines = []
        for job in jobs:
            post = ScheduledPost.from_json(job.payload)
            if post is None:
                continue
            repeat = post.recurrence
            lines.append(
                ctx.t(
                    texts.SCHEDULE_LINE,
                    id=job.id,
                    item=post.plan.item,
                    target=post.plan.target_label or ctx.t(texts.HERE),
                    next=_local(job.due_at, post.timezone),
                    repeat=ctx.t(texts.SCHEDULE_REPEAT, rule=repeat) if repeat else "",
                    by=post.by_name,
                )
            )
        return Reply(title=ctx.t(texts.SCHEDULE_LIST_TITLE), blocks=(BulletList(tuple(lines)),))

    async def cancel(self, ctx: Context, job_id: int) -> Reply:
        """Cancel a pending scheduled post of this chat (the core checked whose it is)."""
        if not await self._scheduler.cancel(job_id):  # only a pending job is cancelled
            now = await self._jobs.get(job_id)
            if now is not None and now.status == "running":
                raise UserError(texts.SCHEDULE_RUNNING, id=job_id)
            raise UserError(texts.SCHEDULE_NOT_FOUND, id=job_id)
        return Reply.text(ctx.t(texts.SCHEDULE_CANCELLED, id=job_id))

    async def run(self, job: Job) -> datetime | None:
        """Post a due item; returns the next time for recurring posts."""
        post = ScheduledPost.from_json(job.payload)
        if job.chat is None or post is None:
            raise UserError(texts.SCHEDULE_NOT_FOUND, id=job.id)
        plan = post.plan
        actor = Actor(plan.target.platform, post.by_id, post.by_name, is_moderator=True)
        # It was allowed when scheduled, by a moderator of the chat it was scheduled in; the
        # item is checked again against that chat, and the rights at the target may have changed.
        request = PostRequest(
            plan.target, plan.options, post.locale, actor, job.chat, by_moderator=True
        )
        await self._poster.check(plan, request)
        await self._poster.post(plan, request, job_id=job.id)
        if post.recurrence:
            rule = parse_recurrence(post.recurrence, post.timezone)
            return rule.next_after(max(job.due_at, self._poster.now()))
        return None

    async def _report_failure(self, job: Job, error: Exception) -> None:
        """Tell the chat it was scheduled from why the post stopped (never a raw exception)."""
        if job.kind != JOB_KIND or job.chat is None:
            return
        post = ScheduledPost.from_json(job.payload)
        if post is None:
            return
        locale = post.locale
        values = {
            "id": job.id,
            "item": post.plan.item,
            "target": post.plan.target_label or texts.HERE.render(locale),
        }
        if isinstance(error, UserError):
            text = texts.SCHEDULE_REFUSED.render(locale, reason=error.render(locale), **values)
        else:
            text = texts.SCHEDULE_FAILED.render(
                locale, attempts=job.attempts + 1, reason=type(error).__name__, **values
            )
        await self._outbox.send(job.chat, Reply.text(text))


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
