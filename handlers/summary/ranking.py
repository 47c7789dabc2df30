"""Score sentences and pick a non-redundant set of them.

A sentence's score mixes centrality (TF-IDF coverage of the document's and its section's centroid)
with the signals news and opinion writing uses to mark what matters: the lead, section openings,
figures, the names of the actors, emphasis and repetition. The title is no signal: headlines are
often hooks or questions ("How GPS Knows Where You Are"), and the sentences echoing their words
are rarely the ones carrying the facts. Selection is maximal marginal relevance (MMR), in which a
sentence counts as partly redundant when it tells a figure the summary already gives or, where the
writer gave the text headings, comes from a section the summary already draws on: a summary
spreads over the facts and the sections. (On the development set, these changes covered more key
points on both halves at medium, long and sections.) Every step is linear in the text's length,
except MMR, which only looks at a bounded pool of the best-scored sentences.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from handlers.summary.facets import Facets

Vector = dict[str, float]

_WEIGHTS = {
    "centrality": 0.24,
    "section": 0.08,
    "lead": 0.16,
    "closing": 0.06,
    "section_lead": 0.05,
    "figures": 0.15,
    "names": 0.10,
    "emphasis": 0.05,
    "repeated": 0.16,
}
_LEAD_PARAGRAPHS = 3
_SUBSTANCE = ("centrality", "figures", "names")
_MMR_LAMBDA = 0.7
_DUPLICATE_SIMILARITY = 0.7
_CHAIN = 3  # at most this many sentences to show one that points back with what it points at
_PARTLY_REDUNDANT = 0.6  # two sentences under one heading, or telling the same figure
_POOL_SIZE = 300
_SHORT_WORDS = 3
_FACET_WEIGHTS = {"names": 0.25, "figures": 0.3, "voice": 0.3, "contrast": 0.1}
_COVER_SCORE = 0.5
_COVER_REDUNDANCY = 0.3
_FEW_WORDS = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A source sentence with what the ranker needs to know about it.

    `section_position` counts sentences within the section, `paragraph` paragraphs within the
    document; `names` are the words the sentence capitalizes past its start; `figures` is the
    salience of its figures; `emphasis` is the share of it set in strong emphasis; `quote` is
    the quoted sentence when the candidate is a lead-in followed by the one-line quote it
    introduces; `leans_back` says it needs the sentence before it, `announces` that it ends on a
    colon, and `quotations` are the quotes it carries (see `handlers.summary.coherence`).
    """

    text: str
    section: int
    section_position: int
    paragraph: int
    words: tuple[str, ...]
    names: frozenset[str]
    figures: float
    emphasis: float
    is_note: bool = False
    quote: str | None = None
    facets: Facets = field(default_factory=Facets)
    leans_back: bool = False
    announces: bool = False
    quotations: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Ranking:
    """Scores in [0, 1] and TF-IDF vectors of the candidates, index for index.

    `name_weights` weighs each actor's name by how often the text mentions it; `candidates` are
    the ranked candidates themselves, which say which of them may be shown alone.
    """

    scores: tuple[float, ...]
    section_scores: tuple[float, ...]
    vectors: tuple[Vector, ...]
    name_weights: Mapping[str, float] = field(default_factory=dict)
    candidates: tuple[Candidate, ...] = ()

    def may_take(self, index: int, chosen: Iterable[int]) -> bool:
        """Whether a summary of `chosen` may add candidate `index` and still read on its own.

        Never a sentence cut at a colon, never a quote the summary already carries, and a
        sentence that points back only right after the sentence it points at.
        """
        candidate = self.candidates[index]
        if candidate.announces:
            return False
        if not (candidate.leans_back or candidate.quotations):
            return True  # most sentences: no need to look through what is chosen
        taken = set(chosen)
        if candidate.leans_back and index - 1 not in taken:
            return False
        return not any(candidate.quotations & self.candidates[i].quotations for i in taken)

    def overlap(self, index: int, other: int) -> float:
        """How much candidate `index` repeats `other`: their TF-IDF cosine.

        Raised to `_PARTLY_REDUNDANT` when both tell the same figure, or are under the same one
        of the text's headings.
        """
        similarity = _dot(self.vectors[index], self.vectors[other])
        if similarity >= _PARTLY_REDUNDANT:
            return similarity
        one, two = self.candidates[index], self.candidates[other]
        same_section = self.sectioned and one.section == two.section
        same_figure = bool(one.facets.figures & two.facets.figures)
        return _PARTLY_REDUNDANT if same_section or same_figure else similarity

    @property
    def sectioned(self) -> bool:
        """Whether the candidates come from more than one section."""
        return bool(self.candidates) and self.candidates[0].section != self.candidates[-1].section

    def picks(self, index: int, chosen: Sequence[int], room: int) -> list[int]:
        """What to add so that candidate `index` reads on its own, in at most `room` sentences.

        `[index]` when it may be taken as it is; when it points back, the sentences before it
        back to one that stands on its own ("Most airlines recovered…", "Delta did not.", "Its
        crew-scheduling system…"), at most `_CHAIN` in all; empty when none of that fits.
        """
        run = [index]
        while len(run) <= min(room, _CHAIN):
            if self._reads(run, chosen):
                return run
            first = run[0]
            if not self.candidates[first].leans_back or first == 0 or first - 1 in chosen:
                return []
            run.insert(0, first - 1)
        return []

    def _reads(self, run: Sequence[int], chosen: Sequence[int]) -> bool:
        """Whether the summary of `chosen` may add the sentences of `run`, in order."""
        taken = list(chosen)
        for index in run:
            if not self.may_take(index, taken):
                return False
            taken.append(index)
        return True


