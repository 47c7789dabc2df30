"""Split a paragraph into sentences: Chinese (Simplified and Traditional), English and mixed text.

Chinese ends sentences at 。！？；… without a following space; English ends them at . ! ? before a
space and a capital, except after abbreviations and initials (decimals such as 1.5 never split).
Sentence ends inside quotation marks (“” 「」 『』 and balanced "") do not split; an end right
before a closing mark ends the sentence after the mark. Every sentence is a verbatim slice.
"""

from __future__ import annotations

import re

_CJK_TERMINATORS = frozenset("。！？；…｡")
_LATIN_TERMINATORS = frozenset(".!?")
_OPENERS = {"“": "”", "「": "」", "『": "』", "《": "》"}
_CLOSERS = frozenset("”」』》’）)】]'")
_NO_BREAK_AFTER_CJK = frozenset("，,、：:）)")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")
_CONTENT = re.compile(r"[\w\u2e80-\u9fff\uf900-\ufaff]")
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt vs al approx ca cf dept est fig figs gen gov sen rep rev
    inc ltd co corp llc plc bros ed eds jan feb mar apr jun jul aug sep sept
    oct nov dec mon tue wed thu fri sat sun
    """.split()  # noqa: SIM905 -- a word list reads best as plain text
)
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "vol", "vols", "pp", "p", "fig", "figs", "art"})


def split_sentences(text: str) -> list[str]:
    """Split `text` (one paragraph) into sentences, each a stripped slice of `text`."""
    sentences = _split(text, quotes_balanced(text))
    return [s for s in sentences if _CONTENT.search(s)]


def quotes_balanced(text: str) -> bool:
    """Whether every quotation mark in `text` is closed, so quotes can guide splitting."""
    depth = 0
    for char in text:
        if char in _OPENERS:
            depth += 1
        elif char in _OPENERS.values():
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and text.count('"') % 2 == 0


def _split(text: str, use_quotes: bool) -> list[str]:
    sentences: list[str] = []
    start = index = depth = 0
    in_ascii_quote = False
    length = len(text)
    while index < length:
        char = text[index]
        if use_quotes and char in _OPENERS:
            depth += 1
        elif use_quotes and char in _OPENERS.values():
            depth -= 1
        elif use_quotes and char == '"':
            in_ascii_quote = not in_ascii_quote
        if char not in _CJK_TERMINATORS and char not in _LATIN_TERMINATORS:
            index += 1
            continue
        end = index
        while end < length and (text[end] in _CJK_TERMINATORS or text[end] in _LATIN_TERMINATORS):
            end += 1
        terminators = text[index:end]
        closed = False
        while end < length and (text[end] in _CLOSERS or text[end] == '"'):
            if use_quotes and text[end] in _OPENERS.values():
                depth -= 1
            elif use_quotes and text[end] == '"':
                if not in_ascii_quote:
                    break  # an opening quote: it starts the next sentence
                in_ascii_quote = False
            closed = True
            end += 1
        inside_quote = depth > 0 or in_ascii_quote
        if not inside_quote and _ends_sentence(text, index, end, terminators, closed):
            sentences.append(text[start:end].strip())
            start = end
        index = end
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _ends_sentence(text: str, index: int, end: int, terminators: str, closed: bool) -> bool:
    """Decide whether the terminator run `text[index:end]` ends a sentence."""
    rest = text[end:]
    if not rest.strip():
        return True
    following = rest[0]
    if any(char in _CJK_TERMINATORS for char in terminators):
        return following not in _NO_BREAK_AFTER_CJK
    if not following.isspace():
        # "1.5", "e.g.x", "U.S.A": only a Chinese character may follow a Latin end directly.
        return _is_cjk(following) and not _is_abbreviation(text, index, terminators)
    next_char = rest.lstrip()[0]
    if next_char.islower() or next_char in ",;:)":
        return False
    if terminators == "." and not closed:
        return not _is_abbreviation(text, index, terminators)
    return True


def _is_abbreviation(text: str, index: int, terminators: str) -> bool:
    if terminators != ".":
        return False
    word = _WORD_BEFORE.search(text, 0, index)
    if word is None:
        return False
    token = word.group(1).lower()
    if token in _NUMBER_ABBREVIATIONS:
        return text[index + 1 :].lstrip()[:1].isdigit()
    return len(token) == 1 or token in _ABBREVIATIONS


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
