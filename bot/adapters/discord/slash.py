"""The slash-command tree, generated from the core's command declarations.

Each `CommandSpec` becomes an `app_commands.Command` whose options carry the declared types
and limits; names with subcommands become a `Group`, and a root command that has subcommands
becomes the subcommand named by its `group_default`. Descriptions and choice labels are
localized for Chinese (`zh-CN`) through `ChineseTranslator`. Moderator commands are hidden from
members by default (`manage_messages`); the router still checks every invocation.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import discord
from discord import app_commands

from bot.commands import CommandSpec, Registry, RegistryError, Role
from bot.i18n import Localized
from bot.params import ChoiceParam, DurationParam, IntParam, Param, TextParam

SlashCommand = app_commands.Command[Any, ..., None]
SlashEntry = SlashCommand | app_commands.Group
SlashRunner = Callable[[discord.Interaction, CommandSpec, Mapping[str, object]], Awaitable[None]]
"""Runs one slash invocation of a spec with its typed options."""
SlashSuggester = Callable[
    [discord.Interaction, CommandSpec, str, str], Awaitable[list[app_commands.Choice[Any]]]
]
"""Answers an autocomplete of `(spec, parameter name, text typed so far)`."""
Offered = Callable[[CommandSpec, str], bool]
"""Whether a parameter of a spec has suggestions (it is then an autocomplete option)."""

MODERATOR_PERMISSIONS = discord.Permissions(manage_messages=True)
STRING_LIMIT = 6000  # Discord's cap on string option lengths
INTEGER_LIMIT = 2**53  # Discord's integer options are JavaScript-safe integers
CHOICE_LIMIT = 25
DURATION_LENGTH = 32
ATTACHMENT_OPTION = "file"
"""The optional file option of commands that accept an attachment."""
SPEC_EXTRA = "parley_spec"
"""The key of each generated command's `extras` that holds its `CommandSpec`."""

_GROUP_DESCRIPTION = Localized("/{name} commands", "/{name} 命令")
_ATTACHMENT_DESCRIPTION = Localized("a file to attach", "要附上的文件")


