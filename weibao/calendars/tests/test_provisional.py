"""The provisional mechanism: official where the year is imported, statutory rules beyond."""

import datetime as dt

import pytest

from weibao.calendars import provisional, seed
from weibao.calendars import services as calendar_services
from weibao.calendars.signals import year_imported

D = dt.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2027,
            {
                D(2027, 1, 1): "元旦",
                D(2027, 2, 5): "春节",  # 除夕
                D(2027, 2, 8): "春节",  # 初三
                D(2027, 2, 9): "春节",  # 初一 fell on a Saturday, 除夕 Friday: 补假 Tue–Wed
                D(2027, 2, 10): "春节",
                D(2027, 4, 5): "清明节",
                D(2027, 5, 3): "劳动节",  # 1–2 May are Sat–Sun: 补假 Mon–Tue
                D(2027, 5, 4): "劳动节",
                D(2027, 6, 9): "端午节",
                D(2027, 9, 15): "中秋节",
                D(2027, 10, 1): "国庆节",
                D(2027, 10, 4): "国庆节",  # 2–3 October are Sat–Sun
                D(2027, 10, 5): "国庆节",
            },
        ),
    ],
)
def test_statutory_days_off_follow_the_2024_rules(year, expected):
    days = provisional.statutory_days_off(year)
    for day, name in expected.items():
        assert days.get(day) == name, day
    assert D(2027, 2, 6) in days and D(2027, 2, 7) in days  # weekend days of the block


def test_statutory_rules_reproduce_every_holiday_of_2025_and_2026():
    """The statutory holidays are all days off in the published schedules (no 调休 assumed)."""
    import chinese_calendar

    for year in (2025, 2026):
        for day in provisional.statutory_days_off(year):
            if day.weekday() < 5 and day not in {D(2025, 1, 1)}:
                assert day in chinese_calendar.holidays or day.year != year, day


def test_official_years_answer_without_provisional_years(db):
    assert provisional.add_working_days(D(2026, 9, 30), 1) == (D(2026, 10, 8), frozenset())
    assert not provisional.add_working_days(D(2026, 9, 30), 1).provisional


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 11, 29), 30, D(2027, 1, 11)),  # 24 in 2026; 1 January 2027 off
        (D(2026, 11, 29), 60, D(2027, 2, 26)),  # 春节 5–10 February off (8–10 补假)
        (D(2026, 12, 31), 0, D(2026, 12, 31)),
    ],
)
def test_counts_into_an_unimported_year_are_provisional(db, start, n, due):
    result = provisional.add_working_days(start, n)
    assert result.date == due
    assert result.provisional_years == (frozenset({2027}) if n else frozenset())
    assert provisional.working_days_between(start, due) == (n, result.provisional_years)


def test_import_sends_year_imported_inside_the_transaction(db, schedule_2027):
    seen = []

    def receiver(sender, *, year, actor, **kwargs):
        seen.append((year, provisional.add_working_days(D(2026, 12, 31), 1)))

    year_imported.connect(receiver, dispatch_uid="test.provisional")
    try:
        calendar_services.import_year(2027, schedule_2027, actor=None)
    finally:
        year_imported.disconnect(dispatch_uid="test.provisional")
    assert seen == [(2027, (D(2027, 1, 4), frozenset()))]
    assert 2027 not in seed.package_years()
