"""Typed command parameters with limits; each converts raw text and explains what was wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from bot.durations import format_duration, parse_duration
from bot.errors import UsageError
from bot.i18n import Localized, listed

_INTEGER = re.compile(r"-?[0-9]{1,11}")  # at most 12 characters with the sign
_ID = re.compile(r"[0-9]{1,9}")

_TOO_SHORT = Localized(
    "`{name}` must be at least {limit} characters (got {length}).",
    "`{name}` 至少需要 {limit} 个字符（当前 {length} 个）。",
)
_TOO_LONG = Localized(
    "`{name}` can be at most {limit} characters (got {length}).",
    "`{name}` 最多 {limit} 个字符（当前 {length} 个）。",
)
_MISSING_MARK = Localized("`{name}` must contain “{marks}”.", "`{name}` 必须包含“{marks}”。")
_NOT_INTEGER = Localized(
    "`{name}` must be a whole number, not “{value}”.",
    "`{name}` 必须是整数，而不是“{value}”。",
)
_OUT_OF_RANGE = Localized(
    "`{name}` must be between {low} and {high} (got {value}).",
    "`{name}` 必须在 {low} 到 {high} 之间（当前为 {value}）。",
)
_NOT_A_CHOICE = Localized(
    "`{name}` must be one of: {choices} (got “{value}”).",
    "`{name}` 只能是以下之一：{choices}（当前为“{value}”）。",
)
_NOT_DURATION = Localized(
    "`{name}` must be a duration like 90s, 30m, 2h or 1d (got “{value}”).",
    "`{name}` 必须是时长，例如 90s、30m、2h 或 1d（当前为“{value}”）。",
)
_DURATION_RANGE = Localized(
    "`{name}` must be between {low} and {high} (got {value}).",
    "`{name}` 必须在 {low} 到 {high} 之间（当前为 {value}）。",
)


def ascii_int(text: str) -> int | None:
    """The id or count `text` spells in ASCII digits (at most nine), else None.

    `str.isdigit` also accepts "²" and "①", which `int` then refuses: ids and numbers typed by
    users are read here and nowhere else.
    """
    return int(text) if _ID.fullmatch(text) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Param:
    """A named, described parameter; subclasses add the type and its limits."""

    name: str
    description: Localized
    required: bool = True
    default: object = None

    def convert(self, raw: str) -> object:
        """Turn the raw text into a value of this parameter's type, or raise `UsageError`."""
        raise NotImplementedError

    def accepts(self, raw: str) -> bool:
        """Whether `raw` converts without error."""
        try:
            self.convert(raw)
        except UsageError:
            return False
        return True


@dataclass(frozen=True, slots=True, kw_only=True)
class TextParam(Param):
    """Free text with length limits; `rest` takes everything left on the line."""

    min_length: int = 1
    max_length: int = 200
    rest: bool = False
    must_contain: tuple[str, ...] = ()
    """The text must contain one of these (e.g. a separator); `shape` explains the form."""
    shape: Localized | None = None

    def convert(self, raw: str) -> str:
        """Check the length (in characters) and the required marks; return the text stripped.

        NUL characters are dropped: nobody types them, and SQLite counts a text only up to one.
        """
        text = raw.replace("\x00", "").strip()
        if len(text) < self.min_length:
            raise UsageError(_TOO_SHORT, name=self.name, limit=self.min_length, length=len(text))
        if len(text) > self.max_length:
            raise UsageError(_TOO_LONG, name=self.name, limit=self.max_length, length=len(text))
        if self.must_contain and not any(mark in text for mark in self.must_contain):
            raise UsageError(
                self.shape or _MISSING_MARK, name=self.name, marks=self.must_contain[0]
            )
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class IntParam(Param):
    """A whole number within `[min_value, max_value]`."""

    min_value: int = 0
    max_value: int = 2**31 - 1

    def convert(self, raw: str) -> int:
        """Parse the integer and check its range."""
        text = raw.strip().lstrip("#")
        if not _INTEGER.fullmatch(text):
            raise UsageError(_NOT_INTEGER, name=self.name, value=raw.strip()[:40])
        value = int(text)
        if not self.min_value <= value <= self.max_value:
            raise UsageError(
                _OUT_OF_RANGE, name=self.name, low=self.min_value, high=self.max_value, value=value
            )
        return value


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceParam(Param):
    """One of a fixed list of ASCII words (matched case-insensitively), or one of their aliases.

    `aliases` maps other words for a choice (Chinese forms, old names) to the choice:
    `{"短": "short", "简短": "short"}`. The converted value is always the choice itself.
    """

    choices: tuple[str, ...] = field(default_factory=tuple)
    labels: dict[str, Localized] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Aliases must name a choice; a bug in a declaration fails at start-up."""
        for alias, choice in self.aliases.items():
            if choice not in self.choices or alias != alias.strip().lower() or not alias:
                raise ValueError(f"{self.name}: alias {alias!r} → {choice!r} is not a choice")

    def convert(self, raw: str) -> str:
        """Return the matching choice."""
        value = raw.strip().lower()
        if value in self.choices:
            return value
        if value in self.aliases:
            return self.aliases[value]
        raise UsageError(_NOT_A_CHOICE, name=self.name, choices=self.listing(), value=raw[:40])

    def listing(self) -> Localized:
        """The choices as each language types them: `短（short）、中（medium）` in Chinese."""
        chinese: dict[str, str] = {}
        for alias, choice in self.aliases.items():
            if not alias.isascii():
                chinese.setdefault(choice, alias)
        shown = (f"{chinese[c]}（{c}）" if c in chinese else c for c in self.choices)
        zh = listed("zh", shown)
        return Localized(listed("en", self.choices), zh)


@dataclass(frozen=True, slots=True, kw_only=True)
class DurationParam(Param):
    """A duration such as `90s`, `30m`, `2h`, `1d` within `[minimum, maximum]`."""

    minimum: timedelta = timedelta(seconds=1)
    maximum: timedelta = timedelta(days=365)

    def convert(self, raw: str) -> timedelta:
        """Parse the duration and check its range."""
        value = parse_duration(raw)
        if value is None:
            raise UsageError(_NOT_DURATION, name=self.name, value=raw.strip()[:40])
        if not self.minimum <= value <= self.maximum:
            raise UsageError(
                _DURATION_RANGE,
                name=self.name,
                low=format_duration(self.minimum),
                high=format_duration(self.maximum),
                value=format_duration(value),
            )
        return value
