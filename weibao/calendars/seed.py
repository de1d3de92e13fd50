"""Seeding the calendar from the `chinesecalendar` package (import name `chinese_calendar`),
which carries the State Council schedules of the years it covers (2004–2026 in 1.11.0).

Used by the data migration (with historical models from `apps.get_model`), by the
`calendar_seed` command, and by the benchmark to build an index without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import chinese_calendar

from .choices import MAKEUP_DAY_NAME, CalendarSource

#: The package's English holiday names in Chinese.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

SEED_NOTE = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()


def package_years() -> range:
    """The years whose whole schedule the installed package holds."""
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    return range(first, last + 1)


def holiday_name_zh(english: str) -> str:
    """The Chinese name of one of the package's holidays (the English one if unknown)."""
    return HOLIDAY_NAMES_ZH.get(english, english)


def package_days(year: int) -> Iterator[tuple[dt.date, bool, str]]:
    """Every day of `year` as (date, is working day, name), from the package's data."""
    if year not in package_years():
        raise ValueError(f"chinesecalendar has no schedule for {year}")
    holidays = chinese_calendar.holidays
    workdays = chinese_calendar.workdays
    day = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    while day.year == year:
        if day in workdays:
            yield day, True, MAKEUP_DAY_NAME if day.weekday() >= 5 else ""
        elif day in holidays:
            yield day, False, holiday_name_zh(holidays[day])
        else:
            yield day, day.weekday() < 5, ""
        day += one


def seed_years(
    day_model: Any,
    year_model: Any,
    *,
    years: Iterable[int] | None = None,
    batch_size: int = 1000,
) -> list[int]:
    """Write the package's schedule for `years` (default: all it covers) that are not yet
    known; return the years written. Works with real and historical (migration) models.

    Uses bulk_create, so no change-log rows are written for the ~365 days of each year.
    """
    wanted = sorted(package_years() if years is None else years)
    present = set(year_model.objects.filter(year__in=wanted).values_list("year", flat=True))
    todo = [year for year in wanted if year not in present]
    if not todo:
        return []
    # Stale day rows of a forgotten year are replaced, never duplicated.
    day_model.objects.filter(date__year__in=todo).delete()
    rows = [
        day_model(date=day, is_working_day=working, name=name, source=CalendarSource.SEED.value)
        for year in todo
        for day, working, name in package_days(year)
    ]
    day_model.objects.bulk_create(rows, batch_size=batch_size)
    year_model.objects.bulk_create(
        [
            year_model(year=year, source=CalendarSource.SEED.value, official=True, note=SEED_NOTE)
            for year in todo
        ]
    )
    return todo


def unseed_years(day_model: Any, year_model: Any, *, years: Iterable[int]) -> None:
    """Forget `years` (the reverse of `seed_years`)."""
    years = list(years)
    day_model.objects.filter(date__year__in=years).delete()
    year_model.objects.filter(year__in=years).delete()


def package_index(years: Iterable[int] | None = None):
    """A `WorkdayIndex` built straight from the package (no database), e.g. for benchmarks."""
    from .workdays import build_index

    wanted = list(package_years() if years is None else years)
    rows = ((day, working) for year in wanted for day, working, _name in package_days(year))
    return build_index(wanted, rows, stamp="chinesecalendar")
