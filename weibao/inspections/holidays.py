"""The five statutory holidays before which the monitoring center is inspected (§1.3.1.2-3),
and where their holiday periods begin.

Festival dates are computed: New Year's Day, May Day and National Day are fixed; Spring
Festival (正月初一) and Mid-Autumn (八月十五) come from the lunar calendar (`lunardate`). The
*holiday period* is the run of consecutive days off (weekends included) around the festival as
the State Council's schedule — our working-day calendar — records it; the inspection is placed
a number of working days before its first day off. A year without an imported schedule has no
known period: callers then plan from the festival date itself and mark the visit provisional.

Everything here is pure: the calendar is passed in as a mapping of dates to (working, name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from lunardate import LunarDate

from weibao.inspections.choices import Holiday

ONE_DAY = dt.timedelta(days=1)

#: How each holiday is named in the working-day calendar (`CalendarDay.name`).
CALENDAR_NAMES = {
    Holiday.NEW_YEAR: "元旦",
    Holiday.SPRING_FESTIVAL: "春节",
    Holiday.MAY_DAY: "劳动节",
    Holiday.MID_AUTUMN: "中秋节",
    Holiday.NATIONAL_DAY: "国庆节",
}

#: How far from the festival its holiday period may start or end (Spring Festival's 9-day
#: breaks begin up to a week early when 除夕 and weekends are bridged).
SEARCH_DAYS = 12


def festival_date(holiday: str, year: int) -> dt.date:
    """The festival's own date in `year` (Gregorian year of the festival)."""
    if holiday == Holiday.NEW_YEAR:
        return dt.date(year, 1, 1)
    if holiday == Holiday.SPRING_FESTIVAL:
        return LunarDate(year, 1, 1).to_solar_date()
    if holiday == Holiday.MAY_DAY:
        return dt.date(year, 5, 1)
    if holiday == Holiday.MID_AUTUMN:
        return LunarDate(year, 8, 15).to_solar_date()
    if holiday == Holiday.NATIONAL_DAY:
        return dt.date(year, 10, 1)
    raise ValueError(f"unknown holiday {holiday!r}")


@dataclass(frozen=True)
class HolidayPeriod:
    """Where a holiday's days off begin. `official` is False when estimated from the festival
    date because the year's schedule is not imported."""

    holiday: str
    year: int
    festival: dt.date
    first_day_off: dt.date
    official: bool


Days = Mapping[dt.date, tuple[bool, str]]


def holiday_period(holiday: str, year: int, days: Days | None) -> HolidayPeriod:
    """The holiday period of `holiday` in `year`.

    `days` maps the dates around the festival to (is working day, calendar name); None when
    the year's schedule is unknown. The period is the run of days off containing the
    festival; when the festival itself is a working day, the run holding a day named after the
    holiday, or else the first run starting within three days after it.
    """
    festival = festival_date(holiday, year)
    if days is None:
        return HolidayPeriod(holiday, year, festival, festival, official=False)
    anchor = _anchor(holiday, festival, days)
    if anchor is None:
        return HolidayPeriod(holiday, year, festival, festival, official=False)
    first = anchor
    while _is_off(days, first - ONE_DAY):
        first -= ONE_DAY
    return HolidayPeriod(holiday, year, festival, first, official=True)


def _is_off(days: Days, day: dt.date) -> bool:
    entry = days.get(day)
    return entry is not None and not entry[0]


def _anchor(holiday: str, festival: dt.date, days: Days) -> dt.date | None:
    if _is_off(days, festival):
        return festival
    name = CALENDAR_NAMES.get(holiday, "")
    named = [
        day
        for day, (working, label) in days.items()
        if not working and name and name in label and abs((day - festival).days) <= SEARCH_DAYS
    ]
    if named:
        return min(named, key=lambda day: (abs((day - festival).days), day))
    for offset in range(1, 4):
        if _is_off(days, festival + offset * ONE_DAY):
            return festival + offset * ONE_DAY
    return None


def merge_label(holidays: list[str]) -> str:
    """The display name of one or more holidays sharing a holiday period (国庆节、中秋节)."""
    return "、".join(str(Holiday(h).label) for h in holidays)
