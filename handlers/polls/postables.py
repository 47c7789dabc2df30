"""The poll items moderators can post or schedule: `poll` and `stance`."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.errors import UserError
from bot.identity import MessageRef
from bot.posting import Postable, PostRequest
from bot.reply import Reply
from handlers.polls import texts
from handlers.polls.service import PollService
from handlers.polls.stance_check import StanceCommands
from handlers.polls.templates import TEMPLATES
from handlers.polls.views import poll_view


@dataclass
class PollPostables:
    """Builds the poll items; each build creates or finds a poll, `posted` tracks its message."""

    service: PollService
    stance: StanceCommands
    _building: dict[int, int] = field(default_factory=dict)

    def items(self) -> tuple[Postable, ...]:
        """The two postable items."""
        return (
            Postable(
                name="poll",
                description=texts.POSTABLE_POLL,
                usage="TEMPLATE | POLL_ID",
                build=self.build_poll,
                posted=self.posted,
            ),
            Postable(
                name="stance",
                description=texts.POSTABLE_STANCE,
                usage="[TEMPLATE]",
                build=self.build_stance,
                posted=self.posted,
            ),
        )

    async def build_poll(self, request: PostRequest) -> Reply:
        """A new poll from a template, or an existing poll by its id."""
        options = request.options.strip().lower()
        if options.lstrip("#").isdigit():
            poll = await self.service.get(int(options.lstrip("#")))
            if poll is None:
                raise UserError(texts.NO_SUCH_POLL, id=options.lstrip("#")[:12])
        else:
            template = TEMPLATES.get(options)
            if template is None:
                raise UserError(
                    texts.UNKNOWN_TEMPLATE, name=options[:40], names=", ".join(TEMPLATES)
                )
            poll = await self.service.create(
                template.draft(request.locale),
                request.target,
                request.requested_by,
                request.locale,
            )
        self._building[id(request)] = poll.id
        results = await self.service.results(poll)
        return poll_view(poll, results, request.locale, self.service.now())

    async def build_stance(self, request: PostRequest) -> Reply:
        """The before-poll of a new stance check."""
        poll = await self.stance.create_before_poll(
            request.target, request.requested_by, request.locale, request.options or None
        )
        self._building[id(request)] = poll.id
        return await self.stance.view(poll, request.locale)

    async def posted(self, request: PostRequest, message: MessageRef) -> None:
        """Track the posted message so it shows live results."""
        poll_id = self._building.pop(id(request), None)
        if poll_id is not None:
            await self.service.track(poll_id, message, request.locale)
