"""Reads of the inspections app, always through the user's scope where a user is involved."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, When

from weibao.accounts.choices import Role
from weibao.accounts.selectors import provider_staff_with_role
from weibao.calendars.models import CalendarDay
from weibao.core import clock
from weibao.inspections.choices import CheckOutcome, VisitKind, VisitState
from weibao.inspections.models import CheckResult, InspectionVisit

LIVE = (VisitState.PLANNED, VisitState.IN_PROGRESS, VisitState.DONE)


def visible_visits(user):
    return InspectionVisit.objects.visible_to(user).select_related(
        "site", "customer", "engineer", "contract"
    )


def visits_done_vs_planned(contract, start: dt.date, end: dt.date) -> dict:
    """Entitlement usage of inspections (CAT-4) for visits planned in [start, end]: how many
    were planned and how many are done, in total and per kind, with the findings. Cancelled
    visits count neither way; a visit counts in the period of its (possibly moved) date."""
    visits = InspectionVisit.objects.filter(
        contract=contract, planned_date__range=(start, end), state__in=LIVE
    )
    by_kind = {
        kind: {"label": str(label), "planned": 0, "done": 0} for kind, label in VisitKind.choices
    }
    for row in visits.values("kind", "state").annotate(n=Count("id")):
        by_kind[row["kind"]]["planned"] += row["n"]
        if row["state"] == VisitState.DONE:
            by_kind[row["kind"]]["done"] += row["n"]
    planned = sum(k["planned"] for k in by_kind.values())
    done = sum(k["done"] for k in by_kind.values())
    failed = CheckResult.objects.filter(visit__in=visits, outcome=CheckOutcome.FAIL)
    return {
        "start": start,
        "end": end,
        "planned": planned,
        "done": done,
        "rate": round(done / planned, 4) if planned else None,
        "overdue": visits.filter(state=VisitState.PLANNED, planned_date__lt=clock.today()).count(),
        "provisional": visits.filter(provisional=True).count(),
        "by_kind": {k: v for k, v in by_kind.items() if v["planned"]},
        "findings": failed.count(),
        "tickets": failed.filter(ticket__isnull=False).count(),
    }


def findings(contract, start: dt.date, end: dt.date) -> list[dict]:
    """The failed items of visits planned in [start, end], with site, asset and ticket."""
    rows = (
        CheckResult.objects.filter(
            visit__contract=contract,
            visit__planned_date__range=(start, end),
            outcome=CheckOutcome.FAIL,
        )
        .select_related("visit__site", "asset", "ticket")
        .order_by("visit__planned_date", "order")
    )
    return [
        {
            "date": c.visit.planned_date,
            "site": c.visit.site.name,
            "item": c.text,
            "asset": str(c.asset) if c.asset else "",
            "note": c.note,
            "ticket": c.ticket.number if c.ticket else "",
        }
        for c in rows
    ]


@dataclass
class Day:
    date: dt.date
    in_month: bool
    is_today: bool
    off: bool | None  # None: the year's calendar is not imported
    name: str
    visits: list = field(default_factory=list)


@dataclass
class MonthGrid:
    first: dt.date
    weeks: list[list[Day]]
    previous: dt.date
    next: dt.date
    count: int


def month_grid(visits, first: dt.date) -> MonthGrid:
    """The month of `first` as weeks (Monday first) with the visits of each day and whether
    the day is a day off in the working-day calendar."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    lo, hi = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list] = {}
    in_range = list(
        visits.filter(planned_date__range=(lo, hi)).order_by("planned_date", "site__code")
    )
    for visit in in_range:
        by_day.setdefault(visit.planned_date, []).append(visit)
    calendar_days = {row.date: row for row in CalendarDay.objects.filter(date__range=(lo, hi))}
    today = clock.today()
    grid = [
        [
            Day(
                date=day,
                in_month=day.month == first.month,
                is_today=day == today,
                off=(not calendar_days[day].is_working_day) if day in calendar_days else None,
                name=calendar_days[day].name if day in calendar_days else "",
                visits=by_day.get(day, []),
            )
            for day in week
        ]
        for week in weeks
    ]
    previous = (first.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    count = sum(1 for v in in_range if v.planned_date.month == first.month)
    return MonthGrid(first.replace(day=1), grid, previous, following, count)


def engineer_queue(user):
    """The engineer's visits: in progress, then upcoming ones assigned to them or to nobody."""
    horizon = clock.today() + dt.timedelta(days=45)
    return (
        visible_visits(user)
        .filter(
            Q(state=VisitState.IN_PROGRESS) | Q(state=VisitState.PLANNED, planned_date__lte=horizon)
        )
        .filter(Q(engineer=user) | Q(engineer__isnull=True))
        .order_by(
            Case(When(state=VisitState.IN_PROGRESS, then=0), default=1),
            "planned_date",
            "site__code",
        )
    )


def engineers():
    """Active provider engineers (for assignment choices)."""
    return provider_staff_with_role(Role.ENGINEER).order_by("full_name", "username")


def checklist(visit) -> dict:
    """The visit's items by section, with counts, for the engineer's phone page."""
    checks = list(visit.checks.select_related("asset_category", "asset", "ticket"))
    sections: dict[str, list] = {}
    for check in checks:
        sections.setdefault(check.section, []).append(check)
    pending = sum(1 for c in checks if c.outcome == CheckOutcome.PENDING)
    return {"sections": sections, "total": len(checks), "pending": pending}


def visit_counts(visit) -> dict[str, int]:
    """How many items of the visit passed, failed, did not apply or are still open."""
    outcomes = list(visit.checks.values_list("outcome", flat=True))
    return {
        "pass": outcomes.count(CheckOutcome.PASS),
        "fail": outcomes.count(CheckOutcome.FAIL),
        "na": outcomes.count(CheckOutcome.NOT_APPLICABLE),
        "pending": outcomes.count(CheckOutcome.PENDING),
    }
