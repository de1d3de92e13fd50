"""The report's numbers, each a small function over querysets that PostgreSQL/SQLite
aggregate (GROUP BY), so a quarter of 100,000 tickets never passes through Python row by row.
Every function returns plain JSON-able data that a person can check by hand.

What is counted:
* the tickets of a report are those of the contract (`Ticket.contract`, set at intake)
  *reported* in the period (local time, Asia/Shanghai);
* statistics by site, equipment category, asset and cause count fault tickets only; the
  breakdown by request type counts every ticket;
* the cause of a fault is the cause recorded at its resolution (`Ticket.cause`, a data list;
  exclusion causes of EXC-1 marked); a fault without one counts as "未归类";
* a clock is *breached* when the runner marked it so, when it was closed `unmet` (the ticket
  was resolved before the response/arrival), when it was met after its deadline, or
  when it is still unmet with its deadline passed at generation time; *met in time* when it
  was met and is not breached; *running* otherwise (running before its deadline, or paused);
  attainment = met / (met + breached);
* MTTR is the mean of resolved_at − reported_at over the period's fault tickets resolved by the
  time the report is generated (a reopened ticket counts with its final resolution);
* recurring faults: an asset or a site with at least N fault tickets in the period.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q
from django.utils.translation import gettext_noop

from weibao.sla.choices import ClockState
from weibao.sla.models import Clock, ClockKind
from weibao.tickets.choices import Level, RequestType, Stage
from weibao.tickets.models import TicketCallback

TOP_SITES = 15
TOP_ASSETS = 10
MAX_LISTED = 100
UNCATEGORISED = gettext_noop("未归类")
NO_ASSET = "未指定设备"
NO_SITE = "未指定机房"


def _rows(pairs, labels: dict | None = None) -> list[dict]:
    return [
        {"key": key, "label": str((labels or {}).get(key, key)), "count": count}
        for key, count in pairs
    ]


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _hours(value: dt.timedelta | float | None) -> float | None:
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, dt.timedelta) else value / 1e6
    return round(seconds / 3600, 2)


def overview(tickets) -> dict:
    """How many requests, faults, L1 faults; how many are resolved and closed."""
    fault = Q(request_type=RequestType.FAULT)
    totals = tickets.aggregate(
        tickets=Count("id"),
        faults=Count("id", filter=fault),
        level_1=Count("id", filter=fault & Q(level=Level.L1)),
        resolved=Count("id", filter=Q(resolved_at__isnull=False)),
        closed=Count("id", filter=Q(stage=Stage.CLOSED)),
        not_covered=Count("id", filter=Q(not_covered=True)),
    )
    totals["unresolved"] = totals["tickets"] - totals["resolved"]
    return totals


def fault_statistics(tickets, *, level_scheme: int = 3) -> dict:
    """Counts by level, request type, site, equipment category, asset and cause."""
    faults = tickets.filter(request_type=RequestType.FAULT)
    levels = [lv for lv in Level.values if level_scheme == 4 or lv != Level.L4]
    by_level = dict(faults.values_list("level").annotate(n=Count("id")).order_by())
    by_type = dict(tickets.values_list("request_type").annotate(n=Count("id")).order_by())
    sites = list(
        faults.values_list("site_id", "site__name")
        .annotate(n=Count("id"))
        .order_by("-n", "site__name")
    )
    categories = list(
        faults.values_list("asset__category__name")
        .annotate(n=Count("id"))
        .order_by("-n", "asset__category__name")
    )
    assets = list(
        faults.filter(asset__isnull=False)
        .values_list("asset_id", "asset__name", "asset__site__name")
        .annotate(n=Count("id"))
        .order_by("-n", "asset__name")[:TOP_ASSETS]
    )
    return {
        "by_level": _rows(((lv, by_level.get(lv, 0)) for lv in levels), dict(Level.choices)),
        "by_type": _rows(
            ((t, by_type.get(t, 0)) for t in RequestType.values), dict(RequestType.choices)
        ),
        "by_site": [
            {"key": pk, "label": name or NO_SITE, "count": n} for pk, name, n in sites[:TOP_SITES]
        ],
        "other_sites": {
            "sites": len(sites[TOP_SITES:]),
            "count": sum(n for *_, n in sites[TOP_SITES:]),
        },
        "sites_with_faults": len(sites),
        "by_category": [
            {"key": name or NO_ASSET, "label": name or NO_ASSET, "count": n}
            for name, n in categories
        ],
        "by_asset": [
            {"key": pk, "label": name, "site": site, "count": n} for pk, name, site, n in assets
        ],
        "by_cause": fault_causes(faults),
    }


def fault_causes(faults) -> list[dict]:
    """Faults by the cause recorded at resolution (TKT-4, `tickets.ResolutionCause`); the
    exclusion causes of EXC-1 are marked. A fault without a recorded cause (still open, or
    resolved before causes were recorded) counts as uncategorised."""
    causes = list(
        faults.filter(cause__isnull=False)
        .values_list("cause__name", "cause__is_exclusion")
        .annotate(n=Count("id"))
        .order_by("-n", "cause__name")
    )
    uncategorised = faults.filter(cause__isnull=True).count()
    rows = [
        {"key": name, "label": name, "count": n, "exclusion": bool(excluded)}
        for name, excluded, n in causes
    ]
    if uncategorised:
        rows.append({"key": UNCATEGORISED, "label": UNCATEGORISED, "count": uncategorised})
    return rows


def sla_attainment(tickets, *, now: dt.datetime) -> dict:
    """Per clock kind: met in time, breached, still running; and the breaches listed."""
    clocks = Clock.objects.filter(ticket__in=tickets)
    # a clock closed `unmet` (its ticket was resolved before the response/arrival) counts as
    # not met: resolving is no evidence the promise was kept
    late = (
        Q(breached_at__isnull=False)
        | Q(state=ClockState.UNMET)
        | Q(met_at__gt=F("due_at"))
        | Q(met_at__isnull=True, due_at__lt=now)
    )
    per_kind = {
        row["kind"]: row
        for row in clocks.values("kind")
        .annotate(
            total=Count("id"),
            breached=Count("id", filter=late),
            met=Count("id", filter=Q(met_at__isnull=False) & ~late),
        )
        .order_by()
    }
    kinds = []
    for kind, label in ClockKind.choices:
        row = per_kind.get(kind)
        if row is None:
            continue
        running = row["total"] - row["met"] - row["breached"]
        kinds.append({
            "kind": kind, "label": str(label), "total": row["total"], "met": row["met"],
            "breached": row["breached"], "running": running,
            "attainment": _percent(row["met"], row["met"] + row["breached"]),
        })  # fmt: skip
    breaches = clocks.filter(late)
    listed = breaches.select_related("ticket", "ticket__site").order_by("due_at", "id")
    return {
        "kinds": kinds,
        "breach_total": breaches.count(),
        "breaches": [_breach(c) for c in listed[:MAX_LISTED]],
    }


def _breach(clock: Clock) -> dict:
    ticket = clock.ticket
    late_by = (clock.met_at - clock.due_at) if clock.met_at and clock.due_at else None
    return {
        "ticket": ticket.number or str(ticket.pk),
        "level": ticket.level or ticket.get_request_type_display(),
        "site": ticket.site.name if ticket.site_id else "",
        "kind": str(clock.get_kind_display()),
        "due_at": clock.due_at.isoformat() if clock.due_at else None,
        "met_at": clock.met_at.isoformat() if clock.met_at else None,
        "late_minutes": round(late_by.total_seconds() / 60) if late_by else None,
    }


def mean_time_to_repair(tickets, *, level_scheme: int = 3) -> dict:
    """Mean (and longest) time from report to resolution of resolved faults, in hours."""
    duration = ExpressionWrapper(F("resolved_at") - F("reported_at"), output_field=DurationField())
    resolved = tickets.filter(request_type=RequestType.FAULT, resolved_at__isnull=False).annotate(
        repair=duration
    )
    overall = resolved.aggregate(count=Count("id"), mean=Avg("repair"), longest=Max("repair"))
    per_level = {
        row["level"]: row
        for row in resolved.values("level")
        .annotate(count=Count("id"), mean=Avg("repair"), longest=Max("repair"))
        .order_by()
    }
    levels = [lv for lv in Level.values if level_scheme == 4 or lv != Level.L4]
    return {
        "count": overall["count"],
        "mean_hours": _hours(overall["mean"]),
        "longest_hours": _hours(overall["longest"]),
        "by_level": [
            {
                "key": lv,
                "label": str(Level(lv).label),
                "count": per_level.get(lv, {}).get("count", 0),
                "mean_hours": _hours(per_level.get(lv, {}).get("mean")),
                "longest_hours": _hours(per_level.get(lv, {}).get("longest")),
            }
            for lv in levels
        ],
    }


def recurring_faults(tickets, *, threshold: int) -> dict:
    """Assets and sites with at least `threshold` fault tickets in the period."""
    faults = tickets.filter(request_type=RequestType.FAULT)
    assets = (
        faults.filter(asset__isnull=False)
        .values_list("asset_id", "asset__name", "asset__site__name")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by("-n", "asset__name")
    )
    sites = (
        faults.filter(site__isnull=False)
        .values_list("site_id", "site__name")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .order_by("-n", "site__name")
    )
    return {
        "threshold": threshold,
        "asset_total": assets.count(),
        "assets": [
            {"key": pk, "label": name, "site": site, "count": n}
            for pk, name, site, n in assets[: MAX_LISTED // 5]
        ],
        "site_total": sites.count(),
        "sites": [
            {"key": pk, "label": name, "count": n} for pk, name, n in sites[: MAX_LISTED // 5]
        ],
    }


def satisfaction(contract, start_at: dt.datetime, end_at: dt.datetime) -> dict:
    """Customer callbacks (OTH-6) made in the period on the contract's tickets."""
    callbacks = TicketCallback.objects.filter(
        ticket__contract=contract, at__gte=start_at, at__lt=end_at
    )
    totals = callbacks.aggregate(
        count=Count("id"),
        satisfied=Count("id", filter=Q(satisfied=True)),
        scored=Count("score"),
        mean_score=Avg("score"),
    )
    scores = dict(
        callbacks.filter(score__isnull=False)
        .values_list("score")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "callbacks": totals["count"],
        "satisfied": totals["satisfied"],
        "satisfied_rate": _percent(totals["satisfied"], totals["count"]),
        "scored": totals["scored"],
        "mean_score": round(totals["mean_score"], 2) if totals["mean_score"] is not None else None,
        "by_score": [
            {"key": s, "label": f"{s} 分", "count": scores.get(s, 0)} for s in range(5, 0, -1)
        ],
    }
