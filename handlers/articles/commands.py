"""`/article`: list, show, choose and add the articles a chat summarizes."""

from __future__ import annotations

from collections.abc import Iterable

from bot.authority import Access, Guard
from bot.buttons import button
from bot.commands import ActionSpec, CommandSpec, Role
from bot.context import Context
from bot.i18n import Localized
from bot.params import TextParam
from bot.ratelimit import Budget
from bot.reply import BulletList, Button, ButtonStyle, Fields, Link, Paragraph, Reply
from domain.articles import ARTICLE, LibraryArticle, language_name, language_names
from handlers.articles.actions import UseArticle
from handlers.articles.intake import looks_like_url, read_text_file, single_file
from handlers.articles.library import MAX_ARTICLE_CHARS, ArticleLibrary
from handlers.summary.actions import EDITED, SummaryView

FEATURE = "articles"

_REF = TextParam(
    name="article_id",
    description=Localized("article id, e.g. distillation or 3", "文章编号，例如 distillation 或 3"),
    max_length=40,
)
_GUARD = Guard("article_id", ARTICLE)
_HOME_GUARD = Guard("article_id", ARTICLE, Access.MODERATE)
_LIST_TITLE = Localized("Articles", "文章")
_LIST_HINT = Localized(
    "/article show ID for details; moderators: /article use ID, /article add, /article remove ID.",
    "/article show 编号 查看详情；管理员：/article use 编号、/article add、/article remove 编号。",
)
_CURRENT_MARK = Localized(" (this chat's article)", "（本群当前文章）")
_SHIPPED = Localized("shipped with Parley", "Parley 自带")
_KINDS = {
    "text": Localized("added as text", "以文字添加"),
    "file": Localized("added from a file", "从文件添加"),
    "url": Localized("imported from the web", "从网页导入"),
}
_FIELD_ID = Localized("ID", "编号")
_FIELD_LANGUAGES = Localized("Languages", "语言")
_FIELD_SOURCE = Localized("Source", "来源")
_FIELD_ADDED = Localized("Added by", "添加者")
_FIELD_SIZE = Localized("Length", "长度")
_AUDIT_USED = Localized(
    "made article {article_id} this chat's article", "将文章 {article_id} 设为这里的文章"
)
_CHARACTERS = Localized("{count} characters", "{count} 个字符")
_SUMMARY_BUTTON = Localized("Summary", "摘要")
_USE_BUTTON = Localized("Use in this chat", "设为本群文章")
_NOW_CURRENT = Localized(
    "This chat now discusses “{title}”. /summary summarizes it.",
    "本群当前文章已设为“{title}”。使用 /summary 查看摘要。",
)
_ADDED = Localized(
    "Added article {ref}: “{title}” ({language}, {count} characters).",
    "已添加文章 {ref}：“{title}”（{language}，{count} 个字符）。",
)
_FILE_NOT_TEXT = Localized(
    "I used the attached file; the text typed with the command was not used.",
    "已使用所附文件，随命令输入的文字没有使用。",
)
_REMOVED = Localized(
    "Removed article {ref}: “{title}”, with its summaries and edited summaries.",
    "已删除文章 {ref}：“{title}”，以及它的摘要和编辑后的摘要。",
)
_BACK_TO = Localized("This chat discusses “{title}” again.", "本群当前文章已恢复为“{title}”。")


