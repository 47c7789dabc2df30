"""Extractive summaries of Markdown or plain text in Chinese, English or both.

Every sentence a summary shows is a verbatim sentence of the source with its Markup removed, and
sentences keep their source order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal, get_args

from handlers.summary.coherence import announces, leans_back, quotations
from handlers.summary.facets import find_facets
from handlers.summary.figures import Figure, find_figures
from handlers.summary.key_figures import KeyFigure, pick_key_figures
from handlers.summary.ranking import (
    Candidate,
    best_per_section,
    rank,
    select,
    select_covering,
)
from handlers.summary.words import content_words, proper_names
from handlers.text.language import detect_language
from handlers.text.markdown import Document, Paragraph, parse_markdown
from handlers.text.sentences import split_sentences

Length = Literal["short", "medium", "long", "sections"]
LENGTHS: tuple[Length, ...] = get_args(Length)
ALGORITHM_VERSION = "6"
"""Changes whenever the same text could summarize differently; part of summary cache keys."""

_MEDIUM_SHARE, _MEDIUM_MIN, _MEDIUM_MAX = 0.15, 4, 8
_LONG_SHARE, _LONG_MIN, _LONG_MAX = 0.3, 6, 20
_DIGIT = re.compile(r"\d")


class NothingToSummarizeError(ValueError):
    """The text has no sentence to summarize."""


@dataclass(frozen=True, slots=True)
class SectionSummary:
    """The summary sentences of one section; `heading` is `None` for text before any heading."""

    heading: str | None
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary and what it cut."""

    length: Length
    language: str
    title: str | None
    sentences: tuple[str, ...]
    sections: tuple[SectionSummary, ...]
    source_sentence_count: int
    source_characters: int
    key_figures: tuple[KeyFigure, ...]

    @property
    def kept_sentence_count(self) -> int:
        """How many source sentences the summary keeps."""
        return len(self.sentences)

    @property
    def reduction_percent(self) -> int:
        """How much shorter the summary is than the source, in percent of characters."""
        kept = sum(len(sentence) for sentence in self.sentences)
        return round(100 * (1 - kept / self.source_characters)) if self.source_characters else 0


def summarize(text: str, length: Length = "medium", language: str | None = None) -> Summary:
    """Summarize `text` (Markdown or plain) at `length`.

    `short` is a TL;DR of one to three sentences, `medium` a paragraph, `long` covers every
    section, `sections` gives one line per section. `language` (a tag such as "zh-Hans" or "en")
    is detected from the text when not given. CPU-bound: call it off the event loop for long texts.
    """
    if length not in LENGTHS:
        raise ValueError(f"unknown summary length {length!r}; expected one of {LENGTHS}")
    document = parse_markdown(text)
    candidates, figures, mentions = _candidates(document)
    if not candidates:
        raise NothingToSummarizeError("the text has no sentences")
    headings = [content_words(section.heading or "") for section in document.sections]
    ranking = rank(candidates, headings)
    section_bests = best_per_section(candidates, ranking)
    count = len(candidates)
    if length == "sections":
        chosen = section_bests
    elif length == "short":
        chosen = select_covering(candidates, ranking, _short_budget(count), mentions)
    elif length == "medium":
        chosen = select(ranking, _budget(count, _MEDIUM_SHARE, _MEDIUM_MIN, _MEDIUM_MAX))
    else:
        budget = max(len(section_bests), _budget(count, _LONG_SHARE, _LONG_MIN, _LONG_MAX))
        chosen = select(ranking, budget, required=section_bests)
    sentences = tuple(candidates[i].text for i in chosen)
    # A TL;DR's figures never outweigh it: the block is at most as long as the summary.
    summary_language = language or detect_language(text)
    figure_room = sum(len(sentence) for sentence in sentences) if length == "short" else None
    return Summary(
        length=length,
        language=summary_language,
        title=document.title,
        sentences=sentences,
        sections=_group_by_section(document, candidates, chosen),
        source_sentence_count=count,
        source_characters=sum(len(candidate.text) for candidate in candidates),
        key_figures=pick_key_figures(figures, ranking.scores, summary_language, figure_room),
    )


