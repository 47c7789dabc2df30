"""Suggestions while a person types an id (Discord's autocomplete): what they are made of.

A parameter gets suggestions from the custodian of the object its guard names (a `Suggester`:
polls, articles, arguments), or from a `SuggestionSource` its command declares for things that
are not stored objects (the debate map's claims). `bot.suggesting` authorizes every suggested
object as the command itself would, so a chat is offered only what it may see and the command
may touch; at most `SUGGESTION_LIMIT` (Discord's 25), each label at most `LABEL_LIMIT` characters.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.i18n import Locale
from bot.identity import ChatRef
from bot.sanitize import clipped

SUGGESTION_LIMIT = 25
LABEL_LIMIT = 100
TYPED_LIMIT = 100
"""Only this much of what was typed is read."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A value to offer (an id) and how it reads in the list."""

    value: int | str
    label: str

    def shortened(self) -> Suggestion:
        """The suggestion with its label within `LABEL_LIMIT` characters (and never empty)."""
        label = " ".join(self.label.split()) or str(self.value)
        return Suggestion(self.value, clipped(label, LABEL_LIMIT))


SuggestionSource = Callable[[ChatRef, str, Locale, int], Awaitable[list[Suggestion]]]
"""`(chat, typed, locale, limit)`: what to offer in `chat` for the text typed so far."""


@runtime_checkable
class Suggester(Protocol):
    """A custodian that can list the objects a chat sees, for suggestions."""

    async def suggest(
        self, chat: ChatRef, typed: str, locale: Locale, limit: int
    ) -> list[Suggestion]:
        """Up to `limit` objects `chat` sees matching `typed` (the authority checks them again)."""
        ...


def matches(typed: str, value: int | str, label: str) -> bool:
    """Whether a suggestion fits what was typed: a prefix of its id, or a word of its label."""
    wanted = typed.strip().lstrip("#").casefold()
    return not wanted or str(value).casefold().startswith(wanted) or wanted in label.casefold()
