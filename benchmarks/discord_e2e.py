"""End to end on Discord: vote button presses per second through the real discord.py client.

The bot runs in a fresh interpreter of its own per arm and shape (so the load generator's CPU
is not charged to it); this process runs the loopback fake Discord (tests/discord/fake_discord.py)
and sends the presses over the gateway websocket as INTERACTION_CREATE events:

1. Answer-only: a plain `discord.Client` that answers each press with an ephemeral message
   (the one call every press needs) and nothing else: what the simplest useful bot costs. It
   keeps discord.py's defaults (its connector has no connection limit, its collector untuned).
2. Parley: the Discord adapter as `parley run` builds it, every real feature, a real SQLite
   file, the heap settled once started; each press is a vote by a different member on one of
   several polls, acknowledged ephemerally once the vote committed, live tallies edited.

Two shapes: 64 presses in flight (each answer releases the next), and a burst (every press sent
at once). A press counts once its interaction callback reached the fake. Prints each arm's
min–max rate, the connections each opened to the fake (the gateway's included), and the paired
ratios Parley / answer-only of each run.

Usage: `python benchmarks/discord_e2e.py` (3 runs × 5,000 presses) or `--quick` (2 × 200).
"""

from __future__ import annotations

# ruff: noqa: E402  (imports follow the sys.path set-up for running from a checkout)
import argparse
import asyncio
import itertools
import logging
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import discord
import yarl

from bot.adapters.discord import DiscordAdapter
from bot.app import Parley
from parley.features import build_features
from parley.heap import settle_heap
from tests.discord import builders
from tests.discord.fake_discord import FakeDiscord
from tests.support import make_settings

POLLS = 5
IN_FLIGHT = 64
TARGET = 0.8
ARMS = ("answer", "parley")
SHAPES = ("64", "burst")
READY = "ready"
START_TIMEOUT = 60.0


# --- the bot process -----------------------------------------------------------------------


class AnswerOnly(discord.Client):
    """A bot that answers every interaction with an ephemeral message, and does nothing else."""

    async def on_ready(self) -> None:
        """Tell the load generator the gateway is up."""
        print(READY, flush=True)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """The one call every press needs."""
        await interaction.response.send_message("ok", ephemeral=True)


async def answer_only() -> None:
    """Run the answer-only client until killed."""
    client = AnswerOnly(intents=discord.Intents.default())
    await client.start(builders.TOKEN)


async def parley() -> None:
    """Run Parley's Discord adapter (every feature, a fresh SQLite file) until killed."""
    with tempfile.TemporaryDirectory() as folder:
        settings = make_settings(Path(folder), DISCORD_TOKEN=builders.TOKEN)
        async with Parley.open(settings, features=build_features) as app:
            adapter = DiscordAdapter(app.router, builders.TOKEN, guild_ready_timeout=0.01)
            app.services.outbox.register(adapter.gateway)  # live tallies are edited, as in `run`
            await adapter.start()
            await adapter.client.wait_until_ready()
            settle_heap()  # as `parley run` does once started
            print(READY, flush=True)
            await adapter.wait()


def serve(arm: str) -> None:
    """The bot process: point discord.py at the fake named in the environment and run `arm`."""
    logging.disable(logging.WARNING)
    discord.http.Route.BASE = os.environ["FAKE_DISCORD_API"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["FAKE_DISCORD_GATEWAY"])
    asyncio.run(parley() if arm == "parley" else answer_only())


# --- the load generator --------------------------------------------------------------------


@dataclass
class Figures:
    """One arm's run: its rate, the connections it opened, and what it answered."""

    rate: float
    connections: int
    acks: int
    edits: int


_voters = itertools.count(4_200_000_000_000_000_000)


def by_member(payload: dict[str, Any]) -> dict[str, Any]:
    """`payload` as sent by a member of its own (one person's presses are taken in turn)."""
    voter = str(next(_voters))
    payload["member"]["user"] = builders.user(voter, f"Voter {voter[-5:]}")
    return payload


async def post_polls(fake: FakeDiscord) -> list[tuple[str, list[str]]]:
    """Create the polls through the bot; each poll message's id and vote buttons."""
    polls = []
    for number in range(POLLS):
        text = f"Bench question {number}? | Red | Green | Blue | Grey"
        create = by_member(builders.slash("poll", {"poll": text}, subcommand="create"))
        await fake.dispatch("INTERACTION_CREATE", create)
        await fake.answered(create["token"])
        [shown] = [c for c in fake.calls_for(create["token"]) if c.path.endswith("/callback")]
        rows = shown.message["components"]
        buttons = [b["custom_id"] for row in rows for b in row["components"]]
        buttons = [custom_id for custom_id in buttons if "vote" in custom_id]
        polls.append((shown.response["resource"]["message"]["id"], buttons))
    return polls


