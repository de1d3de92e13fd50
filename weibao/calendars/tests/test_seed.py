"""The 2004–2026 seed from chinesecalendar, checked against the package and the 2026 notice."""

import datetime as dt

import chinese_calendar
import pytest

from weibao.calendars import seed
from weibao.calendars.models import CalendarDay, CalendarYear

D = dt.date


def test_package_covers_2004_to_2026():
    assert seed.package_years() == range(2004, 2027)


@pytest.mark.django_db
def test_migration_seeds_every_day_of_2004_to_2026():
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))
    assert CalendarDay.objects.count() == (D(2026, 12, 31) - D(2004, 1, 1)).days + 1
    assert set(CalendarYear.objects.values_list("source", "official")) == {("seed", True)}


@pytest.mark.django_db
def test_seeded_days_agree_with_the_package_every_day():
    rows = CalendarDay.objects.values_list("date", "is_working_day")
    mismatches = [d for d, working in rows if working != chinese_calendar.is_workday(d)]
    assert mismatches == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "working", "name"),
    [
        # 元旦: Thu 1 – Sat 3 January off, Sunday 4 January worked.
        (D(2026, 1, 1), False, "元旦"),
        (D(2026, 1, 2), False, "元旦"),
        (D(2026, 1, 3), False, "元旦"),
        (D(2026, 1, 4), True, "调休上班"),
        # 春节: Sun 15 – Mon 23 February off, Saturdays 14 and 28 February worked.
        (D(2026, 2, 14), True, "调休上班"),
        (D(2026, 2, 15), False, "春节"),
        (D(2026, 2, 18), False, "春节"),
        (D(2026, 2, 23), False, "春节"),
        (D(2026, 2, 24), True, ""),
        (D(2026, 2, 28), True, "调休上班"),
        # 国庆节: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
        (D(2026, 9, 20), True, "调休上班"),
        (D(2026, 10, 1), False, "国庆节"),
        (D(2026, 10, 7), False, "国庆节"),
        (D(2026, 10, 8), True, ""),
        (D(2026, 10, 10), True, "调休上班"),
        # ordinary days
        (D(2026, 3, 7), False, ""),
        (D(2026, 3, 9), True, ""),
        # 2015's one-off holiday
        (D(2015, 9, 3), False, "抗战胜利纪念日"),
    ],
)
def test_2026_schedule(day, working, name):
    row = CalendarDay.objects.get(date=day)
    assert (row.is_working_day, row.name) == (working, name)
    assert chinese_calendar.is_workday(day) is working


def test_every_package_holiday_name_has_a_chinese_name():
    names = set(chinese_calendar.holidays.values()) | set(chinese_calendar.workdays.values())
    assert names <= set(seed.HOLIDAY_NAMES_ZH)


def test_package_index_needs_no_database():
    index = seed.package_index([2026])
    assert index.known_years == {2026}
    assert index.days[0] == D(2026, 1, 4)
