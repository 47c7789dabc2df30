"""CI smoke run of the benchmarks in --quick mode: they run and print each section (no timings)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes or real time: see the README

ROOT = Path(__file__).resolve().parents[2]
QUICK_RUN_SECONDS = 600
"""A quick run took 235 s on the loaded 2-core machine (2026-12-02): 300 s left it little room."""
SECTIONS = (
    "votes",
    "telegram_e2e",
    "discord_e2e",
    "inbox",
    "summary_speed",
    "summary_quality",
    "cold_start",
    "ground",
    "loop_lag",
)


@pytest.mark.timeout(QUICK_RUN_SECONDS + 60)
def test_quick_benchmarks_run_and_report_every_section() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=QUICK_RUN_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for name in SECTIONS:
        assert f"== {name} ==" in result.stdout
    figures = (
        "Parley / plain sqlite3",
        "Parley / asyncio floor",
        "stored / empty",
        "Parley / answer-only",
        "Discord Parley / answer-only",
        "connections opened",
        "Inbox / today",
        "growth ratio",
        "4 MB / 1 MB",
        "key points",
        "analysis / SVD",
        "longest event-loop stall",
    )
    for figure in (*figures, "bare", "running bot after warm-up"):
        assert figure in result.stdout, figure
