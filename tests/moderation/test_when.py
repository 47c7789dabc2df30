from datetime import UTC, datetime

import pytest

from bot.errors import UserError
from handlers.moderation.when import parse_recurrence, parse_when, zone_named

NOW = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # a Friday, two days before Europe's DST change


def test_relative_and_absolute_times_in_the_chat_zone():
    assert parse_when("in 2h #news", "UTC", NOW).first == datetime(2026, 3, 27, 14, tzinfo=UTC)
    when = parse_when("2026-12-01 09:00 rest here", "Asia/Shanghai", NOW)
    assert (
        when.first == datetime(2026, 12, 1, 1, 0, tzinfo=UTC) and when.rest.strip() == "rest here"
    )
    when = parse_when("tomorrow 09:00", "Asia/Shanghai", NOW)
    assert when.first == datetime(2026, 3, 28, 1, 0, tzinfo=UTC) and when.recurrence is None


def test_daily_and_weekly_recurrences():
    when = parse_when("daily 09:00", "Asia/Shanghai", NOW)
    assert when.first == datetime(2026, 3, 28, 1, 0, tzinfo=UTC)
    assert when.recurrence.describe() == "daily 09:00"
    when = parse_when("weekly monday 20:00 #news", "UTC", NOW)
    assert when.first == datetime(2026, 3, 30, 20, 0, tzinfo=UTC)
    assert when.recurrence.describe() == "weekly mon 20:00" and when.rest.strip() == "#news"


def test_recurrence_follows_daylight_saving_time():
    rule = parse_recurrence("daily 09:00", "Europe/Berlin")
    first = rule.next_after(NOW)  # Saturday 28th, still CET (UTC+1)
    assert first == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    second = rule.next_after(first)  # Sunday 29th after the change: CEST (UTC+2)
    assert second == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("someday", "can't find when to post in “someday”"),
        ("2025-01-01 10:00", "already passed"),
        ("2026-02-30 10:00", "not a date on the calendar"),
        ("daily 25:00", "not a time of day"),
        ("in 400d", "more than a year"),
        ("in 999999w999999w", "more than a year"),
        ("in 99999999h", "more than a year"),
        ("1000000000天后", "more than a year"),
        ("in 0s", "“in 0s” is right now"),
        ("9:00", "“9:00” needs a day too, like tomorrow 9:00"),
        ("下午3点 #news", "“下午3点” needs a day too"),
    ],
)
def test_bad_times_are_explained(text, message):
    with pytest.raises(UserError) as caught:
        parse_when(text, "UTC", NOW)
    assert message in caught.value.render("en")
    assert caught.value.render("zh") != caught.value.render("en")


def test_time_zone_names_are_validated():
    assert zone_named("Asia/Shanghai").key == "Asia/Shanghai"
    for bad in ("Mars/Olympus", "../../etc/passwd", "", "Asia/Shanghai; DROP"):
        with pytest.raises(UserError, match="not a time zone"):
            zone_named(bad)


def test_a_folder_of_the_zone_database_is_refused_clearly_and_case_is_forgiven():
    for folder in ("Asia", "America", "Etc"):
        with pytest.raises(UserError, match="not a time zone"):
            zone_named(folder)
    assert zone_named("asia/shanghai").key == "Asia/Shanghai"
    assert zone_named("EUROPE/BERLIN").key == "Europe/Berlin"


def test_weekday_names_must_be_real():
    assert (
        parse_when("weekly tuesday 08:00", "UTC", NOW).recurrence.describe() == "weekly tue 08:00"
    )
    with pytest.raises(UserError, match="“monkey” is not a day of the week"):
        parse_when("weekly monkey 20:00", "UTC", NOW)
    with pytest.raises(UserError, match="“八” is not a day of the week"):
        parse_when("每周八 20:00", "UTC", NOW)


