"""What a written sentence asserts that its sources must contain: numbers, names, quotes.

Text is compared as a reader sees it: NFKC, without invisible format characters (a zero-width
space between 2 and 4 must not make two numbers of a shown 24). A number is compared by its digits
(thousands separators dropped); a name is a word of an alphabet a writer capitalizes (Latin, or
Cyrillic and Greek letters, which can pass for Latin ones), any such word inside Chinese, or a
Chinese person, place or organization name (rjieba's `nr`/`ns`/`nt` tags); a quote is text in
quotation marks. `unsupported` names what a sentence says that its sources do not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

_NUMBER = re.compile(r"\d+(?:[,，]\d{3})*(?:\.\d+)?")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = rf"[^\W\d_{_HAN}]"
"""A letter of an alphabet (Latin, Cyrillic, Greek…): a Cyrillic `і` inside `Smіth` is no break."""
_WORD_CHAR = rf"[^\W_{_HAN}]"
_WORD = re.compile(rf"{_LETTER}{_WORD_CHAR}*(?:['’-]{_WORD_CHAR}+)*")
_CJK = re.compile(rf"[{_HAN}]")
_CJK_RUN = re.compile(rf"[{_HAN}]+")
_QUOTE = re.compile(r"“([^”]{2,})”|\"([^\"]{2,})\"|「([^」]{2,})」|『([^』]{2,})』")
_NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt"})
_SPACE = re.compile(r"\s+")


def normalized(text: str) -> str:
    """`text` in the form facts are compared in: NFKC, lower case, single spaces."""
    return _SPACE.sub(" ", _plain(text)).strip().lower()


def numbers(text: str) -> list[str]:
    """The numbers `text` writes in digits, as digits (`24,000` is `24000`)."""
    plain = _plain(text)
    return [re.sub(r"[,，]", "", match.group()) for match in _NUMBER.finditer(plain)]


def names(text: str) -> set[str]:
    """The names `text` mentions, normalized (see the module's docstring)."""
    plain = _plain(text)
    chinese = bool(_CJK.search(plain))
    found = {
        _latin_key(word)
        for index, word in enumerate(m.group() for m in _WORD.finditer(plain))
        if len(word) > 1 and (chinese or _capitalized(word, first=index == 0))
    }
    if chinese:
        found.update(_chinese_names(plain))
    return found


def quotes(text: str) -> list[str]:
    """The quoted passages of `text`, normalized."""
    return [normalized(next(g for g in m.groups() if g)) for m in _QUOTE.finditer(text)]


def unsupported(sentence: str, sources: Iterable[str]) -> list[str]:
    """The numbers, names and quotes of `sentence` that no text of `sources` contains."""
    joined = normalized(" ".join(sources))
    known_numbers = set(numbers(joined))
    missing = [n for n in numbers(sentence) if n not in known_numbers]
    missing.extend(name for name in sorted(names(sentence)) if not mentions(joined, name))
    missing.extend(quote for quote in quotes(sentence) if quote not in joined)
    return missing


def mentions(text: str, name: str) -> bool:
    """Whether normalized `text` mentions `name`: an alphabetic name as a whole word."""
    if chinese(name):
        return name in text
    word = rf"(?<!{_WORD_CHAR}){re.escape(name)}(?!{_WORD_CHAR})"
    return re.search(word, text) is not None


def chinese(name: str) -> bool:
    """Whether `name` is written in Chinese characters (a translation may render it anew)."""
    return _CJK.search(name) is not None


def _plain(text: str) -> str:
    """`text` in NFKC without format characters (zero-width spaces and joiners, bidi marks)."""
    return "".join(
        c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf"
    )


def _capitalized(word: str, *, first: bool) -> bool:
    """Whether an English writer capitalized `word` as a name.

    The first word is capitalized anyway: it counts only when capitalized past its first letter
    ("DeepSeek", "AI").
    """
    if first:
        return any(c.isupper() for c in word[1:])
    return word[0].isupper()


def _latin_key(word: str) -> str:
    return word.lower().replace("’", "'").removesuffix("'s")


def _chinese_names(text: str) -> Iterator[str]:
    import rjieba  # loaded with the summarizer's segmenter (`handlers.summary.words`)

    for run in _CJK_RUN.findall(text):
        for word, tag in rjieba.tag(run):
            if tag in _NAME_TAGS and len(word) > 1:
                yield word