def rank(candidates: Sequence[Candidate], heading_words: Sequence[Sequence[str]]) -> Ranking:
    """Score every candidate; `heading_words[s]` are the words of section `s`'s heading."""
    count = len(candidates)
    if count == 0:
        return Ranking((), (), (), {}, ())
    idf = _idf(candidate.words for candidate in candidates)
    vectors = tuple(_vector(candidate.words, idf) for candidate in candidates)
    centroid = _centroid(vectors)
    by_section: dict[int, list[Vector]] = {}
    for vector, candidate in zip(vectors, candidates, strict=True):
        by_section.setdefault(candidate.section, []).append(vector)
    section_centroids = {section: _centroid(members) for section, members in by_section.items()}
    headings = [_vector(words, idf) for words in heading_words]
    name_weights = _name_weights(candidates)
    repeats = Counter(candidate.quote or candidate.text for candidate in candidates)

    features: dict[str, list[float]] = {name: [] for name in _WEIGHTS}
    heading_fit: list[float] = []
    last_paragraph = candidates[-1].paragraph
    for candidate in candidates:
        words = set(candidate.words)
        features["centrality"].append(_coverage(words, centroid))
        features["section"].append(_coverage(words, section_centroids[candidate.section]))
        features["lead"].append(1.0 / (1.0 + candidate.paragraph / _LEAD_PARAGRAPHS))
        closing_distance = last_paragraph - candidate.paragraph
        features["closing"].append(1.0 / (1.0 + closing_distance / _LEAD_PARAGRAPHS))
        features["section_lead"].append(1.0 / (1.0 + candidate.section_position))
        features["figures"].append(candidate.figures)
        features["names"].append(sum(name_weights.get(word, 0.0) for word in words))
        features["emphasis"].append(candidate.emphasis)
        repeated = repeats[candidate.quote or candidate.text] > 1
        features["repeated"].append(1.0 if repeated else 0.0)
        heading = headings[candidate.section] if candidate.section < len(headings) else {}
        heading_fit.append(_coverage(words, heading))
    normalized = {name: _normalized(values) for name, values in features.items()}
    # A position only counts as much as the sentence has to say: hooks open many articles.
    substance = _normalized(
        [sum(values) for values in zip(*(normalized[n] for n in _SUBSTANCE), strict=True)]
    )
    for name in ("lead", "closing", "section_lead"):
        normalized[name] = [
            value * (0.4 + 0.6 * weight)
            for value, weight in zip(normalized[name], substance, strict=True)
        ]

    raw = [0.0] * count
    for name, weight in _WEIGHTS.items():
        for index, value in enumerate(normalized[name]):
            raw[index] += weight * value
    scores = [
        score * _form_factor(candidate) for score, candidate in zip(raw, candidates, strict=True)
    ]
    scores = _normalized(scores)
    section_scores = _normalized(
        [
            0.45 * score + 0.2 * fit + 0.2 * section_fit + 0.15 * emphasis
            for score, fit, section_fit, emphasis in zip(
                scores,
                _normalized(heading_fit),
                normalized["section"],
                normalized["emphasis"],
                strict=True,
            )
        ]
    )
    return Ranking(tuple(scores), tuple(section_scores), vectors, name_weights, tuple(candidates))


