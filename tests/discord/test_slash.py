"""Every command Parley ships, as Discord would validate its registration."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.adapters.discord.slash import build_commands
from bot.app import Parley
from bot.commands import CommandSpec, Registry, RegistryError
from bot.config import Settings
from bot.i18n import Localized
from parley.features import build_features

from .conftest import Harness

NAME = re.compile(r"^[a-z0-9_-]{1,32}$")
MESSAGE_COMMAND = 3


def check_option(option: dict[str, Any]) -> int:
    """Assert Discord's rules for one option; returns its characters counted toward 4,000."""
    assert NAME.match(option["name"]), option["name"]
    assert 1 <= len(option["description"]) <= 100
    for text in option.get("description_localizations", {}).values():
        assert 1 <= len(text) <= 100
    size = len(option["name"]) + len(option["description"])
    children = option.get("options", [])
    assert len(children) <= 25
    if option.get("type") in (1, 2, None):
        required = [child.get("required", False) for child in children if child["type"] > 2]
        assert required == sorted(required, reverse=True), "required options first"
        size += sum(check_option(child) for child in children)
    choices = option.get("choices", [])
    assert len(choices) <= 25
    for choice in choices:
        assert 1 <= len(choice["name"]) <= 100
        size += len(choice["name"]) + len(str(choice["value"]))
    if "max_length" in option:
        assert 0 <= option.get("min_length", 0) <= option["max_length"] <= 6000
    return size


async def test_shipped_commands_register_validly(settings: Settings, harness: Harness) -> None:
    async with Parley.open(settings, features=build_features) as shipped:
        harness.app = shipped
        await harness.start()
    (put,) = [call for call in harness.fake.calls if call.method == "PUT"]
    assert 0 < len(put.payload) <= 100
    assert len({command["name"] for command in put.payload}) == len(put.payload)
    menus = [command for command in put.payload if command.get("type") == MESSAGE_COMMAND]
    assert {menu["name"] for menu in menus} == {"Summarize", "Propose as argument"}
    for menu in menus:  # a name of 1-32 characters (spaces and capitals allowed), no options
        names = [menu["name"], *menu.get("name_localizations", {}).values()]
        assert all(1 <= len(name) <= 32 for name in names) and not menu.get("options")
        assert menu["name_localizations"]["zh-CN"] in ("总结", "提议为论点")
    for command in put.payload:
        if command.get("type") != MESSAGE_COMMAND:
            assert check_option(command) <= 4000
    [post] = [command for command in put.payload if command["name"] == "post"]
    [item] = [option for option in post["options"] if option["name"] == "item"]
    chinese = {c["value"]: c.get("name_localizations", {}).get("zh-CN") for c in item["choices"]}
    assert chinese["summary"] == "摘要" and chinese["debate"] == "辩论卡片"


async def _noop(ctx: object) -> None:
    return None


def test_group_default_must_not_clash_with_a_subcommand() -> None:
    registry = Registry()
    described = Localized("x", "x")
    registry.add_command(CommandSpec(name="poll", description=described, handler=_noop))
    registry.add_command(
        CommandSpec(name="poll", subcommand="show", description=described, handler=_noop)
    )

    async def run(*_: object) -> None:
        return None

    with pytest.raises(RegistryError, match="group_default"):
        build_commands(registry, run)
