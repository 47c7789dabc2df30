"""Key-point coverage of Parley's summarizer against peers, on the same texts and lengths.

Peers: sumy's TextRank and LexRank (fed Parley's sentence splitter and word tokenizer, so they need
no NLTK download and see the same sentences) and a lead-N baseline. Every peer picks as many
sentences as Parley's summary has at that length. Texts: tests/summary/data (a copy of the
development set in ../shared/eval/, so a clean clone has it) and the shipped distillation
articles (key points in tests/summary/data/keypoints.toml).

Also times the summarizer: the shipped article warm, then synthetic 100 KB and 1 MB texts.

Run from the repository root: .venv/bin/python benchmarks/summary_quality.py
(needs `sumy` installed; it is not a run-time dependency.)
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import tomllib
from pathlib import Path

try:
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
except ImportError:  # an optional extra: say so and skip the peers instead of failing
    PlaintextParser = None

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.summary import LENGTHS, summarize, warm_up  # noqa: E402
from handlers.summary.words import (  # noqa: E402
    CHINESE_STOPWORDS,
    ENGLISH_STOPWORDS,
    content_words,
)
from handlers.text.markdown import parse_markdown  # noqa: E402
from handlers.text.sentences import split_sentences  # noqa: E402

DATA = ROOT / "tests" / "summary" / "data"  # copies of ../shared/eval plus the shipped points
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


def quality(texts):
    peers = {
        "textrank": sumy_peer(TextRankSummarizer),
        "lexrank": sumy_peer(LexRankSummarizer),
        "lead": lead,
    }
    totals = {name: dict.fromkeys(LENGTHS, 0) for name in ("parley", *peers)}
    possible = 0
    print(f"{'text':18} {'length':9} {'n':>3} " + " ".join(f"{n:>9}" for n in totals))
    for name, text, points in texts:
        plain = body_text(text)
        possible += len(points)
        for length in LENGTHS:
            summary = summarize(text, length)
            count = summary.kept_sentence_count
            row = {"parley": covered(" ".join(summary.sentences), points)}
            for peer, run in peers.items():
                row[peer] = covered(" ".join(run(plain, count)), points)
            for peer, value in row.items():
                totals[peer][length] += value
            cells = " ".join(f"{row[p]:>6}/{len(points):<2}" for p in totals)
            print(f"{name:18} {length:9} {count:>3} {cells}")
    print("\nkey points covered, all texts (Parley / peer as a ratio):")
    for length in LENGTHS:
        ours = totals["parley"][length]
        ratios = ", ".join(
            f"{peer} {totals[peer][length]}/{possible} (x{ours / max(totals[peer][length], 1):.2f})"
            for peer in peers
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
    quality(texts)
    if not quick:
        speed(texts)  # summary_speed.py times the summarizer in --quick runs


if __name__ == "__main__":
    main()
