"""Cold start and memory: a ready console on a database of 10,000 polls and 1,000,000 votes.

Time from launch to the reply of `python -m parley console -c /about` (start-up, migrations check,
every feature built, one command answered, exit), against a bare interpreter (`python -c pass`)
and against the same console on an empty database. Memory is the process's own peak resident
set (`VmHWM` from /proc, read just before it exits: `ru_maxrss` would also count the pages it
shared with this parent before `exec`), of the interactive console (on a pseudo-terminal) once it
answered `/about`, and of a running bot after its warm-up: asked for a summary (the segmenter
loads), then left idle for two seconds.
The big database is written with raw sqlite3 `executemany` into the schema Parley's own
migrations create.

Usage: `python benchmarks/cold_start.py` or `--quick` (1,000 polls, 100,000 votes).
"""

from __future__ import annotations

# ruff: noqa: E402  (imports follow the sys.path set-up for running from a checkout)
import argparse
import asyncio
import os
import pty
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


def measure(command: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall seconds of `command` over `runs` runs."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=False)
        seconds.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"{command} failed: {result.stderr.decode()[-2000:]}")
    return statistics.median(seconds)


def peak_memory(
    command: list[str], env: dict[str, str], line: str, answer: bytes, settle: float
) -> tuple[float, float]:
    """Resident and peak MiB of interactive `command` once it answered `line`, idle `settle` s.

    Its input is a terminal (a pty), as a person's is, so it stays running until told to quit.
    """
    master, slave = pty.openpty()
    child = subprocess.Popen(
        command, env=env, cwd=ROOT, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    os.close(slave)
    assert child.stdout is not None
    try:
        if line:
            os.write(master, line.encode() + b"\n")
        while answer not in (text := child.stdout.readline()) and text:
            pass
        time.sleep(settle)
        status = Path(f"/proc/{child.pid}/status").read_text()
        os.write(master, b"/quit\n")
        child.wait(timeout=30)
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
    fields = dict(entry.split(":", 1) for entry in status.splitlines() if ":" in entry)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


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
        bare = [sys.executable, "-c", "print('ready', flush=True); input()"]
        running = [sys.executable, "-m", "parley", "console"]
        bare_s = measure([sys.executable, "-c", "pass"], env, runs)
        empty_s = measure(console, {**env, "PARLEY_DB": str(empty)}, runs)
        big_s = measure(console, {**env, "PARLEY_DB": str(big)}, runs)
        bare_mb = peak_memory(bare, env, "", b"ready", 0)
        empty_mb = peak_memory(running, {**env, "PARLEY_DB": str(empty)}, "/about", b"About", 0)
        big_mb = peak_memory(running, {**env, "PARLEY_DB": str(big)}, "/about", b"About", 0)
        warm_mb = peak_memory(running, {**env, "PARLEY_DB": str(big)}, "/summary", b"Reduced", 2)
    print(f"{'':34}{'ready, ms':>10}{'RSS, MiB':>10}{'peak, MiB':>10}")
    for name, seconds, (resident, peak) in (
        ("bare python", bare_s, bare_mb),
        ("console, empty database", empty_s, empty_mb),
        ("console, big database", big_s, big_mb),
        ("running bot after warm-up (big)", None, warm_mb),
    ):
        ready = f"{seconds * 1000:>10.0f}" if seconds is not None else f"{'':>10}"
        print(f"{name:34}{ready}{resident:>10.1f}{peak:>10.1f}")
    print(
        f"console (big) / bare python: time x{big_s / bare_s:.1f},"
        f" memory x{big_mb[0] / bare_mb[0]:.1f}"
    )
    print(
        f"big / empty database: time x{big_s / empty_s:.2f}, memory x{big_mb[0] / empty_mb[0]:.2f}"
    )
    print(
        f"running bot after warm-up / bare python: memory x{warm_mb[0] / bare_mb[0]:.1f}"
        f" ({warm_mb[0]:.0f} MiB resident, {warm_mb[1]:.0f} MiB peak; goal <= 80 MiB)"
    )


if __name__ == "__main__":
    main()
