"""Load and validate a topic's shipped content: its articles, debate map and suggested polls.

A topic is a data package beside this module: `articles.toml` naming Markdown files, and
optionally `debate.toml` (the debate map) and `polls.toml` (suggested polls). Every text a reader
sees is a `Localized` with both languages; any problem raises an error naming file and entry, so
the app's start-up (which loads the topic) fails loudly rather than a command.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

from bot.i18n import LOCALES, Localized
from handlers.debate.loader import DEBATE_FILE, parse_debate_map
from handlers.debate.model import DebateMap

DEFAULT_TOPIC = "distillation"
METADATA_FILE = "articles.toml"
POLLS_FILE = "polls.toml"
MIN_POLL_OPTIONS = 2
NEUTRAL = "neutral"
_POLL_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_POLL_NAME_CHARS = 40
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
    title: Localized
    source: Localized
    """Where the text comes from (a translation: who translated it and how)."""
    events_date: dt.date
    is_translation: bool
    translation_of: str | None
    text: str


@dataclass(frozen=True, slots=True)
class SuggestedPoll:
    """A ready-made debate poll: a short name, its question, its options and its framing.

    `framing` is `neutral` or the id of the debate side whose argument the question is built on;
    a topic's templates are framed from each side equally often.
    """

    name: str
    question: Localized
    options: tuple[Localized, ...]
    framing: str = NEUTRAL


@dataclass(frozen=True, slots=True)
class Topic:
    """A discussion topic: its articles (the original first), debate map and suggested polls."""

    name: str
    articles: tuple[Article, ...]
    debate: DebateMap | None = None
    polls: tuple[SuggestedPoll, ...] = ()

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

    @property
    def debate_map(self) -> DebateMap:
        """The debate map; a `TopicDataError` when the topic ships none."""
        if self.debate is None:
            raise TopicDataError(f"{self.name}/{DEBATE_FILE}: file not found")
        return self.debate


def load_topic(name: str) -> Topic:
    """Load the topic `name` (a data package beside this module) and validate all of it."""
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
    original = next(article for article in articles if not article.is_translation)
    english = next(
        (a for a in articles if a.translation_of == original.id and a.language == "en"), None
    )
    polls_text = _optional_file(folder, POLLS_FILE)
    debate = _debate_map(folder, name, original.text, None if english is None else english.text)
    polls = () if polls_text is None else _parse_polls(f"{name}/{POLLS_FILE}", polls_text)
    _check_framings(f"{name}/{POLLS_FILE}", polls, debate)
    return Topic(name=name, articles=articles, debate=debate, polls=polls)


def _debate_map(
    folder: Traversable, name: str, article_text: str, english_text: str | None
) -> DebateMap | None:
    """The topic's debate map, its quotes checked against both editions; None if absent."""
    text = _optional_file(folder, DEBATE_FILE)
    if text is None:
        return None
    where = f"{name}/{DEBATE_FILE}"
    debate = parse_debate_map(
        text, article_text=article_text, translation_text=english_text, file_name=where
    )
    if debate.topic != name:
        raise TopicDataError(f"{where}: topic {debate.topic!r} is not {name!r}")
    return debate


def _check_framings(where: str, polls: tuple[SuggestedPoll, ...], debate: DebateMap | None) -> None:
    """Each framing names a side of the map (or is neutral), and both sides frame equally many.

    Without a map there are no sides to check framings against.
    """
    if debate is None:
        return
    sides = tuple(side.id for side in debate.sides)
    for poll in polls:
        if poll.framing != NEUTRAL and poll.framing not in sides:
            known = ", ".join((NEUTRAL, *sides))
            raise TopicDataError(
                f"{where}: poll {poll.name!r}: framing {poll.framing!r} is not one of: {known}"
            )
    counts = {side: sum(poll.framing == side for poll in polls) for side in sides}
    if len(set(counts.values())) > 1:
        summary = ", ".join(f"{side} {count}" for side, count in counts.items())
        raise TopicDataError(f"{where}: polls framed from each side must be as many ({summary})")


