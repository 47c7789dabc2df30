"""`/settings modlog #channel`: every audit entry of the server posted there as it happens,
numbered like moderation cases, kept across restarts; a lost permission is said once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.discord import builders
from tests.discord.fake_discord import Call
from tests.tours import discord_tour as tour_rig
from tests.tours.discord_tour import ADMIN, DiscordTour, discord_tour, response_of, text_of

LOG = "1100000000000000044"
LOG_MESSAGES = f"/channels/{LOG}/messages"


@pytest.fixture(autouse=True)
def log_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tour's guild with a second text channel, #mod-log."""
    plain = tour_rig.guild

    def guild() -> dict[str, Any]:
        data = plain()
        log = {**builders.text_channel(), "id": LOG, "name": "log"}
        data["channels"] = [*data["channels"], log]
        return data

    monkeypatch.setattr(tour_rig, "guild", guild)


def cases(tour: DiscordTour) -> list[Call]:
    return [c for c in tour.rig.fake.calls if c.method == "POST" and c.path == LOG_MESSAGES]


def titles(tour: DiscordTour) -> list[str]:
    return [call.embeds[0]["title"] for call in cases(tour)]


async def set_log(tour: DiscordTour, channel: str = f"<#{LOG}>", **extra: Any) -> str:
    calls = await tour.slash("settings", {"channel": channel}, subcommand="modlog", **extra)
    return text_of(response_of(calls, ephemeral=True))


async def test_every_moderator_action_is_posted_numbered_and_the_count_survives_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        assert "posted in <#" in await set_log(tour, user=ADMIN)
        await tour.slash("settings", {"per_minute": 30}, subcommand="ratelimit", user=ADMIN)
        assert titles(tour) == ["Case #1 · /settings modlog", "Case #2 · /settings ratelimit"]
        second = cases(tour)[1]
        assert "Ada" in second.text and "per\\_minute=30" in second.text and "done" in second.text
        assert not second.ephemeral  # a channel message, for the moderators reading #log

        await tour.slash("settings", {"channel": f"<#{LOG}>"}, subcommand="modlog")  # a member
        assert len(cases(tour)) == 2  # refused, so neither changed nor logged

    async with discord_tour(tmp_path, monkeypatch) as tour:  # the same database, restarted
        await tour.slash("settings", {"language": "zh"}, subcommand="language", user=ADMIN)
        # in #general's language (#log has none of its own)
        assert titles(tour) == ["管理记录 #3 · /settings language"]

        assert "已关闭管理日志频道" in await set_log(tour, "off", user=ADMIN)
        await tour.slash("settings", {"per_minute": 0}, subcommand="ratelimit", user=ADMIN)
        assert len(cases(tour)) == 2  # off: #log is told who stopped it, then nothing more
        assert "Ada 关闭了管理日志" in text_of(cases(tour)[1])
        assert "编号会接着往下排" in await set_log(tour, "关闭", user=ADMIN)


async def test_a_channel_the_bot_cannot_post_in_is_reported_once_and_never_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        await set_log(tour, user=ADMIN)
        tour.rig.fake.refuse_posts_in.add(LOG)  # someone took Send Messages away in #log
        calls = await tour.slash("settings", {"per_minute": 30}, subcommand="ratelimit", user=ADMIN)
        assert any("30 commands per minute" in text_of(c) for c in calls)  # the action worked
        notices = [text_of(c) for c in calls if c.ephemeral]
        assert sum("could not post this action in the mod-log" in n for n in notices) == 1

        calls = await tour.slash("settings", {"per_minute": 40}, subcommand="ratelimit", user=ADMIN)
        assert not any("mod-log" in text_of(c) for c in calls)  # said once, not every time

        tour.rig.fake.refuse_posts_in.clear()
        await tour.slash("settings", {"per_minute": 50}, subcommand="ratelimit", user=ADMIN)
        tour.rig.fake.refuse_posts_in.add(LOG)  # works again, then fails again: said again
        calls = await tour.slash("settings", {"per_minute": 60}, subcommand="ratelimit", user=ADMIN)
        assert any("could not post this action" in text_of(c) for c in calls)
        numbers = [title.split(" · ")[0] for title in titles(tour)]  # every try, refused or not
        assert numbers == ["Case #1", "Case #2", "Case #3", "Case #4", "Case #5"]


async def test_a_wrong_channel_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with discord_tour(tmp_path, monkeypatch) as tour:
        answer = await set_log(tour, "general", user=ADMIN)
        assert "“general” is not a channel I can read" in answer
        answer = await set_log(tour, "<#1100000000000000999>", user=ADMIN)
        assert "1100000000000000999" in answer and "can't see" in answer
        answer = await set_log(tour, "general", user=ADMIN, locale="zh-CN")
        assert "“general”不是我能识别的频道" in answer
        await tour.slash("settings", {"per_minute": 30}, subcommand="ratelimit", user=ADMIN)
        assert cases(tour) == []
