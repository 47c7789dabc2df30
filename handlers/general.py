"""General commands: /help, /about and /language."""

from __future__ import annotations

from collections.abc import Iterable

from bot.commands import CommandSpec, Role
from bot.context import Context
from bot.errors import UserError
from bot.help import help_detail, help_overview
from bot.i18n import Localized
from bot.params import ChoiceParam, TextParam
from bot.reply import BulletList, Paragraph, Reply
from bot.services import BaseFeature, Services

_UNKNOWN_HELP_TOPIC = Localized(
    "There is no command /{name}. Type /help to see them all.",
    "没有命令 /{name}。输入 /help 查看全部命令。",
)
_ABOUT_TITLE = Localized("About Parley", "关于 Parley")
_ABOUT_TEXT = Localized(
    "Parley helps a community discuss the AI “distillation” controversy well: summaries of the"
    " article that started it, a sourced map of both sides, fair polls, and tools for moderators.",
    "Parley 帮助社区好好讨论 AI“蒸馏”争议：总结引发讨论的文章、提供有来源的正反双方观点图、"
    "公平的投票，以及给管理员的工具。",
)
_ABOUT_POINTS = (
    Localized("/help lists every command.", "/help 列出所有命令。"),
    Localized(
        "Open source; your data stays in this bot's own database.",
        "开源；你的数据只保存在本机器人的数据库中。",
    ),
)
_LANGUAGE_SET = Localized("This chat now uses English.", "本群现在使用简体中文。")
_LANGUAGE_CLEARED = Localized(
    "This chat's language follows each person's app language again.",
    "本群的语言已恢复为跟随每个人的客户端语言。",
)


class GeneralFeature(BaseFeature):
    """Help, about and the chat language."""

    def __init__(self, services: Services) -> None:
        self._registry = services.registry
        self._settings = services.storage.chat_settings
        self._clock = services.clock

    def commands(self) -> Iterable[CommandSpec]:
        """/help, /about, /language."""
        return (
            CommandSpec(
                name="help",
                description=Localized("List commands or explain one", "列出命令或说明某个命令"),
                handler=self.show_help,
                params=(
                    TextParam(
                        name="command",
                        description=Localized("a command name", "命令名"),
                        required=False,
                        max_length=40,
                        rest=True,
                    ),
                ),
            ),
            CommandSpec(
                name="about",
                description=Localized("What Parley is for", "Parley 是做什么的"),
                handler=self.show_about,
            ),
            CommandSpec(
                name="language",
                description=Localized("Set this chat's language", "设置本群的语言"),
                handler=self.set_language,
                role=Role.MODERATOR,
                params=(
                    ChoiceParam(
                        name="language",
                        description=Localized(
                            "en, zh, or auto to follow each app", "en、zh，或 auto 跟随客户端"
                        ),
                        choices=("en", "zh", "auto"),
                    ),
                ),
            ),
        )

    async def show_help(self, ctx: Context, command: str | None) -> Reply:
        """The overview, or one command's details."""
        if command is None:
            visible = self._registry.visible_to(ctx.is_moderator)
            return help_overview(visible, ctx.locale, ctx.is_moderator)
        path = " ".join(command.lstrip("/").lower().split())
        spec = self._registry.command(path)
        if spec is None:
            matches = [s for s in self._registry.commands() if s.name == path]
            if not matches:
                raise UserError(_UNKNOWN_HELP_TOPIC, name=path[:40])
            return help_overview(matches, ctx.locale, ctx.is_moderator)
        return help_detail(spec, ctx.locale)

    async def show_about(self, ctx: Context) -> Reply:
        """What Parley does."""
        return Reply(
            title=ctx.t(_ABOUT_TITLE),
            blocks=(
                Paragraph(ctx.t(_ABOUT_TEXT)),
                BulletList(tuple(ctx.t(point) for point in _ABOUT_POINTS)),
            ),
        )

    async def set_language(self, ctx: Context, language: str) -> Reply:
        """Set or clear the chat's language."""
        chosen = None if language == "auto" else language
        await self._settings.set_language(ctx.chat, chosen, ctx.clock.now())  # type: ignore[arg-type]
        if chosen is None:
            return Reply.text(ctx.t(_LANGUAGE_CLEARED))
        return Reply.text(_LANGUAGE_SET.render(chosen))  # type: ignore[arg-type]
