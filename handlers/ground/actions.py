"""The common-ground buttons' presses."""

from __future__ import annotations

from typing import Annotated

from bot.actions import Action, Range, Words

StatementId = Annotated[int, Range(1)]


class GroundVote(Action, name="ground.vote"):
    """Agree, disagree or pass on a statement; the next statement follows."""

    statement: StatementId
    stance: Annotated[str, Words("agree", "disagree", "pass")]


class GroundDecide(Action, name="ground.decide"):
    """A moderator approves or rejects a member's proposed statement."""

    statement: StatementId
    decision: Annotated[str, Words("approve", "reject")]
