"""The articles feature's button presses (its Summary button is the summary's `SummaryView`)."""

from __future__ import annotations

from typing import Annotated

from bot.actions import Action, MaxLength


class UseArticle(Action, name="article.use"):
    """A moderator makes the article this chat's article."""

    article_id: Annotated[str, MaxLength(40)]
