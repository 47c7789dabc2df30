"""Parse a topic's debate map and validate every rule of its schema.

The map is the topic's `debate.toml`, read by the topic loader (`handlers/topics/loader.py`),
which hands over the topic's original article and its English translation: each fact-check
quotes both word for word. Sources are defined once under `[sources.<id>]`, each with its outlet
and date, and cited by id from claims, fact-checks and timeline events. Each side names the
claims the overview shows (`strongest`, as many on both sides) and may list `aliases`, other
words for its keyword. Any problem raises `DebateContentError` naming the file and the entry, so
bad content fails start-up.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

from bot.i18n import Localized
from handlers.debate.model import (
    Claim,
    ClaimStatus,
    DebateMap,
    FactCheck,
    GlossaryEntry,
    Reliability,
    Side,
    Source,
    TimelineEvent,
)

DEBATE_FILE = "debate.toml"
MIN_CLAIMS_PER_SIDE = 10
MAX_SIDE_IMBALANCE = 1
MAX_STRONGEST = 3

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
_ALIAS = re.compile(r"^\w{1,16}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LOCALES = ("en", "zh")
_E = TypeVar("_E", Reliability, ClaimStatus)


class DebateContentError(ValueError):
    """The shipped debate map is missing or breaks a rule; the message names file and entry."""


def parse_debate_map(
    toml_text: str,
    *,
    article_text: str,
    translation_text: str | None = None,
    file_name: str = DEBATE_FILE,
) -> DebateMap:
    """Parse and validate a debate map.

    Fact-check passages must occur in `article_text` (the original) and, when a translation is
    given, their `passage_en` in `translation_text` (the shipped English edition).
    """
    try:
        data = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        raise DebateContentError(f"{file_name}: not valid TOML: {error}") from None
    return _Parser(file_name, article_text, translation_text).debate_map(data)


def normalize_passage(text: str) -> str:
    """Drop Markdown emphasis and collapse whitespace, so quotes match however they are styled."""
    return " ".join(text.replace("*", "").split())


class _Parser:
    """Turns the parsed TOML into a `DebateMap`, failing on the first broken rule."""

    def __init__(self, file_name: str, article_text: str, translation_text: str | None) -> None:
        self._file = file_name
        self._article = normalize_passage(article_text)
        self._translation = (
            None if translation_text is None else normalize_passage(translation_text)
        )
        self._sources: dict[str, Source] = {}
        self._cited: set[str] = set()

    def fail(self, entry: str, problem: str) -> NoReturn:
        """Raise the content error for `entry`."""
        raise DebateContentError(f"{self._file}: {entry}: {problem}")

    def debate_map(self, data: Mapping[str, Any]) -> DebateMap:
        """Build and cross-check the whole map."""
        self.keys(
            data,
            "map",
            required=("topic", "question", "background", "sources", "sides"),
            optional=("fact_checks", "timeline", "glossary"),
        )
        self._sources = {
            source_id: self.source(source_id, table)
            for source_id, table in self.table(data, "sources", "map").items()
        }
        sides = self.sides(self.array(data, "sides", "map"))
        fact_checks = tuple(
            self.fact_check(table, index)
            for index, table in enumerate(self.array(data, "fact_checks", "map", required=False), 1)
        )
        timeline = tuple(
            self.event(table, index)
            for index, table in enumerate(self.array(data, "timeline", "map", required=False), 1)
        )
        glossary = tuple(
            self.glossary_entry(table, index)
            for index, table in enumerate(self.array(data, "glossary", "map", required=False), 1)
        )
        self.check_unique([f.id for f in fact_checks], "fact-check")
        self.check_unique([g.id for g in glossary], "glossary")
        self.check_chronology(timeline)
        for source_id in self._sources.keys() - self._cited:
            self.fail(f"source {source_id}", "is never cited")
        return DebateMap(
            topic=self.text(data, "topic", "map"),
            question=self.localized(data, "question", "map"),
            background=self.localized(data, "background", "map"),
            sides=sides,
            fact_checks=fact_checks,
            timeline=timeline,
            glossary=glossary,
        )

    # --- sides and claims -------------------------------------------------------------------

    def sides(self, tables: Sequence[Mapping[str, Any]]) -> tuple[Side, Side]:
        """Parse exactly two balanced sides and check every claim's cross-references."""
        if len(tables) != 2:
            self.fail("sides", f"expected exactly 2 sides, found {len(tables)}")
        first, second = (self.side(table, index) for index, table in enumerate(tables, 1))
        if first.id == second.id:
            self.fail(f"side {second.id}", "duplicate side id")
        counts = {side.id: len(side.claims) for side in (first, second)}
        summary = " and ".join(f"side {sid} has {n}" for sid, n in counts.items())
        if min(counts.values()) < MIN_CLAIMS_PER_SIDE:
            self.fail("sides", f"{summary} claims; each side needs at least {MIN_CLAIMS_PER_SIDE}")
        if abs(len(first.claims) - len(second.claims)) > MAX_SIDE_IMBALANCE:
            self.fail("sides", f"{summary} claims; they may differ by at most {MAX_SIDE_IMBALANCE}")
        if len(first.strongest) != len(second.strongest):
            self.fail(
                "sides",
                f"side {first.id} names {len(first.strongest)} strongest claims and side"
                f" {second.id} {len(second.strongest)}; both must name as many",
            )
        self.check_keywords(first, second)
        owner: dict[str, str] = {}
        for side in (first, second):
            for claim in side.claims:
                if claim.id.upper() in owner:
                    self.fail(f"claim {claim.id}", "duplicate claim id")
                owner[claim.id.upper()] = side.id
        for side in (first, second):
            for claim in side.claims:
                for target in claim.rebutted_by:
                    target_side = owner.get(target.upper())
                    if target_side is None:
                        self.fail(f"claim {claim.id}", f"rebutted_by {target!r} does not exist")
                    if target_side == side.id:
                        self.fail(
                            f"claim {claim.id}",
                            f"rebutted_by {target!r} is on the same side, not the other",
                        )
        return first, second

    def side(self, table: Mapping[str, Any], index: int) -> Side:
        """Parse one side, its claims, its strongest claims and its aliases."""
        entry = f"side {table.get('id', index)}"
        self.keys(
            table,
            entry,
            required=("id", "label", "summary", "claims", "strongest"),
            optional=("aliases",),
        )
        claims = tuple(
            self.claim(claim, number)
            for number, claim in enumerate(self.array(table, "claims", entry), 1)
        )
        strongest = self.strings(table, "strongest", entry)
        own = {claim.id for claim in claims}
        if not 1 <= len(strongest) <= MAX_STRONGEST:
            self.fail(entry, f"strongest must name 1 to {MAX_STRONGEST} claims")
        if len(set(strongest)) != len(strongest):
            self.fail(entry, "strongest lists a claim twice")
        for claim_id in strongest:
            if claim_id not in own:
                self.fail(entry, f"strongest {claim_id!r} is not a claim of this side")
        aliases = self.strings(table, "aliases", entry) if "aliases" in table else ()
        for alias in aliases:
            if not _ALIAS.match(alias):
                self.fail(entry, f"alias {alias!r} must be one word of at most 16 letters")
        return Side(
            id=self.identifier(table, entry),
            label=self.localized(table, "label", entry),
            summary=self.localized(table, "summary", entry),
            claims=claims,
            strongest=strongest,
            aliases=aliases,
        )

    def check_keywords(self, first: Side, second: Side) -> None:
        """Fail when a word (an id or an alias, in any case) would name both sides or one twice."""
        seen: dict[str, str] = {}
        for side in (first, second):
            for word in (side.id, *side.aliases):
                if word.lower() in seen:
                    self.fail(f"side {side.id}", f"keyword {word!r} already names a side")
                seen[word.lower()] = side.id

    def claim(self, table: Mapping[str, Any], index: int) -> Claim:
        """Parse one claim."""
        entry = f"claim {table.get('id', f'#{index}')}"
        self.keys(
            table,
            entry,
            required=(
                "id",
                "statement",
                "explanation",
                "status",
                "status_note",
                "sources",
                "rebutted_by",
            ),
        )
        rebutted_by = self.strings(table, "rebutted_by", entry)
        if not rebutted_by:
            self.fail(entry, "rebutted_by needs at least one claim of the other side")
        if len(set(rebutted_by)) != len(rebutted_by):
            self.fail(entry, "rebutted_by lists a claim twice")
        return Claim(
            id=self.identifier(table, entry),
            statement=self.localized(table, "statement", entry),
            explanation=self.localized(table, "explanation", entry),
            status=self.enum(table, "status", entry, ClaimStatus),
            status_note=self.localized(table, "status_note", entry),
            sources=self.citations(table, entry),
            rebutted_by=rebutted_by,
        )

    # --- fact-checks, timeline, glossary ----------------------------------------------------

    def fact_check(self, table: Mapping[str, Any], index: int) -> FactCheck:
        """Parse one fact-check; its passage must be quoted verbatim from the article."""
        entry = f"fact-check {table.get('id', f'#{index}')}"
        self.keys(
            table,
            entry,
            required=("id", "passage", "passage_en", "verdict", "finding", "sources"),
        )
        passage = self.text(table, "passage", entry)
        if normalize_passage(passage) not in self._article:
            self.fail(entry, f"passage {passage!r} does not occur in the article")
        passage_en = self.text(table, "passage_en", entry)
        if self._translation is not None and normalize_passage(passage_en) not in self._translation:
            self.fail(entry, f"passage_en {passage_en!r} does not occur in the English edition")
        return FactCheck(
            id=self.identifier(table, entry),
            passage=passage,
            passage_en=passage_en,
            verdict=self.localized(table, "verdict", entry),
            finding=self.localized(table, "finding", entry),
            sources=self.citations(table, entry),
        )

    def event(self, table: Mapping[str, Any], index: int) -> TimelineEvent:
        """Parse one timeline event."""
        entry = f"timeline event {index}"
        self.keys(table, entry, required=("date", "text", "sources"))
        return TimelineEvent(
            date=self.date(table, "date", entry),
            text=self.localized(table, "text", entry),
            sources=self.citations(table, entry),
        )

    def glossary_entry(self, table: Mapping[str, Any], index: int) -> GlossaryEntry:
        """Parse one glossary entry."""
        entry = f"glossary {table.get('id', f'#{index}')}"
        self.keys(table, entry, required=("id", "term", "definition"))
        return GlossaryEntry(
            id=self.identifier(table, entry),
            term=self.localized(table, "term", entry),
            definition=self.localized(table, "definition", entry),
        )

    def check_unique(self, ids: Sequence[str], kind: str) -> None:
        """Fail on the first id that occurs twice."""
        seen: set[str] = set()
        for item_id in ids:
            if item_id in seen:
                self.fail(f"{kind} {item_id}", f"duplicate {kind} id")
            seen.add(item_id)

    def check_chronology(self, timeline: Sequence[TimelineEvent]) -> None:
        """Fail if the timeline is not in date order."""
        for index, (earlier, later) in enumerate(itertools.pairwise(timeline), 2):
            if later.date < earlier.date:
                self.fail(
                    f"timeline event {index}",
                    f"date {later.date} comes before the previous event's {earlier.date}",
                )

    # --- sources ----------------------------------------------------------------------------

    def source(self, source_id: str, table: Any) -> Source:
        """Parse one entry of the `[sources]` registry."""
        entry = f"source {source_id}"
        if not _ID.match(source_id):
            self.fail(entry, "id must be a short word of letters, digits, '_' or '-'")
        if not isinstance(table, Mapping):
            self.fail(entry, "must be a table")
        self.keys(table, entry, required=("title", "publisher", "date", "url", "reliability"))
        url = self.text(table, "url", entry)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(entry, f"url {url!r} is not an http(s) URL")
        return Source(
            id=source_id,
            title=self.text(table, "title", entry),
            publisher=self.text(table, "publisher", entry),
            date=self.date(table, "date", entry),
            url=url,
            reliability=self.enum(table, "reliability", entry, Reliability),
        )

    def citations(self, table: Mapping[str, Any], entry: str) -> tuple[Source, ...]:
        """Resolve an entry's `sources` list of registry ids; at least one is required."""
        cited = self.strings(table, "sources", entry)
        if not cited:
            self.fail(entry, "has no sources; cite at least one")
        resolved = []
        for number, source_id in enumerate(cited, 1):
            if source_id not in self._sources:
                self.fail(entry, f"source {number} ({source_id!r}) is not defined in [sources]")
            self._cited.add(source_id)
            resolved.append(self._sources[source_id])
        return tuple(resolved)

    # --- typed field readers ----------------------------------------------------------------

    def keys(
        self,
        table: Mapping[str, Any],
        entry: str,
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> None:
        """Fail on a missing required field or an unknown (likely misspelt) one."""
        for key in required:
            if key not in table:
                self.fail(entry, f"field {key!r} is missing")
        for key in table:
            if key not in required and key not in optional:
                self.fail(entry, f"unknown field {key!r}")

    def text(self, table: Mapping[str, Any], key: str, entry: str) -> str:
        """Read a required, non-blank string field."""
        value = table.get(key)
        if value is None:
            self.fail(entry, f"has no {key}")
        if not isinstance(value, str) or not value.strip():
            self.fail(entry, f"{key} must be non-empty text")
        return value.strip()

    def identifier(self, table: Mapping[str, Any], entry: str) -> str:
        """Read the `id` field: a short word usable in commands and button payloads."""
        value = self.text(table, "id", entry)
        if not _ID.match(value):
            self.fail(entry, f"id {value!r} must be a short word of letters, digits, '_' or '-'")
        return value

    def localized(self, table: Mapping[str, Any], key: str, entry: str) -> Localized:
        """Read a field holding non-empty `en` and `zh` texts and nothing else."""
        value = table.get(key)
        if value is None:
            self.fail(entry, f"field {key!r} is missing")
        if not isinstance(value, Mapping):
            self.fail(entry, f"field {key!r} must have en and zh texts")
        for locale in _LOCALES:
            text = value.get(locale)
            if not isinstance(text, str) or not text.strip():
                self.fail(entry, f"field {key!r} has no {locale} text")
        extra = sorted(set(value) - set(_LOCALES))
        if extra:
            self.fail(entry, f"field {key!r} has unknown languages {extra}")
        return Localized(en=value["en"].strip(), zh=value["zh"].strip())

    def strings(self, table: Mapping[str, Any], key: str, entry: str) -> tuple[str, ...]:
        """Read a list of non-blank strings."""
        value = table.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(entry, f"{key} must be a list of ids")
        return tuple(v.strip() for v in value)

    def enum(self, table: Mapping[str, Any], key: str, entry: str, kind: type[_E]) -> _E:
        """Read a field whose value must be one of the enum's values."""
        value = self.text(table, key, entry)
        try:
            return kind(value)
        except ValueError:
            known = ", ".join(member.value for member in kind)
            self.fail(entry, f"{key} {value!r} is unknown (expected one of: {known})")

    def date(self, table: Mapping[str, Any], key: str, entry: str) -> str:
        """Read a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date (a TOML date is accepted too)."""
        value = table.get(key)
        if isinstance(value, dt.date):
            return value.isoformat()
        text = self.text(table, key, entry)
        valid = bool(_DATE.match(text))
        if valid:
            padded = text + "-01" * ((10 - len(text)) // 3)
            try:
                dt.date.fromisoformat(padded)
            except ValueError:
                valid = False
        if not valid:
            self.fail(entry, f"{key} {text!r} is not a date like 2026-02-23, 2026-02 or 2026")
        return text

    def table(self, data: Mapping[str, Any], key: str, entry: str) -> Mapping[str, Any]:
        """Read a sub-table."""
        value = data.get(key)
        if not isinstance(value, Mapping) or not value:
            self.fail(entry, f"[{key}] must be a non-empty table")
        return value

    def array(
        self, data: Mapping[str, Any], key: str, entry: str, *, required: bool = True
    ) -> Sequence[Mapping[str, Any]]:
        """Read an array of tables (`[[key]]`)."""
        value = data.get(key)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.fail(entry, f"[[{key}]] must be an array of tables")
        return value
