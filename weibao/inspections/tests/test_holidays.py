"""Festival dates come from the lunar calendar; the holiday period from the working-day
calendar (pure functions, no database)."""

import datetime as dt

import pytest

from weibao.inspections import holidays
from weibao.inspections.choices import Holiday

D = dt.date


@pytest.mark.parametrize(
    "holiday, year, expected",
    [
        (Holiday.NEW_YEAR, 2026, D(2026, 1, 1)),
        (Holiday.SPRING_FESTIVAL, 2026, D(2026, 2, 17)),  # 正月初一
        (Holiday.SPRING_FESTIVAL, 2027, D(2027, 2, 6)),
        (Holiday.MAY_DAY, 2026, D(2026, 5, 1)),
        (Holiday.MID_AUTUMN, 2026, D(2026, 9, 25)),  # 八月十五
        (Holiday.MID_AUTUMN, 2025, D(2025, 10, 6)),
        (Holiday.MID_AUTUMN, 2027, D(2027, 9, 15)),
        (Holiday.NATIONAL_DAY, 2026, D(2026, 10, 1)),
    ],
)
def test_festival_dates_are_computed(holiday, year, expected):
    assert holidays.festival_date(holiday, year) == expected


def _days(first: dt.date, last: dt.date, off: set, named: dict | None = None, makeup=()):
    days, day = {}, first
    while day <= last:
        working = (day.weekday() < 5 or day in makeup) and day not in off
        days[day] = (working, (named or {}).get(day, ""))
        day += dt.timedelta(days=1)
    return days


def test_period_starts_at_the_first_day_off_of_the_run_holding_the_festival():
    # 2026 Spring Festival: 15–23 February off, Saturday 14 February a make-up working day
    off = {D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)}
    days = _days(D(2026, 2, 1), D(2026, 3, 5), off, makeup={D(2026, 2, 14)})
    period = holidays.holiday_period(Holiday.SPRING_FESTIVAL, 2026, days)
    assert period.first_day_off == D(2026, 2, 15)
    assert period.official


def test_weekend_before_the_holiday_belongs_to_the_period():
    # a Monday New Year's Day (2024): Saturday and Sunday before it are days off too
    days = _days(D(2023, 12, 15), D(2024, 1, 15), {D(2024, 1, 1)})
    assert holidays.holiday_period(Holiday.NEW_YEAR, 2024, days).first_day_off == D(2023, 12, 30)


def test_festival_on_a_working_day_uses_the_named_days_off_nearby():
    # a made-up schedule: Mid-Autumn (2027-09-15, Wednesday) observed 17–19 September
    off = {D(2027, 9, 17), D(2027, 9, 18), D(2027, 9, 19)}
    named = {d: "中秋节" for d in off}
    days = _days(D(2027, 9, 1), D(2027, 9, 30), off, named)
    assert holidays.holiday_period(Holiday.MID_AUTUMN, 2027, days).first_day_off == D(2027, 9, 17)


def test_unknown_year_is_estimated_from_the_festival():
    period = holidays.holiday_period(Holiday.SPRING_FESTIVAL, 2027, None)
    assert period.first_day_off == D(2027, 2, 6)
    assert not period.official
