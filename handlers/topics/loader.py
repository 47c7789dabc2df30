"""Load and validate a topic's shipped articles from package data."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any, TypeVar

METADATA_FILE = "articles.toml"
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_TOPIC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
T = TypeVar("T")


class TopicDataError(ValueError):
    """Shipped topic data is missing or malformed; the message names the file and entry."""


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a topic, with its text and metadata."""

    id: str
    language: str
    titles: Mapping[str, str]
    source: str
    events_date: dt.date
    is_translation: bool
    translation_of: str | None
    text: str

    def title(self, language: str) -> str:
        """Return the title for an interface language, falling back to the text's own language."""
        primary = language.split("-", 1)[0]
        own = self.language.split("-", 1)[0]
        return self.titles.get(primary) or self.titles.get(own) or next(iter(self.titles.values()))


@dataclass(frozen=True, slots=True)
class Topic:
    """A discussion topic and its articles, the original first."""

    name: str
    articles: tuple[Article, ...]

    def article(self, article_id: str) -> Article:
        """Return the article with this id; raise `KeyError` if there is none."""
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)

    @property
    def default_article(self) -> Article:
        """The original (untranslated) article, the topic's default."""
        return next(a for a in self.articles if not a.is_translation)

    def edition(self, language: str) -> Article:
        """Return the article in this language (by primary subtag), else the default one."""
        primary = language.split("-", 1)[0]
        for article in self.articles:
            if article.language.split("-", 1)[0] == primary:
                return article
        return self.default_article


def load_topic(name: str) -> Topic:
    """Load the topic `name` (a data package beside this module) and validate its metadata."""
    if not _TOPIC_NAME.match(name):
        raise TopicDataError(f"{name!r}: not a valid topic name")
    folder = resources.files(__package__).joinpath(name)
    metadata_path = f"{name}/{METADATA_FILE}"
    try:
        metadata = tomllib.loads(folder.joinpath(METADATA_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise TopicDataError(f"{metadata_path}: file not found") from error
    except tomllib.TOMLDecodeError as error:
        raise TopicDataError(f"{metadata_path}: invalid TOML: {error}") from error
    entries = metadata.get("articles")
    if not isinstance(entries, list) or not entries:
        raise TopicDataError(f"{metadata_path}: needs at least one [[articles]] entry")
    articles = tuple(
        _parse_article(folder, metadata_path, index, entry) for index, entry in enumerate(entries)
    )
    _check_references(metadata_path, articles)
    return Topic(name=name, articles=articles)


def _parse_article(folder: Traversable, where: str, index: int, entry: Any) -> Article:
    if not isinstance(entry, dict):
        raise TopicDataError(f"{where}: articles[{index}] is not a table")
    label = f"{where}: article {entry.get('id', f'#{index}')!r}"
    article_id = _field(entry, "id", str, label)
    file_name = _field(entry, "file", str, label)
    language = _field(entry, "language", str, label)
    if not _LANGUAGE_TAG.match(language):
        raise TopicDataError(f"{label}: 'language' {language!r} is not a language tag")
    titles = _field(entry, "title", dict, label)
    if not titles or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in titles.items()
    ):
        raise TopicDataError(f"{label}: 'title' must map languages to non-empty titles")
    is_translation = _field(entry, "is_translation", bool, label)
    translation_of = entry.get("translation_of")
    if is_translation != isinstance(translation_of, str):
        raise TopicDataError(
            f"{label}: a translation needs 'translation_of' (an article id), an original has none"
        )
    try:
        text = folder.joinpath(file_name).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise TopicDataError(f"{label}: file {file_name!r} not found") from error
    if not text.strip():
        raise TopicDataError(f"{label}: file {file_name!r} is empty")
    return Article(
        id=article_id,
        language=language,
        titles=MappingProxyType(dict(titles)),
        source=_field(entry, "source", str, label).strip(),
        events_date=_field(entry, "events_date", dt.date, label),
        is_translation=is_translation,
        translation_of=translation_of,
        text=text,
    )


def _field(entry: dict[str, Any], key: str, kind: type[T], label: str) -> T:
    value = entry.get(key)
    if value is None:
        raise TopicDataError(f"{label}: missing {key!r}")
    if not isinstance(value, kind) or (kind is dt.date and isinstance(value, dt.datetime)):
        raise TopicDataError(f"{label}: {key!r} must be a {kind.__name__}")
    return value


def _check_references(where: str, articles: tuple[Article, ...]) -> None:
    ids = [article.id for article in articles]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TopicDataError(f"{where}: duplicate article ids {duplicates}")
    for article in articles:
        if article.translation_of is not None and article.translation_of not in ids:
            raise TopicDataError(
                f"{where}: article {article.id!r}: 'translation_of' names unknown article "
                f"{article.translation_of!r}"
            )
    if all(article.is_translation for article in articles):
        raise TopicDataError(f"{where}: needs one original (non-translation) article")
