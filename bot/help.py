"""`/help` content derived from the command declarations."""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands import CommandSpec, Role
from bot.durations import format_duration
from bot.i18n import Locale, Localized, listed
from bot.params import ChoiceParam, DurationParam, IntParam, Param, TextParam
from bot.reply import BulletList, Heading, Paragraph, Reply

_TITLE = Localized("Parley commands", "Parley 命令")
_MEMBER_HEADING = Localized("For everyone", "所有人可用")
_MODERATOR_HEADING = Localized("For moderators", "管理员可用")
_DETAIL_HINT = Localized(
    "Type /help COMMAND for details, e.g. /help {example}.",
    "输入 /help 命令名 查看详情，例如 /help {example}。",
)
_PARAMETERS = Localized("Parameters", "参数")
_SUBCOMMANDS = Localized("Subcommands", "子命令")
_OPTIONAL = Localized("optional", "可选")
_MODERATOR_ONLY = Localized("Moderators only.", "仅限管理员。")
_ALSO_TYPED = Localized("Also: {forms}", "也可以输入：{forms}")
_TEXT_LIMIT = Localized("text, {low}–{high} characters", "文本，{low}–{high} 个字符")
_INT_LIMIT = Localized("whole number, {low}–{high}", "整数，{low}–{high}")
_CHOICE_LIMIT = Localized("one of: {choices}", "可选值：{choices}")
_DURATION_LIMIT = Localized(
    "duration such as 30m, 2h, 1d; {low}–{high}", "时长，例如 30m、2h、1d；{low}–{high}"
)


def help_overview(commands: list[CommandSpec], locale: Locale, is_moderator: bool) -> Reply:
    """Every command the viewer may run, grouped by role."""
    blocks: list[Heading | Paragraph | BulletList] = []
    for role, heading in ((Role.MEMBER, _MEMBER_HEADING), (Role.MODERATOR, _MODERATOR_HEADING)):
        if role is Role.MODERATOR and not is_moderator:
            continue
        lines = [
            f"{spec.usage()} — {spec.description.render(locale)}"
            for spec in commands
            if spec.role is role
        ]
        if lines:
            blocks += [Heading(heading.render(locale)), BulletList(tuple(lines))]
    example = next((spec.path for spec in commands if spec.params), "help")
    blocks.append(Paragraph(_DETAIL_HINT.render(locale, example=example)))
    return Reply(title=_TITLE.render(locale), blocks=tuple(blocks))


def help_detail(
    spec: CommandSpec, locale: Locale, subcommands: Sequence[CommandSpec] = ()
) -> Reply:
    """One command: usage, description, each parameter with its limits, then its subcommands."""
    blocks: list[Heading | Paragraph | BulletList] = [
        Paragraph(spec.description.render(locale)),
    ]
    if spec.role is Role.MODERATOR:
        blocks.append(Paragraph(_MODERATOR_ONLY.render(locale)))
    if spec.aliases:
        typed = listed(locale, (f"/{spec.name} {alias}" for alias in spec.aliases))
        blocks.append(Paragraph(_ALSO_TYPED.render(locale, forms=typed)))
    if spec.params:
        lines = [_describe_param(param, locale) for param in spec.params]
        blocks += [Heading(_PARAMETERS.render(locale)), BulletList(tuple(lines))]
    if subcommands:
        lines = [f"{sub.usage()} — {sub.description.render(locale)}" for sub in subcommands]
        blocks += [Heading(_SUBCOMMANDS.render(locale)), BulletList(tuple(lines))]
    return Reply(title=spec.usage(), blocks=tuple(blocks))


def _describe_param(param: Param, locale: Locale) -> str:
    limit = _limit_text(param, locale)
    optional = f" ({_OPTIONAL.render(locale)})" if not param.required else ""
    return f"{param.name}{optional}: {param.description.render(locale)} — {limit}"


def _limit_text(param: Param, locale: Locale) -> str:
    match param:
        case TextParam(min_length=low, max_length=high):
            return _TEXT_LIMIT.render(locale, low=low, high=high)
        case IntParam(min_value=low, max_value=high):
            return _INT_LIMIT.render(locale, low=low, high=high)
        case ChoiceParam():
            return _CHOICE_LIMIT.render(locale, choices=param.listing().render(locale))
        case DurationParam(minimum=low, maximum=high):
            return _DURATION_LIMIT.render(
                locale, low=format_duration(low), high=format_duration(high)
            )
    raise TypeError(f"unknown parameter type {param!r}")