def _candidates(document: Document) -> tuple[list[Candidate], list[Figure], Counter[float]]:
    """The document's sentences as ranking candidates, their figures, and each figure's mentions.

    A lead-in ending in a colon and the one-line quote it introduces become one candidate.
    """
    sentences: list[tuple[int, int, int, Paragraph, str]] = []
    quotes: dict[int, str] = {}
    paragraph_index = 0
    for section_index, section in enumerate(document.sections):
        position = 0
        for paragraph in section.paragraphs:
            paragraph_index += 1
            split = split_sentences(paragraph.text)
            if _completes_lead_in(sentences, section_index, paragraph_index, paragraph, split):
                # "Musk added:" + a one-line quote read as one sentence: the quote and who said it;
                # so does "…the fact they will not say:" + the one-line answer.
                section_at, position_at, paragraph_at, _, lead_in = sentences.pop()
                space = "" if lead_in.endswith("：") else " "  # none after a full-width colon
                merged = f"{lead_in}{space}{split[0]}"
                sentences.append((section_at, position_at, paragraph_at, paragraph, merged))
                if paragraph.is_quote:
                    quotes[len(sentences) - 1] = split[0]
                continue
            for sentence in split:
                sentences.append((section_index, position, paragraph_index, paragraph, sentence))
                position += 1
    figures = [
        figure
        for index, (*_, sentence) in enumerate(sentences)
        for figure in find_figures(sentence, index)
        if figure.unit
    ]
    salience, mentions = _figure_salience(document, sentences, figures)
    values_by_sentence: dict[int, set[float]] = {}
    for figure in figures:
        values_by_sentence.setdefault(figure.sentence_index, set()).add(figure.value)
    candidates = [
        Candidate(
            text=sentence,
            section=section_index,
            section_position=position,
            paragraph=paragraph_index,
            words=tuple(content_words(quotes.get(index, sentence))),
            names=frozenset(proper_names(sentence)),
            figures=salience.get(index, 0.0),
            emphasis=_emphasis(sentence, paragraph.strong),
            is_note=paragraph.is_note,
            quote=quotes.get(index),
            leans_back=index > 0 and leans_back(sentence),
            announces=announces(sentence),
            quotations=quotations(sentence),
            facets=find_facets(
                sentence,
                frozenset(proper_names(sentence)),
                frozenset(values_by_sentence.get(index, ())),
                paragraph.is_quote,
            ),
        )
        for index, (section_index, position, paragraph_index, paragraph, sentence) in enumerate(
            sentences
        )
    ]
    return candidates, figures, mentions


def _completes_lead_in(
    sentences: list[tuple[int, int, int, Paragraph, str]],
    section_index: int,
    paragraph_index: int,
    paragraph: Paragraph,
    split: list[str],
) -> bool:
    """Whether `paragraph` is one sentence right after a lead-in ending in a colon."""
    if len(split) != 1 or not sentences:
        return False
    section_at, _, paragraph_at, previous, lead_in = sentences[-1]
    return (
        section_at == section_index
        and paragraph_at == paragraph_index - 1
        and not previous.is_quote
        and lead_in.endswith((":", "："))
    )


def _figure_salience(
    document: Document,
    sentences: list[tuple[int, int, int, Paragraph, str]],
    figures: list[Figure],
) -> tuple[dict[int, float], Counter[float]]:
    """Per sentence, the sum of its figures' mentions; and the mentions of each figure value.

    Mentions count in sentences, headings and bold text.
    A figure the author repeats, puts in a heading or sets in bold matters more than one said once.
    """
    headings = [document.title or ""] + [section.heading or "" for section in document.sections]
    mentions = Counter(figure.value for figure in figures)
    heading_figures = [
        f.value for heading in headings for f in find_figures(heading.lower(), -1) if f.unit
    ]
    mentions.update(heading_figures * 2)  # a heading makes a figure a topic of the text
    mentions.update(
        figure.value
        for figure in figures
        if any(figure.text in span for span in sentences[figure.sentence_index][3].strong)
    )
    salience: dict[int, float] = {}
    for figure in figures:
        salience[figure.sentence_index] = (
            salience.get(figure.sentence_index, 0.0) + mentions[figure.value]
        )
    return salience, mentions


def _emphasis(sentence: str, strong: tuple[str, ...]) -> float:
    """The share of the sentence set in strong emphasis; bold figures count as figures instead."""
    if any(sentence in span for span in strong):
        return 1.0
    bold = sum(len(span) for span in strong if span in sentence and not _DIGIT.search(span))
    return min(1.0, bold / len(sentence))


def _short_budget(count: int) -> int:
    return 1 if count <= 3 else 2 if count <= 6 else 3


def _budget(count: int, share: float, low: int, high: int) -> int:
    return min(count, max(low, min(high, round(count * share))))


def _group_by_section(
    document: Document, candidates: list[Candidate], chosen: list[int]
) -> tuple[SectionSummary, ...]:
    grouped: dict[int, list[str]] = {}
    for index in chosen:
        grouped.setdefault(candidates[index].section, []).append(candidates[index].text)
    return tuple(
        SectionSummary(document.sections[section].heading, tuple(sentences))
        for section, sentences in sorted(grouped.items())
    )
