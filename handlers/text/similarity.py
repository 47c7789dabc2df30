"""Near-duplicate detection for short texts (community arguments, poll options), zh or en.

Texts are normalized (Unicode NFKC, case-folded, punctuation dropped, spacing collapsed) and
scored by the mean of two measures: the cosine similarity of their character n-grams, which
ignores order, and the matching-subsequence ratio, which does not. Character n-grams need no word
segmenter, so the same rule works for Chinese and English: bigrams when either text is mostly
Chinese, Japanese or Korean script, trigrams otherwise. It is a surface check that catches
resubmissions with small edits; it does not judge meaning.
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections import Counter
from collections.abc import Sequence

DEFAULT_THRESHOLD = 0.78
_CJK_SHARE_FOR_BIGRAMS = 0.3


def normalize(text: str) -> str:
    """Return `text` in NFKC, case-folded, with only letters, digits and single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in folded)
    return " ".join(kept.split())


def _is_cjk(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))


def _cjk_share(text: str) -> float:
    letters = [ch for ch in text if not ch.isspace()]
    return sum(map(_is_cjk, letters)) / len(letters) if letters else 0.0


def _ngrams(text: str, size: int) -> Counter[str]:
    compact = text.replace(" ", "") if _cjk_share(text) >= _CJK_SHARE_FOR_BIGRAMS else text
    if len(compact) <= size:
        return Counter([compact]) if compact else Counter()
    return Counter(compact[i : i + size] for i in range(len(compact) - size + 1))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(count * b[gram] for gram, count in a.items())
    norms = math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values()))
    return dot / norms if norms else 0.0


def similarity(first: str, second: str) -> float:
    """Return how alike two texts are on the surface, from 0.0 (nothing shared) to 1.0."""
    return _similarity(first, second, floor=0.0)


def _similarity(first: str, second: str, floor: float) -> float:
    """`similarity`, except that a pair that cannot reach `floor` gets a lower bound instead.

    The sequence ratio is at most 1, so when the cheap n-gram cosine alone says the average
    stays below `floor`, the quadratic sequence matcher is skipped.
    """
    a, b = normalize(first), normalize(second)
    if not a or not b:
        return 0.0
    size = 2 if max(_cjk_share(a), _cjk_share(b)) >= _CJK_SHARE_FOR_BIGRAMS else 3
    grams = _cosine(_ngrams(a, size), _ngrams(b, size))
    if (grams + 1.0) / 2 < floor:
        return grams / 2
    sequence = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    return (grams + sequence) / 2


def find_near_duplicate(
    text: str, existing: Sequence[tuple[int, str]], threshold: float = DEFAULT_THRESHOLD
) -> int | None:
    """Return the id of the existing text most similar to `text`, if at or above `threshold`.

    `existing` holds `(id, text)` pairs; `None` means no near-duplicate was found.
    """
    best_id: int | None = None
    best_score = threshold
    for argument_id, other in existing:
        score = _similarity(text, other, floor=best_score)
        if score >= best_score:
            best_id, best_score = argument_id, score
    return best_id
