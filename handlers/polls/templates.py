"""The topic's suggested polls as poll templates, for `/poll template NAME` and `/stance`.

The polls themselves are topic data (`handlers/topics/<topic>/polls.toml`, loaded by the topic
loader); each is checked here, when the feature is built, against the poll rules in every locale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.errors import UserError
from bot.i18n import LOCALES, Locale
from handlers.polls import texts
from handlers.polls.model import PollDraft
from handlers.polls.rules import PollRuleError, validate_draft
from handlers.topics.loader import SuggestedPoll, TopicDataError


class PollTemplates:
    """The suggested polls by name, in the topic's order; the first is `/stance`'s default."""

    def __init__(self, polls: Iterable[SuggestedPoll]) -> None:
        """A poll that breaks a poll rule in either language raises `TopicDataError`."""
        self._polls = {poll.name: poll for poll in polls}
        if not self._polls:
            raise TopicDataError("the topic has no suggested polls")
        for poll in self._polls.values():
            for locale in LOCALES:
                try:
                    validate_draft(poll_draft(poll, locale))
                except PollRuleError as error:
                    problem = f"{error.code.value} {error.params}"
                    raise TopicDataError(
                        f"suggested poll {poll.name!r} ({locale}): {problem}"
                    ) from error

    @property
    def default(self) -> SuggestedPoll:
        """The first suggested poll."""
        return next(iter(self._polls.values()))

    def __iter__(self) -> Iterator[SuggestedPoll]:
        """Every suggested poll, in order."""
        return iter(self._polls.values())

    def find(self, name: str) -> SuggestedPoll:
        """The poll called `name` (case and spaces ignored), or a `UserError` listing them all."""
        names = ", ".join(self._polls)
        if not name.strip():
            raise UserError(texts.TEMPLATE_NEEDED, names=names)
        found = self._polls.get(name.strip().lower())
        if found is None:
            raise UserError(texts.UNKNOWN_TEMPLATE, name=name[:40], names=names)
        return found


def poll_draft(poll: SuggestedPoll, locale: Locale) -> PollDraft:
    """The suggested poll as a single-choice draft in `locale`."""
    return PollDraft(
        question=poll.question.render(locale),
        options=tuple(option.render(locale) for option in poll.options),
    )
