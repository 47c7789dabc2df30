"""`/summary of TEXT|URL` and the "Summarize" message action.

A summary of any text, or of the web page it links to, read through the articles' library and
never stored (nor is its summary).
"""

from __future__ import annotations

from dataclasses import replace

from bot.commands import CommandSpec, MessageAction
from bot.context import Context
from bot.i18n import Localized
from bot.params import TextParam
from bot.ratelimit import Budget
from bot.reply import Reply
from domain.articles import ArticleShelf
from handlers.summary.service import SummaryService
from handlers.summary.summarizer import Length
from handlers.summary.views import summary_reply

LENGTH: Length = "medium"
MAX_SOURCE_CHARS = 6000  # Discord's longest option (a message holds at most 4,000)


class TextSummaries:
    """Summaries of texts people bring (a message, a link), not of the chat's article."""

    def __init__(self, library: ArticleShelf, summaries: SummaryService, feature: str) -> None:
        self._library = library
        self._summaries = summaries
        self._feature = feature

    def command(self) -> CommandSpec:
        """`/summary of`, also offered on messages as "Summarize"."""
        return CommandSpec(
            name="summary",
            subcommand="of",
            description=Localized(
                "Summarize a text, or the web page it links to", "总结一段文字或它链接的网页"
            ),
            handler=self.summarize,
            params=(
                TextParam(
                    name="source",
                    description=Localized("the text, or a web address", "文字或网址"),
                    max_length=MAX_SOURCE_CHARS,
                    rest=True,
                ),
            ),
            feature=self._feature,
            slow=True,
            budget=Budget.COSTLY,
            on_message=MessageAction(Localized("Summarize", "总结"), param="source"),
        )

    async def summarize(self, ctx: Context, source: str) -> Reply:
        """The summary of `source` (the page it links to, if it links to one)."""
        article = await self._library.read(source)
        edition = article.editions[0]
        summary = await self._summaries.summary_uncached(edition, LENGTH)
        reply = summary_reply(
            article,
            edition,
            LENGTH,
            summary,
            ctx.locale,
            language=edition.primary_language,
            zone=ctx.settings.zone,
        )
        return replace(reply, buttons=())  # nothing is stored for buttons to name
