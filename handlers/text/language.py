"""Guess a text's language from its characters: Chinese (Simplified or Traditional) or English."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_SIMPLIFIED_ONLY = frozenset("们这个为与说国后时会来对发学机关开么里没过还进样现经钱让应该")
_TRADITIONAL_ONLY = frozenset("們這個為與說國後時會來對發學機關開麼裡沒過還進樣現經錢讓應該")


def detect_language(text: str) -> str:
    """Guess "zh-Hans", "zh-Hant" or "en" from the characters of `text`."""
    cjk = len(_CJK.findall(text))
    if cjk == 0 or cjk < len(_LATIN.findall(text)) / 4:
        return "en"
    simplified = sum(char in _SIMPLIFIED_ONLY for char in text)
    traditional = sum(char in _TRADITIONAL_ONLY for char in text)
    return "zh-Hant" if traditional > simplified else "zh-Hans"
