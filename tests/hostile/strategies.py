"""Hypothesis strategies for hostile input: command lines, button payloads and option values.

Payloads come in three kinds: random text, forged `v1:action:args` for every real action, and
replays of payloads the bot really sent (possibly from another chat), optionally mutated. A
replay is drawn as an index and a mutation and resolved against the pool at run time, because
the pool grows while a test runs.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from bot.app import Parley
from bot.commands import ActionSpec, CommandSpec
from parley.features import build_features
from tests.support import FakeClock, make_settings

NASTY = [
    "\u202e",  # right-to-left override
    "\u202d",
    "\u2066",  # left-to-right isolate
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\x00",
    "\x07",
    "\x1b[2J",
    "\r\n",
    "\r",
    "\t",
    "\u2028",  # line separator
    "\u0085",
    "@everyone",
    "@here",
    "<@&123>",
    "<@123>",
    "<#123>",
    "<b>",
    "</i>",
    '<a href="https://evil.example">x</a>',
    "&amp;",
    "&",
    "<",
    "*_~`|>",
    "```",
    '"',
    "'",
    "“",
    "「",
    "‘",
    "\\",
    "|",
    "｜",
    "--",
    "--multi",
    "--for",
    "--until",
    "--role",
    "#",
    "💥",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "𝕏",
    "٣",
    "ﷺ",
    "\u0301" * 30,  # a pile of combining accents
    "\ud7ff",
    "A" * 700,
    "中" * 400,
    "😀" * 300,
    "1" * 30,
    "-1",
    "0",
    "9" * 20,
    "1e9",
    "0x10",
    "v1:poll.vote:1:0",
]

SIMPLE_WORDS = [
    "short",
    "medium",
    "long",
    "sections",
    "zh",
    "en",
    "auto",
    "1",
    "2",
    "0",
    "labs",
    "critics",
    "on",
    "off",
    "polls",
    "debate",
    "summary",
    "arguments",
    "2h",
    "daily",
    "09:00",
    "pin",
    "Europe/Berlin",
    "#news",
    "@channel",
    "-1001234567890",
    "poll",
    "stance",
    "|",
    "?",
]


def registered() -> tuple[list[CommandSpec], list[ActionSpec]]:
    """Every command and action the real features declare."""

    async def collect() -> tuple[list[CommandSpec], list[ActionSpec]]:
        with tempfile.TemporaryDirectory() as folder:
            async with Parley.open(
                make_settings(Path(folder)), FakeClock(), features=build_features
            ) as app:
                registry = app.router.registry
                actions = [registry.action(name) for name in registry._actions]
                return registry.commands(), [a for a in actions if a is not None]

    return asyncio.run(collect())


COMMANDS, ACTIONS = registered()
COMMAND_PATHS = sorted({spec.path for spec in COMMANDS})
ACTION_NAMES = sorted(spec.name for spec in ACTIONS)
SPECS = {spec.path: spec for spec in COMMANDS}
GROUP_NAMES = {spec.name for spec in COMMANDS if spec.subcommand}
GROUP_DEFAULTS = {spec.name: spec.group_default for spec in COMMANDS if spec.subcommand is None}


def slash_path(spec: CommandSpec) -> tuple[str, str | None]:
    """The Discord command and subcommand a spec is registered as."""
    if spec.subcommand is not None:
        return spec.name, spec.subcommand
    if spec.name in GROUP_NAMES:
        return spec.name, GROUP_DEFAULTS[spec.name]
    return spec.name, None


words = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(SIMPLE_WORDS),
    st.text(max_size=24),
    st.text(st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Mn", "So")), max_size=8),
    st.integers(-(10**20), 10**20).map(str),
)

command_lines = st.builds(
    lambda path, args, glue: f"/{path}{glue}" + " ".join(args),
    st.sampled_from([*COMMAND_PATHS, "nosuch", "help help", "HELP", "poll@parley_bot"]),
    st.lists(words, max_size=8),
    st.sampled_from([" ", "  ", "\n", " \u202e", "@parley_bot ", "@otherbot "]),
)
"""`/command args…`: every real command path plus unknown and addressed ones."""

_ARGUMENT = st.one_of(
    st.integers(-5, 10**6).map(str),
    st.sampled_from(["0", "1", "2", "3", "9" * 19, "short", "zh", "e", "a", "home", "x"]),
    st.text(st.characters(codec="ascii"), max_size=12),
    st.text(max_size=6),
)

forged_payloads = st.builds(
    lambda version, action, args: ":".join([version, action, *args]),
    st.sampled_from(["v1", "v1", "v1", "v2", "V1", "v0", ""]),
    st.sampled_from([*ACTION_NAMES, "nosuch", "privacy.forget"]),
    st.lists(_ARGUMENT, max_size=5),
)
"""`v1:action:args` for real actions with random, often wrong, arguments."""

MUTATIONS = [
    "as-is",
    "as-is",
    "as-is",
    "other-number",
    "huge-number",
    "negative",
    "extra-arg",
    "drop-arg",
    "truncate",
    "pad",
    "unicode",
]

replays = st.tuples(st.just("replay"), st.integers(0, 10**6), st.sampled_from(MUTATIONS))
"""An index into the pool of payloads the bot sent, and what to do to the payload."""

random_payloads = st.one_of(
    st.text(max_size=70),
    st.binary(max_size=64).map(lambda raw: raw.decode("latin-1")),
    forged_payloads,
)

steps_input = st.one_of(command_lines, command_lines, replays, replays, random_payloads)
"""One thing a user does: a command line (str), a replay (tuple) or a random payload (str)."""


def resolve_replay(pool: list[str], index: int, mutation: str) -> str:
    """The `index`-th payload of `pool` after `mutation` (a forged one when the pool is empty)."""
    if not pool:
        return "v1:poll.vote:1:0"
    payload = pool[index % len(pool)]
    parts = payload.split(":")
    numbers = [i for i, part in enumerate(parts) if part.isdigit()]
    match mutation:
        case "other-number" if numbers:
            parts[numbers[index % len(numbers)]] = str(index % 7)
        case "huge-number" if numbers:
            parts[numbers[-1]] = "9" * 19
        case "negative" if numbers:
            parts[numbers[0]] = "-" + parts[numbers[0]]
        case "extra-arg":
            parts.append(str(index % 5))
        case "drop-arg" if len(parts) > 2:
            parts.pop()
        case "truncate":
            return payload[: index % max(1, len(payload))]
        case "pad":
            return payload + "x" * (64 - len(payload.encode()))
        case "unicode":
            return payload + "\u202e中"
    return ":".join(parts)
