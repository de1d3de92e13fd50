"""Which visits a contract year needs (INS-1), as pure functions over plain data.

The plan's inspection entitlements (表 02) become *rules*: "1 time per quarter for each core
room" or "50 % of end-office rooms per half year". A rule is applied to the covered sites of
its kinds, period by period, and each visit gets a target date spread evenly through its
period. Dates are moved onto working days by the service (`services.planning`), which reads
the calendar; the holiday visits are planned there too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from weibao.inspections.choices import VisitKind

#: Entitlement `site_kind` → the kinds of sites it covers and the visit kind it plans.
#: "核心机房指监控中心以及重要的汇聚作用机房" (§1.3.1.2-1): the core rule includes the center.
SITE_KINDS = {
    "core": (frozenset({"core", "monitoring_center"}), VisitKind.CORE),
    "monitoring_center": (frozenset({"monitoring_center"}), VisitKind.CORE),
    "end_office": (frozenset({"end_office"}), VisitKind.END_OFFICE),
    "front_end": (frozenset({"front_end"}), VisitKind.FRONT_END),
}

MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "contract_year": 12}


@dataclass(frozen=True)
class SiteRef:
    pk: int
    code: str
    kind: str


@dataclass(frozen=True)
class Rule:
    """One inspection entitlement: `quantity` times per site per period, or (percent) that
    share of the sites per period, rotating."""

    visit_kind: str
    site_kinds: frozenset[str]
    period: str
    quantity: Decimal
    percent: bool


@dataclass(frozen=True)
class PlannedVisit:
    key: str
    kind: str
    site: SiteRef
    period_start: dt.date
    period_end: dt.date
    target: dt.date  # before moving onto a working day


def rules_for(entitlements: Iterable, *, include_front_end: bool) -> list[Rule]:
    """Rules from the plan's inspection entitlements (objects with site_kind, quantity, unit,
    period); front-end equipment quarterly when the contract includes it."""
    rules = []
    for ent in entitlements:
        mapped = SITE_KINDS.get(ent.site_kind)
        if mapped is None or ent.quantity is None or ent.period not in MONTHS:
            continue
        kinds, visit_kind = mapped
        percent = ent.unit == "percent_of_sites"
        rules.append(Rule(visit_kind, kinds, ent.period, Decimal(ent.quantity), percent))
    if include_front_end and not any(r.visit_kind == VisitKind.FRONT_END for r in rules):
        rules.append(
            Rule(VisitKind.FRONT_END, frozenset({"front_end"}), "quarter", Decimal(1), False)
        )
    return rules


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def periods(start: dt.date, end: dt.date, period: str) -> list[tuple[dt.date, dt.date]]:
    """The periods of a contract year from its first day (quarters of the contract year, not
    of the calendar year), the last one cut at `end`."""
    step = MONTHS[period]
    result, n = [], 0
    while True:
        first = add_months(start, n * step)
        if first > end:
            return result
        last = min(add_months(start, (n + 1) * step) - dt.timedelta(days=1), end)
        result.append((first, last))
        n += 1


def rotation(sites: list[SiteRef], share: int, turn: int) -> list[SiteRef]:
    """`share` sites for the `turn`-th period, continuing round the list ordered by code, so
    with 50 % every site comes up once a year (the first half one half, then the other)."""
    if not sites or share <= 0:
        return []
    ordered = sorted(sites, key=lambda s: s.code)
    share = min(share, len(ordered))
    offset = (turn * share) % len(ordered)
    return [ordered[(offset + i) % len(ordered)] for i in range(share)]


def spread(first: dt.date, last: dt.date, count: int) -> list[dt.date]:
    """`count` dates evenly through [first, last], each in the middle of its share."""
    span = (last - first).days + 1
    return [first + dt.timedelta(days=int((i + 0.5) * span / count)) for i in range(count)]


def periodic_visits(
    rules: list[Rule],
    sites: Iterable[SiteRef],
    *,
    year_start: dt.date,
    year_end: dt.date,
    contract_year: int,
) -> list[PlannedVisit]:
    """Every visit the rules ask for in one contract year, with a stable key each."""
    sites = list(sites)
    visits: list[PlannedVisit] = []
    for rule in rules:
        covered = [s for s in sites if s.kind in rule.site_kinds]
        chunks = periods(year_start, year_end, rule.period)
        per_year = len(
            periods(year_start, add_months(year_start, 12) - dt.timedelta(1), rule.period)
        )
        for index, (first, last) in enumerate(chunks):
            if rule.percent:
                share = math.ceil(len(covered) * rule.quantity / 100)
                turn = (contract_year - 1) * per_year + index
                wanted = [(site, 0) for site in rotation(covered, share, turn)]
            else:
                times = int(rule.quantity)
                wanted = [(site, i) for site in sorted(covered, key=lambda s: s.code)
                          for i in range(times)]  # fmt: skip
            dates = spread(first, last, len(wanted)) if wanted else []
            for (site, i), target in zip(wanted, dates, strict=True):
                suffix = f":{i}" if i else ""
                visits.append(
                    PlannedVisit(
                        key=f"{rule.visit_kind}:{site.pk}:{first:%Y%m%d}{suffix}",
                        kind=rule.visit_kind,
                        site=site,
                        period_start=first,
                        period_end=last,
                        target=target,
                    )
                )
    return visits
