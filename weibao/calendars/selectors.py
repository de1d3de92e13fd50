"""Reads of the working-day calendar for pages and reports (the arithmetic lives in
`weibao.calendars.workdays`)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .models import CalendarDay, CalendarYear


@dataclass(frozen=True, slots=True)
class DayCell:
    """One square of the month grid."""

    date: dt.date
    in_month: bool
    is_today: bool
    is_working_day: bool | None  # None: the year is not loaded
    name: str
    estimate: bool | None = None  # unloaded year: working day by the statutory rules (暂定)

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def is_makeup(self) -> bool:
        """A weekend day that is a working day (调休上班)."""
        return bool(self.is_working_day) and self.is_weekend

    @property
    def is_holiday(self) -> bool:
        """A named day off (a statutory holiday or part of its block)."""
        return self.is_working_day is False and bool(self.name)


@dataclass(frozen=True, slots=True)
class MonthGrid:
    """A month as weeks of seven days (Monday first), with its neighbours for navigation."""

    first: dt.date
    weeks: list[list[DayCell]]
    year_known: bool
    working_days: int
    previous: dt.date
    next: dt.date


def month_grid(first: dt.date, *, today: dt.date) -> MonthGrid:
    """The month starting at `first` (any day of the month will do)."""
    first = first.replace(day=1)
    weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    lo, hi = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    rows = {
        row.date: row
        for row in CalendarDay.objects.filter(
            date__range=(lo, hi), date__year__in=known_years_between(lo.year, hi.year)
        )
    }
    weeks = [
        [_cell(day, rows.get(day), in_month=day.month == first.month, today=today) for day in week]
        for week in weeks_of_dates
    ]
    in_month = [cell for week in weeks for cell in week if cell.in_month]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=31)).replace(day=1)
    return MonthGrid(
        first=first,
        weeks=weeks,
        year_known=all(cell.is_working_day is not None for cell in in_month),
        working_days=sum(1 for cell in in_month if cell.is_working_day),
        previous=previous,
        next=following,
    )


def _cell(day: dt.date, row, *, in_month: bool, today: dt.date) -> DayCell:
    if row is not None:
        return DayCell(day, in_month, day == today, row.is_working_day, row.name)
    from .provisional import statutory_days_off

    name = statutory_days_off(day.year).get(day, "")
    estimate = day.weekday() < 5 and not name
    return DayCell(day, in_month, day == today, None, name, estimate=estimate)


def known_years_between(first: int, last: int) -> list[int]:
    """The loaded years among first..last."""
    return list(
        CalendarYear.objects.filter(year__range=(first, last)).values_list("year", flat=True)
    )


def preview_months(year: int, entries, *, today: dt.date) -> list[MonthGrid]:
    """The twelve month grids `year` would have with `entries` (a schedule read but not
    saved), for the import preview."""
    from .schedule import year_days

    days = {day: (working, name) for day, working, name in year_days(year, entries)}
    grids = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        weeks = [
            [
                DayCell(
                    date=day,
                    in_month=day.month == month,
                    is_today=day == today,
                    is_working_day=days[day][0] if day in days else None,
                    name=days[day][1] if day in days and day in entries else "",
                )
                for day in week
            ]
            for week in weeks_of_dates
        ]
        in_month = [cell for week in weeks for cell in week if cell.in_month]
        grids.append(
            MonthGrid(
                first=first,
                weeks=weeks,
                year_known=True,
                working_days=sum(1 for cell in in_month if cell.is_working_day),
                previous=(first - dt.timedelta(days=1)).replace(day=1),
                next=(first + dt.timedelta(days=31)).replace(day=1),
            )
        )
    return grids


def schedule_missing(today: dt.date) -> int | None:
    """The year whose schedule administrators must import now: next year, from 1 November
    until it is loaded (None otherwise)."""
    if today.month < 11:
        return None
    year = today.year + 1
    return None if CalendarYear.objects.filter(year=year).exists() else year
