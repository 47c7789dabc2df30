"""`/summary`: summaries of the chat's current article, and moderators' edited summaries.

The articles come from an `ArticleShelf` (the articles feature's library), handed in by the
composition root. The articles feature also keeps their custodian, which the summary's buttons
need, and forgets people (one repository call covers their articles and their edited summaries).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from bot.arguments import parse_text_args
from bot.authority import Guard, RefusedError
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.errors import UserError
from bot.i18n import Locale, Localized
from bot.identity import ChatRef
from bot.params import ChoiceParam, TextParam
from bot.posting import Postable, PostRequest
from bot.ratelimit import Budget
from bot.reply import Paragraph, Posted, Replace, Reply
from bot.services import BaseFeature, Services
from domain.articles import ARTICLE, ArticleShelf, LibraryArticle, language_names
from handlers.summary.abstractive import texts as written_texts
from handlers.summary.abstractive.writer import SWITCH, Ask, Plan, SummaryWriter, Writing
from handlers.summary.actions import AUTOMATIC, EDITED, SummaryOriginal, SummaryRestore, SummaryView
from handlers.summary.editing import (
    MAX_EDIT_CHARS,
    SUMMARY_LANGUAGES,
    Reset,
    edit_key,
    every_key,
    read_edit,
    text_key,
)
from handlers.summary.history import EditionHistory, history_reply
from handlers.summary.reading import TextSummaries
from handlers.summary.service import SummaryService
from handlers.summary.summarizer import LENGTHS, Length, Summary
from handlers.summary.views import LENGTH_LABELS, original_reply, summary_reply
from handlers.summary.words import warm_up_in_background
from storage.articles import SummaryEdit
from storage.chat_settings import ChatSettings

FEATURE = "summary"
DEFAULT_LENGTH: Length = "medium"
SHOWN_PER_LANGUAGE = 10
"""How many versions of each language `/summary history` reads and shows (the newest)."""

_LENGTH = ChoiceParam(
    name="length",
    description=Localized(
        "short, medium, long or sections (one line per section)",
        "简短（short）、中等（medium）、详细（long）或分节（sections，每节一句）",
    ),
    required=False,
    choices=LENGTHS,
    labels=LENGTH_LABELS,
    aliases={
        "简短": "short",
        "短": "short",
        "中等": "medium",
        "详细": "long",
        "长": "long",
        "分节": "sections",
    },
)
_LANGUAGE = ChoiceParam(
    name="language",
    description=Localized("zh or en: which language", "中文（zh）或英文（en）：哪种语言"),
    required=False,
    choices=SUMMARY_LANGUAGES,
    labels={"zh": Localized("Chinese", "中文"), "en": Localized("English", "英文")},
    aliases={"中文": "zh", "汉语": "zh", "英文": "en", "英语": "en"},
)
_RESTORED = Localized(
    "Restored version {old} as version {new}.", "已将第 {old} 版恢复为第 {new} 版。"
)
_RESET_DONE = Localized(
    "Back to the automatic summary ({languages}). /summary history keeps the edits; its buttons"
    " restore one.",
    "已恢复自动摘要（{languages}）。/summary history 仍保留编辑记录，点其中的按钮可恢复某一版本。",
)
_NOTHING_TO_RESET = Localized(
    "There is no edited summary to take back: the automatic summary is already shown.",
    "没有可撤回的编辑摘要：现在显示的已是自动摘要。",
)
_UNKNOWN_VERSION = Localized(
    "That version of the edited summary no longer exists. /summary history lists them.",
    "该版本的编辑摘要已不存在。/summary history 可查看全部版本。",
)


_ARTICLE_GUARD = Guard("ref", ARTICLE)


@dataclass(frozen=True, slots=True)
class _Shown:
    """A view, and the written summary still to come that will replace it (if any)."""

    reply: Reply
    writing: Writing | None = None


class SummaryFeature(BaseFeature):
    """Summaries of the chat's current article, automatic or edited."""

    def __init__(self, services: Services, articles: ArticleShelf) -> None:
        """`articles` is where the chat's articles are read (the articles feature's library)."""
        self._repository = services.storage.articles
        self._chat_settings = services.storage.chat_settings
        self._library = articles
        self._summaries = SummaryService(self._repository, services.clock)
        self._texts = TextSummaries(articles, self._summaries, FEATURE)
        self._writer = SummaryWriter.configured(
            services.settings,
            services.storage.written_summaries,
            self._summaries,
            services.background,
            services.outbox,
            services.clock,
        )
        warm_up_in_background()  # jieba's dictionary loads while the bot connects

    def commands(self) -> Iterable[CommandSpec]:
        """/summary, /summary edit, /summary history and /summary of."""
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
                    "Replace the automatic summary with your own (--reset: back to automatic)",
                    "用你编辑的摘要替换自动摘要（--reset：恢复自动摘要）",
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
                form_param="text",
                role=Role.MODERATOR,
                feature=FEATURE,
            ),
            CommandSpec(
                name="summary",
                subcommand="history",
                description=Localized(
                    "Every version of the edited summary, in every language",
                    "各语言编辑摘要的全部历史版本",
                ),
                handler=self.show_history,
                params=(_LANGUAGE,),
                feature=FEATURE,
            ),
            self._texts.command(),
        )

    def actions(self) -> Iterable[ActionSpec]:
        """Buttons: switch length, language or edited/automatic; get the original text."""
        return (
            ActionSpec(
                payload=SummaryView,
                handler=self.switch_view,
                guards=(_ARTICLE_GUARD,),
                budget=Budget.LIGHT,
                feature=FEATURE,
            ),
            ActionSpec(
                payload=SummaryOriginal,
                handler=self.send_original,
                guards=(_ARTICLE_GUARD,),
                feature=FEATURE,
            ),
            ActionSpec(
                payload=SummaryRestore,
                handler=self.restore_pressed,
                guards=(_ARTICLE_GUARD,),
                role=Role.MODERATOR,
                feature=FEATURE,
            ),
        )

    def switches(self) -> Iterable[tuple[str, Localized]]:
        """Summaries, and written summaries when a model is configured: /settings switches them."""
        summaries = (FEATURE, Localized("summary", "摘要"))
        return (summaries, (SWITCH, written_texts.SWITCH)) if self._writer else (summaries,)

    def postables(self) -> Iterable[Postable]:
        """The `summary` item: the target chat's article, its edited summary when there is one."""
        return (
            Postable(
                name="summary",
                description=Localized("A summary of the chat's article", "本群当前文章的摘要"),
                usage="[short|medium|long|sections] [zh|en]",
                build=self.build_post,
                check=self.check_post,
                label=Localized("summary", "摘要"),
                aliases=("摘要", "总结"),
                feature=FEATURE,
            ),
        )

    async def show_summary(
        self, ctx: Context, length: str | None, language: str | None
    ) -> Reply | Posted:
        """The summary of the chat's current article.

        Without a length: the chat's edited summary when there is one. With one: the automatic
        summary at that length (the edited one is a button away). A written summary still to
        come replaces the posted message when it is ready.
        """
        article = await self._library.current(ctx.chat)
        shown = await self._view(
            ctx.chat,
            article,
            length or DEFAULT_LENGTH,
            language or ctx.locale,
            AUTOMATIC if length else EDITED,
            ctx.locale,
            ctx.settings.zone,
            slow=ctx.signal_progress,
            written_for=self._written_for(ctx.chat, ctx.settings),
        )
        if shown.writing is None or self._writer is None:
            return shown.reply
        return Posted(shown.reply, self._writer.then(shown.writing))

    async def switch_view(self, ctx: Context, press: SummaryView) -> Replace:
        """Replace the summary message with another length, language or mode."""
        article = await self._library.get(press.ref, ctx.chat)
        shown = await self._view(
            ctx.chat,
            article,
            press.length,
            press.language,
            press.mode,
            ctx.locale,
            ctx.settings.zone,
            slow=ctx.signal_progress,
            written_for=self._written_for(ctx.chat, ctx.settings),
        )
        if self._writer is not None:
            self._writer.follow(ctx.invocation.source, shown.writing)
        return Replace(shown.reply)

    async def send_original(self, ctx: Context, press: SummaryOriginal) -> Reply:
        """The article's text as an attachment."""
        article = await self._library.get(press.ref, ctx.chat)
        return original_reply(article, article.edition(press.language), ctx.locale)

    async def edit_summary(self, ctx: Context, text: str) -> Reply:
        """Store a new version of the edited summary in the text's language, or `--reset`."""
        article = await self._library.current(ctx.chat)
        request = read_edit(text, _LANGUAGE)
        if isinstance(request, Reset):
            return await self._reset(ctx, article, request)
        language = text_key(article, request)
        await self._repository.add_edit(
            ctx.chat, article.ref, language, request, ctx.actor, ctx.clock.now()
        )
        shown = await self._view(
            ctx.chat, article, DEFAULT_LENGTH, language, EDITED, ctx.locale, ctx.settings.zone
        )
        return shown.reply

    async def _reset(self, ctx: Context, article: LibraryArticle, reset: Reset) -> Reply:
        """Withdraw the live edits (of one language or all); the automatic summary shows."""
        keys = (
            every_key(article) if reset.language is None else (edit_key(article, reset.language),)
        )
        withdrawn = await self._repository.withdraw_edits(
            ctx.chat, article.ref, keys, ctx.clock.now()
        )
        if not withdrawn:
            raise UserError(_NOTHING_TO_RESET)
        done = ctx.t(_RESET_DONE, languages=language_names(withdrawn, ctx.locale))
        mine = edit_key(article, ctx.locale)
        view = await self._view(
            ctx.chat,
            article,
            DEFAULT_LENGTH,
            mine if mine in withdrawn else withdrawn[0],
            AUTOMATIC,
            ctx.locale,
            ctx.settings.zone,
            slow=ctx.signal_progress,
        )
        return _with_notice(view.reply, done)

    async def restore_pressed(self, ctx: Context, press: SummaryRestore) -> Reply:
        """Make an older version the shown one again, as a new version repeating its words."""
        article = await self._library.get(press.ref, ctx.chat)
        old = await self._repository.find_edit(ctx.chat, article.ref, press.edit)
        if old is None:  # another chat's, or gone: a refusal, like any unknown id
            raise RefusedError(_UNKNOWN_VERSION)
        await self._repository.add_edit(
            ctx.chat,
            article.ref,
            old.language,
            old.text,
            ctx.actor,
            ctx.clock.now(),
            restored_from=old.restored_from or old.id,
        )
        shown = await self._repository.latest_edit(ctx.chat, article.ref, old.language)
        view = await self._render(
            article, DEFAULT_LENGTH, old.language, EDITED, shown, ctx.locale, ctx.settings.zone
        )
        new = shown.version if shown is not None else old.version
        return _with_notice(view.reply, ctx.t(_RESTORED, old=old.version, new=new))

    async def show_history(self, ctx: Context, language: str | None) -> Reply:
        """The newest versions of the chat's edited summaries of its current article.

        Every language's, unless `language` names one.
        """
        article = await self._library.current(ctx.chat)
        keys = every_key(article) if language is None else (edit_key(article, language),)
        histories = []
        for key in keys:
            versions, total = await self._repository.edit_history(
                ctx.chat, article.ref, key, SHOWN_PER_LANGUAGE
            )
            histories.append(EditionHistory(key, versions, total))
        return history_reply(article, histories, ctx.locale, ctx.settings.zone)

    async def check_post(self, request: PostRequest) -> None:
        """Refuse options `build_post` would refuse (`/schedule` checks when it is asked)."""
        parse_text_args((_LENGTH, _LANGUAGE), request.options)

    async def build_post(self, request: PostRequest) -> Reply:
        """The summary to post in `request.target`, from options such as "short zh".

        Like /summary: the edited summary unless a length is given.
        """
        values = parse_text_args((_LENGTH, _LANGUAGE), request.options)
        length = values["length"] if isinstance(values["length"], str) else None
        language = values["language"] if isinstance(values["language"], str) else request.locale
        article = await self._library.current(request.target)
        settings = await self._chat_settings.get(request.target)
        shown = await self._view(
            request.target,
            article,
            length or DEFAULT_LENGTH,
            language,
            AUTOMATIC if length else EDITED,
            request.locale,
            settings.zone,
            written_for=self._written_for(request.target, settings),
            interactive=False,
        )
        return shown.reply

    async def _view(
        self,
        chat: ChatRef,
        article: LibraryArticle,
        length: str,
        language: str,
        mode: str,
        locale: Locale,
        zone: ZoneInfo,
        *,
        slow: Callable[[], Awaitable[None]] | None = None,
        written_for: ChatRef | None = None,
        interactive: bool = True,
    ) -> _Shown:
        """The summary shown for `language`: the chat's live edit (EDITED mode), else automatic.

        `written_for` is the chat a language model may write the automatic summary for (None:
        never); not `interactive` (a post), only a written summary already cached shows.
        """
        key = edit_key(article, language.split("-", 1)[0])
        edit = await self._repository.latest_edit(chat, article.ref, key)
        return await self._render(
            article,
            length,
            language,
            mode,
            edit,
            locale,
            zone,
            slow=slow,
            written_for=written_for,
            interactive=interactive,
        )

    async def _render(
        self,
        article: LibraryArticle,
        length: str,
        language: str,
        mode: str,
        edit: SummaryEdit | None,
        locale: Locale,
        zone: ZoneInfo,
        *,
        slow: Callable[[], Awaitable[None]] | None = None,
        written_for: ChatRef | None = None,
        interactive: bool = True,
    ) -> _Shown:
        """`_view` once the live edit (`edit`, None when there is none) has been read."""
        chosen: Length = length if length in LENGTHS else DEFAULT_LENGTH
        asked = language.split("-", 1)[0]
        edition = article.edition(asked)
        if edit is not None and mode == EDITED:
            shown: Summary | SummaryEdit = edit
        else:
            shown = await self._summaries.summary_of(edition, chosen, slow=slow)

        def draw(plan: Plan) -> Reply:
            return summary_reply(
                article,
                edition,
                chosen,
                shown,
                locale,
                language=asked,
                zone=zone,
                has_edit=edit is not None,
                rewrite=plan.rewrite,
                note=plan.note,
            )

        if (
            self._writer is None
            or written_for is None
            or chosen == "sections"
            or not isinstance(shown, Summary)
        ):
            return _Shown(draw(Plan()))
        ask = Ask(written_for, edition, chosen, asked, shown)
        plan = await self._writer.plan(ask, locale, interactive=interactive)
        return _Shown(draw(plan), Writing(ask, locale, draw) if plan.pending else None)

    def _written_for(self, chat: ChatRef, settings: ChatSettings) -> ChatRef | None:
        """`chat`, when a model is configured and the chat has not switched its summaries off."""
        if self._writer is None or SWITCH in settings.disabled_features:
            return None
        return chat


def _with_notice(view: Reply, notice: str) -> Reply:
    """`view` opening with `notice` (what a moderator's change did)."""
    return replace(view, blocks=(Paragraph(notice), *view.blocks))
