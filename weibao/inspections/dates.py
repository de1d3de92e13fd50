"""Placing visits on working days with the working-day calendar, and estimating when the
calendar does not know the year yet — through the one provisional mechanism of
`weibao.calendars.provisional` (statutory holiday rules, SLA-7), as repairs do. Each
function answers (date, missing year): the missing year is None when the answer rests on an
imported schedule, else the year whose schedule it waits for (the visit is then
provisional)."""

from __future__ import annotations

import datetime as dt

from weibao.calendars import provisional, workdays
from weibao.calendars.models import CalendarDay
from weibao.inspections import holidays

Placed = tuple[dt.date, int | None]


def working_day_near(day: dt.date, *, not_after: dt.date | None = None) -> Placed:
    """`day` if it is a working day, else the next one (or the previous one when the next
    would leave the period ending `not_after`)."""
    working, estimated = provisional.is_working_day(day)
    if working:
        return day, day.year if estimated else None
    after = provisional.add_working_days(day, 1)
    if not_after is None or after.date <= not_after:
        return after.date, provisional.first_provisional_year(after.provisional_years)
    before = provisional.add_working_days(day, -1)
    return before.date, provisional.first_provisional_year(before.provisional_years)


def working_days_before(day: dt.date, n: int) -> Placed:
    """The n-th working day before `day`."""
    reckoning = provisional.add_working_days(day, -n)
    return reckoning.date, provisional.first_provisional_year(reckoning.provisional_years)


def holiday_period(holiday: str, year: int) -> holidays.HolidayPeriod:
    """The holiday period as the calendar records it (estimated when the year is unknown)."""
    festival = holidays.festival_date(holiday, year)
    if year not in workdays.known_years():
        return holidays.holiday_period(holiday, year, None)
    radius = dt.timedelta(days=holidays.SEARCH_DAYS + 15)
    rows = CalendarDay.objects.filter(
        date__range=(festival - radius, festival + radius)
    ).values_list("date", "is_working_day", "name")
    days = {day: (working, name) for day, working, name in rows}
    return holidays.holiday_period(holiday, year, days)


def pre_holiday_groups(start: dt.date, end: dt.date) -> list[list[holidays.HolidayPeriod]]:
    """The holiday periods whose first day off falls in [start, end], holidays sharing one
    period (国庆节 and 中秋节 in 2025) grouped, in date order; the first of each group in
    `Holiday` order names the visit."""
    from weibao.inspections.choices import Holiday

    by_first: dict[dt.date, list[holidays.HolidayPeriod]] = {}
    # the next New Year may begin on the last weekend of December
    for year in range(start.year, end.year + 2):
        for holiday in Holiday.values:
            period = holiday_period(holiday, year)
            if start <= period.first_day_off <= end:
                by_first.setdefault(period.first_day_off, []).append(period)
    return [by_first[first] for first in sorted(by_first)]


def group_of(holiday: str, year: int) -> list[holidays.HolidayPeriod]:
    """The holidays sharing `holiday`'s period in `year` (itself included)."""
    from weibao.inspections.choices import Holiday

    own = holiday_period(holiday, year)
    return [
        period
        for other in Holiday.values
        if (period := own if other == holiday else holiday_period(other, year)).first_day_off
        == own.first_day_off
    ]