def select(ranking: Ranking, budget: int, required: Iterable[int] = ()) -> list[int]:
    """Pick up to `budget` candidate indices by MMR, after all of `required`; in source order.

    Beyond `required`, a sentence too similar to one already chosen (a repeat) is never chosen.
    """
    required = list(dict.fromkeys(required))
    order = sorted(range(len(ranking.scores)), key=lambda i: ranking.scores[i], reverse=True)
    # Only the pool's other sentences compete after `required`: their redundancy is all MMR
    # needs, so taking each required sentence costs the pool's size, not the text's.
    is_required = set(required)
    redundancy = dict.fromkeys((i for i in order[:_POOL_SIZE] if i not in is_required), 0.0)
    chosen: list[int] = []

    def take(best: int) -> None:
        redundancy.pop(best, None)
        chosen.append(best)
        for index in list(redundancy):
            similarity = ranking.overlap(index, best)
            if similarity > _DUPLICATE_SIMILARITY:
                del redundancy[index]
            elif similarity > redundancy[index]:
                redundancy[index] = similarity

    for index in required[:budget]:
        take(index)
    while len(chosen) < budget:
        options = {
            i: p for i in redundancy if (p := ranking.picks(i, chosen, budget - len(chosen)))
        }
        if not options:
            break
        best = max(
            options,
            key=lambda i: _MMR_LAMBDA * ranking.scores[i] - (1 - _MMR_LAMBDA) * redundancy[i],
        )
        for index in options[best]:
            take(index)
    return sorted(chosen)


def select_covering(
    candidates: Sequence[Candidate],
    ranking: Ranking,
    budget: int,
    figure_weights: Mapping[float, float],
) -> list[int]:
    """Pick up to `budget` sentences that together carry the most kinds of facet; in source order.

    Each step takes the sentence whose score, plus the weight of the facet kinds it brings that
    the summary lacks (the actors, salient figures, an opposing voice, a turn of the argument),
    minus its similarity to what is already chosen, is highest. So once one sentence gives the
    scale, a second figure sentence loses to the first quoted objection. Repeats are never chosen.
    """
    strengths = [_facet_strengths(c, ranking.name_weights, figure_weights) for c in candidates]
    tops = {kind: max((s[kind] for s in strengths), default=0.0) for kind in _FACET_WEIGHTS}
    order = sorted(range(len(ranking.scores)), key=lambda i: ranking.scores[i], reverse=True)
    pool = dict.fromkeys(order[:_POOL_SIZE], 0.0)
    covered: set[str] = set()
    chosen: list[int] = []

    def gain(index: int) -> float:
        facets = sum(
            weight * strengths[index][kind] / tops[kind]
            for kind, weight in _FACET_WEIGHTS.items()
            if kind not in covered and tops[kind] > 0
        )
        return (
            _COVER_SCORE * ranking.scores[index]
            + (1 - _COVER_SCORE) * facets
            - _COVER_REDUNDANCY * pool[index]
        )

    while len(chosen) < budget:
        options = {i: p for i in pool if (p := ranking.picks(i, chosen, budget - len(chosen)))}
        if not options:
            break
        for best in options[max(options, key=gain)]:
            pool.pop(best, None)
            chosen.append(best)
            covered.update(kind for kind, value in strengths[best].items() if value > 0)
            for index in list(pool):
                similarity = ranking.overlap(index, best)
                if similarity > _DUPLICATE_SIMILARITY:
                    del pool[index]
                else:
                    pool[index] = max(pool[index], similarity)
    return sorted(chosen)


