"""Summarizer speed: the shipped article warm, 100 KB, 1 MB and 4 MB texts; the bot's cold start.

Prints milliseconds per text, wall and CPU (the process's own time, which other work on a shared
machine disturbs far less), and the growth ratios on CPU time (time ratio / size ratio: near 1
means linear; the goal is 4 MB within 4.5x the time of 1 MB),
then the time from `python -m parley console -c /about` to its exit against a bare `python -c pass`
in the same run.

Run from the repository root: .venv/bin/python benchmarks/summary_speed.py [--quick]
(`--quick` takes fewer samples and finishes in well under a minute.)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.summary import summarize, warm_up  # noqa: E402
from handlers.text.markdown import parse_markdown  # noqa: E402

SHIPPED = ROOT / "handlers" / "topics" / "distillation"
EVAL = ROOT / "tests" / "summary" / "data"
GOAL_4MB_OVER_1MB = 4.5


def paragraphs():
    texts = [(SHIPPED / f"article.{lang}.md").read_text(encoding="utf-8") for lang in ("zh", "en")]
    texts += [path.read_text(encoding="utf-8") for path in sorted(EVAL.glob("*.md"))]
    return [p.text for text in texts for s in parse_markdown(text).sections for p in s.paragraphs]


def synthetic(size):
    """About `size` characters of shuffled real paragraphs under a heading every 8 paragraphs."""
    pool = paragraphs()
    rng = random.Random(size)
    parts, total, count = [], 0, 0
    while total < size:
        if count % 8 == 0:
            parts.append(f"## Section {count // 8}")
        paragraph = rng.choice(pool)
        parts.append(paragraph)
        total += len(paragraph.encode("utf-8"))
        count += 1
    return "\n\n".join(parts)


def time_summary(text, runs):
    """Median wall and CPU seconds of a short and a long summary of `text` (per summary)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        for length in ("short", "long"):
            summarize(text, length)
        wall.append((time.perf_counter() - started) / 2)
        cpu.append((time.process_time() - used) / 2)
    return statistics.median(wall), statistics.median(cpu)


def time_process(command, runs, env):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT, timeout=120)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (under a minute)")
    quick = parser.parse_args().quick

    started = time.perf_counter()
    warm_up()
    print(f"segmenter (rjieba) dictionary load: {time.perf_counter() - started:.2f} s")
    shipped = (SHIPPED / "article.zh.md").read_text(encoding="utf-8")
    cases = [
        ("shipped zh article", shipped, 5 if quick else 20),
        ("100 KB", synthetic(100_000), 2 if quick else 5),
        ("1 MB", synthetic(1_000_000), 1 if quick else 3),
        ("4 MB", synthetic(4_000_000), 1 if quick else 2),
    ]
    print(f"\n{'text':20} {'bytes':>9} {'ms':>9} {'CPU ms':>9} {'CPU ms per 10 KB':>17}")
    results = []
    for label, text, runs in cases:
        seconds, cpu = time_summary(text, runs)
        size = len(text.encode("utf-8"))
        results.append((size, cpu))
        print(
            f"{label:20} {size:>9} {seconds * 1000:>9.1f} {cpu * 1000:>9.1f}"
            f" {cpu * 1e4 / size * 1000:>17.2f}"
        )
    print("\nratios on CPU time (the process's own, steadier than wall time on a shared machine):")
    for label, (small, small_s), (large, large_s) in (
        ("100 KB -> 1 MB", results[1], results[2]),
        ("1 MB -> 4 MB", results[2], results[3]),
    ):
        growth = (large_s / small_s) / (large / small)
        print(
            f"{label}: size x{large / small:.1f}, time x{large_s / small_s:.1f}, "
            f"growth ratio {growth:.2f} (1.00 = linear)"
        )
    four_mb = results[3][1] / results[2][1]
    verdict = "met" if four_mb <= GOAL_4MB_OVER_1MB else "not met"
    print(f"4 MB / 1 MB time x{four_mb:.2f} (goal <= x{GOAL_4MB_OVER_1MB}: {verdict})")

    runs = 2 if quick else 5
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PARLEY_DB": str(Path(folder) / "bench.db"), "NO_COLOR": "1"}
        for key in ("DISCORD_TOKEN", "TELEGRAM_TOKEN"):
            env.pop(key, None)
        bare = time_process([sys.executable, "-c", "pass"], runs, env)
        console = time_process(
            [sys.executable, "-m", "parley", "console", "-c", "/about"], runs, env
        )
    print(
        f"\ncold start: bare python {bare * 1000:.0f} ms; console to /about and exit "
        f"{console * 1000:.0f} ms (x{console / bare:.1f}, +{(console - bare) * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
