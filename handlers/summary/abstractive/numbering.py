"""Where a summary's sentences stand in their article: what a written summary's label cites."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.text.markdown import parse_markdown
from handlers.text.sentences import split_sentences


def article_positions(text: str, chosen: Sequence[str]) -> list[int]:
    """The place of each of `chosen` among the sentences of `text`, from 1.

    `chosen` are sentences of `text` in its order (an extractive summary's); one that joins a
    lead-in to the quote after it stands where the lead-in does. One not found (never expected)
    takes the place after the one before it.
    """
    document = parse_markdown(text)
    sentences = [
        sentence
        for section in document.sections
        for paragraph in section.paragraphs
        for sentence in split_sentences(paragraph.text)
    ]
    positions: list[int] = []
    at = 0
    for wanted in chosen:
        found = _find(sentences, wanted, at)
        if found is None:
            found = _find(sentences, wanted, 0)
        place = found + 1 if found is not None else (positions[-1] + 1 if positions else 1)
        positions.append(place)
        at = place
    return positions


def _find(sentences: Sequence[str], wanted: str, start: int) -> int | None:
    for index in range(start, len(sentences)):
        sentence = sentences[index]
        if wanted == sentence or wanted.startswith(f"{sentence} "):
            return index
    return None
