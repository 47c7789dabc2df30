"""Posting into a server on another process's shards: this process has no gateway cache of it,
so the Discord gateway checks the channel over REST (channel, server, members) with discord.py's
permission rules, keeps what it fetched for a minute, and posts over REST."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.adapters.discord import DiscordAdapter, ShardPlan
from bot.adapters.discord.client import ShardedParleyClient
from bot.adapters.discord.places import Place, Places
from bot.identity import Actor, ChatRef
from bot.reply import Reply
from tests.reliability.test_postgres_processes import answered, jobs, until

from . import builders
from .conftest import Harness
from .fake_discord import FakeDiscord
from .test_shard_processes import eventually, start

VIEW, SEND, EMBED, ADMINISTRATOR = 1 << 10, 1 << 11, 1 << 14, 1 << 3
MANAGE_MESSAGES, SEND_IN_THREADS, ATTACH = builders.MANAGE_MESSAGES, 1 << 38, 1 << 15
PIN_MESSAGES = 1 << 51
BOT_ROLE, ADMIN_ROLE = "1100000000000000077", "1100000000000000078"
OWNER_ID = "73193882359173120"  # builders.guild()'s owner_id
CHANNEL = ChatRef("discord", builders.CHANNEL_ID)
WITHOUT_THE_GUILD = ShardPlan((0, 1), 4)  # the guild is on shard 3 of 4


@pytest.fixture(autouse=True)
def identify_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py waits 5 s between a process's IDENTIFYs (Discord's rate); the fake has none."""

    async def at_once(self: ShardedParleyClient, shard_id: int | None, *, initial: bool) -> None:
        return None

    monkeypatch.setattr(ShardedParleyClient, "before_identify_hook", at_once)


def person(user_id: str, *roles: str, **extra: Any) -> dict[str, Any]:
    return {
        **builders.member(roles=roles),
        "user": builders.user(user_id, f"u{user_id[-3:]}"),
        **extra,
    }


def bot_member() -> dict[str, Any]:
    return {**builders.member(roles=(BOT_ROLE,)), "user": builders.bot_user()}


def overwrite(target: str, kind: int, allow: int = 0, deny: int = 0) -> dict[str, Any]:
    return {"id": target, "type": kind, "allow": str(allow), "deny": str(deny)}


def serve(
    fake: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    overwrites: Sequence[dict[str, Any]] = (),
    bot_permissions: int = VIEW | SEND | EMBED,
    everyone: int = VIEW,
) -> dict[str, Any]:
    """The same server over the gateway (GUILD_CREATE) and REST; returns the channel."""
    channel = {**builders.text_channel(), "permission_overwrites": list(overwrites)}
    plain = builders.guild

    def guild() -> dict[str, Any]:
        data = plain()
        data["roles"] = [
            builders.role(builders.GUILD_ID, "@everyone", permissions=everyone),
            builders.role(builders.MOD_ROLE_ID, "Mods", permissions=MANAGE_MESSAGES, position=1),
            builders.role(BOT_ROLE, "Parley", permissions=bot_permissions, position=2),
            builders.role(ADMIN_ROLE, "Admins", permissions=ADMINISTRATOR, position=3),
        ]
        data["channels"] = [channel]
        data["threads"] = [builders.thread()]
        data["members"] = [bot_member()]
        return data

    monkeypatch.setattr(builders, "guild", guild)
    fake.channels[builders.CHANNEL_ID] = channel
    fake.channels[builders.THREAD_ID] = builders.thread()
    fake.members[builders.BOT_ID] = bot_member()
    fake.members[builders.USER_ID] = person(builders.USER_ID, builders.MOD_ROLE_ID)
    return channel


def moderator() -> Actor:
    return Actor("discord", builders.USER_ID, "Mason")


def fetches(fake: FakeDiscord) -> list[str]:
    """The REST lookups made so far (channels, the server, members)."""
    return [
        call.path
        for call in fake.calls
        if call.method == "GET" and call.path.startswith(("/channels/", "/guilds/"))
    ]


async def without_the_guild(harness: Harness) -> DiscordAdapter:
    adapter = await harness.start(shards=WITHOUT_THE_GUILD)
    assert adapter.client.get_guild(int(builders.GUILD_ID)) is None
    return adapter


