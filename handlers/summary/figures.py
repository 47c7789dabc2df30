"""Find the figures in sentences: a number with its scale, unit and the clause that explains it.

"2.4 万个假账号", "16 million exchanges", "$1.5 billion": the number, its magnitude word and the
counted noun are kept as written. Years, dates, versions ("V2") and list numbers are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_CJK_FUNCTION_CHARS = "的了是在和与及就都也还而被把从到于让给吗呢吧啊"
_CHINESE_FIGURE = re.compile(
    rf"(?<![\w.])(?P<number>{_NUMBER})\s*(?P<scale>万亿|千万|百万|十万|万|亿|千)?"
    rf"\s*(?P<unit>[%％倍]|(?:[个次轮家名位人元条篇项台部款笔张份件吨]|美元|美金|欧元|人民币)"
    rf"(?P<noun>[^\s{_CJK_FUNCTION_CHARS}，。！？；：、“”「」\"'（）()0-9A-Za-z]{{0,4}}))?"
)
_ENGLISH_STOP = (
    r"(?!(?:and|or|of|in|to|for|the|a|an|on|at|by|with|from|that|which|who|was|were|is|are|per"
    r"|each|more|less|than)\b)"
)
_ENGLISH_FIGURE = re.compile(
    rf"(?<![\w.])(?P<currency>[$€£¥])?(?P<number>{_NUMBER})"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|[kKmM]\b))?"
    r"(?P<unit>\s?(?:%|percent\b|per cent\b)"
    # a counted noun: one word, or two when only the second is plural ("fake accounts")
    rf"|\s+{_ENGLISH_STOP}[a-z][a-z-]*[a-rt-z]\s+{_ENGLISH_STOP}[a-z][a-z-]*s\b"
    rf"|\s+{_ENGLISH_STOP}[a-z][a-z-]+)?"
)
_SCALES = {
    "十万": 1e5,
    "百万": 1e6,
    "千万": 1e7,
    "万亿": 1e12,
    "万": 1e4,
    "亿": 1e8,
    "千": 1e3,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_DATE_AFTER = re.compile(r"^\s*(?:年|月|日|号|時|时|点|分|秒)")
_MONTH_BEFORE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|in|since|by|until|of|from)\.?\s+$",
)
_CLAUSE_BREAK = re.compile(r"(?:[，；;：。！？!?]|[,:](?!\d))\s*")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_MIN_CLAUSE_EXTRA = 4


@dataclass(frozen=True, slots=True)
class Figure:
    """A number as written with its scale and unit, its value, and the clause that explains it.

    `unit` is what the number counts as written ("个假账号", "fake accounts", "%"), or empty.
    """

    text: str
    value: float
    unit: str
    context: str
    sentence_index: int


def find_figures(sentence: str, sentence_index: int) -> list[Figure]:
    """Return the figures in one sentence, in order of appearance."""
    pattern = _CHINESE_FIGURE if _CJK_CHAR.search(sentence) else _ENGLISH_FIGURE
    figures: list[Figure] = []
    for match in pattern.finditer(sentence):
        if _is_date_or_index(sentence, match):
            continue
        scale = (match.group("scale") or "").lower()
        value = float(match.group("number").replace(",", "")) * _SCALES.get(scale, 1.0)
        figures.append(
            Figure(
                text=match.group(0).strip(),
                value=value,
                unit=(match.group("unit") or "").strip(),
                context=_clause(sentence, match.start(), match.end()),
                sentence_index=sentence_index,
            )
        )
    return figures


def _is_date_or_index(sentence: str, match: re.Match[str]) -> bool:
    number = match.group("number")
    after = sentence[match.end("number") :]
    if _DATE_AFTER.match(after):
        return True
    plain = number.replace(",", "")
    if match.group("scale") or match.groupdict().get("currency"):
        return False
    is_year = plain.isdigit() and len(plain) == 4 and 1800 <= int(plain) <= 2100
    if is_year and (not match.group("unit") or _MONTH_BEFORE.search(sentence[: match.start()])):
        return True
    return plain.isdigit() and int(plain) < 10 and not match.group("unit")


def _clause(sentence: str, start: int, end: int) -> str:
    """The clause around `sentence[start:end]`, or the whole sentence if the clause says little."""
    clause_start = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, start):
        clause_start = match.end()
    following = _CLAUSE_BREAK.search(sentence, end)
    clause_end = following.start() if following else len(sentence)
    clause = sentence[clause_start:clause_end].strip()
    if len(clause) - (end - start) < _MIN_CLAUSE_EXTRA:
        return sentence.strip()
    return clause