@pytest.mark.parametrize(
    ("text", "first", "rule"),
    [
        ("明天 09:00", datetime(2026, 3, 28, 1, 0, tzinfo=UTC), None),
        ("明天09:00", datetime(2026, 3, 28, 1, 0, tzinfo=UTC), None),
        ("后天 10：30", datetime(2026, 3, 29, 2, 30, tzinfo=UTC), None),
        ("2小时后", datetime(2026, 3, 27, 14, 0, tzinfo=UTC), None),
        ("90分钟后", datetime(2026, 3, 27, 13, 30, tzinfo=UTC), None),
        ("1小时30分钟后", datetime(2026, 3, 27, 13, 30, tzinfo=UTC), None),
        ("in 90 minutes", datetime(2026, 3, 27, 13, 30, tzinfo=UTC), None),
        ("in 1 hour 30 minutes", datetime(2026, 3, 27, 13, 30, tzinfo=UTC), None),
        ("每天 09:00", datetime(2026, 3, 28, 1, 0, tzinfo=UTC), "daily 09:00"),
        ("每周一 20:00", datetime(2026, 3, 30, 12, 0, tzinfo=UTC), "weekly mon 20:00"),
        ("每星期日 20:00", datetime(2026, 3, 29, 12, 0, tzinfo=UTC), "weekly sun 20:00"),
        ("weekly 周一 20:00", datetime(2026, 3, 30, 12, 0, tzinfo=UTC), "weekly mon 20:00"),
    ],
)
def test_chinese_and_spelled_out_times_in_the_chat_zone(text, first, rule):
    when = parse_when(text, "Asia/Shanghai", NOW)
    assert when.first == first and when.rest == ""
    assert (when.recurrence.describe() if when.recurrence else None) == rule


def test_the_time_may_stand_anywhere_among_the_other_words():
    when = parse_when("#news short 明天 09:00 pin", "UTC", NOW)
    assert when.first == datetime(2026, 3, 28, 9, 0, tzinfo=UTC) and when.rest == "#news short pin"
    when = parse_when("meet in the hall in 2h", "UTC", NOW)  # "in the" is no time: read on
    assert when.first == datetime(2026, 3, 27, 14, 0, tzinfo=UTC)
    assert when.rest == "meet in the hall"


def test_a_zero_delay_says_it_is_now_and_a_recurrence_reads_in_each_language():
    for text in ("in 0m", "0分钟后"):
        with pytest.raises(UserError) as caught:
            parse_when(text, "UTC", NOW)
        assert "right now" in caught.value.render("en") and "/post" in caught.value.render("zh")
    rule = parse_when("weekly mon 20:00", "UTC", NOW).recurrence
    assert rule.label("zh") == "每周一 20:00" and rule.label("en") == "weekly mon 20:00"


@pytest.mark.parametrize(
    ("text", "first", "rule"),
    [
        ("明天9点", datetime(2026, 3, 28, 1, 0, tzinfo=UTC), None),
        ("明天上午9点半", datetime(2026, 3, 28, 1, 30, tzinfo=UTC), None),
        ("每天晚上8点", datetime(2026, 3, 28, 12, 0, tzinfo=UTC), "daily 20:00"),
        ("每周一下午3点30分", datetime(2026, 3, 30, 7, 30, tzinfo=UTC), "weekly mon 15:30"),
    ],
)
def test_chinese_clock_times(text, first, rule):
    when = parse_when(text, "Asia/Shanghai", NOW)
    assert when.first == first
    assert (when.recurrence.describe() if when.recurrence else None) == rule


@pytest.mark.parametrize("text", ["tomorrow", "明天", "每周一", "weekly mon", "daily"])
def test_a_day_without_a_time_of_day_asks_for_one(text):
    with pytest.raises(UserError) as caught:
        parse_when(f"summary {text}", "UTC", NOW)
    assert f"{text} 09:00" in caught.value.render("en")
    assert "还需要写上时刻" in caught.value.render("zh")
