"""The working-day calendar of Kazakhstan and protocol deadlines (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import yaml
from django.utils import translation

from cases.calendar import (
    HOLIDAYS_FILE,
    TZ,
    WORKDAY_END,
    Duration,
    DurationError,
    add_working_days,
    due_at,
    holidays,
    is_working_day,
    parse_duration,
)

FIXED = [(1, 1), (1, 2), (1, 7), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9), (7, 6), (8, 30),
         (10, 25), (12, 16)]  # fmt: skip
KURBAN_AIT = {
    2024: date(2024, 6, 16),
    2025: date(2025, 6, 6),
    2026: date(2026, 5, 27),
    2027: date(2027, 5, 16),
    2028: date(2028, 5, 5),
    2029: date(2029, 4, 24),
    2030: date(2030, 4, 13),
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


# --- days off -------------------------------------------------------------------------------


def test_weekends_are_not_working_days():
    assert is_working_day(date(2026, 2, 13))  # Friday
    assert not is_working_day(date(2026, 2, 14))  # Saturday
    assert not is_working_day(date(2026, 2, 15))  # Sunday
    assert is_working_day(date(2026, 2, 16))  # Monday
    assert not holidays(2026) & {date(2026, 2, 14), date(2026, 2, 15)}  # weekends are not listed


@pytest.mark.parametrize("year", range(2024, 2031))
@pytest.mark.parametrize(("month", "day"), FIXED)
def test_every_fixed_holiday_is_a_day_off(year, month, day):
    holiday = date(year, month, day)
    assert not is_working_day(holiday)
    assert (holiday in holidays(year)) == (holiday.weekday() < 5)


@pytest.mark.parametrize(("year", "day"), KURBAN_AIT.items())
def test_kurban_ait_is_a_day_off_and_never_moves(year, day):
    assert not is_working_day(day)
    assert (day in holidays(year)) == (day.weekday() < 5)
    if day.weekday() >= 5:
        following_monday = day + timedelta(days=7 - day.weekday())
        assert is_working_day(following_monday)


def test_kurban_ait_2024_was_on_sunday_16_june_and_17_june_was_worked():
    assert date(2024, 6, 16).weekday() == 6
    assert is_working_day(date(2024, 6, 17))


def test_orthodox_christmas_on_a_weekend_does_not_move():
    assert date(2024, 1, 7).weekday() == 6
    assert is_working_day(date(2024, 1, 8))
    assert not is_working_day(date(2025, 1, 7))  # Tuesday


def test_nauryz_2026_saturday_to_monday_gives_five_days_off():
    # 21 March 2026 is a Saturday: Sat 21 and Sun 22 move to Tue 24 and Wed 25.
    assert date(2026, 3, 21).weekday() == 5
    assert [is_working_day(date(2026, 3, d)) for d in range(20, 27)] == [True, False, False, False, False, False, True]
    assert {date(2026, 3, 23), date(2026, 3, 24), date(2026, 3, 25)} <= holidays(2026)


def test_a_single_weekend_holiday_moves_to_monday():
    assert date(2024, 7, 6).weekday() == 5  # Capital Day 2024 on a Saturday
    assert not is_working_day(date(2024, 7, 8))
    assert date(2027, 1, 2).weekday() == 5  # New Year's second day 2027
    assert not is_working_day(date(2027, 1, 4))
    assert is_working_day(date(2027, 1, 5))


def test_transfers_ordered_by_the_ministry_of_labour():
    # 2024: from Saturday 4 May to Wednesday 8 May.
    assert is_working_day(date(2024, 5, 4))
    assert not is_working_day(date(2024, 5, 8))
    # 2025: from Sunday 5 January to Friday 3 January.
    assert is_working_day(date(2025, 1, 5))
    assert not is_working_day(date(2025, 1, 3))


def test_official_days_off_2025_and_2026():
    assert holidays(2025) == {
        date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3), date(2025, 1, 7), date(2025, 3, 10),
        date(2025, 3, 21), date(2025, 3, 24), date(2025, 3, 25), date(2025, 5, 1), date(2025, 5, 7),
        date(2025, 5, 9), date(2025, 6, 6), date(2025, 7, 7), date(2025, 9, 1), date(2025, 10, 27),
        date(2025, 12, 16),
    }  # fmt: skip
    assert holidays(2026) == {
        date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 7), date(2026, 3, 9), date(2026, 3, 23),
        date(2026, 3, 24), date(2026, 3, 25), date(2026, 5, 1), date(2026, 5, 7), date(2026, 5, 11),
        date(2026, 5, 27), date(2026, 7, 6), date(2026, 8, 31), date(2026, 10, 26), date(2026, 12, 16),
    }  # fmt: skip


def test_holidays_returns_a_fresh_set():
    holidays(2026).add(date(2026, 2, 10))
    assert is_working_day(date(2026, 2, 10))


def test_holiday_data_covers_2024_to_2030():
    data = yaml.safe_load(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    assert set(data["kurban_ait"]) == set(range(2024, 2031))
    assert set(data["transfers"]) == set(range(2024, 2031))
    assert sorted((h["month"], h["day"]) for h in data["fixed"]) == sorted(FIXED)
    assert {(h["month"], h["day"]) for h in data["fixed"] if not h["moves"]} == {(1, 7)}
    assert all(h["name_kk"] and h["name_ru"] and h["name_en"] for h in data["fixed"])


def test_is_working_day_refuses_a_datetime():
    with pytest.raises(TypeError):
        is_working_day(at(2026, 2, 13, 12))


# --- working days ---------------------------------------------------------------------------


def test_add_working_days():
    assert add_working_days(date(2026, 2, 13), 0) == date(2026, 2, 13)
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 16)  # Friday -> Monday
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 16)  # Saturday -> Monday
    assert add_working_days(date(2026, 3, 20), 1) == date(2026, 3, 26)  # over Nauryz
    with pytest.raises(ValueError):
        add_working_days(date(2026, 2, 13), -1)


# --- durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days", "seconds", "weeks"),
    [
        ("PT1H", 0, 3600, 0),
        ("PT24H", 0, 86400, 0),
        ("PT30M", 0, 1800, 0),
        ("P1D", 1, 0, 0),
        ("P2W", 14, 0, 2),
        ("P1DT12H", 1, 43200, 0),
        ("pt3h", 0, 10800, 0),
    ],
)
def test_parse_duration(text, days, seconds, weeks):
    duration = parse_duration(text)
    assert (duration.days, duration.seconds, duration.weeks) == (days, seconds, weeks)
    assert duration.text == text.upper()
    assert duration.timedelta == timedelta(days=days, seconds=seconds)


def test_working_days_of_a_duration():
    assert parse_duration("P3D").working_days == 3
    assert parse_duration("P2W").working_days == 10
    assert parse_duration("P1W2D").working_days == 7
    with pytest.raises(DurationError, match="whole days"):
        _ = parse_duration("PT4H").working_days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("P1M", "years or months"),
        ("P1Y", "years or months"),
        ("P1Y2D", "years or months"),
        ("PT0S", "is zero"),
        ("P0D", "is zero"),
        ("abc", "not an ISO-8601 duration"),
        ("", "not an ISO-8601 duration"),
        ("P", "not an ISO-8601 duration"),
        ("PT", "not an ISO-8601 duration"),
        ("P1DT", "not an ISO-8601 duration"),
        ("P1.5D", "not an ISO-8601 duration"),
        ("-P1D", "not an ISO-8601 duration"),
        ("P99999D", "longer than"),
    ],
)
def test_bad_durations_are_refused_with_a_clear_message(text, message):
    with pytest.raises(DurationError, match=message):
        parse_duration(text)


def test_a_duration_must_be_text():
    with pytest.raises(DurationError, match="must be a text"):
        parse_duration(3)  # type: ignore[arg-type]


# --- due_at ---------------------------------------------------------------------------------


def test_friday_evening_plus_one_working_day_is_monday_end_of_day():
    assert due_at(at(2026, 2, 13, 19, 30), "P1D", "working_days") == at(2026, 2, 16, 18, 0)


def test_the_start_day_never_counts_even_in_the_morning():
    assert due_at(at(2026, 2, 16, 8, 0), "P1D", "working_days") == at(2026, 2, 17, 18, 0)


def test_a_start_on_a_weekend_counts_from_the_next_working_day():
    assert due_at(at(2026, 2, 14, 10, 0), "P1D", "working_days") == at(2026, 2, 16, 18, 0)
    assert due_at(at(2026, 2, 15, 23, 0), "P2D", "working_days") == at(2026, 2, 17, 18, 0)


def test_working_days_across_new_year():
    # 1-2 Jan holidays, 3-4 Jan weekend: the 2nd working day after 31 Dec 2025 is Tue 6 Jan.
    assert due_at(at(2025, 12, 31, 10, 0), "P2D", "working_days") == at(2026, 1, 6, 18, 0)
    # 2 Jan 2027 is a Saturday, moved to Mon 4 Jan: the 2nd working day is Wed 6 Jan.
    assert due_at(at(2026, 12, 31, 10, 0), "P2D", "working_days") == at(2027, 1, 6, 18, 0)


def test_working_days_across_a_holiday_week():
    assert due_at(at(2026, 3, 20, 12, 0), "P1D", "working_days") == at(2026, 3, 26, 18, 0)
    assert due_at(at(2026, 3, 20, 12, 0), "P1W", "working_days") == at(2026, 4, 1, 18, 0)


def test_working_days_use_the_local_date_of_the_start():
    # 20:00 UTC on Friday is already 01:00 on Saturday in Almaty.
    start = datetime(2026, 2, 13, 20, 0, tzinfo=UTC)
    assert due_at(start, "P1D", "working_days") == at(2026, 2, 16, 18, 0)
    due = due_at(start, "P1D", "working_days")
    assert due.tzinfo == TZ and due.timetz().replace(tzinfo=None) == WORKDAY_END


def test_hours_on_the_working_days_calendar_are_refused():
    with pytest.raises(DurationError, match="whole days"):
        due_at(at(2026, 2, 13, 12), "PT4H", "working_days")
    with pytest.raises(DurationError, match="whole days"):
        due_at(at(2026, 2, 13, 12), "P1DT2H", "working_days")


def test_24x7_across_midnight_in_almaty():
    assert due_at(at(2026, 3, 24, 23, 30), "PT1H", "24x7") == at(2026, 3, 25, 0, 30)
    assert due_at(at(2026, 12, 31, 22, 0), "PT24H", "24x7") == at(2027, 1, 1, 22, 0)
    # Holidays and weekends do not matter on the 24x7 calendar.
    assert due_at(at(2026, 3, 20, 19, 0), "P1D", "24x7") == at(2026, 3, 21, 19, 0)


def test_24x7_result_is_in_almaty_time_whatever_the_start_zone():
    start = datetime(2026, 5, 1, 18, 45, tzinfo=UTC)  # 23:45 in Almaty (UTC+5)
    due = due_at(start, parse_duration("PT1H"), "24x7")
    assert due.tzinfo == TZ
    assert due.utcoffset() == timedelta(hours=5)
    assert (due.year, due.month, due.day, due.hour, due.minute) == (2026, 5, 2, 0, 45)
    assert due - start == timedelta(hours=1)


def test_due_at_needs_an_aware_start_and_a_known_calendar():
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(datetime(2026, 2, 13, 12), "PT1H", "24x7")
    with pytest.raises(DurationError, match="Unknown calendar"):
        due_at(at(2026, 2, 13, 12), "PT1H", "business")


def test_due_at_accepts_a_parsed_duration():
    assert due_at(at(2026, 2, 13, 12), Duration(text="P1D", days=1, seconds=0), "working_days") == at(2026, 2, 16, 18)
