"""Schedule expressions, read in the chat's time zone, in English or Chinese.

`in 2h`, `in 90 minutes`, `2小时后`, `2026-12-01 09:00`, `tomorrow 09:00`, `明天 09:00`,
`daily 09:00`, `每天 09:00`, `weekly mon 20:00`, `每周一 20:00`. The expression may stand
anywhere among the other words of a command (`find_when`).
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UserError
from bot.i18n import Locale, Localized

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ZH_WEEKDAYS = "一二三四五六日"
LONGEST_AHEAD = timedelta(days=366)

_END = r"(?=\s|$)"
_CLOCK = (
    r"(?:(?P<hour>\d{1,2})\s*[:：]\s*(?P<minute>\d{2})"
    r"|(?P<period>上午|早上|中午|下午|晚上)?\s*(?P<zh_hour>\d{1,2})\s*点"
    r"(?:\s*(?P<zh_minute>\d{1,2})\s*分|(?P<half>半))?)" + _END
)
"""`09:00`, `09：00`, or the Chinese way: `9点`, `9点30分`, `9点半`, `晚上8点`."""
_AFTERNOON = frozenset({"中午", "下午", "晚上"})
_DAY_NAMES = (
    "mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?"
    "|sun(?:day)?"
)
_ZH_DAY = r"(?:周|星期|礼拜)(?P<zh_day>[一二三四五六日天1-7])"
_EN_UNITS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 604800),
}
_ZH_UNITS = {"秒": 1, "分": 60, "时": 3600, "头": 3600, "天": 86400, "日": 86400, "周": 604800}
_ZH_UNIT = r"(?:秒钟?|分钟?|个?小时|个?钟头|天|日|周|个?星期|个?礼拜)"
_AMOUNT = re.compile(r"(\d{1,12})\s*([a-z]+|" + _ZH_UNIT + ")", re.IGNORECASE)

_IN = re.compile(
    r"in\s+(?P<amounts>\d{1,12}\s*[a-z]+(?:\s*(?:and\s+)?\d{1,12}\s*[a-z]+)*)" + _END,
    re.IGNORECASE,
)
_ZH_IN = re.compile(
    rf"(?P<amounts>\d{{1,12}}\s*{_ZH_UNIT}(?:\s*\d{{1,12}}\s*{_ZH_UNIT})*)\s*[之以]?后"
)
_DATE_TIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:\s+|T|\s*)" + _CLOCK
)
_DAY_TIME = re.compile(r"(?P<day>today|tomorrow|今天|明天|后天)\s*" + _CLOCK, re.IGNORECASE)
_DAILY = re.compile(r"(?:daily|every\s+day|每天|每日)\s*" + _CLOCK, re.IGNORECASE)
_WEEKLY = re.compile(
    rf"(?:weekly|every)\s+(?:(?P<day>{_DAY_NAMES})|{_ZH_DAY})\s*" + _CLOCK, re.IGNORECASE
)
_ZH_WEEKLY = re.compile(r"每(?:个)?(?:周|星期|礼拜)(?P<zh_day>[一二三四五六日天1-7])\s*" + _CLOCK)
_NO_CLOCK = re.compile(
    rf"(?P<word>today|tomorrow|daily|weekly\s+(?:{_DAY_NAMES})|今天|明天|后天|每天|每日"
    r"|每周[一二三四五六日天])" + _END,
    re.IGNORECASE,
)
_BAD_WEEKDAY = re.compile(r"(?:weekly|每周)\s*(?P<word>\S+)", re.IGNORECASE)
_NO_DAY = re.compile(_CLOCK)
"""A time of day with no day before it (`9:00`, `下午3点`)."""
_DAYS_AHEAD = {"today": 0, "今天": 0, "tomorrow": 1, "明天": 1, "后天": 2}

NOT_A_TIME = Localized(
    "I can't find when to post in “{text}”. Use one of: in 2h, in 90 minutes, tomorrow 09:00,"
    " 2026-12-01 09:00, daily 09:00, weekly mon 20:00.",
    "在“{text}”中找不到发布时间。可用的写法：2小时后、90分钟后、明天 09:00、2026-12-01 09:00、"
    "每天 09:00、每周一 20:00。",
)
NOT_A_DELAY = Localized(
    "I can't read “{text}” as a delay. Write it like in 30m, in 2h, in 1h30m or in 90 minutes.",
    "无法把“{text}”理解为一段时间。请写成 30分钟后、2小时后 或 1小时30分钟后 这样的形式。",
)
RIGHT_NOW = Localized(
    "“{text}” is right now, not later. To post now, use /post; to schedule, give a delay such"
    " as in 30m.",
    "“{text}”就是现在，不是以后。现在发布请用 /post；要安排发布，请给出一段时间，例如 30分钟后。",
)
NEEDS_CLOCK = Localized(
    "“{word}” needs a time of day too, like {word} 09:00.",
    "“{word}”还需要写上时刻，例如 {word} 09:00。",
)
NEEDS_DAY = Localized(
    "“{clock}” needs a day too, like tomorrow {clock} or daily {clock}.",
    "“{clock}”还需要写上日期，例如 明天 {clock} 或 每天 {clock}。",
)
BAD_WEEKDAY = Localized(
    "“{word}” is not a day of the week: write mon, tue … sun, like weekly mon 20:00.",
    "“{word}”不是星期几：请写周一到周日，例如 每周一 20:00。",
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
BAD_DATE = Localized("{text} is not a date on the calendar.", "{text} 不是日历上存在的日期。")
UNKNOWN_TIMEZONE = Localized(
    "“{name}” is not a time zone I know. Use an IANA name such as Asia/Shanghai or Europe/Berlin.",
    "不认识时区“{name}”。请使用 IANA 名称，例如 Asia/Shanghai 或 Europe/Berlin。",
)
_DAILY_LABEL = Localized("daily {clock}", "每天 {clock}")
_WEEKLY_LABEL = Localized("weekly {day} {clock}", "每周{day} {clock}")


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A repeating time of day, every day or on one weekday, in a time zone."""

    at: time
    weekday: int | None
    timezone: str

    def describe(self) -> str:
        """The expression that produces this recurrence, e.g. `weekly mon 20:00` (stored)."""
        clock = self.at.strftime("%H:%M")
        if self.weekday is None:
            return f"daily {clock}"
        return f"weekly {WEEKDAYS[self.weekday]} {clock}"

    def label(self, locale: Locale) -> str:
        """How people of `locale` read it: `weekly mon 20:00`, `每周一 20:00`."""
        clock = self.at.strftime("%H:%M")
        if self.weekday is None:
            return _DAILY_LABEL.render(locale, clock=clock)
        day = WEEKDAYS[self.weekday] if locale == "en" else _ZH_WEEKDAYS[self.weekday]
        return _WEEKLY_LABEL.render(locale, day=day, clock=clock)

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
    """The command's other words, without the expression."""


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


