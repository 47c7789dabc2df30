"""Forms (Discord's modals) for commands whose long text reads better in one, and their submits.

A form holds a command's parameters: a choice as a select menu, anything else as a text input
(a paragraph for free text), prefilled with what is already known (the slash options given, a
message's text). Its `custom_id` names the command (`parley-form:argue`); a submit is read here
into the same options a slash command carries, so the router checks it like any command (a
forged one included). Like buttons, forms are stopped before they are sent: discord.py keeps no
state for them and a submit after a restart still works.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import discord

from bot.commands import CommandSpec
from bot.i18n import Locale
from bot.params import ChoiceParam, Param, TextParam
from bot.sanitize import clipped

FORM_PREFIX = "parley-form:"
TITLE_LIMIT = 45  # Discord's modal title and label text limits (a label's description's, 100,
LABEL_LIMIT = 45  # is bot.commands.DESCRIPTION_LIMIT: the registry refuses longer descriptions)
INPUT_LIMIT = 4000  # a text input holds at most 4,000 characters
COMPONENT_LIMIT = 5
SELECT_LIMIT = 25


def build_form(spec: CommandSpec, locale: Locale, known: Mapping[str, object]) -> discord.ui.Modal:
    """The form for `spec` in `locale`, prefilled with the `known` values."""
    form = discord.ui.Modal(
        title=clipped(spec.description.render(locale), TITLE_LIMIT),
        custom_id=f"{FORM_PREFIX}{spec.path}",
        timeout=None,
    )
    for param in spec.params[:COMPONENT_LIMIT]:
        value = known.get(param.name)
        text = None if value is None else str(value)
        description = param.description.render(locale)
        form.add_item(
            discord.ui.Label(
                text=clipped(description, LABEL_LIMIT),
                description=description if len(description) > LABEL_LIMIT else None,
                component=_input(param, locale, text),
            )
        )
    form.stop()  # serialised only: the submit arrives through on_interaction
    return form


def _input(param: Param, locale: Locale, known: str | None) -> discord.ui.Item[Any]:
    if isinstance(param, ChoiceParam) and 0 < len(param.choices) <= SELECT_LIMIT:
        options = [
            discord.SelectOption(
                label=param.labels[choice].render(locale) if choice in param.labels else choice,
                value=choice,
                default=choice == known,
            )
            for choice in param.choices
        ]
        return discord.ui.Select(custom_id=param.name, options=options, required=param.required)
    long_text = isinstance(param, TextParam) and (param.rest or param.max_length > 200)
    limit = min(param.max_length, INPUT_LIMIT) if isinstance(param, TextParam) else 100
    low = min(param.min_length, limit) if isinstance(param, TextParam) else None
    return discord.ui.TextInput(
        custom_id=param.name,
        style=discord.TextStyle.paragraph if long_text else discord.TextStyle.short,
        default=known[:limit] if known else None,
        required=param.required,
        min_length=low if param.required else None,
        max_length=limit,
    )


def is_form_submit(interaction: discord.Interaction) -> bool:
    """Whether the interaction submits one of Parley's forms."""
    data: Mapping[str, object] = interaction.data or {}
    return interaction.type is discord.InteractionType.modal_submit and str(
        data.get("custom_id", "")
    ).startswith(FORM_PREFIX)


def submitted(data: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """The command path a submit names and each field's value (at most `COMPONENT_LIMIT`)."""
    path = str(data.get("custom_id", ""))[len(FORM_PREFIX) :][:65]
    values: dict[str, str] = {}
    for field in _fields(data.get("components") or []):
        if len(values) == COMPONENT_LIMIT:
            break
        name, value = field
        values[str(name)[:32]] = value
    return path, values


def _fields(components: object) -> Iterator[tuple[str, str]]:
    """Every (custom_id, value) in submitted components: text inputs, selects, in any layout."""
    if not isinstance(components, list):
        return
    for component in components:
        if not isinstance(component, dict):
            continue
        if "custom_id" in component and "value" in component:
            yield str(component["custom_id"]), str(component["value"])[:INPUT_LIMIT]
        elif "custom_id" in component and isinstance(component.get("values"), list):
            chosen = component["values"]
            yield str(component["custom_id"]), str(chosen[0])[:100] if chosen else ""
        yield from _fields(component.get("components"))
        if isinstance(component.get("component"), dict):
            yield from _fields([component["component"]])