def presses(polls: list[tuple[str, list[str]]], count: int) -> list[dict[str, Any]]:
    """`count` presses by distinct members on the polls' buttons."""
    rng = random.Random(3)
    chosen = [rng.choice(polls) for _ in range(count)]
    return [by_member(builders.press(rng.choice(buttons), message)) for message, buttons in chosen]


async def press_all(fake: FakeDiscord, payloads: list[dict[str, Any]], shape: str) -> float:
    """Seconds until every press was answered: `IN_FLIGHT` at a time, or all sent at once."""
    started = time.perf_counter()
    if shape == "burst":
        for payload in payloads:
            await fake.dispatch("INTERACTION_CREATE", payload)
        for payload in payloads:
            await fake.answered(payload["token"])
    else:
        queue = iter(payloads)

        async def presser() -> None:
            for payload in queue:
                await fake.dispatch("INTERACTION_CREATE", payload)
                await fake.answered(payload["token"])

        await asyncio.gather(*(presser() for _ in range(IN_FLIGHT)))
    return time.perf_counter() - started


async def measure(arm: str, shape: str, count: int) -> Figures:
    """Start a fake, run `arm`'s bot against it in a fresh process, time `count` presses."""
    fake = FakeDiscord()
    await fake.start()
    environment = {
        **os.environ,
        "FAKE_DISCORD_API": fake.api_url,
        "FAKE_DISCORD_GATEWAY": fake.gateway_url,
    }
    bot = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        arm,
        cwd=ROOT,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert bot.stdout is not None
        line = await asyncio.wait_for(bot.stdout.readline(), START_TIMEOUT)
        if line.decode().strip() != READY:
            raise RuntimeError(f"the {arm} bot did not start (exit {await bot.wait()})")
        polls = await post_polls(fake) if arm == "parley" else [("1300", ["bench"])]
        payloads = presses(polls, count)
        first = len(fake.calls)
        seconds = await press_all(fake, payloads, shape)
        answers = [c for c in fake.calls[first:] if c.path.endswith("/callback")]
        acks = sum("Your vote" in c.text or c.message.get("content") == "ok" for c in answers)
        edits = sum(c.method == "PATCH" for c in fake.calls[first:])
        return Figures(count / seconds, fake.connections_opened, acks, edits)
    finally:
        bot.kill()
        await bot.wait()
        await fake.close()


def spread(values: list[float], digits: int = 0) -> str:
    """`min–max` of `values`, formatted."""
    return f"{min(values):,.{digits}f}–{max(values):,.{digits}f}"


def compare(count: int, runs: int) -> None:
    """Every arm and shape in fresh processes, interleaved, `runs` times; rates and ratios."""
    results: dict[tuple[str, str], list[Figures]] = {}
    for _ in range(runs):
        for shape in SHAPES:
            for arm in ARMS:
                figures = asyncio.run(measure(arm, shape, count))
                results.setdefault((arm, shape), []).append(figures)
    print(
        f"{count} vote presses (distinct members, {POLLS} polls), the real discord.py client"
        f" against the loopback fake in another process, {runs} runs, each arm in a fresh process"
    )
    for shape in SHAPES:
        label = f"{IN_FLIGHT} in flight" if shape == "64" else f"burst of {count}"
        answer, ours = results[("answer", shape)], results[("parley", shape)]
        for name, runs_of in (("answer-only client", answer), ("Parley (vote + ack)", ours)):
            rates = [f.rate for f in runs_of]
            connections = [float(f.connections) for f in runs_of]
            print(
                f"{label:<14} {name:<20} {spread(rates):>13} presses/s,"
                f" connections opened {spread(connections)}"
                f"  (last run: {runs_of[-1].acks} acks, {runs_of[-1].edits} edits)"
            )
        ratios = [p.rate / a.rate for p, a in zip(ours, answer, strict=True)]
        goal = f" (goal >= {TARGET})" if shape == "64" else ""
        print(f"{label:<14} Discord Parley / answer-only: {spread(ratios, 2)}{goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run for CI")
    parser.add_argument("--serve", choices=ARMS, help="be the bot of this arm (internal)")
    parser.add_argument("--count", type=int)
    parser.add_argument("--runs", type=int)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments.serve)
        return
    count = arguments.count or (200 if arguments.quick else 5_000)
    compare(count, arguments.runs or (2 if arguments.quick else 3))


if __name__ == "__main__":
    main()
