"""The debate buttons' presses: map navigation, and the community arguments' buttons."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from bot.actions import Action, MaxLength, Range
from handlers.debate.paging import MAX_PAGES

NO_KEY = "-"
"""The key of a view that is not about one side or claim."""
Page = Annotated[int, Range(1, MAX_PAGES)]
ArgumentId = Annotated[int, Range(1, 10**9)]


class View(StrEnum):
    """The views a navigation button can open."""

    HOME = "home"
    SIDE = "side"
    CLAIM = "claim"
    FACTS = "facts"
    TIMELINE = "timeline"
    GLOSSARY = "glossary"
    COMMUNITY = "community"


class DebateView(Action, name="debate.view"):
    """Open page `page` of `view`, for `key` (a side or claim id, else `NO_KEY`)."""

    view: View
    key: Annotated[str, MaxLength(32)] = NO_KEY
    page: Page = 1


class ArgUpvote(Action, name="arg.up"):
    """▲ under a community argument."""

    argument_id: ArgumentId


class ArgApprove(Action, name="arg.ok"):
    """A moderator approves a pending argument."""

    argument_id: ArgumentId


class ArgReject(Action, name="arg.no"):
    """A moderator rejects a pending argument."""

    argument_id: ArgumentId


class ArgQueue(Action, name="arg.queue"):
    """A page of the moderators' queue of pending arguments."""

    page: Page