_Reader = Callable[[re.Match[str], ZoneInfo, datetime], tuple[datetime, "Recurrence | None"]]


def parse_when(text: str, timezone: str, now: datetime) -> When:
    """Find the schedule expression among the words of `text`; the others are `rest`.

    The first word that starts an expression wins. When none reads as a time, the first
    word that looked like one explains what was wrong with it (`in 0m`, `daily 25:00`).
    """
    zone = zone_named(timezone)
    first_problem: UserError | None = None
    for word in re.finditer(r"\S+", text):
        for pattern, reader in _FORMS:
            match = pattern.match(text, word.start())
            if match is None:
                continue
            try:
                first, rule = reader(match, zone, now)
            except UserError as problem:
                first_problem = first_problem or problem
                continue
            rest = f"{text[: match.start()].strip()} {text[match.end() :].strip()}".strip()
            return When(first, rule, rest)
    if first_problem is not None:
        raise first_problem
    raise UserError(NOT_A_TIME, text=" ".join(text.split())[:80])


def parse_recurrence(expression: str, timezone: str) -> Recurrence:
    """Read back a stored recurrence (`daily 09:00` or `weekly mon 20:00`)."""
    zone = zone_named(timezone)
    for pattern in (_DAILY, _WEEKLY):
        if (match := pattern.fullmatch(expression)) is not None:
            return _recurrence(match, zone)
    raise ValueError(f"not a recurrence: {expression!r}")


