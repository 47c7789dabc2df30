"""Find the figures in sentences: a number with its scale, unit and the clause that explains it.

"2.4 万个假账号", "16 million exchanges", "$1.5 billion": the number, its magnitude word and the
counted noun are kept as written. Years, dates, versions ("V2") and list numbers are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.summary.words import segment_chinese

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_CJK_FUNCTION_CHARS = "的了是在和与及就都也还而被把从到于让给吗呢吧啊"
_CHINESE_FIGURE = re.compile(
    rf"(?<![\w.])(?P<number>{_NUMBER})\s*(?P<scale>万亿|千万|百万|十万|万|亿|千)?"
    r"\s*(?P<unit>[%％倍]|美元|美金|欧元|人民币|元|吨|[千兆吉]瓦时?|公里|公斤|公尺|公噸|公分|奈米|纳米|(?:[个個次轮輪家名位人条條篇项項台臺部款笔筆张張份件辆輛艘架座户戶间間所届屆批场場])"
    rf"(?P<noun>[^\s{_CJK_FUNCTION_CHARS}，。！？；：、“”「」\"'（）()0-9A-Za-z]{{0,6}}))?"
)
# Words that end a counted noun: "410 名工人将失去工作" counts 工人, not 工人将失.
_NOT_NOUN = frozenset("将將已正曾会會要能再不没沒才又就都也还還被把让讓给給向对對从從到在和与與")
_ENGLISH_STOP = (
    r"(?!(?:and|or|of|in|to|for|the|a|an|on|at|by|with|from|that|which|who|was|were|is|are|per"
    r"|each|more|less|than|as|has|its|his|this|thus|plus|across|always|perhaps|unless)\b)"
)
_ENGLISH_FIGURE = re.compile(
    rf"(?<![\w.-])(?P<currency>[$€£¥])?(?P<number>{_NUMBER})"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|[kKmM]\b))?"
    r"(?P<unit>\s?(?:%|percent\b|per cent\b)"
    r"|\s?(?i:[kMGT]Wh?|km|kg|mph|tonnes?|tons?|acres?|hectares?)\b"
    r"|\s(?:dollars?|euros?|pounds?|yuan|yen)\b"
    # a counted noun: up to three words ending in a plural ("fake accounts", "room visits")
    rf"|(?:\s+{_ENGLISH_STOP}[a-z][a-z-]*[a-rt-z]){{0,2}}\s+{_ENGLISH_STOP}[a-z][a-z-]*s\b)?"
)
_RANGE_WORD = r"\s*(?:and|to|or|-|–|—|至|到|~|～)\s*"
_RANGE_BEFORE = re.compile(rf"(?:(?:between|from)\s+)?[$€£¥]?(?:{_NUMBER})\s*[%％]?{_RANGE_WORD}$")
_RANGE_AFTER = re.compile(rf"{_RANGE_WORD}[$€£¥]?\d")
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
        if _is_date_or_index(sentence, match) or _RANGE_AFTER.match(sentence, match.end()):
            continue  # a range's first end joins its second ("4% 至 7%")
        scale = (match.group("scale") or "").lower()
        value = float(match.group("number").replace(",", "")) * _SCALES.get(scale, 1.0)
        end = _counted_noun_end(sentence, match)
        start = _range_start(sentence, match.start())
        unit = sentence[match.start("unit") : end].strip() if match.group("unit") else ""
        figures.append(
            Figure(
                text=sentence[start:end].strip(),
                value=value,
                # an amount with a scale or a currency ("$1.8 billion") needs no other unit
                unit=unit or scale or (match.groupdict().get("currency") or ""),
                context=_clause(sentence, start, end),
                sentence_index=sentence_index,
            )
        )
    return figures


def _range_start(sentence: str, start: int) -> int:
    """Where the figure starts once a range's first end joins it ("between 4 and 7 percent")."""
    before = _RANGE_BEFORE.search(sentence[:start])
    return before.start() if before else start


def _counted_noun_end(sentence: str, match: re.Match[str]) -> int:
    """Where a Chinese counted noun ends at a word boundary; elsewhere the match's end.

    After the measure word come modifiers of one character and one word ("个假账号", "名工人"),
    and a second word only when the clause ends right after it ("家中国公司，", "名哮喘儿童被"),
    so "14 個成員組成的" counts 成員.
    """
    noun = match.groupdict().get("noun")
    if not noun:
        return match.end()
    start = match.start("noun")
    words = segment_chinese(sentence[start : start + 12])
    length = 0
    whole_words = 0
    for position, word in enumerate(words):
        if not _CJK_CHAR.match(word) or word in _NOT_NOUN or length + len(word) > len(noun):
            break
        if len(word) > 1 and whole_words:
            following = words[position + 1] if position + 1 < len(words) else ""
            if _CJK_CHAR.match(following) and following not in _NOT_NOUN:
                break
        length += len(word)
        whole_words += len(word) > 1
        if whole_words == 2:
            break
    return start + length


def _is_date_or_index(sentence: str, match: re.Match[str]) -> bool:
    number = match.group("number")
    after = sentence[match.end("number") :]
    if _DATE_AFTER.match(after):
        return True
    plain = number.replace(",", "")
    if match.group("scale") or match.groupdict().get("currency"):
        return False
    is_year = plain.isdigit() and len(plain) == 4 and 1800 <= int(plain) <= 2100
    unit = (match.group("unit") or "").strip()
    # "a 2024 hospital study": in English a four-digit count would be written "2,024".
    english_year = not _CJK_CHAR.search(sentence) and not unit.endswith(("%", "percent"))
    if is_year and (not unit or english_year or _MONTH_BEFORE.search(sentence[: match.start()])):
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
