"""One small world on three platforms, for the cross-chat authorization tests.

The world has a home group (HOME), another community (OTHER) and each person's private chat
with the bot (DM). Olga moderates HOME and OTHER; Marvin moderates OTHER only; Bob, Alice and
Mallory are plain members (Mallory is not in HOME). Each platform drives the same people and
places through its real entry point:

- console: the router with a console-like actor and a recording gateway (`tests.support`);
- Telegram: the real `Application` over the fake Bot API (`telegram_parley`), supergroups and
  private chats, administrators as `getChatAdministrators` reports them;
- Discord: the real discord.py client against the fake Discord (`discord_parley`), two guilds
  whose roles give moderators Manage Messages, and DM interactions.

Every invocation returns what the bot did as platform-neutral `Event`s (answers to the actor,
messages posted, messages edited), so one test body checks all three platforms.
"""

from __future__ import annotations

import asyncio
import copy
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.app import Parley
from bot.arguments import parse_text_args
from bot.errors import UsageError
from bot.identity import Actor, ChatKind, ChatRef, MessageRef
from bot.reply import Reply
from tests.discord import builders as dc
from tests.discord.fake_discord import Call as DiscordCall
from tests.hostile.platforms import (
    GENEROUS_LIMITS,
    all_features,
    discord_parley,
    discord_visible,
    telegram_parley,
    telegram_visible,
)
from tests.hostile.strategies import slash_path
from tests.support import (
    FakeClock,
    RecordingGateway,
    RecordingResponder,
    make_command,
    make_press,
    make_settings,
)
from tests.telegram.builders import ALICE as TG_ALICE
from tests.telegram.builders import BOB as TG_BOB
from tests.telegram.builders import GROUP_ID, make_callback_update, make_message_update


class Place(StrEnum):
    """Where someone speaks: the home group, another community, or their private chat."""

    HOME = "home"
    OTHER = "other"
    DM = "dm"


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the world."""

    name: str


OLGA = Person("Olga")
BOB = Person("Bob")
ALICE = Person("Alice")
MALLORY = Person("Mallory")
MARVIN = Person("Marvin")
PEOPLE = (OLGA, BOB, ALICE, MALLORY, MARVIN)
MODERATORS = {Place.HOME: {OLGA}, Place.OTHER: {OLGA, MARVIN}}


def moderates(person: Person, place: Place) -> bool:
    """Whether the platform reports `person` as a moderator where they speak (a DM: always)."""
    return place is Place.DM or person in MODERATORS[place]


@dataclass(frozen=True, slots=True)
class Event:
    """One thing the bot did: answered the actor, posted a message, or edited one.

    `where` is `here` (the chat of the invocation), `private` (only the actor sees it), or the
    label of another chat (`home`, `other`, `dm:Name`).
    """

    kind: str  # "answer", "send" or "edit"
    where: str
    text: str
    buttons: tuple[str, ...] = ()
    has_file: bool = False
    message: str | None = None
    """The id of the message sent or edited (None for answers that are not messages)."""


@dataclass
class Seen:
    """Everything one invocation made the bot do."""

    events: list[Event] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All visible text, joined."""
        return "\n".join(event.text for event in self.events)

    @property
    def answers(self) -> list[Event]:
        return [event for event in self.events if event.kind == "answer"]

    @property
    def changes(self) -> list[Event]:
        """Messages posted or edited (anything but an answer to the actor)."""
        return [event for event in self.events if event.kind != "answer"]

    def buttons(self) -> list[str]:
        """Every button payload the bot showed, in order."""
        return [payload for event in self.events for payload in event.buttons]

    def message_with(self, action: str) -> tuple[str, tuple[str, ...]]:
        """The first message with a button of `action`: its id and its button payloads."""
        for event in self.events:
            if event.message and any(f":{action}:" in f"{b}:" for b in event.buttons):
                return event.message, event.buttons
        raise AssertionError(f"no message with a {action} button in {self.shape()}")

    def shape(self, replace_id: tuple[str, str] | None = None) -> list[tuple[str, str, str, bool]]:
        """The events for comparison, with `replace_id=(old, new)` substituted in the text."""
        shaped = []
        for event in self.events:
            text = event.text
            if replace_id is not None:
                text = text.replace(*replace_id)
            shaped.append((event.kind, event.where, text, event.has_file))
        return shaped