def _read_delay(match: re.Match[str], zone: ZoneInfo, now: datetime) -> tuple[datetime, None]:
    seconds = 0
    for amount in _AMOUNT.finditer(match.group("amounts")):
        size = _unit_seconds(amount.group(2))
        if size is None:
            raise UserError(NOT_A_DELAY, text=match.group(0)[:60])
        seconds += int(amount.group(1)) * size
    if seconds == 0:
        raise UserError(RIGHT_NOW, text=match.group(0)[:60])
    if seconds > LONGEST_AHEAD.total_seconds():
        raise UserError(TOO_FAR)
    return now + timedelta(seconds=seconds), None


def _unit_seconds(unit: str) -> int | None:
    lowered = unit.lower()
    if lowered in _EN_UNITS:
        return _EN_UNITS[lowered]
    if lowered.endswith(("星期", "礼拜")):
        return _ZH_UNITS["周"]
    return _ZH_UNITS.get(lowered.removesuffix("钟")[-1:]) if not lowered.isascii() else None


def _read_date(match: re.Match[str], zone: ZoneInfo, now: datetime) -> tuple[datetime, None]:
    typed = match.group(0)
    try:
        local_day = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise UserError(BAD_DATE, text=typed[:40]) from None
    return _one_off(local_day, match, zone, now), None


def _read_day(match: re.Match[str], zone: ZoneInfo, now: datetime) -> tuple[datetime, None]:
    local_day = now.astimezone(zone).date() + timedelta(days=_DAYS_AHEAD[match["day"].lower()])
    return _one_off(local_day, match, zone, now), None


def _read_recurrence(
    match: re.Match[str], zone: ZoneInfo, now: datetime
) -> tuple[datetime, Recurrence]:
    rule = _recurrence(match, zone)
    return rule.next_after(now), rule


def _recurrence(match: re.Match[str], zone: ZoneInfo) -> Recurrence:
    groups = match.groupdict()
    weekday: int | None = None
    if groups.get("day"):
        weekday = WEEKDAYS.index(groups["day"].lower()[:3])
    elif groups.get("zh_day"):
        weekday = _zh_weekday(groups["zh_day"])
    return Recurrence(_clock(match), weekday, zone.key)


def _zh_weekday(day: str) -> int:
    if day.isdigit():
        return int(day) - 1
    return 6 if day == "天" else _ZH_WEEKDAYS.index(day)


def _no_clock(match: re.Match[str], zone: ZoneInfo, now: datetime) -> tuple[datetime, None]:
    raise UserError(NEEDS_CLOCK, word=" ".join(match["word"].split())[:40])


def _no_day(match: re.Match[str], zone: ZoneInfo, now: datetime) -> tuple[datetime, None]:
    raise UserError(NEEDS_DAY, clock=" ".join(match.group(0).split())[:20])


def _bad_weekday(match: re.Match[str], zone: ZoneInfo, now: datetime) -> tuple[datetime, None]:
    raise UserError(BAD_WEEKDAY, word=match["word"][:20])


def _one_off(local_day: date, match: re.Match[str], zone: ZoneInfo, now: datetime) -> datetime:
    at = _clock(match)
    first = datetime.combine(local_day, at, tzinfo=zone).astimezone(now.tzinfo)
    if first <= now:
        raise UserError(IN_THE_PAST, when=" ".join(match.group(0).split()))
    if first - now > LONGEST_AHEAD:
        raise UserError(TOO_FAR)
    return first


def _clock(match: re.Match[str]) -> time:
    """The time of day a `_CLOCK` match spells (`下午3点` is 15:00)."""
    if match["hour"] is not None:
        hour, minute = match["hour"], match["minute"]
    else:
        hour = match["zh_hour"]
        minute = "30" if match["half"] else match["zh_minute"] or "00"
        if match["period"] in _AFTERNOON and 1 <= int(hour) < 12:
            hour = str(int(hour) + 12)
    if int(hour) > 23 or int(minute) > 59:
        raise UserError(BAD_CLOCK_TIME, hour=hour, minute=minute)
    return time(int(hour), int(minute))


_FORMS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_IN, _read_delay),
    (_ZH_IN, _read_delay),
    (_DATE_TIME, _read_date),
    (_DAY_TIME, _read_day),
    (_DAILY, _read_recurrence),
    (_WEEKLY, _read_recurrence),
    (_ZH_WEEKLY, _read_recurrence),
    (_NO_CLOCK, _no_clock),
    (_BAD_WEEKDAY, _bad_weekday),
    (_NO_DAY, _no_day),
)
