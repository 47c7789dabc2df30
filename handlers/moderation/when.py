"""Schedule expressions, read in the chat's time zone.

`in 2h`, `2026-12-01 09:00`, `tomorrow 09:00`, `daily 09:00`, `weekly mon 20:00`.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.durations import parse_duration
from bot.errors import UserError
from bot.i18n import Localized

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LONGEST_AHEAD = timedelta(days=366)

_TIME = r"(\d{1,2}):(\d{2})"
_IN = re.compile(r"^in\s+(\S+)", re.IGNORECASE)
_DATE_TIME = re.compile(rf"^(\d{{4}})-(\d{{2}})-(\d{{2}})[ T]{_TIME}")
_DAY_TIME = re.compile(rf"^(today|tomorrow)\s+{_TIME}", re.IGNORECASE)
_DAILY = re.compile(rf"^daily\s+{_TIME}", re.IGNORECASE)
_DAY_NAMES = (
    "mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?"
    "|sun(?:day)?"
)
_WEEKLY = re.compile(rf"^weekly\s+({_DAY_NAMES})\s+{_TIME}", re.IGNORECASE)

NOT_A_TIME = Localized(
    "I can't read “{text}” as a time. Use one of: in 2h, 2026-12-01 09:00, tomorrow 09:00,"
    " daily 09:00, weekly mon 20:00.",
    "无法把“{text}”理解为时间。可用格式：in 2h、2026-12-01 09:00、tomorrow 09:00、"
    "daily 09:00、weekly mon 20:00。",
)
IN_THE_PAST = Localized(
    "{when} has already passed. Choose a time in the future.",
    "{when} 已经过去了。请选择一个将来的时间。",
)
TOO_FAR = Localized(
    "That is more than a year ahead. Choose a time within a year.",
    "时间超过一年。请选择一年以内的时间。",
)
BAD_CLOCK_TIME = Localized(
    "{hour}:{minute} is not a time of day (use 00:00–23:59).",
    "{hour}:{minute} 不是有效的时刻（请用 00:00–23:59）。",
)
UNKNOWN_TIMEZONE = Localized(
    "“{name}” is not a time zone I know. Use an IANA name such as Asia/Shanghai or Europe/Berlin.",
    "不认识时区“{name}”。请使用 IANA 名称，例如 Asia/Shanghai 或 Europe/Berlin。",
)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A repeating time of day, every day or on one weekday, in a time zone."""

    at: time
    weekday: int | None
    timezone: str

    def describe(self) -> str:
        """The expression that produces this recurrence, e.g. `weekly mon 20:00`."""
        clock = self.at.strftime("%H:%M")
        if self.weekday is None:
            return f"daily {clock}"
        return f"weekly {WEEKDAYS[self.weekday]} {clock}"

    def next_after(self, moment: datetime) -> datetime:
        """The first occurrence strictly after `moment` (UTC-aware in, UTC-aware out)."""
        zone = ZoneInfo(self.timezone)
        local_day = moment.astimezone(zone).date()
        for offset in range(0, 9):
            day = local_day + timedelta(days=offset)
            if self.weekday is not None and day.weekday() != self.weekday:
                continue
            candidate = datetime.combine(day, self.at, tzinfo=zone)
            if candidate > moment:
                return candidate.astimezone(moment.tzinfo)
        raise AssertionError("a weekly recurrence always occurs within 8 days")


@dataclass(frozen=True, slots=True)
class When:
    """When to post first, and how it repeats (None for a one-off)."""

    first: datetime
    recurrence: Recurrence | None
    rest: str


def zone_named(name: str) -> ZoneInfo:
    """The time zone called `name` (any letter case), or a `UserError` saying how to name one."""
    cleaned = name.strip()
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]{1,64}", cleaned) or ".." in cleaned:
        raise UserError(UNKNOWN_TIMEZONE, name=cleaned[:64])
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a folder of the database such as "Asia" or "America" is not a zone.
        canonical = _zone_names_by_folded_case().get(cleaned.casefold())
    if canonical is None:
        raise UserError(UNKNOWN_TIMEZONE, name=cleaned[:64])
    return ZoneInfo(canonical)


@functools.cache
def _zone_names_by_folded_case() -> dict[str, str]:
    """Every IANA zone name keyed by its case-folded spelling (read once, on first need)."""
    return {zone.casefold(): zone for zone in zoneinfo.available_timezones()}


def parse_when(text: str, timezone: str, now: datetime) -> When:
    """Read a schedule expression at the start of `text`; the remainder is returned as `rest`."""
    text = text.strip()
    zone = zone_named(timezone)
    if match := _IN.match(text):
        delay = parse_duration(match.group(1))
        if delay is None or delay <= timedelta(0):
            raise UserError(NOT_A_TIME, text=match.group(0)[:60])
        if delay > LONGEST_AHEAD:
            raise UserError(TOO_FAR)
        return _checked(When(now + delay, None, text[match.end() :]), now)
    if match := _DATE_TIME.match(text):
        year, month, day = (int(match.group(i)) for i in (1, 2, 3))
        try:
            local_day = date(year, month, day)
        except ValueError:
            raise UserError(NOT_A_TIME, text=match.group(0)) from None
        at = _clock(match.group(4), match.group(5))
        first = datetime.combine(local_day, at, tzinfo=zone).astimezone(now.tzinfo)
        return _checked(When(first, None, text[match.end() :]), now, match.group(0))
    if match := _DAY_TIME.match(text):
        local_day = now.astimezone(zone).date()
        if match.group(1).lower() == "tomorrow":
            local_day += timedelta(days=1)
        at = _clock(match.group(2), match.group(3))
        first = datetime.combine(local_day, at, tzinfo=zone).astimezone(now.tzinfo)
        return _checked(When(first, None, text[match.end() :]), now, match.group(0))
    if match := _DAILY.match(text):
        rule = Recurrence(_clock(match.group(1), match.group(2)), None, timezone)
        return When(rule.next_after(now), rule, text[match.end() :])
    if match := _WEEKLY.match(text):
        weekday = WEEKDAYS.index(match.group(1).lower()[:3])
        rule = Recurrence(_clock(match.group(2), match.group(3)), weekday, timezone)
        return When(rule.next_after(now), rule, text[match.end() :])
    raise UserError(NOT_A_TIME, text=text[:60])


def parse_recurrence(expression: str, timezone: str) -> Recurrence:
    """Read back a stored recurrence (`daily 09:00` or `weekly mon 20:00`)."""
    if match := _DAILY.fullmatch(expression):
        return Recurrence(_clock(match.group(1), match.group(2)), None, timezone)
    if match := _WEEKLY.fullmatch(expression):
        weekday = WEEKDAYS.index(match.group(1).lower()[:3])
        return Recurrence(_clock(match.group(2), match.group(3)), weekday, timezone)
    raise ValueError(f"not a recurrence: {expression!r}")


def _clock(hour: str, minute: str) -> time:
    if int(hour) > 23 or int(minute) > 59:
        raise UserError(BAD_CLOCK_TIME, hour=hour, minute=minute)
    return time(int(hour), int(minute))


def _checked(when: When, now: datetime, typed: str | None = None) -> When:
    if when.first <= now:
        raise UserError(IN_THE_PAST, when=typed or when.first.isoformat(timespec="minutes"))
    if when.first - now > LONGEST_AHEAD:
        raise UserError(TOO_FAR)
    return when
