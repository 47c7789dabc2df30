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
        ("someday", "can't read"),
        ("2025-01-01 10:00", "already passed"),
        ("2026-02-30 10:00", "can't read"),
        ("daily 25:00", "not a time of day"),
        ("in 400d", "more than a year"),
        ("in 999999w999999w", "more than a year"),
        ("in 0s", "can't read"),
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
    with pytest.raises(UserError, match="can't read"):
        parse_when("weekly monkey 20:00", "UTC", NOW)
