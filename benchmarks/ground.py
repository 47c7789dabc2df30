"""Common ground: the whole opinion-group analysis against one numpy SVD of the same matrix.

10,000 participants × 200 statements, each participant having voted on about 30 % of them, in
three planted camps with bridges. Prints the median seconds of each arm over several runs and the
ratio analysis / SVD (the SVD is the cost floor of any PCA of that matrix). BLAS runs one thread
(as the bot's worker thread effectively does): a multithreaded SVD on a shared machine swung
from 0.08 s to 6 s between runs and made the ratio meaningless.

Run from the repository root: .venv/bin/python benchmarks/ground.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # before numpy loads its BLAS

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain.opinion_groups import Stance, StatementVote, find_opinion_groups  # noqa: E402


def community(participants: int, statements: int, seen: float) -> list[StatementVote]:
    """Three camps with their own statements and shared bridges, `seen` of the matrix voted."""
    rng = np.random.default_rng(1)
    camp = rng.integers(0, 3, participants)
    owner = rng.integers(-1, 3, statements)  # -1: a bridge everyone agrees with
    cells = rng.random((participants, statements)) < seen
    mine = (owner[None, :] == camp[:, None]) | (owner[None, :] == -1)
    agree = rng.random((participants, statements)) < np.where(mine, 0.85, 0.15)
    rows, columns = np.nonzero(cells)
    return [
        StatementVote(int(r), int(c), Stance.AGREE if agree[r, c] else Stance.DISAGREE)
        for r, c in zip(rows, columns, strict=True)
    ]


def timed(run: object, repeats: int) -> list[float]:
    """Seconds of each of `repeats` calls of `run`."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    participants, statements = (2_000, 100) if quick else (10_000, 200)
    repeats = 2 if quick else 5
    votes = community(participants, statements, 0.3)
    dense = np.zeros((participants, statements))
    for vote in votes:
        dense[vote.participant, vote.statement] = vote.stance
    svd = timed(lambda: np.linalg.svd(dense, full_matrices=False), repeats)
    analysis = timed(lambda: find_opinion_groups(votes, participants, statements), repeats)
    result = find_opinion_groups(votes, participants, statements)
    print(f"{participants:,} participants × {statements} statements, {len(votes):,} votes")
    print(f"  one numpy SVD (full_matrices=False): {statistics.median(svd):.3f} s")
    print(f"  whole analysis: {statistics.median(analysis):.3f} s")
    print(f"  analysis / SVD: {statistics.median(analysis) / statistics.median(svd):.2f}×")
    sizes = ", ".join(str(group.size) for group in result.groups)
    print(f"  groups found: {len(result.groups)} ({sizes})")


if __name__ == "__main__":
    main()