class ArticleCommands:
    """The `/article` commands and the button that makes an article the chat's current one."""

    def __init__(self, library: ArticleLibrary) -> None:
        self._library = library

    def commands(self) -> Iterable[CommandSpec]:
        """/article, /article list|show|use|add|remove."""
        return (
            CommandSpec(
                name="article",
                description=Localized("Show this chat's article", "查看本群当前的文章"),
                handler=self.show_current,
                feature=FEATURE,
                group_default="current",
            ),
            CommandSpec(
                name="article",
                subcommand="list",
                description=Localized("List the articles", "列出所有文章"),
                handler=self.list_articles,
                feature=FEATURE,
            ),
            CommandSpec(
                name="article",
                subcommand="show",
                description=Localized("Show an article's details", "查看文章详情"),
                handler=self.show_article,
                params=(_REF,),
                guards=(_GUARD,),
                feature=FEATURE,
            ),
            CommandSpec(
                name="article",
                subcommand="use",
                description=Localized("Make an article this chat's article", "设置本群讨论的文章"),
                handler=self.use_article,
                params=(_REF,),
                guards=(_GUARD,),
                role=Role.MODERATOR,
                feature=FEATURE,
            ),
            CommandSpec(
                name="article",
                subcommand="add",
                description=Localized(
                    "Add an article: text, an attached .txt/.md file, or a URL",
                    "添加文章：正文、附上 .txt/.md 文件或网址",
                ),
                handler=self.add_article,
                params=(
                    TextParam(
                        name="source",
                        description=Localized("the text or a web address", "正文或网址"),
                        required=False,
                        max_length=MAX_ARTICLE_CHARS,
                        rest=True,
                    ),
                ),
                role=Role.MODERATOR,
                slow=True,
                budget=Budget.COSTLY,
                accepts_attachment=True,
                feature=FEATURE,
            ),
            CommandSpec(
                name="article",
                subcommand="remove",
                description=Localized(
                    "Remove an article added in this chat", "删除在本群添加的文章"
                ),
                handler=self.remove_article,
                params=(_REF,),
                guards=(_HOME_GUARD,),
                role=Role.MODERATOR,
                feature=FEATURE,
            ),
        )

    def actions(self) -> Iterable[ActionSpec]:
        """The "use in this chat" button."""
        return (
            ActionSpec(
                payload=UseArticle,
                handler=self.use_pressed,
                guards=(_GUARD,),
                role=Role.MODERATOR,
                feature=FEATURE,
                audit=_AUDIT_USED,
            ),
        )

    async def show_current(self, ctx: Context) -> Reply:
        """The chat's current article."""
        return self._details(ctx, await self._library.current(ctx.chat), current=True)

    async def list_articles(self, ctx: Context) -> Reply:
        """Every article, the chat's current one marked."""
        current = await self._library.current(ctx.chat)
        items = tuple(
            f"{article.ref} — {article.title(ctx.locale)} · {_languages(ctx, article)}"
            f" · {self._source(ctx, article)}"
            + (ctx.t(_CURRENT_MARK) if article.ref == current.ref else "")
            for article in await self._library.listing(ctx.chat)
        )
        return Reply(
            title=ctx.t(_LIST_TITLE), blocks=(BulletList(items), Paragraph(ctx.t(_LIST_HINT)))
        )

    async def show_article(self, ctx: Context, article_id: str) -> Reply:
        """One article's details with buttons to summarize it or use it here."""
        article = await self._library.get(article_id, ctx.chat)
        current = await self._library.current(ctx.chat)
        return self._details(ctx, article, current=article.ref == current.ref)

    async def use_article(self, ctx: Context, article_id: str) -> Reply:
        """Make the article this chat's current one."""
        article = await self._library.set_current(ctx.chat, article_id, ctx.actor, ctx.clock.now())
        return Reply.text(ctx.t(_NOW_CURRENT, title=article.title(ctx.locale)))

    async def use_pressed(self, ctx: Context, press: UseArticle) -> Reply:
        """The "use in this chat" button."""
        return await self.use_article(ctx, press.article_id)

    async def add_article(self, ctx: Context, source: str | None) -> Reply:
        """Add an article from an attached file, a web address or the message text."""
        file = single_file(ctx.invocation.attachments)
        now = ctx.clock.now()
        if file is not None:
            text = await read_text_file(file)
            article = await self._library.add(
                text, source_kind="file", chat=ctx.chat, by=ctx.actor, at=now
            )
        elif source is not None and looks_like_url(source):
            article = await self._library.add_from_web(source, chat=ctx.chat, by=ctx.actor, at=now)
        else:
            article = await self._library.add(
                source or "", source_kind="text", chat=ctx.chat, by=ctx.actor, at=now
            )
        edition = article.editions[0]
        added = ctx.t(
            _ADDED,
            ref=article.ref,
            title=edition.title,
            language=language_name(edition.language, ctx.locale),
            count=len(edition.text),
        )
        blocks = [Paragraph(added)]
        if file is not None and source is not None:
            blocks.append(Paragraph(ctx.t(_FILE_NOT_TEXT)))
        return Reply(blocks=tuple(blocks), buttons=(self._article_buttons(ctx, article),))

    async def remove_article(self, ctx: Context, article_id: str) -> Reply:
        """Delete an article added in this chat; the chat's article is the shipped one again."""
        was_current = (await self._library.current(ctx.chat)).ref
        article = await self._library.remove(article_id, ctx.chat)
        blocks = [Paragraph(ctx.t(_REMOVED, ref=article.ref, title=article.title(ctx.locale)))]
        if was_current == article.ref:
            current = await self._library.current(ctx.chat)
            blocks.append(Paragraph(ctx.t(_BACK_TO, title=current.title(ctx.locale))))
        return Reply(blocks=tuple(blocks))

    def _details(self, ctx: Context, article: LibraryArticle, *, current: bool) -> Reply:
        edition = article.edition(ctx.locale)
        pairs = [
            (ctx.t(_FIELD_ID), article.ref),
            (ctx.t(_FIELD_LANGUAGES), _languages(ctx, article)),
            (ctx.t(_FIELD_SOURCE), self._source(ctx, article)),
            (ctx.t(_FIELD_SIZE), ctx.t(_CHARACTERS, count=len(edition.text))),
        ]
        if article.added_by and article.added_at:
            pairs.append(
                (ctx.t(_FIELD_ADDED), f"{article.added_by}, {article.added_at.date().isoformat()}")
            )
        blocks: list[Fields | Paragraph | Link] = [Fields(tuple(pairs))]
        note = self._library.note(article, edition)
        if note is not None:
            blocks.append(Paragraph(ctx.t(note)))
        if article.source_url:
            blocks.append(Link(ctx.t(_FIELD_SOURCE), article.source_url))
        title = edition.title + (ctx.t(_CURRENT_MARK) if current else "")
        return Reply(
            title=title, blocks=tuple(blocks), buttons=(self._article_buttons(ctx, article),)
        )

    def _article_buttons(self, ctx: Context, article: LibraryArticle) -> tuple[Button, ...]:
        language = article.edition(ctx.locale).primary_language
        return (
            button(
                ctx.t(_SUMMARY_BUTTON),
                SummaryView(ref=article.ref, length="short", language=language, mode=EDITED),
                style=ButtonStyle.PRIMARY,
            ),
            button(ctx.t(_USE_BUTTON), UseArticle(article_id=article.ref)),
        )

    def _source(self, ctx: Context, article: LibraryArticle) -> str:
        if article.added_by is None:
            return ctx.t(_SHIPPED)
        kind = _KINDS.get(article.source_note)
        return ctx.t(kind) if kind else article.source_note


def _languages(ctx: Context, article: LibraryArticle) -> str:
    """The editions' languages by name: "Chinese (Simplified), English", "简体中文、英文"."""
    return language_names((e.language for e in article.editions), ctx.locale)
