"""`/summary`: summaries of the chat's current article, and moderators' edited summaries.

The articles come from an `ArticleShelf` (the articles feature's library), handed in by the
composition root. The articles feature also keeps their custodian, which the summary's buttons
need, and forgets people (one repository call covers their articles and their edited summaries).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from bot.arguments import parse_text_args
from bot.authority import Guard
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.i18n import Locale, Localized
from bot.identity import ChatRef
from bot.params import ChoiceParam, TextParam
from bot.posting import Postable, PostRequest
from bot.reply import Replace, Reply
from bot.services import BaseFeature, Services
from domain.articles import ARTICLE, ArticleShelf, LibraryArticle
from handlers.summary.actions import EDITED, SummaryOriginal, SummaryView
from handlers.summary.service import SummaryService
from handlers.summary.summarizer import LENGTHS, Length
from handlers.summary.views import history_reply, original_reply, summary_reply
from handlers.summary.words import warm_up_in_background
from handlers.text.language import detect_language

FEATURE = "summary"
DEFAULT_LENGTH: Length = "medium"
MAX_EDIT_CHARS = 4000

_LENGTH = ChoiceParam(
    name="length",
    description=Localized(
        "short, medium, long or sections (one line per section)",
        "short、medium、long 或 sections（每节一句）",
    ),
    required=False,
    choices=LENGTHS,
)
_LANGUAGE = ChoiceParam(
    name="language",
    description=Localized("zh or en: which edition", "zh 或 en：哪个语言版本"),
    required=False,
    choices=("zh", "en"),
)


_ARTICLE_GUARD = Guard("ref", ARTICLE)


class SummaryFeature(BaseFeature):
    """Summaries of the chat's current article, automatic or edited."""

    def __init__(self, services: Services, articles: ArticleShelf) -> None:
        """`articles` is where the chat's articles are read (the articles feature's library)."""
        self._repository = services.storage.articles
        self._library = articles
        self._summaries = SummaryService(self._repository, services.clock)
        warm_up_in_background()  # jieba's dictionary loads while the bot connects

    def commands(self) -> Iterable[CommandSpec]:
        """/summary, /summary edit and /summary history."""
        return (
            CommandSpec(
                name="summary",
                description=Localized("Summarize this chat's article", "总结本群当前的文章"),
                handler=self.show_summary,
                params=(_LENGTH, _LANGUAGE),
                feature=FEATURE,
            ),
            CommandSpec(
                name="summary",
                subcommand="edit",
                description=Localized(
                    "Replace the automatic summary with your own", "用你编辑的摘要替换自动摘要"
                ),
                handler=self.edit_summary,
                params=(
                    TextParam(
                        name="text",
                        description=Localized("the edited summary", "编辑后的摘要"),
                        max_length=MAX_EDIT_CHARS,
                        rest=True,
                    ),
                ),
                role=Role.MODERATOR,
                feature=FEATURE,
            ),
            CommandSpec(
                name="summary",
                subcommand="history",
                description=Localized("Versions of the edited summary", "编辑后摘要的历史版本"),
                handler=self.show_history,
                params=(_LANGUAGE,),
                feature=FEATURE,
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        """Buttons: switch length, language or edited/automatic; get the original text."""
        return (
            ActionSpec(
                payload=SummaryView,
                handler=self.switch_view,
                guards=(_ARTICLE_GUARD,),
                feature=FEATURE,
            ),
            ActionSpec(
                payload=SummaryOriginal,
                handler=self.send_original,
                guards=(_ARTICLE_GUARD,),
                feature=FEATURE,
            ),
        )

    def postables(self) -> Iterable[Postable]:
        """The `summary` item: the target chat's article, its edited summary when there is one."""
        return (
            Postable(
                name="summary",
                description=Localized("A summary of the chat's article", "本群当前文章的摘要"),
                usage="[short|medium|long|sections] [zh|en]",
                build=self.build_post,
            ),
        )

    async def show_summary(self, ctx: Context, length: str | None, language: str | None) -> Reply:
        """The summary of the chat's current article (its edited summary when there is one)."""
        article = await self._library.current(ctx.chat)
        return await self._view(
            ctx.chat,
            article,
            length or DEFAULT_LENGTH,
            language or ctx.locale,
            EDITED,
            ctx.locale,
            slow=ctx.signal_progress,
        )

    async def switch_view(self, ctx: Context, press: SummaryView) -> Replace:
        """Replace the summary message with another length, language or mode."""
        article = await self._library.get(press.ref, ctx.chat)
        reply = await self._view(
            ctx.chat,
            article,
            press.length,
            press.language,
            press.mode,
            ctx.locale,
            slow=ctx.signal_progress,
        )
        return Replace(reply)

    async def send_original(self, ctx: Context, press: SummaryOriginal) -> Reply:
        """The article's text as an attachment."""
        article = await self._library.get(press.ref, ctx.chat)
        return original_reply(article, article.edition(press.language), ctx.locale)

    async def edit_summary(self, ctx: Context, text: str) -> Reply:
        """Store a new version of the edited summary of the edition in the text's language."""
        article = await self._library.current(ctx.chat)
        edition = article.edition(detect_language(text))
        await self._repository.add_edit(
            ctx.chat, article.ref, edition.language, text, ctx.actor, ctx.clock.now()
        )
        return await self._view(
            ctx.chat, article, DEFAULT_LENGTH, edition.primary_language, EDITED, ctx.locale
        )

    async def show_history(self, ctx: Context, language: str | None) -> Reply:
        """Every version of the chat's edited summary of its current article."""
        article = await self._library.current(ctx.chat)
        edition = article.edition(language or ctx.locale)
        history = await self._repository.edit_history(ctx.chat, article.ref, edition.language)
        return history_reply(edition, history, ctx.locale)

    async def build_post(self, request: PostRequest) -> Reply:
        """The summary to post in `request.target`, from options such as "short zh"."""
        values = parse_text_args((_LENGTH, _LANGUAGE), request.options)
        length = values["length"] if isinstance(values["length"], str) else DEFAULT_LENGTH
        language = values["language"] if isinstance(values["language"], str) else request.locale
        article = await self._library.current(request.target)
        return await self._view(request.target, article, length, language, EDITED, request.locale)

    async def _view(
        self,
        chat: ChatRef,
        article: LibraryArticle,
        length: str,
        language: str,
        mode: str,
        locale: Locale,
        *,
        slow: Callable[[], Awaitable[None]] | None = None,
    ) -> Reply:
        chosen: Length = length if length in LENGTHS else DEFAULT_LENGTH
        edition = article.edition(language)
        edit = await self._repository.latest_edit(chat, article.ref, edition.language)
        if edit is not None and mode == EDITED:
            return summary_reply(article, edition, chosen, edit, locale, has_edit=True)
        summary = await self._summaries.summary_of(edition, chosen, slow=slow)
        return summary_reply(article, edition, chosen, summary, locale, has_edit=edit is not None)
