"""Working days across years whose State Council schedule is not imported yet — the ONE
mechanism every app uses for provisional dates (repairs, inspections, …).

The official calendar (`weibao.calendars.workdays`) refuses any date in a year without a
`CalendarYear` row. Work must not wait for the notice, so this module answers anyway: days of
known years come from the official calendar; days of unknown years follow the statutory rules
in force (全国年节及纪念日放假办法, as revised by the State Council in 2024, effective 2025):

* 元旦 1 January (1 day); 春节 除夕 to 正月初三 (4 days); 清明节 the 清明 solar term (1 day);
  劳动节 1–2 May (2 days); 端午节 五月初五 (1 day); 中秋节 八月十五 (1 day); 国庆节 1–3 October
  (3 days). Lunar dates come from `lunardate`, the solar term from `chinese_calendar`.
* Saturdays and Sundays are off; a holiday falling on a weekend is compensated on the
  following weekday(s) (放假办法 第六条 "适逢星期六、星期日，应当在工作日补假").
* 调休 make-up working days are decided each year by the notice and cannot be known: none are
  assumed.

Public API (keep it stable; helpers of other apps rely on it)::

    from weibao.calendars import provisional

    due, years = provisional.add_working_days(start, n)
    # `due`: the n-th working day after `start` (before it for n < 0; `start` for n == 0),
    # same convention as `workdays.add_working_days`. `years`: frozenset of the years whose
    # schedule is NOT imported among the days counted (empty => the date is official).
    count, years = provisional.working_days_between(a, b)   # d with a < d <= b
    working, is_provisional = provisional.is_working_day(day)
    provisional.statutory_days_off(2027)  # {date: "春节", ...} for an unknown year's estimate
    provisional.first_provisional_year(years)  # min(years) or None: store it on the row

    # Be told when a year's official schedule arrives (sent INSIDE the import's transaction,
    # after the days are written and the index refreshed — receivers recompute right away):
    from weibao.calendars.signals import year_imported
    year_imported.connect(receiver, dispatch_uid="myapp.settle")
    def receiver(sender, *, year: int, actor, **kwargs): ...

Apps store the first provisional year on their row (e.g. `due_calendar_year`) and, on
`year_imported`, recompute the rows whose stored year is now known. A due source that does the
same is a good safety net for years loaded by other paths (`calendar_seed`, migrations).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import NamedTuple

from lunardate import LunarDate

from . import workdays
from .errors import CalendarYearMissing

ONE_DAY = dt.timedelta(days=1)


class Reckoning(NamedTuple):
    """A computed date and the unimported years it relied on (empty: official)."""

    date: dt.date
    provisional_years: frozenset[int]

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


def _qingming(year: int) -> dt.date:
    import chinese_calendar

    try:
        terms = chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 10))
    except Exception:  # outside the package's table: the 21st-century rule
        terms = []
    for day, name in terms:
        if name == "清明":
            return day
    y = year % 100
    return dt.date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


@lru_cache(maxsize=64)
def statutory_days_off(year: int) -> dict[dt.date, str]:
    """The days off of `year` under the statutory rules alone (weekends excluded unless named):
    the holidays themselves plus the weekday compensation of those falling on a weekend."""
    new_year_eve = LunarDate(year, 1, 1).to_solar_date() - ONE_DAY
    blocks = [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", [new_year_eve + i * ONE_DAY for i in range(4)]),
        ("清明节", [_qingming(year)]),
        ("劳动节", [dt.date(year, 5, 1), dt.date(year, 5, 2)]),
        ("端午节", [LunarDate(year, 5, 5).to_solar_date()]),
        ("中秋节", [LunarDate(year, 8, 15).to_solar_date()]),
        ("国庆节", [dt.date(year, 10, d) for d in (1, 2, 3)]),
    ]
    days: dict[dt.date, str] = {}
    for name, block in blocks:
        for day in block:
            days.setdefault(day, name)
    for name, block in blocks:
        owed = sum(1 for day in block if day.weekday() >= 5)
        day = max(block)
        while owed:
            day += ONE_DAY
            if day.weekday() < 5 and day not in days:
                days[day] = name
                owed -= 1
    # a 除夕 in the previous Gregorian year belongs to that year's table
    return {day: name for day, name in days.items() if day.year == year}


def _statutory_working(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in statutory_days_off(day.year)


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, the answer is provisional)."""
    try:
        return workdays.is_working_day(day), False
    except CalendarYearMissing:
        return _statutory_working(day), True


def add_working_days(start: dt.date, n: int) -> Reckoning:
    """The n-th working day after `start` (see the module docstring), official when it can be,
    provisional (with the unimported years named) when the count runs into such a year."""
    try:
        return Reckoning(workdays.add_working_days(start, n), frozenset())
    except CalendarYearMissing:
        pass
    known = workdays.known_years()
    years = set() if start.year in known else {start.year}
    step = ONE_DAY if n > 0 else -ONE_DAY
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if day.year in known:
            working = workdays.is_working_day(day)
        else:
            years.add(day.year)
            working = _statutory_working(day)
        if working:
            remaining -= 1
    return Reckoning(day, frozenset(years))


def working_days_between(a: dt.date, b: dt.date) -> tuple[int, frozenset[int]]:
    """(working days d with a < d <= b — negative when b < a, unimported years relied on)."""
    try:
        return workdays.working_days_between(a, b), frozenset()
    except CalendarYearMissing:
        pass
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    known = workdays.known_years()
    count, years, day = 0, set(), lo
    while day < hi:
        day += ONE_DAY
        if day.year in known:
            count += workdays.is_working_day(day)
        else:
            years.add(day.year)
            count += _statutory_working(day)
    return sign * count, frozenset(years)


def first_provisional_year(years) -> int | None:
    """The year to wait for (the earliest unimported one), or None when official."""
    return min(years) if years else None