async def test_a_post_to_a_server_on_other_shards_is_checked_over_rest_and_sent(
    harness: Harness, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(fake, monkeypatch, bot_permissions=VIEW | SEND | EMBED | PIN_MESSAGES)
    gateway = (await without_the_guild(harness)).gateway

    assert await gateway.check_can_post(CHANNEL, moderator()) is None
    guild, member = f"/guilds/{builders.GUILD_ID}", f"/guilds/{builders.GUILD_ID}/members/"
    assert fetches(fake).count(guild) == 1
    assert sorted(fetches(fake)) == sorted(
        [f"/channels/{builders.CHANNEL_ID}"] * 2  # to learn its server, then with its roles
        + [guild, member + builders.BOT_ID, member + builders.USER_ID]
    )

    message = await gateway.send(CHANNEL, Reply.text("Hello there", title="News"))
    await gateway.pin(message)
    posted = [c for c in fake.calls if c.method == "POST" and c.path.endswith("/messages")]
    assert [c.path for c in posted] == [f"/channels/{builders.CHANNEL_ID}/messages"]
    assert "Hello there" in posted[0].text
    assert any(
        c.method == "PUT" and c.path.endswith(f"/pins/{message.message_id}") for c in fake.calls
    )

    before = len(fetches(fake))
    checks = [gateway.check_can_post(CHANNEL, moderator()) for _ in range(5)]
    assert await asyncio.gather(*checks) == [None] * 5
    assert len(fetches(fake)) == before  # a burst within the minute fetches nothing again


async def test_an_overwrite_denying_send_messages_is_refused_clearly(
    harness: Harness, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(fake, monkeypatch, [overwrite(BOT_ROLE, 0, deny=SEND)])
    gateway = (await without_the_guild(harness)).gateway

    reason = await gateway.check_can_post(CHANNEL, moderator())
    assert reason is not None and "Send Messages" in reason.en and "发送消息" in reason.zh

    member = Actor("discord", "1100000000000000555", "Plain")
    fake.members[member.user_id] = person(member.user_id)
    fake.channels[builders.CHANNEL_ID]["permission_overwrites"] = []
    gateway = (await harness.start(shards=WITHOUT_THE_GUILD)).gateway  # nothing kept yet
    reason = await gateway.check_can_post(CHANNEL, member)
    assert reason is not None and "Manage Messages" in reason.en
    assert await gateway.check_can_post(CHANNEL, moderator()) is None


async def test_an_unknown_channel_gets_the_same_refusal_and_is_not_remembered(
    harness: Harness, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = serve(fake, monkeypatch)
    del fake.channels[builders.CHANNEL_ID]
    gateway = (await without_the_guild(harness)).gateway

    reason = await gateway.check_can_post(CHANNEL, moderator())
    assert reason is not None and "can't see that channel" in reason.en and "看不到" in reason.zh
    fake.channels[builders.CHANNEL_ID] = channel  # e.g. the bot was let in meanwhile
    assert await gateway.check_can_post(CHANNEL, moderator()) is None


async def test_what_was_fetched_is_asked_again_after_a_minute(
    harness: Harness, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(fake, monkeypatch)
    client = (await without_the_guild(harness)).client
    clock = [0.0]
    places = Places(lambda: client, now=lambda: clock[0])

    place = await places.find(int(builders.CHANNEL_ID))
    assert isinstance(place, Place)
    await places.me(place)
    first = len(fetches(fake))
    clock[0] = 59.0
    assert (await places.find(int(builders.CHANNEL_ID))) is place
    await places.me(place)
    assert len(fetches(fake)) == first
    clock[0] = 61.0
    again = await places.find(int(builders.CHANNEL_ID))
    assert isinstance(again, Place) and again is not place
    await places.me(again)
    assert len(fetches(fake)) == 2 * first


OVERWRITES = {
    "none": [],
    "everyone_cannot_see": [overwrite(builders.GUILD_ID, 0, deny=VIEW)],
    "mixed": [
        overwrite(builders.USER_ID, 1, deny=EMBED),
        overwrite(builders.MOD_ROLE_ID, 0, allow=SEND | SEND_IN_THREADS),
        overwrite(builders.GUILD_ID, 0, deny=SEND | EMBED),
    ],
    "bot_role_denied": [overwrite(BOT_ROLE, 0, deny=SEND | VIEW)],
    "member_allowed": [
        overwrite(builders.GUILD_ID, 0, deny=VIEW),
        overwrite("1100000000000000555", 1, allow=VIEW | MANAGE_MESSAGES),
    ],
}


@pytest.mark.parametrize("overwrites", OVERWRITES.values(), ids=OVERWRITES.keys())
async def test_permissions_match_discord_pys_on_the_cached_server(
    harness: Harness,
    fake: FakeDiscord,
    monkeypatch: pytest.MonkeyPatch,
    overwrites: list[dict[str, Any]],
) -> None:
    everyone = VIEW | SEND | EMBED | ATTACH  # in a thread, embeds need Send Messages in Threads
    serve(fake, monkeypatch, overwrites, VIEW | SEND | EMBED | SEND_IN_THREADS, everyone)
    people = {
        builders.BOT_ID: bot_member(),
        builders.USER_ID: person(builders.USER_ID, builders.MOD_ROLE_ID),
        "1100000000000000555": person("1100000000000000555"),
        "1100000000000000556": person("1100000000000000556", ADMIN_ROLE),
        OWNER_ID: person(OWNER_ID),
        "1100000000000000557": person(
            "1100000000000000557",
            builders.MOD_ROLE_ID,
            communication_disabled_until="2999-01-01T00:00:00+00:00",
        ),
    }
    fake.members.update(people)
    cached = (await harness.start()).client  # one connection: it has the server
    guild = cached.get_guild(int(builders.GUILD_ID))
    assert guild is not None
    remote = (await without_the_guild(harness)).client
    places = Places(lambda: remote)

    compared = 0
    for channel_id in (builders.CHANNEL_ID, builders.THREAD_ID):
        here = cached.get_channel(int(channel_id))
        assert isinstance(here, discord.TextChannel | discord.Thread)
        there = await places.find(int(channel_id))
        assert isinstance(there, Place) and there.guild is not guild
        assert isinstance(there.channel, discord.Thread) == (channel_id == builders.THREAD_ID)
        for user_id in people:
            expected = here.permissions_for(await guild.fetch_member(int(user_id)))
            found = there.permissions_for(await places.member(there, int(user_id)))
            assert found == expected, (channel_id, user_id, found, expected)
            compared += 1
    assert compared == 12


@pytest.mark.slow
async def test_a_schedule_run_by_the_process_without_the_server_posts_once(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeDiscord()
    serve(server, monkeypatch)
    await server.start()
    logs = tmp_path / "without.log", tmp_path / "with.log"
    key = {"PARLEY_POLL_KEY": "5a" * 32}  # one key, set: two first starts race on its file
    without = await start(server, "0-1/4", postgres_url, logs[0], **key)
    holder = await start(server, "2-3/4", postgres_url, logs[1], **key)
    try:
        await eventually(lambda: len(server.shards_identified()) == 4, "four shards identified")
        create = builders.slash("poll", {"poll": "Q? | A | B"}, subcommand="create")
        await server.dispatch("INTERACTION_CREATE", create, shard=3)
        await answered(server, create, "the poll")
        request = builders.slash(
            "schedule",
            {"item": "poll", "when": "in 4s 1"},
            subcommand="create",
            roles=(builders.MOD_ROLE_ID,),
            permissions=MANAGE_MESSAGES,
        )
        await server.dispatch("INTERACTION_CREATE", request, shard=3)
        assert "Scheduled #1" in (await answered(server, request, "the schedule")).text
        holder.send_signal(signal.SIGINT)  # only the process without the server is left
        assert await holder.wait() == 0
        await until(
            postgres_url,
            "moderation.post",
            lambda r: bool(r) and r[0]["status"] != "pending",
            "ran",
        )
        await asyncio.sleep(0.5)  # a second post would show by now
        assert [
            (r["status"], r["attempts"]) for r in await jobs(postgres_url, "moderation.post")
        ] == [("done", 1)]
        posts = [
            c
            for c in server.calls
            if c.method == "POST" and c.path == f"/channels/{builders.CHANNEL_ID}/messages"
        ]
        assert len(posts) == 1 and "Q?" in posts[0].text
        assert "event=job_done" in logs[0].read_text()
    finally:
        for process in (without, holder):
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            await process.wait()
        await server.close()
