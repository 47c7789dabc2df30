"""Pick the key figures of a text: the figures that matter, each told by a sentence of its own."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from handlers.summary.figures import Figure

KEY_FIGURE_LIMIT = 6


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A figure that matters, as written, with the clause that says what it counts.

    When one sentence is the only one to tell several key figures, they share one entry:
    `text` lists them ("3,000 dollars, 500,000 works") and `value` is the first one's.
    """

    text: str
    value: float
    context: str


def pick_key_figures(
    figures: list[Figure],
    scores: tuple[float, ...],
    language: str,
    characters: int | None = None,
) -> tuple[KeyFigure, ...]:
    """The best figures by their sentences' scores and their mentions, in source order.

    Each figure is told by a mention whose sentence tells no other key figure, preferring one
    that holds no other figure; a figure whose every sentence is taken joins that entry. With
    `characters`, the block stays within that many characters.
    """
    groups: dict[float, list[Figure]] = {}
    for figure in figures:
        groups.setdefault(figure.value, []).append(figure)
    ranked = sorted(
        groups.values(),
        key=lambda mentions: max(scores[f.sentence_index] for f in mentions) + 0.1 * len(mentions),
        reverse=True,
    )
    figures_in = Counter(f.sentence_index for f in figures)
    told: dict[int, tuple[Figure, list[str]]] = {}
    separator = "、" if language.startswith("zh") else ", "
    room = characters
    for mentions in ranked[: KEY_FIGURE_LIMIT * 2]:
        free = [f for f in mentions if f.sentence_index not in told]
        if not free:
            _, texts = told[mentions[0].sentence_index]
            texts.append(mentions[0].text)
            room = None if room is None else room - len(separator) - len(mentions[0].text)
            continue
        # a sentence that tells this figure alone, so a figure said only once keeps its sentence
        mention = min(free, key=lambda f: (figures_in[f.sentence_index] > 1, f.sentence_index))
        size = len(mention.text) + len(mention.context)
        if len(told) == KEY_FIGURE_LIMIT or (room is not None and size > room):
            continue
        told[mention.sentence_index] = (mention, [mention.text])
        room = None if room is None else room - size
    entries = [told[index] for index in sorted(told)]
    return tuple(KeyFigure(separator.join(texts), f.value, f.context) for f, texts in entries)
