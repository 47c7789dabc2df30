"""Which sentences cannot stand alone in a summary, and which quote a sentence carries.

A sentence that opens by pointing back ("That line…", "He added…", "这句话…", "紧接着…") leans on
the sentence before it: a summary shows it only together with that sentence. A sentence that ends
on a colon announces what follows it and is never shown alone. Two sentences that carry the same
quotation are one quote told twice: a summary keeps one of them.
"""

from __future__ import annotations

import re

_LEADING = r"^[\s\"“”「」『』'‘’(（*_—-]*"
# A connective before the pointer does not resolve it: "But he added…", "但他又说…".
_CONNECTIVE = r"(?:(?:and|but|so|yet|or)\s+|(?:但是?|而且?|可是|不过|不過|所以)\s*)?"
ENGLISH_OPENERS = (
    r"this|these|those|such|thus|hence|then|the\s+same|the\s+latter"
    r"|the\s+former|both|he|she|they|him|his|her|their|its|it\s+(?!is\s+\w+\s+(?:that|to)\b)"
    r"|(?:right|soon|shortly|just)?\s*after\s+(?:that|this)|afterwards|meanwhile|likewise"
    r"|that(?!\s+(?:a|an|the|\d)\b)|in\s+(?:response|reply)\b|on\s+(?:that|this)\b|as\s+a\s+result"
)
CHINESE_OPENERS = (
    r"这|這|那(?!些年)|此|该|該|其(?!实|實|他|它)|他|她|它|上述|前者|后者|後者|对此|對此"
    r"|紧接着|緊接著|接着|接著|随后|隨後|同样|同樣|因此|于是|於是|为此|為此"
)
_OPENER = re.compile(
    rf"{_LEADING}{_CONNECTIVE}(?:(?:{ENGLISH_OPENERS})\b|(?:{CHINESE_OPENERS}))", re.IGNORECASE
)
# A pronoun subject after a time, a place-and-time or a sentence adverb: "In 2009, it became…",
# "In London in 1990, they agreed…", "Instead, they dammed…"; in Chinese after any short opening
# phrase: "如今，它已經…", "据公开介绍，这套系统…".
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_WHEN = (
    r"(?:in|on|by|since|until|from|after|before|during|within|at|over)\s+(?:the\s+)?"
    r"(?:(?:early|late|mid-?)\s*)?(?:[a-z]+\s+in\s+)?"
    rf"(?:\d{{1,4}}s?|{_MONTHS}|spring|summer|autumn|winter)(?:\s+\d{{1,4}})?"
    r"|(?:that|the\s+same|the\s+next|the\s+following|a|one|two|three|four|five|several|a\s+few)"
    r"\s+(?:\w+\s+)?(?:year|month|week|day|decade)s?(?:\s+(?:later|earlier|afterwards))?"
    r"|instead|however|still|even\s+so|yet|later|since\s+then|at\s+first|at\s+the\s+time"
    r"|in\s+the\s+end|eventually|finally|today|now"
)
_CHINESE_WHEN = r"[\d\s]{1,8}年[^，。]{0,8}|[^，。：；\d]{1,6}"  # 2022 年底，它… 据公开介绍，这套…
_PRONOUN_AFTER_WHEN = re.compile(
    rf"{_LEADING}(?:(?:{_WHEN}),\s+(?:it\s+(?!is\s+\w+\s+(?:that|to)\b)|they|he|she|its|their"
    rf"|his|her|this|these|those)\b|(?:{_CHINESE_WHEN})，\s*(?:{CHINESE_OPENERS}))",
    re.IGNORECASE,
)
# An elliptical sentence leaves its verb in the sentence before: "Delta did not." "Nor could they."
_ELLIPSIS = re.compile(
    r"^\W*(?:\w+\s+){0,3}(?:did|does|do|was|were|is|are|could|would|can|will|has|have|had)"
    r"(?:\s+not|n't)?(?:\s+(?:too|either|so))?\W*$",
    re.IGNORECASE,
)
_PRONOUN_SPEAKER = re.compile(
    r"\b(?:he|she|they)\s+(?:also\s+|then\s+)?(?:added|said|says|told|noted|wrote|argued|asked"
    r"|replied|pointed|went\s+on)\b"
    r"|(?:他|她|他们|她們|他們)(?:又|还|還|也)?(?:补了一句|補了一句|补充|補充|说|說|表示|指出|写道|寫道)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“「『]([^\"“”「」『』]{12,})[\"”」』]")
_ANNOUNCES = (":", "：")


def leans_back(sentence: str) -> bool:
    """Whether `sentence` points at something only the sentence before it names."""
    return bool(
        _OPENER.match(sentence)
        or _PRONOUN_AFTER_WHEN.match(sentence)
        or _ELLIPSIS.match(sentence)
        or _PRONOUN_SPEAKER.search(sentence)
    )


def announces(sentence: str) -> bool:
    """Whether `sentence` ends on a colon: its object is the text that follows it."""
    return sentence.rstrip().endswith(_ANNOUNCES)


def quotations(sentence: str) -> frozenset[str]:
    """The quotations of a dozen characters or more in `sentence`, whitespace collapsed."""
    return frozenset(" ".join(match.group(1).split()) for match in _QUOTED.finditer(sentence))
