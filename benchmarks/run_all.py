"""Run every benchmark, one after another, each in its own interpreter.

Usage: `python benchmarks/run_all.py [--quick]`. Prints the machine, then each script's figures
under a `== name ==` header, and exits non-zero if any script failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
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


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.platform()}; {os.cpu_count()} cores; {memory:.0f} GiB RAM;"
        f" Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="each script in under a minute")
    quick = parser.parse_args().quick
    print(f"machine: {machine()}", flush=True)
    failed = []
    for name in SCRIPTS:
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(HERE / f"{name}.py"), *(["--quick"] if quick else [])]
        result = subprocess.run(command, cwd=HERE.parent, check=False)
        print(f"({name}: {time.perf_counter() - started:.1f} s)", flush=True)
        if result.returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
