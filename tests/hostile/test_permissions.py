"""Permissions, table-driven: every moderator command and button, run by a member, is refused.

The table is the registry itself: every `CommandSpec` (subcommands included) and `ActionSpec`
whose role is MODERATOR, each with valid arguments so that only the role stands in the way.
Each runs as a member on the console (router with a console-like actor), on Telegram (a group
whose administrators, as `getChatAdministrators` reports them, exclude the user) and on
Discord (an interaction without permissions). Each must get the refusal and nothing else: no
row changes in any table, and no message posted other than the refusal.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot import messages
from bot.app import Parley
from bot.commands import ActionSpec, CommandSpec, Role
from bot.identity import Actor, ChatKind, ChatRef
from bot.invocation import Invocation
from bot.params import ChoiceParam, DurationParam, IntParam, Param, TextParam
from tests.discord import builders as discord_builders
from tests.hostile.platforms import (
    GENEROUS_LIMITS,
    all_features,
    discord_parley,
    discord_visible,
    recording_errors,
    telegram_parley,
    telegram_visible,
)
from tests.hostile.strategies import ACTIONS, COMMANDS, slash_path
from tests.support import FakeClock, RecordingGateway, RecordingResponder, make_settings
from tests.telegram.builders import ALICE, BOB, GROUP_ID, make_callback_update, make_message_update

MODERATOR_COMMANDS = [spec for spec in COMMANDS if spec.role is Role.MODERATOR]
MODERATOR_ACTIONS = [spec for spec in ACTIONS if spec.role is Role.MODERATOR]


def test_the_table_is_not_empty() -> None:
    assert len(MODERATOR_COMMANDS) >= 10 and len(MODERATOR_ACTIONS) >= 3
    paths = {spec.path for spec in MODERATOR_COMMANDS}
    assert {"settings language", "audit", "post", "argue queue"} <= paths


def valid_value(param: Param) -> str | int:
    """A value the parameter accepts, so only the role can refuse the invocation."""
    match param:
        case IntParam(min_value=low):
            return max(low, 1)
        case ChoiceParam(choices=choices):
            return choices[0]
        case DurationParam():
            return "2h"
        case TextParam(min_length=low):
            return "x" * max(low, 1)
    raise TypeError(param)


def command_line(spec: CommandSpec) -> str:
    return " ".join([f"/{spec.path}", *(str(valid_value(p)) for p in spec.params)])


def press_payload(spec: ActionSpec) -> str:
    fields = spec.payload.payload_fields
    values = {name: enum(valid_value(p)) if enum else valid_value(p) for name, p, enum in fields}
    return spec.payload(**values).encode()


def refusal(spec: CommandSpec | ActionSpec) -> str:
    if isinstance(spec, CommandSpec):
        return messages.MODERATORS_ONLY.render("en", what=f"/{spec.path}")
    return messages.MODERATORS_ONLY_BUTTON.render("en")


def dump(database: Path) -> list[str]:
    """Every row of every table, as SQL."""
    with sqlite3.connect(database) as connection:
        return list(connection.iterdump())


async def test_console_member_is_refused_everything(tmp_path: Path, subtests) -> None:
    settings = make_settings(tmp_path, **GENEROUS_LIMITS)
    chat = ChatRef("console", "console")
    guest = Actor("console", "guest", "guest", is_moderator=False)
    async with Parley.open(settings, FakeClock(), features=all_features) as parley:
        gateway = RecordingGateway(platform="console")
        parley.services.outbox.register(gateway)
        for spec in [*MODERATOR_COMMANDS, *MODERATOR_ACTIONS]:
            with subtests.test(msg=getattr(spec, "path", spec.name)):
                before = dump(settings.database_path)
                if isinstance(spec, CommandSpec):
                    line = command_line(spec)[1:]
                    name, _, text = line.partition(" ")
                    invocation = Invocation(
                        actor=guest, chat=chat, chat_kind=ChatKind.GROUP, command=name, text=text
                    )
                else:
                    invocation = Invocation(actor=guest, chat=chat, payload=press_payload(spec))
                responder = RecordingResponder()
                await parley.router.dispatch(invocation, responder)
                assert [r.plain_text() for r in responder.replies] == [refusal(spec)]
                assert responder.updates == [] and gateway.sent == [] and gateway.edits == []
                assert dump(settings.database_path) == before


async def test_telegram_member_is_refused_everything(tmp_path: Path, subtests) -> None:
    async with recording_errors() as errors, telegram_parley(tmp_path) as rig:
        rig.api.admins = {GROUP_ID: {BOB}}
        database = rig.parley.services.settings.database_path
        for spec in [*MODERATOR_COMMANDS, *MODERATOR_ACTIONS]:
            with subtests.test(msg=getattr(spec, "path", spec.name)):
                rig.api.calls.clear()
                before = dump(database)
                if isinstance(spec, CommandSpec):
                    update = make_message_update(command_line(spec), chat_type="supergroup")
                else:
                    update = make_callback_update(press_payload(spec), chat_type="supergroup")
                await rig.feed(update)
                answers = [
                    call
                    for call in rig.api.calls
                    if call.method not in ("getChatAdministrators", "sendChatAction", "getUpdates")
                ]
                assert len(answers) == 1, [(c.method, c.params) for c in answers]
                [answer] = answers
                if isinstance(spec, CommandSpec):
                    assert answer.method == "sendMessage" and answer.params["chat_id"] == ALICE
                    assert telegram_visible(answer.params["text"]) == refusal(spec)
                else:
                    assert answer.method == "answerCallbackQuery"
                    assert answer.params["text"] == refusal(spec)
                assert dump(database) == before
        assert errors.lines() == [] and rig.errors == []


async def test_discord_member_is_refused_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subtests
) -> None:
    async with recording_errors() as errors, discord_parley(tmp_path, monkeypatch) as rig:
        database = rig.parley.services.settings.database_path
        for spec in [*MODERATOR_COMMANDS, *MODERATOR_ACTIONS]:
            with subtests.test(msg=getattr(spec, "path", spec.name)):
                rig.fake.calls.clear()
                before = dump(database)
                if isinstance(spec, CommandSpec):
                    name, subcommand = slash_path(spec)
                    options = {p.name: valid_value(p) for p in spec.params}
                    payload = discord_builders.slash(name, options, subcommand=subcommand)
                else:
                    payload = discord_builders.press(press_payload(spec), "1234567890123456789")
                await rig.interact(payload)
                posted = rig.fake.messages_sent()
                assert len(posted) == 1, [(c.method, c.path, c.text) for c in posted]
                [answer] = posted
                assert answer.path.endswith("/callback") and answer.ephemeral
                assert discord_visible(answer.text) == refusal(spec)
                assert dump(database) == before
        assert errors.lines() == [] and rig.harness.tree_errors == []
