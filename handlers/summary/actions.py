"""The summary buttons' presses; the articles feature makes `SummaryView` buttons too."""

from __future__ import annotations

from typing import Annotated

from bot.actions import Action, MaxLength, Range, Words
from handlers.summary.summarizer import LENGTHS

AUTOMATIC, EDITED = "a", "e"
"""The summary a view shows: the automatic one, or the chat's edited one when there is one."""
ArticleRef = Annotated[str, MaxLength(40)]
Language = Annotated[str, Words("zh", "en")]


class SummaryView(Action, name="summary.view"):
    """Show the article's summary at `length`, in `language`, edited or automatic (`mode`)."""

    ref: ArticleRef
    length: Annotated[str, Words(*LENGTHS)]
    language: Language
    mode: Annotated[str, Words(EDITED, AUTOMATIC)]


class SummaryOriginal(Action, name="summary.original"):
    """Send the article's text in `language` as an attachment."""

    ref: ArticleRef
    language: Language


class SummaryRestore(Action, name="summary.restore"):
    """A moderator makes an older version of the chat's edited summary the shown one again."""

    ref: ArticleRef
    edit: Annotated[int, Range(1)]
