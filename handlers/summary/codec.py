"""A `Summary` to JSON and back, for the summary cache."""

from __future__ import annotations

import json
from typing import Any

from handlers.summary.key_figures import KeyFigure
from handlers.summary.summarizer import SectionSummary, Summary


def encode_summary(summary: Summary) -> str:
    """The summary as compact JSON."""
    return json.dumps(
        {
            "length": summary.length,
            "language": summary.language,
            "title": summary.title,
            "sentences": list(summary.sentences),
            "sections": [[s.heading, list(s.sentences)] for s in summary.sections],
            "source_sentence_count": summary.source_sentence_count,
            "source_characters": summary.source_characters,
            "key_figures": [[f.text, f.value, f.context] for f in summary.key_figures],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_summary(encoded: str) -> Summary:
    """The summary `encode_summary` wrote; raises ValueError (or KeyError) when malformed."""
    data: dict[str, Any] = json.loads(encoded)
    return Summary(
        length=data["length"],
        language=data["language"],
        title=data["title"],
        sentences=tuple(data["sentences"]),
        sections=tuple(SectionSummary(h, tuple(s)) for h, s in data["sections"]),
        source_sentence_count=int(data["source_sentence_count"]),
        source_characters=int(data["source_characters"]),
        key_figures=tuple(KeyFigure(t, float(v), c) for t, v, c in data["key_figures"]),
    )
