"""General commands: /help and /about."""

from __future__ import annotations

from collections.abc import Iterable

from bot.commands import CommandSpec
from bot.context import Context
from bot.errors import UserError
from bot.help import help_detail, help_overview
from bot.i18n import Localized
from bot.params import TextParam
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
        "Open source; your data stays in this bot's own database. /forgetme removes it.",
        "开源；你的数据只保存在本机器人的数据库中。/forgetme 可删除它。",
    ),
)


class GeneralFeature(BaseFeature):
    """Help and about."""

    def __init__(self, services: Services) -> None:
        self._registry = services.registry

    def commands(self) -> Iterable[CommandSpec]:
        """/help and /about."""
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
        )

    async def show_help(self, ctx: Context, command: str | None) -> Reply:
        """The overview, or one command's details."""
        moderator = await ctx.moderates()
        if command is None:
            visible = self._registry.visible_to(moderator)
            return help_overview(visible, ctx.locale, moderator)
        path = " ".join(command.lstrip("/").lower().split())
        spec = self._registry.command(path)
        subcommands = self._registry.subcommands(path, moderator)  # none for `poll list`
        if spec is not None:
            return help_detail(spec, ctx.locale, subcommands)
        if not subcommands:
            raise UserError(_UNKNOWN_HELP_TOPIC, name=path[:40])
        return help_overview(subcommands, ctx.locale, moderator)

    async def show_about(self, ctx: Context) -> Reply:
        """What Parley does."""
        return Reply(
            title=ctx.t(_ABOUT_TITLE),
            blocks=(
                Paragraph(ctx.t(_ABOUT_TEXT)),
                BulletList(tuple(ctx.t(point) for point in _ABOUT_POINTS)),
            ),
        )
