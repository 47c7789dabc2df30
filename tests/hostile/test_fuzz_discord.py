"""Property-based fuzzing through the real discord.py client with every real feature.

Slash interactions for every declared command carry random option values, within and beyond
the declared limits (also of the wrong type, missing, or unknown, as a stale registration would
send them); component interactions carry random, forged and replayed custom_ids, also ones
from another channel. Every message the bot sends must be within Discord's limits, with
`allowed_mentions` set to ping nobody, and nothing may crash: the command tree's error
recorder, the library's error log and Parley's own error log stay empty.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import pytest
from discord import app_commands
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.params import ChoiceParam, DurationParam, IntParam, Param, TextParam
from tests.discord import builders
from tests.hostile.platforms import (
    DiscordRig,
    discord_parley,
    discord_problems,
    discord_visible,
    message_calls,
    recording_errors,
)
from tests.hostile.strategies import (
    COMMANDS,
    NASTY,
    SPECS,
    random_payloads,
    replays,
    resolve_replay,
    slash_path,
)

PEOPLE = {
    "member": {"permissions": 0},
    "moderator": {"permissions": builders.MANAGE_MESSAGES},
    "dm": {"dm": True},
}


def option_values(param: Param) -> st.SearchStrategy[object]:
    """Values for one option: valid ones, ones past its limits, and ones of the wrong type."""
    nasty = st.sampled_from(NASTY)
    wrong = st.one_of(st.text(max_size=30), nasty, st.integers(-(2**60), 2**60))
    match param:
        case IntParam(min_value=low, max_value=high):
            within = st.integers(max(low, -(2**53)), min(high, 2**53))
            beyond = st.sampled_from([low - 1, high + 1, 2**53 + 1, -(2**53) - 1, 0, -1])
            return st.one_of(within, within, beyond, wrong)
        case ChoiceParam(choices=choices):
            return st.one_of(st.sampled_from(choices), st.sampled_from(choices), wrong)
        case TextParam(max_length=high):
            within = st.text(min_size=1, max_size=min(high, 60))
            beyond = st.builds(lambda s: (s or "x") * (high // max(1, len(s or "x")) + 1), nasty)
            return st.one_of(within, within, nasty, beyond, st.just(" "))
        case DurationParam():
            return st.one_of(st.sampled_from(["2h", "1d", "0s", "99999d", "-1h"]), wrong)
    return wrong


@st.composite
def slash_commands(draw: st.DrawFn) -> tuple[str, str | None, dict[str, object]]:
    spec = draw(st.sampled_from(COMMANDS))
    name, subcommand = slash_path(spec)
    options: dict[str, object] = {}
    for param in spec.params:
        keep = draw(st.integers(0, 9)) > (0 if param.required else 4)  # sometimes drop it
        if keep:
            options[param.name] = draw(option_values(param))
    if draw(st.integers(0, 15)) == 0:
        options["unexpected"] = draw(st.text(max_size=10))
    return name, subcommand, options


custom_ids = st.one_of(random_payloads.map(lambda text: text[:100] or "x"), replays, replays)
steps = st.lists(
    st.tuples(
        st.sampled_from(sorted(PEOPLE)),
        st.one_of(slash_commands(), slash_commands(), custom_ids),
    ),
    min_size=1,
    max_size=6,
)

SEED = [
    ("dm", "poll", {"poll": "Lunch? | Pizza | Sushi"}),
    ("dm", "poll", {"poll": "Ranked? | A | B | C --ranked"}),
    ("dm", "argue", {"side": "labs", "text": "Open weights let anyone audit what models do."}),
    ("dm", "article add", {"source": "A short article. It has two sentences at least."}),
    ("dm", "argue queue", {}),
    ("moderator", "poll", {"poll": "Here? | One | Two --multi 2"}),
    ("moderator", "stance", {}),
    ("member", "debate", {}),
    ("member", "summary", {}),
]


def _slash(who: str, name: str, subcommand: str | None, options: dict[str, object]) -> Any:
    return builders.slash(name, options, subcommand=subcommand, **PEOPLE[who])


def _press(who: str, custom_id: str) -> dict[str, Any]:
    permissions = PEOPLE[who].get("permissions", 0)
    return builders.press(custom_id, builders.snowflake(), permissions=permissions)


def _answered(calls: list[Any]) -> bool:
    return any(call.path.endswith("/callback") for call in calls)


def _collect_custom_ids(rig: DiscordRig, pool: list[str]) -> None:
    for call in message_calls(rig.fake):
        for row in call.message.get("components") or []:
            for button in row.get("components") or []:
                custom_id = button.get("custom_id")
                if custom_id and custom_id not in pool:
                    pool.append(custom_id)


HANDLED = (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)
"""Tree errors the adapter answers through the router (stale registrations)."""


def _check(rig: DiscordRig, pool: list[str], errors: Any, what: object, answered: bool) -> None:
    _collect_custom_ids(rig, pool)
    problems = discord_problems(message_calls(rig.fake))
    if not answered:
        problems.append("the interaction got no response")
    problems += [
        f"tree error: {error!r}"
        for error in rig.harness.tree_errors
        if not isinstance(error, HANDLED)
    ]
    problems += [f"unhandled route: {route}" for route in rig.fake.unhandled]
    problems += [f"logged: {line}" for line in errors.lines()]
    rig.fake.calls.clear()
    rig.harness.tree_errors.clear()
    errors.records.clear()
    assert problems == [], (what, problems)


@pytest.mark.slow
def test_random_interactions_through_the_real_client_are_answered_well_formed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool: list[str] = []
    with tempfile.TemporaryDirectory() as folder, asyncio.Runner() as runner:
        manager = discord_parley(Path(folder), monkeypatch)
        rig = runner.run(manager.__aenter__())
        recorder = recording_errors()
        errors = runner.run(recorder.__aenter__())
        try:

            async def seed() -> None:
                for who, path, options in SEED:
                    calls = await rig.interact(_slash(who, *slash_path(SPECS[path]), options))
                    _check(rig, pool, errors, path, _answered(calls))

            runner.run(seed())
            assert len(pool) >= 8, pool

            async def play(script: list[tuple[str, object]]) -> None:
                for who, step in script:
                    if isinstance(step, tuple) and step[0] == "replay":
                        _, index, mutation = step
                        payload = _press(who, resolve_replay(pool, index, mutation)[:100] or "x")
                    elif isinstance(step, tuple):
                        payload = _slash(who, *step)
                    else:
                        payload = _press(who, str(step))
                    calls = await rig.interact(payload)
                    _check(rig, pool, errors, (who, step), _answered(calls))

            @settings(
                max_examples=800,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(script=steps)
            def fuzz(script: list[tuple[str, object]]) -> None:
                runner.run(play(script))

            fuzz()
        finally:
            runner.run(recorder.__aexit__(None, None, None))
            runner.run(manager.__aexit__(None, None, None))


async def test_slash_command_missing_a_required_option_gets_its_usage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registration older than the code (a required option missing) is answered, not dropped."""
    async with discord_parley(tmp_path, monkeypatch) as rig:
        calls = await rig.interact(builders.slash("poll", {}, subcommand="close"))
        [callback] = [call for call in calls if call.path.endswith("/callback")]
        assert callback.ephemeral
        shown = discord_visible(callback.text)
        assert "`poll_id` is missing" in shown and "Usage: /poll close <poll_id>" in shown
        assert [type(e) for e in rig.harness.tree_errors] == [app_commands.CommandSignatureMismatch]