def dump(database: Path) -> list[str]:
    """Every row of every table, as SQL."""
    with sqlite3.connect(database) as connection:
        return list(connection.iterdump())


def row_changes(before: list[str], after: list[str]) -> list[str]:
    """The rows (as SQL) that appeared (`+`) or disappeared (`-`) between two dumps."""
    gone, new = set(before) - set(after), set(after) - set(before)
    return [f"- {row}" for row in sorted(gone)] + [f"+ {row}" for row in sorted(new)]


def query(database: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows read straight from the SQLite file."""
    with sqlite3.connect(database) as connection:
        return [tuple(row) for row in connection.execute(sql, params)]


def newest(database: Path, table: str) -> int:
    """The id of the newest row of `table`."""
    [(value,)] = query(database, f"SELECT max(id) FROM {table}")
    assert value is not None, f"no row in {table}"
    return int(value)


PACE = timedelta(minutes=1)
"""A person's pace: slow enough that no rate limit (costly commands included) stands in the way."""


class World:
    """The same people and places on one platform."""

    platform: str
    clock: FakeClock
    parley: Parley

    @property
    def database(self) -> Path:
        return self.parley.services.settings.database_path

    def chat_id(self, where: Place, who: Person) -> str:
        """The stored chat id of `where` (a DM is `who`'s private chat with the bot)."""
        raise NotImplementedError

    def target(self, where: Place, who: Person = MALLORY) -> str:
        """How `/post` and `/poll share` name the chat `where` on this platform."""
        raise NotImplementedError

    def private_place(self, where: Place) -> Place:
        """Where a private answer to someone in `where` is pressed (Telegram: their DM)."""
        return where

    pace = PACE
    """How long people wait between two things they do (zero: a burst)."""

    async def command(self, who: Person, where: Place, line: str) -> Seen:
        """`who` types `line` in `where`."""
        self.clock.advance(seconds=self.pace.total_seconds())
        return await self._command(who, where, line)

    async def press(self, who: Person, where: Place, payload: str, message: str) -> Seen:
        """`who` presses a button carrying `payload` on the bot's message `message` in `where`."""
        self.clock.advance(seconds=self.pace.total_seconds())
        return await self._press(who, where, payload, message)

    async def _command(self, who: Person, where: Place, line: str) -> Seen:
        raise NotImplementedError

    async def _press(self, who: Person, where: Place, payload: str, message: str) -> Seen:
        raise NotImplementedError

    def messages_of(self, poll_id: int, where: Place, who: Person = MALLORY) -> list[str]:
        """The ids of the bot's messages that show the poll in `where`."""
        rows = query(
            self.database,
            "SELECT message_id FROM poll_messages WHERE poll_id = ? AND platform = ?"
            " AND chat_id = ? ORDER BY posted_at",
            (poll_id, self.platform, self.chat_id(where, who)),
        )
        return [str(message_id) for (message_id,) in rows]

    async def run_due_jobs(self) -> int:
        """Run every job that is due now (the scheduler's own step)."""
        return await self.parley.services.scheduler.run_due()


async def settle(parley: Parley) -> None:
    """Let background work started by the last invocation (edits, announcements) finish."""
    for _ in range(3):
        await asyncio.sleep(0)
    await parley.services.background.idle()


# --- console ---------------------------------------------------------------------------------

CONSOLE = "test"  # the platform of `tests.support` invocations and the recording gateway


@dataclass
class ChatResponder(RecordingResponder):
    """A recording responder whose messages are in the invocation's chat, with unique ids."""

    chat: ChatRef = field(default_factory=lambda: ChatRef(CONSOLE, "chat"))
    counter: list[int] = field(default_factory=lambda: [0])
    ids: list[str] = field(default_factory=list)

    async def reply(self, reply: Reply) -> MessageRef | None:
        self.replies.append(reply)
        self.counter[0] += 1
        self.ids.append(f"r{self.counter[0]}")
        return MessageRef(self.chat, self.ids[-1])


class ConsoleWorld(World):
    """The router, as the console adapter drives it, with a recording gateway."""

    platform = CONSOLE

    def __init__(self, parley: Parley, gateway: RecordingGateway, clock: FakeClock) -> None:
        self.parley = parley
        self.gateway = gateway
        self.clock = clock
        self._ids = [0]

    def chat_id(self, where: Place, who: Person) -> str:
        return f"dm-{who.name.lower()}" if where is Place.DM else where.value

    def target(self, where: Place, who: Person = MALLORY) -> str:
        return f"#{self.chat_id(where, who)}"

    def actor(self, who: Person, where: Place) -> Actor:
        return Actor(
            CONSOLE, who.name.lower(), who.name, is_moderator=moderates(who, where), locale_tag="en"
        )

    async def _command(self, who: Person, where: Place, line: str) -> Seen:
        invocation = make_command(line, actor=self.actor(who, where), chat=self.chat_id(where, who))
        if where is Place.DM:
            invocation = replace(invocation, chat_kind=ChatKind.PRIVATE)
        return await self._run(invocation, who, where)

    async def _press(self, who: Person, where: Place, payload: str, message: str) -> Seen:
        chat = ChatRef(CONSOLE, self.chat_id(where, who))
        invocation = make_press(payload, actor=self.actor(who, where), chat=chat.chat_id)
        kind = ChatKind.PRIVATE if where is Place.DM else ChatKind.GROUP
        invocation = replace(invocation, source=MessageRef(chat, message), chat_kind=kind)
        return await self._run(invocation, who, where)

    async def _run(self, invocation: Any, who: Person, where: Place) -> Seen:
        sent, edits = len(self.gateway.sent), len(self.gateway.edits)
        responder = ChatResponder(chat=invocation.chat, counter=self._ids)
        await self.parley.router.dispatch(invocation, responder)
        await settle(self.parley)
        seen = Seen()
        for reply, message in zip(responder.replies, responder.ids, strict=True):
            where = "private" if reply.private else "here"
            seen.events.append(_console_event("answer", where, reply, message))
        for reply in responder.updates:
            source = invocation.source.message_id if invocation.source else None
            seen.events.append(_console_event("edit", "here", reply, source))
        for index, (chat, reply) in enumerate(self.gateway.sent[sent:], start=sent + 1):
            label = self._label(chat, invocation.chat)
            seen.events.append(_console_event("send", label, reply, str(index)))
        for message, reply in self.gateway.edits[edits:]:
            label = self._label(message.chat, invocation.chat)
            seen.events.append(_console_event("edit", label, reply, message.message_id))
        return seen

    def _label(self, chat: ChatRef, here: ChatRef) -> str:
        if chat.chat_id == here.chat_id:
            return "here"
        if chat.chat_id.startswith("dm-"):
            return f"dm:{chat.chat_id[3:].capitalize()}"
        return chat.chat_id


def _console_event(kind: str, where: str, reply: Reply, message: str | None) -> Event:
    buttons = tuple(button.payload for row in reply.buttons for button in row)
    return Event(kind, where, reply.plain_text(), buttons, reply.attachment is not None, message)


@asynccontextmanager
async def console_world(folder: Path, **env: Any) -> AsyncIterator[ConsoleWorld]:
    """The console world on a fresh database (generous rate limits unless `env` says else)."""
    clock = FakeClock()
    settings = make_settings(folder, **{**GENEROUS_LIMITS, **env})
    async with Parley.open(settings, clock, features=all_features) as parley:
        gateway = RecordingGateway(platform=CONSOLE)
        parley.services.outbox.register(gateway)
        yield ConsoleWorld(parley, gateway, clock)


# --- Telegram --------------------------------------------------------------------------------

TG_OTHER_ID = -1009876543210
TG_USERS = {OLGA: 3333333, BOB: TG_BOB, ALICE: TG_ALICE, MALLORY: 4444444, MARVIN: 5555555}
_TG_BOOKKEEPING = {
    "getUpdates",
    "getChatAdministrators",
    "getChat",
    "getChatMember",
    "sendChatAction",
    "getMe",
    "setMyCommands",
    "deleteWebhook",
}
_TG_SENDS = {"sendMessage", "sendPhoto", "sendDocument"}
_TG_EDITS = {"editMessageText", "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup"}


class TelegramWorld(World):
    """The real Telegram application over the fake Bot API: two supergroups and private chats."""

    platform = "telegram"

    def __init__(self, rig: Any, clock: FakeClock) -> None:
        self.rig = rig
        self.api = rig.api
        self.parley = rig.parley
        self.clock = clock
        self.api.admins = {
            GROUP_ID: {TG_USERS[p] for p in MODERATORS[Place.HOME]},
            TG_OTHER_ID: {TG_USERS[p] for p in MODERATORS[Place.OTHER]},
        }
        self._message_ids: dict[int, int] = {}
        make_message = self.api._message

        def numbered(params: dict[str, Any], **content: Any) -> dict[str, Any]:
            message = make_message(params, **content)
            self._message_ids[id(params)] = message["message_id"]
            return message

        self.api._message = numbered  # remember the id of every message the bot sent

    def chat_id(self, where: Place, who: Person) -> str:
        return str(self._chat(where, who))

    def _chat(self, where: Place, who: Person) -> int:
        return {Place.HOME: GROUP_ID, Place.OTHER: TG_OTHER_ID}.get(where, TG_USERS[who])

    def target(self, where: Place, who: Person = MALLORY) -> str:
        return self.chat_id(where, who)

    def private_place(self, where: Place) -> Place:
        return Place.DM

    async def _command(self, who: Person, where: Place, line: str) -> Seen:
        kind = "private" if where is Place.DM else "supergroup"
        update = make_message_update(
            line, chat_type=kind, user_id=TG_USERS[who], first_name=who.name
        )
        update["message"]["chat"]["id"] = self._chat(where, who)
        return await self._run(update, who, where)

    async def _press(self, who: Person, where: Place, payload: str, message: str) -> Seen:
        kind = "private" if where is Place.DM else "supergroup"
        update = make_callback_update(
            payload, message_id=int(message), chat_type=kind, user_id=TG_USERS[who]
        )
        query = update["callback_query"]
        query["from"]["first_name"] = who.name
        query["message"]["chat"]["id"] = self._chat(where, who)
        return await self._run(update, who, where)

    async def _run(self, update: dict[str, Any], who: Person, where: Place) -> Seen:
        start = len(self.api.calls)
        await self.rig.feed(update)
        await settle(self.parley)
        here, private = self._chat(where, who), TG_USERS[who]
        seen = Seen()
        for call in self.api.calls[start:]:
            params = call.params
            if call.method in _TG_BOOKKEEPING:
                continue
            if call.method == "answerCallbackQuery":
                if params.get("text"):
                    seen.events.append(Event("answer", "private", str(params["text"])))
                continue
            text = telegram_visible(str(params.get("text") or params.get("caption") or ""))
            buttons = _telegram_buttons(params.get("reply_markup"))
            chat = int(params["chat_id"])
            where_label = self._label(chat, here, private)
            number = self._message_ids.get(id(params))
            message = None if number is None else str(number)
            if call.method in _TG_EDITS:
                seen.events.append(Event("edit", where_label, text, buttons, message=message))
            elif call.method in _TG_SENDS:
                # A message to the actor privately, or a reply to their command, answers them.
                answer = chat == private or (chat == here and "reply_parameters" in params)
                kind = "answer" if answer else "send"
                has_file = call.method == "sendDocument"
                seen.events.append(Event(kind, where_label, text, buttons, has_file, message))
            else:
                seen.events.append(Event("send", f"{call.method}?", str(params)[:200]))
        return seen

    def _label(self, chat: int, here: int, private: int) -> str:
        if chat == here:
            return "here"
        if chat == private:
            return "private"
        if chat == GROUP_ID:
            return "home"
        if chat == TG_OTHER_ID:
            return "other"
        names = {number: person.name for person, number in TG_USERS.items()}
        return f"dm:{names.get(chat, chat)}"


def _telegram_buttons(markup: Any) -> tuple[str, ...]:
    if not isinstance(markup, dict):
        return ()
    rows = markup.get("inline_keyboard") or []
    return tuple(str(b.get("callback_data")) for row in rows for b in row if "callback_data" in b)


@asynccontextmanager
async def telegram_world(folder: Path, **env: Any) -> AsyncIterator[TelegramWorld]:
    """The Telegram world on a fresh database."""
    clock = FakeClock()
    async with telegram_parley(folder, clock=clock, **env) as rig:
        yield TelegramWorld(rig, clock)
        assert rig.errors == []


# --- Discord ---------------------------------------------------------------------------------

DC_OTHER_GUILD = "1100000000000000200"
DC_OTHER_CHANNEL = "1100000000000000201"
DC_OTHER_MODS = "1100000000000000202"
DC_OTHER_BOT_ROLE = "1100000000000000203"
DC_HOME_BOT_ROLE = "1100000000000000077"
DC_USERS = {
    OLGA: "53908232506183700",
    BOB: "53908232506183701",
    ALICE: "53908232506183702",
    MALLORY: "53908232506183703",
    MARVIN: "53908232506183704",
}
DC_DMS = {person: f"11000000000000003{index:02d}" for index, person in enumerate(PEOPLE)}
VIEW, SEND, EMBED, ATTACH = 1 << 10, 1 << 11, 1 << 14, 1 << 15
BOT_PERMISSIONS = VIEW | SEND | EMBED | ATTACH
_MOD_ROLES = {Place.HOME: dc.MOD_ROLE_ID, Place.OTHER: DC_OTHER_MODS}
_plain_guild = dc.guild  # before `discord_world` replaces it


def _discord_guild(guild_id: str, channel_id: str, mods: str, bot_role: str) -> dict[str, Any]:
    """A guild where members may talk, its Mods role has Manage Messages, and the bot is in."""
    data = _plain_guild()
    data["id"] = guild_id
    data["name"] = f"Guild {guild_id[-3:]}"
    data["channels"] = [{**dc.text_channel(), "id": channel_id, "guild_id": guild_id}]
    data["roles"] = [
        dc.role(guild_id, "@everyone", permissions=VIEW | SEND),
        dc.role(mods, "Mods", permissions=dc.MANAGE_MESSAGES, position=1),
        dc.role(bot_role, "Parley", permissions=BOT_PERMISSIONS, position=2),
    ]
    data["members"] = [{**dc.member(roles=(bot_role,)), "user": dc.bot_user()}]
    return data


def _home_guild() -> dict[str, Any]:
    """The builders' guild, with the roles and the bot member that `/post` checks read."""
    data = copy.deepcopy(_plain_guild())
    built = _discord_guild(dc.GUILD_ID, dc.CHANNEL_ID, dc.MOD_ROLE_ID, DC_HOME_BOT_ROLE)
    data.update({key: built[key] for key in ("roles", "members")})
    return data


class DiscordWorld(World):
    """The real discord.py client against the fake Discord: two guilds and DM channels."""

    platform = "discord"

    def __init__(self, rig: Any, clock: FakeClock) -> None:
        self.rig = rig
        self.fake = rig.fake
        self.parley = rig.parley
        self.clock = clock
        for person, user_id in DC_USERS.items():
            roles = [_MOD_ROLES[place] for place, mods in MODERATORS.items() if person in mods]
            self.fake.members[user_id] = {
                **dc.member(roles=tuple(roles)),
                "user": dc.user(user_id, person.name),
            }

    def chat_id(self, where: Place, who: Person) -> str:
        return {Place.HOME: dc.CHANNEL_ID, Place.OTHER: DC_OTHER_CHANNEL}.get(where, DC_DMS[who])

    def target(self, where: Place, who: Person = MALLORY) -> str:
        channel = self.chat_id(where, who)
        return channel if where is Place.DM else f"<#{channel}>"

    async def _command(self, who: Person, where: Place, line: str) -> Seen:
        registry = self.parley.router.registry
        name, _, text = line[1:].partition(" ")
        resolved = registry.resolve(name, text)
        assert resolved is not None, line
        spec, rest = resolved
        try:
            values = parse_text_args(spec.params, rest)
        except UsageError:  # `/poll Close it? | …` is a question, as the router reads it
            root = registry.command(name)
            assert root is not None, line
            spec, values = root, parse_text_args(root.params, text)
        options = {key: value for key, value in values.items() if value is not None}
        command, subcommand = slash_path(spec)
        payload = dc.slash(command, options, subcommand=subcommand)
        return await self._run(self._placed(payload, who, where), who, where)

    async def _press(self, who: Person, where: Place, payload: str, message: str) -> Seen:
        interaction = dc.press(payload, message)
        return await self._run(self._placed(interaction, who, where), who, where)

    def _placed(self, payload: dict[str, Any], who: Person, where: Place) -> dict[str, Any]:
        """The interaction as made by `who` in `where`."""
        user_id = DC_USERS[who]
        user = dc.user(user_id, who.name)
        for key in ("guild_id", "guild_locale", "guild", "member", "user"):
            payload.pop(key, None)
        channel_id = self.chat_id(where, who)
        if where is Place.DM:
            channel: dict[str, Any] = {"id": channel_id, "type": 1, "recipients": [user]}
            payload |= {
                "user": user,
                "context": 1,
                "authorizing_integration_owners": {"1": user_id},
            }
        else:
            guild = dc.GUILD_ID if where is Place.HOME else DC_OTHER_GUILD
            permissions = VIEW | SEND | (dc.MANAGE_MESSAGES if moderates(who, where) else 0)
            member = {
                **dc.member(
                    permissions, roles=(_MOD_ROLES[where],) if moderates(who, where) else ()
                ),
                "user": user,
            }
            channel = {**dc.text_channel(), "id": channel_id, "guild_id": guild}
            payload |= {
                "guild_id": guild,
                "guild_locale": "en-US",
                "guild": {"id": guild, "locale": "en-US", "features": []},
                "member": member,
                "context": 0,
                "authorizing_integration_owners": {"0": guild},
            }
        payload |= {"channel": channel, "channel_id": channel_id}
        if "message" in payload:
            payload["message"]["channel_id"] = channel_id
        return payload

    async def _run(self, payload: dict[str, Any], who: Person, where: Place) -> Seen:
        start = len(self.fake.calls)
        await self.rig.interact(payload)
        await settle(self.parley)
        is_press = payload["type"] == 3
        token = payload["token"]
        here = self.chat_id(where, who)
        seen = Seen()
        for call in self.fake.calls[start:]:
            event = self._event(call, token, here, is_press)
            if event is not None:
                seen.events.append(event)
        return seen

    def _event(self, call: DiscordCall, token: str, here: str, is_press: bool) -> Event | None:
        if call.method not in ("POST", "PATCH"):
            return None
        path = call.path
        text = _discord_text(call)
        buttons = _discord_buttons(call)
        has_file = bool(call.files)
        message = _discord_message_id(call)
        if f"/{token}/" in path + "/":
            if path.endswith("/callback"):
                kind = (call.payload or {}).get("type")
                if kind in (5, 6):
                    return None  # a deferral ("thinking…" or a silent acknowledgement)
                if kind == 7:
                    return Event("edit", "here", text, buttons, has_file, message)
            elif call.method == "PATCH" and is_press and path.endswith("/@original"):
                return Event("edit", "here", text, buttons, has_file, message)
            where = "private" if call.ephemeral else "here"
            return Event("answer", where, text, buttons, has_file, message)
        if path.startswith("/channels/") and "/messages" in path:
            channel = path.split("/")[2]
            label = "here" if channel == here else self._label(channel)
            kind = "send" if call.method == "POST" else "edit"
            return Event(kind, label, text, buttons, has_file, message)
        return None

    def _label(self, channel: str) -> str:
        if channel == dc.CHANNEL_ID:
            return "home"
        if channel == DC_OTHER_CHANNEL:
            return "other"
        names = {dm: person.name for person, dm in DC_DMS.items()}
        return f"dm:{names.get(channel, channel)}"

    async def add_other_guild(self) -> None:
        """The bot joins the other community's guild (a GUILD_CREATE after READY)."""
        data = _discord_guild(DC_OTHER_GUILD, DC_OTHER_CHANNEL, DC_OTHER_MODS, DC_OTHER_BOT_ROLE)
        await self.fake.dispatch("GUILD_CREATE", {**data, "unavailable": False})
        client = self.rig.adapter.client
        for _ in range(200):
            if client.get_guild(int(DC_OTHER_GUILD)) is not None:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("the other guild never arrived")

    def answer_dm_channels(self) -> None:
        """Answer `GET /channels/{dm}` for the bot's DM channels, as Discord does."""
        answer = self.fake._answer
        dms = {dm: person for person, dm in DC_DMS.items()}

        def with_dms(request: web.Request, call: DiscordCall) -> web.StreamResponse:
            parts = call.path.strip("/").split("/")
            if request.method == "GET" and len(parts) == 2 and parts[0] == "channels":
                person = dms.get(parts[1])
                if person is not None:
                    user = dc.user(DC_USERS[person], person.name)
                    channel = {"id": parts[1], "type": 1, "recipients": [user]}
                    return web.Response(
                        body=json.dumps(channel).encode(),
                        headers={"Content-Type": "application/json"},
                    )
            return answer(request, call)

        self.fake._answer = with_dms  # type: ignore[method-assign]


def _discord_text(call: DiscordCall) -> str:
    content = call.message.get("content") or ""
    return discord_visible("\n".join(part for part in (content, call.text) if part))


def _discord_message_id(call: DiscordCall) -> str | None:
    response = call.response if isinstance(call.response, dict) else {}
    if "resource" in response:
        return str((response["resource"].get("message") or {}).get("id") or "") or None
    return str(response["id"]) if "id" in response else None


def _discord_buttons(call: DiscordCall) -> tuple[str, ...]:
    rows = call.message.get("components") or []
    return tuple(
        str(b["custom_id"]) for row in rows for b in row.get("components", []) if "custom_id" in b
    )


@asynccontextmanager
async def discord_world(
    folder: Path, monkeypatch: pytest.MonkeyPatch, **env: Any
) -> AsyncIterator[DiscordWorld]:
    """The Discord world on a fresh database."""
    monkeypatch.setattr(dc, "guild", _home_guild)
    clock = FakeClock()
    async with discord_parley(folder, monkeypatch, clock=clock, **env) as rig:
        world = DiscordWorld(rig, clock)
        world.answer_dm_channels()
        await world.add_other_guild()
        yield world
        assert rig.harness.tree_errors == []


@asynccontextmanager
async def open_world(
    platform: str,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    pace: timedelta = PACE,
    **env: Any,
) -> AsyncIterator[World]:
    """The world on `platform` (`console`, `telegram` or `discord`), people at `pace`."""
    if platform == "console":
        async with console_world(folder, **env) as world:
            world.pace = pace
            yield world
    elif platform == "telegram":
        async with telegram_world(folder, **env) as tg:
            tg.pace = pace
            yield tg
    else:
        async with discord_world(folder, monkeypatch, **env) as dw:
            dw.pace = pace
            yield dw


PLATFORMS = ("console", "telegram", "discord")
