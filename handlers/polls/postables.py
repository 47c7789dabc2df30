"""The poll items moderators can post or schedule: `poll` and `stance`."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.authority import Access, Authority, Guard
from bot.identity import MessageRef, ModeratorCheck
from bot.params import ascii_int
from bot.posting import Postable, PostRequest
from bot.reply import Reply
from handlers.polls import texts
from handlers.polls.custody import POLL
from handlers.polls.service import PollService
from handlers.polls.stance_check import StanceCommands
from handlers.polls.templates import PollTemplates, poll_draft
from storage.polls import PollRecord


@dataclass
class PollPostables:
    """Builds the poll items; each build creates or finds a poll, `posted` tracks its message.

    A build's poll is remembered (with whether the build created it) until `posted` tracks it
    or `discard` deletes the poll it created because the post failed.
    """

    service: PollService
    stance: StanceCommands
    authority: Authority
    templates: PollTemplates
    _building: dict[int, tuple[PollRecord, bool]] = field(default_factory=dict)

    def items(self, feature: str) -> tuple[Postable, ...]:
        """The two postable items, parts of the switchable `feature`."""
        return (
            Postable(
                name="poll",
                description=texts.POSTABLE_POLL,
                usage="TEMPLATE | POLL_ID",
                build=self.build_poll,
                posted=self.posted,
                check=self.check_poll,
                discard=self.discard,
                label=texts.POSTABLE_POLL_LABEL,
                aliases=("投票",),
                feature=feature,
            ),
            Postable(
                name="stance",
                description=texts.POSTABLE_STANCE,
                usage="[TEMPLATE]",
                build=self.build_stance,
                posted=self.posted,
                check=self.check_stance,
                discard=self.discard,
                label=texts.POSTABLE_STANCE_LABEL,
                aliases=("立场测验",),
                feature=feature,
            ),
        )

    async def check_poll(self, request: PostRequest) -> None:
        """Refuse now what `build_poll` would refuse: a poll it may not post, or no template."""
        poll_id = await self._existing_poll(request)
        if poll_id is None:
            self.templates.find(request.options)

    async def check_stance(self, request: PostRequest) -> None:
        """Refuse an unknown template now rather than when the post is due."""
        if request.options.strip():
            self.templates.find(request.options)

    async def build_poll(self, request: PostRequest) -> Reply:
        """A new poll from a template, or an existing poll by its id.

        An existing poll may only be posted by a moderator of its home chat, from there: posting
        is what makes a poll shown in another chat, so nothing else may grant it.
        """
        poll_id = await self._existing_poll(request)
        if poll_id is not None:
            poll = await self.service.existing(poll_id)
        else:
            template = self.templates.find(request.options)
            poll = await self.service.create(
                poll_draft(template, request.locale),
                request.target,
                request.requested_by,
                request.locale,
            )
        self._building[id(request)] = (poll, poll_id is None)
        try:
            results = await self.service.results(poll)
        except BaseException:
            await self.discard(request)
            raise
        return await self.service.view(poll, request.target, request.locale, results)

    async def build_stance(self, request: PostRequest) -> Reply:
        """The before-poll of a new stance check."""
        poll = await self.stance.create_before_poll(
            request.target, request.requested_by, request.locale, request.options or None
        )
        self._building[id(request)] = (poll, True)
        try:
            return await self.stance.view(poll, request.target, request.locale)
        except BaseException:
            await self.discard(request)
            raise

    async def _existing_poll(self, request: PostRequest) -> int | None:
        """The id of the existing poll the request names, once authorized; None for a template."""
        poll_id = ascii_int(request.options.strip().lstrip("#"))
        if poll_id is None:
            return None
        await self.authority.authorize(
            Guard("options", POLL, Access.MODERATE),
            poll_id,
            actor=request.requested_by,
            chat=request.origin,
            moderator=ModeratorCheck(request.by_moderator),
        )
        return poll_id

    async def posted(self, request: PostRequest, message: MessageRef) -> None:
        """Track the posted message so it shows live results."""
        built = self._building.pop(id(request), None)
        if built is not None:
            await self.service.track(built[0].id, message, request.locale)

    async def discard(self, request: PostRequest) -> None:
        """The post failed: delete the poll this request's build created (an existing one stays)."""
        poll, created = self._building.pop(id(request), (None, False))
        if poll is not None and created:
            await self.service.discard(poll)