def _optional_file(folder: Traversable, file_name: str) -> str | None:
    try:
        return folder.joinpath(file_name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def _parse_article(folder: Traversable, where: str, index: int, entry: Any) -> Article:
    if not isinstance(entry, dict):
        raise TopicDataError(f"{where}: articles[{index}] is not a table")
    label = f"{where}: article {entry.get('id', f'#{index}')!r}"
    article_id = _field(entry, "id", str, label)
    file_name = _field(entry, "file", str, label)
    language = _field(entry, "language", str, label)
    if not _LANGUAGE_TAG.match(language):
        raise TopicDataError(f"{label}: 'language' {language!r} is not a language tag")
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
        title=_localized(entry, "title", label),
        source=_localized(entry, "source", label),
        events_date=_field(entry, "events_date", dt.date, label),
        is_translation=is_translation,
        translation_of=translation_of,
        text=text,
    )


def _parse_polls(where: str, text: str) -> tuple[SuggestedPoll, ...]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TopicDataError(f"{where}: invalid TOML: {error}") from error
    entries = data.get("polls")
    if not isinstance(entries, list) or not entries:
        raise TopicDataError(f"{where}: needs at least one [[polls]] entry")
    polls = tuple(_parse_poll(where, index, entry) for index, entry in enumerate(entries))
    names = [poll.name for poll in polls]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise TopicDataError(f"{where}: duplicate poll names {duplicates}")
    return polls


def _parse_poll(where: str, index: int, entry: Any) -> SuggestedPoll:
    if not isinstance(entry, dict):
        raise TopicDataError(f"{where}: polls[{index}] is not a table")
    label = f"{where}: poll {entry.get('name', f'#{index}')!r}"
    unknown = sorted(set(entry) - {"name", "question", "options", "framing"})
    if unknown:
        raise TopicDataError(f"{label}: unknown fields {unknown}")
    name = _field(entry, "name", str, label)
    if len(name) > _POLL_NAME_CHARS or not _POLL_NAME.match(name):
        raise TopicDataError(f"{label}: 'name' must be lowercase words joined by '-'")
    options = _field(entry, "options", list, label)
    if len(options) < MIN_POLL_OPTIONS:
        raise TopicDataError(f"{label}: needs at least {MIN_POLL_OPTIONS} options")
    texts = tuple(
        _texts(option, f"{label}: option {number}") for number, option in enumerate(options, 1)
    )
    for locale in LOCALES:
        words = [option.render(locale).casefold() for option in texts]
        repeated = sorted({word for word in words if words.count(word) > 1})
        if repeated:
            raise TopicDataError(f"{label}: options repeat {repeated} ({locale})")
    return SuggestedPoll(
        name=name,
        question=_localized(entry, "question", label),
        options=texts,
        framing=_field(entry, "framing", str, label) if "framing" in entry else NEUTRAL,
    )


def _localized(entry: dict[str, Any], key: str, label: str) -> Localized:
    """The field `key`, holding non-empty `en` and `zh` texts and nothing else."""
    return _texts(_field(entry, key, dict, label), f"{label}: {key!r}")


def _texts(value: Any, what: str) -> Localized:
    """`value` as a `Localized`: a table of non-empty `en` and `zh` texts and nothing else."""
    if not isinstance(value, dict):
        raise TopicDataError(f"{what} must have en and zh texts")
    for locale in LOCALES:
        text = value.get(locale)
        if not isinstance(text, str) or not text.strip():
            raise TopicDataError(f"{what} has no {locale} text")
    extra = sorted(set(value) - set(LOCALES))
    if extra:
        raise TopicDataError(f"{what} has unknown languages {extra}")
    return Localized(en=value["en"].strip(), zh=value["zh"].strip())


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