def _facet_strengths(
    candidate: Candidate, name_weights: Mapping[str, float], figure_weights: Mapping[float, float]
) -> dict[str, float]:
    """How strongly the candidate carries each kind of facet (0 when it does not)."""
    facets = candidate.facets
    return {
        "names": sum(name_weights.get(name, 0.0) for name in facets.names),
        "figures": sum(figure_weights.get(value, 0.0) for value in facets.figures),
        "voice": float(facets.voice),
        "contrast": float(facets.contrast),
    }


def best_per_section(candidates: Sequence[Candidate], ranking: Ranking) -> list[int]:
    """One sentence per section that best represents it, never the same text twice; in order.

    The sentence must read on its own (`Ranking.may_take` with nothing before it), unless no
    sentence of the section does.
    """
    sections: dict[int, list[int]] = {}
    for index, candidate in enumerate(candidates):
        sections.setdefault(candidate.section, []).append(index)
    chosen: list[int] = []
    texts: set[str] = set()
    for indices in sections.values():
        ranked = [
            i
            for i in sorted(indices, key=lambda i: ranking.section_scores[i], reverse=True)
            if candidates[i].text not in texts
        ]
        best = next((i for i in ranked if ranking.may_take(i, chosen)), None)
        best = ranked[0] if best is None and ranked else best
        if best is not None:
            chosen.append(best)
            texts.add(candidates[best].text)
    return chosen


def _form_factor(candidate: Candidate) -> float:
    """Discount fragments, rhetorical questions and lead-ins to a quote ("he added:")."""
    factor = 0.3 if candidate.is_note else 1.0
    if len(candidate.words) < _SHORT_WORDS:
        factor *= 0.3
    elif len(candidate.words) < _FEW_WORDS:
        factor *= 0.7
    ending = candidate.text.rstrip("”」』\"' ")[-1:]
    if ending in "?？":
        factor *= 0.75
    elif ending in ":：":
        factor *= 0.5
    return factor


def _name_weights(candidates: Sequence[Candidate]) -> dict[str, float]:
    """Weigh each name by how many sentences mention it: the main actors recur.

    A word is a name when some sentence capitalizes it past its start; every sentence using the
    word then mentions the name, also where it opens the sentence.
    """
    names = set().union(*(candidate.names for candidate in candidates))
    mentions = Counter(word for c in candidates for word in set(c.words) if word in names)
    return {name: math.log(count) for name, count in mentions.items() if count > 1}


def _idf(documents: Iterable[Sequence[str]]) -> dict[str, float]:
    frequencies: Counter[str] = Counter()
    total = 0
    for words in documents:
        frequencies.update(set(words))
        total += 1
    return {word: math.log((1 + total) / (1 + df)) + 1.0 for word, df in frequencies.items()}


def _vector(words: Iterable[str], idf: dict[str, float]) -> Vector:
    counts = Counter(word for word in words if word in idf)
    vector = {word: count * idf[word] for word, count in counts.items()}
    return _unit(vector)


def _centroid(vectors: Iterable[Vector]) -> Vector:
    total: Vector = {}
    for vector in vectors:
        for word, weight in vector.items():
            total[word] = total.get(word, 0.0) + weight
    return _unit(total)


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {word: weight / norm for word, weight in vector.items()} if norm else {}


def _coverage(words: set[str], target: Vector) -> float:
    """How much of `target` the words cover: unlike cosine, a short sentence gains nothing."""
    return sum(target.get(word, 0.0) for word in words)


def _dot(left: Vector, right: Vector) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(weight * right.get(word, 0.0) for word, weight in left.items())


def _normalized(values: Sequence[float]) -> list[float]:
    top = max(values, default=0.0)
    return [value / top for value in values] if top > 0 else [0.0 for _ in values]
