"""The article vocabulary the articles feature keeps and the summary feature reads.

An article is named by a reference: the shipped topic's name (`distillation`) or the number of
an added article (`3`). Each article has one or more editions (languages).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.identity import ChatRef

ARTICLE = "article"
"""The kind of object a command or button names by an article reference (its custodian's)."""


@dataclass(frozen=True, slots=True)
class Edition:
    """One language edition of an article."""

    language: str
    title: str
    text: str
    is_translation: bool = False
    note: str = ""
    """The edition's own source note in its own language (a translation's names its translator)."""

    @property
    def primary_language(self) -> str:
        """`zh` or `en` (the primary subtag of the language tag)."""
        return self.language.split("-", 1)[0]


@dataclass(frozen=True, slots=True)
class LibraryArticle:
    """An article with its editions and where it comes from."""

    ref: str
    editions: tuple[Edition, ...]
    source_note: str
    source_url: str | None = None
    added_by: str | None = None
    added_at: datetime | None = None
    home: ChatRef | None = None
    """The chat it was added in; None for the shipped article."""

    def edition(self, language: str | None) -> Edition:
        """The edition in `language` (primary subtag), else the first (original) one."""
        for edition in self.editions:
            if edition.primary_language == (language or "").split("-", 1)[0]:
                return edition
        return self.editions[0]

    def has_edition(self, language: str) -> bool:
        """Whether an edition is in `language` (primary subtag)."""
        return language.split("-", 1)[0] in self.languages

    @property
    def languages(self) -> tuple[str, ...]:
        """The primary languages of the editions."""
        return tuple(edition.primary_language for edition in self.editions)

    def title(self, locale: str) -> str:
        """The title to show to a reader of `locale`."""
        return self.edition(locale).title


_LANGUAGE_NAMES = {
    "zh-Hans": ("Chinese (Simplified)", "简体中文"),
    "zh-Hant": ("Chinese (Traditional)", "繁体中文"),
    "zh": ("Chinese", "中文"),
    "en": ("English", "英文"),
}


def language_name(tag: str, locale: str) -> str:
    """What readers of `locale` (`en` or `zh`) call the language `tag`, never a raw code."""
    names = _LANGUAGE_NAMES.get(tag) or _LANGUAGE_NAMES.get(tag.split("-", 1)[0])
    if names is None:
        return tag
    return names[1] if locale.startswith("zh") else names[0]


def language_names(tags: Iterable[str], locale: str) -> str:
    """Languages by name, listed as `locale` lists them: "English, Chinese", "英文、中文"."""
    separator = "、" if locale.startswith("zh") else ", "
    return separator.join(language_name(tag, locale) for tag in tags)


class ArticleShelf(Protocol):
    """Where a chat's articles are read from (the articles feature's library)."""

    async def get(self, ref: str, chat: ChatRef) -> LibraryArticle:
        """The article named `ref` as `chat` sees it, or a `UserError` when there is none."""
        ...

    async def current(self, chat: ChatRef) -> LibraryArticle:
        """The chat's current article."""
        ...

    async def read(self, source: str) -> LibraryArticle:
        """A text as an article, or the web page it links to; checked like one, never stored."""
        ...


def content_hash(text: str) -> str:
    """The SHA-256 of the text (summary cache key)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