class ChineseTranslator(app_commands.Translator):
    """Supplies the `zh-CN` text carried in each `locale_str`'s `zh` extra."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """The Chinese text for zh-CN; None (Discord shows the English text) otherwise."""
        if locale is discord.Locale.chinese:
            return string.extras.get("zh")
        return None


@dataclass(frozen=True, slots=True)
class Autocomplete:
    """Which parameters suggest values while typed, and who answers."""

    offered: Offered
    suggest: SlashSuggester


def build_commands(
    registry: Registry, run: SlashRunner, autocomplete: Autocomplete | None = None
) -> list[SlashEntry]:
    """Top-level commands and groups for every declared command."""
    built: list[SlashEntry] = []
    ordered = sorted(registry.commands(), key=lambda spec: (spec.name, spec.subcommand or ""))
    for name, specs in groupby(ordered, key=lambda spec: spec.name):
        family = list(specs)
        root = next((spec for spec in family if spec.subcommand is None), None)
        subcommands = [spec for spec in family if spec.subcommand is not None]
        if not subcommands and root is not None:
            built.append(_command(root, root.name, run, autocomplete))
        else:
            built.append(_group(name, root, subcommands, run, autocomplete))
    return built


def _group(
    name: str,
    root: CommandSpec | None,
    subcommands: list[CommandSpec],
    run: SlashRunner,
    autocomplete: Autocomplete | None,
) -> app_commands.Group:
    members = [*subcommands, *([root] if root else [])]
    only_moderators = all(spec.role is Role.MODERATOR for spec in members)
    description = localized(root.description) if root else localized(_GROUP_DESCRIPTION, name=name)
    group = app_commands.Group(
        name=name,
        description=description,
        default_permissions=MODERATOR_PERMISSIONS if only_moderators else None,
    )
    for spec in subcommands:
        group.add_command(_command(spec, spec.subcommand or "", run, autocomplete))
    if root is not None:
        if group.get_command(root.group_default) is not None:
            raise RegistryError(f"/{name}: group_default {root.group_default!r} is a subcommand")
        group.add_command(_command(root, root.group_default, run, autocomplete))
    return group


def _command(
    spec: CommandSpec, name: str, run: SlashRunner, autocomplete: Autocomplete | None = None
) -> SlashCommand:
    async def callback(interaction: discord.Interaction, **options: object) -> None:
        await run(interaction, spec, options)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    parameters += [
        _parameter(param, optional=param.name == spec.form_param) for param in spec.params
    ]
    descriptions = {p.name: localized(p.description) for p in spec.params}
    if spec.accepts_attachment:
        if ATTACHMENT_OPTION in descriptions:
            raise RegistryError(f"/{spec.path}: {ATTACHMENT_OPTION!r} is the attachment option")
        parameters.append(
            inspect.Parameter(
                ATTACHMENT_OPTION,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=discord.Attachment,
                default=None,
            )
        )
        descriptions[ATTACHMENT_OPTION] = localized(_ATTACHMENT_DESCRIPTION)
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    if descriptions:
        app_commands.describe(**descriptions)(callback)
    choices = {p.name: _choices(p) for p in spec.params if isinstance(p, ChoiceParam)}
    choices = {key: listed for key, listed in choices.items() if listed}
    if choices:
        app_commands.choices(**choices)(callback)
    if autocomplete is not None:
        suggested = {
            p.name: _suggester(spec, p, autocomplete.suggest)
            for p in spec.params
            if p.name not in choices and autocomplete.offered(spec, p.name)
        }
        if suggested:
            app_commands.autocomplete(**suggested)(callback)
    description = localized(spec.description)
    command: SlashCommand = app_commands.Command(
        name=name, description=description, callback=callback, extras={SPEC_EXTRA: spec}
    )
    if spec.role is Role.MODERATOR and spec.subcommand is None and name == spec.name:
        command.default_permissions = MODERATOR_PERMISSIONS
    return command


def _suggester(spec: CommandSpec, param: Param, suggest: SlashSuggester) -> Any:
    """The autocomplete callback of one option (an integer option gets integer values)."""

    async def complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[Any]]:
        found = await suggest(interaction, spec, param.name, str(current or ""))
        if isinstance(param, IntParam):
            return [c for c in found if isinstance(c.value, int)]
        return [app_commands.Choice(name=c.name, value=str(c.value)) for c in found]

    return complete


def _parameter(param: Param, *, optional: bool = False) -> inspect.Parameter:
    """The option of `param`; one `optional` (a form's text) may be left out even if required."""
    default = inspect.Parameter.empty if param.required and not optional else None
    return inspect.Parameter(
        param.name, inspect.Parameter.KEYWORD_ONLY, annotation=_annotation(param), default=default
    )


def _annotation(param: Param) -> Any:
    match param:
        case IntParam(min_value=low, max_value=high):
            low, high = max(low, -INTEGER_LIMIT), min(high, INTEGER_LIMIT)
            return app_commands.Range[int, low, high]
        case ChoiceParam() if _has_choices(param):
            return str
        case ChoiceParam(choices=choices):
            longest = max((len(choice) for choice in choices), default=1)
            return app_commands.Range[str, 1, min(longest, STRING_LIMIT)]
        case TextParam(min_length=low, max_length=high):
            high = max(1, min(high, STRING_LIMIT))
            return app_commands.Range[str, max(0, min(low, high)), high]
        case DurationParam():
            return app_commands.Range[str, 1, DURATION_LENGTH]
    raise TypeError(f"unknown parameter type {param!r}")


def _has_choices(param: Param) -> bool:
    return isinstance(param, ChoiceParam) and 0 < len(param.choices) <= CHOICE_LIMIT


def _choices(param: ChoiceParam) -> list[app_commands.Choice[str]]:
    """Discord choices with localized labels; none when there are more than Discord allows."""
    if not _has_choices(param):
        return []
    result = []
    for choice in param.choices:
        label = param.labels.get(choice)
        name = localized(label) if label else app_commands.locale_str(choice)
        result.append(app_commands.Choice(name=name, value=choice))
    return result


def localized(text: Localized, **values: object) -> app_commands.locale_str:
    """English text with its Chinese translation attached for the translator."""
    return app_commands.locale_str(text.render("en", **values), zh=text.render("zh", **values))
