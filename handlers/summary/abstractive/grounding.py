"""Prompts that hand the model numbered sentences, and the checks its answer must pass.

A summary bullet must end with the numbers of the sentences it rests on (`[3]`, `[3][5]`,
`[3, 5]`); one citing no sentence, or one that was not offered, is dropped, and so is one whose
numbers, names or quotes its cited sentences do not contain (`facts.unsupported`). A translated
line names the one sentence it translates and must keep that sentence's numbers, all of them and
no others, and its Latin names. A line is shown without control characters or bidi overrides
(`bot.sanitize.visible`: a right-to-left override shows 42 as 24). Reasoning a model shows
(`<think>…</think>`) is cut first; a line longer than `MAX_LINE_CHARS` is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.sanitize import visible
from handlers.summary.abstractive.facts import (
    chinese,
    mentions,
    names,
    normalized,
    numbers,
    unsupported,
)
from handlers.summary.abstractive.provider import Message

_REASONING = re.compile(
    r"<(think|thinking|reasoning|reflection|analysis)>.*?(?:</\1>|\Z)", re.DOTALL | re.IGNORECASE
)
_CLOSING = re.compile(r"^.*</(?:think|thinking|reasoning|reflection|analysis)>", re.DOTALL)
_CITATION = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、;；]\s*\d+)*)\s*[\]】]")
_MARKER = re.compile(r"^\s*(?:[-*•·]|\d+[.)、]|[\[【]\d+[\]】](?=\s*[-*•·]))\s*")
_LEADING_NUMBER = re.compile(r"^\s*[\[【]\s*(\d+)\s*[\]】]\s*")

MAX_LINE_CHARS = 600
"""The longest bullet or translated line shown: eight fill about one Telegram message (4,096), and
a line of a whole answer's length (256 KiB, nothing in it to check) would post sixty more."""
_MAX_CITED_DIGITS = 6
_NOT_OFFERED = -1
"""A sentence number no prompt offers."""

_LANGUAGES = {"zh": "Simplified Chinese", "en": "English"}


@dataclass(frozen=True, slots=True)
class Source:
    """A sentence offered to the model: its number in the prompt and in the article."""

    number: int
    position: int
    """Its place among the article's sentences, from 1 (what a reader is told); 0: the title."""
    text: str


@dataclass(frozen=True, slots=True)
class Bullet:
    """A written sentence and the article positions of the sentences it rests on."""

    text: str
    positions: tuple[int, ...]


def summary_prompt(
    title: str, sources: Sequence[Source], bullets: int, language: str
) -> list[Message]:
    """Ask for `bullets` bullets in `language` (`zh`, `en`) resting on `sources`."""
    system = (
        f"You summarize an article for a group chat in {_language(language)}. You are given"
        f" numbered sentences from it. Write {bullets} bullet points, each one sentence starting"
        " with '- ' and ending with the numbers of the sentences it rests on in square brackets,"
        " like [2] or [3][5]. State only what those sentences say: no number, name or quotation"
        " that they do not contain, and copy numbers exactly as they are written. Write nothing"
        " else: no introduction, no conclusion."
    )
    numbered = "\n".join(f"[{s.number}] {s.text}" for s in sources)
    return [Message("system", system), Message("user", f"Title: {title}\n\n{numbered}")]


def translation_prompt(sources: Sequence[Source], language: str) -> list[Message]:
    """Ask for each of `sources` translated into `language`, one numbered line each."""
    system = (
        f"Translate each numbered line into {_language(language)} (line 0, if there is one, is"
        " the title). Answer with one line per line, starting with its number in square"
        " brackets, like [1]. Keep every number in digits exactly as written, and keep names"
        " written in Latin letters as they are. Write nothing else."
    )
    numbered = "\n".join(f"[{s.number}] {s.text}" for s in sources)
    return [Message("system", system), Message("user", numbered)]


def without_reasoning(answer: str) -> str:
    """`answer` without the reasoning some models show before it (`<think>…</think>`)."""
    return _CLOSING.sub("", _REASONING.sub("", answer))


def grounded_bullets(answer: str, sources: Sequence[Source], asked: int) -> list[Bullet]:
    """The bullets of `answer` that their cited sentences support, at most `asked` of them."""
    offered = {source.number: source for source in sources}
    kept: list[Bullet] = []
    for line in without_reasoning(answer).splitlines():
        cited = [
            _cited(n) for match in _CITATION.finditer(line) for n in re.findall(r"\d+", match[1])
        ]
        text = _MARKER.sub("", _CITATION.sub("", visible(line))).strip()
        if (
            not text
            or len(text) > MAX_LINE_CHARS
            or not cited
            or any(n not in offered for n in cited)
        ):
            continue
        backing = [offered[n].text for n in dict.fromkeys(cited)]
        if unsupported(text, backing) or any(text == bullet.text for bullet in kept):
            continue
        positions = tuple(sorted({offered[n].position for n in cited}))
        kept.append(Bullet(_tidy(text), positions))
    return kept[:asked]


def grounded_translation(answer: str, sources: Sequence[Source]) -> list[Bullet]:
    """The translated lines of `answer` that keep their sentence's numbers and Latin names."""
    offered = {source.number: source for source in sources}
    kept: dict[int, Bullet] = {}
    for line in without_reasoning(answer).splitlines():
        match = _LEADING_NUMBER.match(line)
        if match is None or (number := _cited(match[1])) not in offered or number in kept:
            continue
        source = offered[number]
        text = _CITATION.sub("", visible(line[match.end() :])).strip()
        if text and len(text) <= MAX_LINE_CHARS and _keeps_facts(text, source.text):
            kept[source.number] = Bullet(text, (source.position,))
    return [kept[number] for number in sorted(kept)]


def enough(kept: Sequence[Bullet], asked: int) -> bool:
    """Whether enough survived to show instead of the extractive summary: half of `asked`."""
    return bool(kept) and 2 * len(kept) >= asked


def _cited(digits: str) -> int:
    """The sentence number `digits` cite; `_NOT_OFFERED` for one too long to be any (`[999…]`).

    Python refuses to convert more than 4,300 digits, so a hostile answer's `[99…9]` must not
    reach `int`.
    """
    return int(digits) if len(digits) <= _MAX_CITED_DIGITS else _NOT_OFFERED


def _keeps_facts(translated: str, original: str) -> bool:
    if Counter(numbers(translated)) != Counter(numbers(original)):
        return False
    source = normalized(original)
    return all(mentions(source, name) for name in names(translated) if not chinese(name))


def _tidy(text: str) -> str:
    """A bullet without the space a removed citation left before its final punctuation."""
    return re.sub(r"\s+([.!?。！？])$", r"\1", text)


def _language(tag: str) -> str:
    return _LANGUAGES.get(tag.split("-", 1)[0], tag)
