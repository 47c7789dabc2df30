"""Does rjieba segment Chinese exactly as jieba did, and how much faster does it load and cut?

The strings are every distinct run of Chinese characters in the repository's articles, messages,
tests and benchmark data (the runs `content_words` hands the segmenter). Prints how many runs
differ, and jieba/rjieba ratios for cutting them all (best of 3) and for loading the dictionary
(each in a fresh process, 3 times).

Run from the repository root: .venv/bin/python benchmarks/summary_segmentation.py
(needs the `bench` extra: jieba is no longer a run-time dependency.)
"""

from __future__ import annotations

import logging
import re
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
_SUFFIXES = {".md", ".py", ".toml", ".txt", ".json"}
_LOAD = {
    "jieba": "import jieba, logging; jieba.setLogLevel(logging.WARNING); "
    "t = jieba.Tokenizer(); t.initialize(); t.lcut('测试一下')",
    "rjieba": "import rjieba; rjieba.cut('测试一下')",
}


def chinese_runs() -> list[str]:
    """Every distinct run of two or more Chinese characters in the repository's text files."""
    runs: dict[str, None] = {}
    for folder in ("handlers", "bot", "tests", "benchmarks"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in _SUFFIXES:
                runs.update(dict.fromkeys(_RUN.findall(path.read_text(errors="ignore"))))
    return list(runs)


def load_seconds(name: str) -> float:
    """The median time a fresh process takes to import `name` and cut its first string."""
    code = f"import time; s = time.perf_counter(); {_LOAD[name]}; print(time.perf_counter() - s)"
    samples = [
        float(
            subprocess.run(
                [sys.executable, "-W", "ignore", "-c", code],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(3)
    ]
    return statistics.median(samples)


def cut_seconds(cut, runs: list[str]) -> float:
    """The best of three times to cut every run."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for run in runs:
            cut(run)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    import rjieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    runs = chinese_runs()
    differing = [run for run in runs if tokenizer.lcut(run) != rjieba.cut(run)]
    print(f"{len(runs)} distinct Chinese runs ({sum(map(len, runs))} characters)")
    print(f"runs segmented differently: {len(differing)}")
    for run in differing[:10]:
        print(f"  {run}: jieba {tokenizer.lcut(run)} / rjieba {rjieba.cut(run)}")
    jieba_cut, rjieba_cut = cut_seconds(tokenizer.lcut, runs), cut_seconds(rjieba.cut, runs)
    print(
        f"cut all: jieba {jieba_cut * 1000:.1f} ms, rjieba {rjieba_cut * 1000:.1f} ms, "
        f"ratio {jieba_cut / rjieba_cut:.1f}x"
    )
    jieba_load, rjieba_load = load_seconds("jieba"), load_seconds("rjieba")
    print(
        f"load (fresh process, median of 3): jieba {jieba_load:.2f} s, rjieba "
        f"{rjieba_load:.2f} s, ratio {jieba_load / rjieba_load:.1f}x"
    )


if __name__ == "__main__":
    main()
