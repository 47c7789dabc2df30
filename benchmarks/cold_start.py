"""Cold start and memory: a ready console on a database of 10,000 polls and 1,000,000 votes.

Time from launch to the reply of `python -m parley console -c /about` (start-up, migrations check,
every feature built, one command answered, exit) and the child's peak resident memory
(`ru_maxrss` from `wait4`), against a bare interpreter (`python -c pass`) and against the same
console on an empty database. The big database is written with raw sqlite3 `executemany` into
the schema Parley's own migrations create.

Usage: `python benchmarks/cold_start.py` or `--quick` (1,000 polls, 100,000 votes).
"""

from __future__ import annotations

# ruff: noqa: E402  (imports follow the sys.path set-up for running from a checkout)
import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.database import Database

OPTIONS = 4
CREATED = "2026-03-01T12:00:00.000000Z"


def create_schema(path: Path) -> None:
    async def migrate() -> None:
        async with Database.open(path):
            pass

    asyncio.run(migrate())


def fill(path: Path, polls: int, votes: int) -> None:
    rng = random.Random(11)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.executemany(
            "INSERT INTO polls (id, platform, chat_id, creator, question, kind, anonymous,"
            " visibility, locale, created_at) VALUES (?, 'console', 'console', 'console:op',"
            " ?, 'single', 0, 'live', 'en', ?)",
            ((n, f"Question {n}?", CREATED) for n in range(1, polls + 1)),
        )
        db.executemany(
            "INSERT INTO poll_options (poll_id, position, label) VALUES (?, ?, ?)",
            ((n, k, f"Option {k}") for n in range(1, polls + 1) for k in range(OPTIONS)),
        )
        per_poll = votes // polls
        ballots = ((n, f"console:voter{v}") for n in range(1, polls + 1) for v in range(per_poll))
        db.executemany(
            "INSERT INTO poll_ballots (poll_id, voter_key, voter_name, voted_at)"
            " VALUES (?, ?, 'Voter', ?)",
            ((n, key, CREATED) for n, key in ballots),
        )
        db.executemany(
            "INSERT INTO poll_choices (poll_id, voter_key, rank, option) VALUES (?, ?, 0, ?)",
            (
                (n, f"console:voter{v}", rng.randrange(OPTIONS))
                for n in range(1, polls + 1)
                for v in range(per_poll)
            ),
        )


def measure(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall seconds and median peak RSS (MiB) of `command` over `runs` runs."""
    seconds, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds.append(time.perf_counter() - started)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{command} failed: {child.stderr.read().decode()[-2000:]}")
        child.stderr.close()
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(seconds), statistics.median(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller database for CI")
    quick = parser.parse_args().quick
    polls, votes = (1_000, 100_000) if quick else (10_000, 1_000_000)
    runs = 3 if quick else 5
    with tempfile.TemporaryDirectory() as folder:
        empty, big = Path(folder) / "empty.db", Path(folder) / "big.db"
        create_schema(empty)
        create_schema(big)
        started = time.perf_counter()
        fill(big, polls, votes)
        size = big.stat().st_size / 2**20
        print(
            f"database: {polls:,} polls, {votes:,} votes, {size:.0f} MiB on disk,"
            f" written in {time.perf_counter() - started:.1f} s"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TELEGRAM_"))}
        env.update(NO_COLOR="1", PYTHONPATH=str(ROOT))
        console = [sys.executable, "-m", "parley", "console", "-c", "/about"]
        bare_s, bare_mb = measure([sys.executable, "-c", "pass"], env, runs)
        empty_s, empty_mb = measure(console, {**env, "PARLEY_DB": str(empty)}, runs)
        big_s, big_mb = measure(console, {**env, "PARLEY_DB": str(big)}, runs)
    print(f"{'':28}{'ready, ms':>10}{'peak RSS, MiB':>15}")
    print(f"{'bare python -c pass':28}{bare_s * 1000:>10.0f}{bare_mb:>15.1f}")
    print(f"{'console, empty database':28}{empty_s * 1000:>10.0f}{empty_mb:>15.1f}")
    print(f"{'console, big database':28}{big_s * 1000:>10.0f}{big_mb:>15.1f}")
    print(
        f"console (big) / bare python: time x{big_s / bare_s:.1f}, memory x{big_mb / bare_mb:.1f}"
    )
    print(f"big / empty database: time x{big_s / empty_s:.2f}, memory x{big_mb / empty_mb:.2f}")


if __name__ == "__main__":
    main()
