"""Figures read from other capabilities' models: repairs, spare loans and quota use, inspections,
complaints, and the monitoring platform's alarms. Each returns None when the capability
is not installed, so the report shows "暂无数据" for that section instead of failing.

* repairs: returns registered (received) in the period for the contract;
* loans: loans started in the period for the contract;
* quota use: the contract's `EntitlementUsage` rows whose counting window overlaps the period;
* inspections: `inspections.selectors.visits_done_vs_planned` and its failed items (findings);
* complaints: the customer's complaints received in the period (complaints are per customer,
  not per contract);
* alarms: the customer's alarms raised in the period and the contract's alarm-opened tickets.
"""

from __future__ import annotations

import datetime as dt
import importlib
from types import ModuleType

from django.db.models import Count, F, Q

from weibao.contracts.models import EntitlementUsage

MAX_LISTED = 50


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def repairs(contract, start: dt.date, end: dt.date, *, today: dt.date) -> dict | None:
    models, choices = _module("weibao.repairs.models"), _module("weibao.repairs.choices")
    if models is None or choices is None:
        return None
    rows = models.Repair.objects.filter(contract=contract, received_on__range=(start, end))
    totals = rows.aggregate(
        total=Count("id"),
        returned_on_time=Count(
            "id", filter=Q(returned_on__isnull=False, returned_on__lte=F("due_date"))
        ),
        returned_late=Count("id", filter=Q(returned_on__gt=F("due_date"))),
        open_overdue=Count("id", filter=Q(returned_on__isnull=True, due_date__lt=today)),
        foreign=Count("id", filter=Q(repair_origin="foreign")),
        # Out of scope: billing holds the repair's exclusion (at most one per repair).
        billable=Count("id", filter=Q(exclusions__isnull=False)),
        loaners=Count("id", filter=Q(loaner__isnull=False)),
    )
    by_status = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    totals["by_status"] = [
        {"key": key, "label": str(label), "count": by_status.get(key, 0)}
        for key, label in choices.RepairStatus.choices
        if by_status.get(key)
    ]
    return totals


def loans(contract, start: dt.date, end: dt.date) -> dict | None:
    models = _module("weibao.spares.models")
    choices = _module("weibao.spares.choices")
    if models is None or choices is None:
        return None
    rows = models.Loan.objects.filter(contract=contract, start_date__range=(start, end))
    totals = rows.aggregate(
        total=Count("id"),
        out=Count("id", filter=Q(status="out")),
        returned=Count("id", filter=Q(status="returned")),
        converted=Count("id", filter=Q(status="converted")),
        billable=Count("id", filter=Q(billable=True)),
    )
    by_kind = dict(rows.values_list("kind").annotate(n=Count("id")).order_by())
    totals["by_kind"] = [
        {"key": key, "label": str(label), "count": by_kind.get(key, 0)}
        for key, label in choices.LoanKind.choices
    ]
    return totals


def quota_use(contract, start: dt.date, end: dt.date) -> list[dict]:
    usages = (
        EntitlementUsage.objects.filter(
            contract=contract, period_start__lte=end, period_end__gte=start
        )
        .select_related("entitlement")
        .order_by("entitlement__order", "period_start")
    )
    return [
        {
            "entitlement": u.entitlement.name,
            "window": f"{u.period_start:%Y-%m-%d} – {u.period_end:%Y-%m-%d}",
            "used": u.used,
            "quota": float(u.entitlement.quantity) if u.entitlement.quantity is not None else None,
            "billable": u.billable,
        }
        for u in usages
    ]


def inspections(contract, start: dt.date, end: dt.date) -> dict | None:
    selectors = _module("weibao.inspections.selectors")
    if selectors is None or not hasattr(selectors, "visits_done_vs_planned"):
        return None
    summary = selectors.visits_done_vs_planned(contract, start, end)
    found = selectors.findings(contract, start, end) if hasattr(selectors, "findings") else []
    return {
        "planned": summary["planned"],
        "done": summary["done"],
        "rate": round(100 * summary["rate"], 1) if summary.get("rate") is not None else None,
        "overdue": summary.get("overdue", 0),
        "findings": summary.get("findings", len(found)),
        "finding_tickets": summary.get("tickets", 0),
        "by_kind": [
            {"key": key, "label": row["label"], "planned": row["planned"], "done": row["done"]}
            for key, row in summary.get("by_kind", {}).items()
        ],
        "finding_rows": [{k: _iso(v) for k, v in row.items()} for row in found[:MAX_LISTED]],
    }


def complaints(contract, start_at: dt.datetime, end_at: dt.datetime) -> dict | None:
    models = _module("weibao.feedback.models")
    choices = _module("weibao.feedback.choices")
    if models is None or choices is None:
        return None
    rows = models.Complaint.objects.filter(
        customer_id=contract.customer_id, received_at__gte=start_at, received_at__lt=end_at
    )
    totals = rows.aggregate(
        total=Count("id"),
        response_breached=Count("id", filter=Q(response_breached_at__isnull=False)),
        closed=Count("id", filter=Q(state="closed")),
    )
    by_state = dict(rows.values_list("state").annotate(n=Count("id")).order_by())
    totals["by_state"] = [
        {"key": key, "label": str(label), "count": by_state.get(key, 0)}
        for key, label in choices.ComplaintState.choices
    ]
    totals["rows"] = [
        {"number": c.number or str(c.pk), "received_at": _iso(c.received_at),
         "text": c.text[:120], "state": str(c.get_state_display())}
        for c in rows.order_by("received_at", "id")[:MAX_LISTED]
    ]  # fmt: skip
    return totals


def alarm_statistics(contract, start_at: dt.datetime, end_at: dt.datetime) -> dict | None:
    """The monitoring platform's alarms of the period (ANA-1 "sources: … the monitoring
    platform's alarms"), computed by `incidents.statistics`: alarms by type, site and
    severity, MTTA/MTTR of the alarm-opened tickets, the most flapping devices. None while the
    customer has no alarm source: the report shows "告警统计（待接入监控平台）"."""
    statistics = _module("weibao.incidents.statistics")
    if statistics is None:
        return None
    return statistics.alarm_statistics(contract, start_at, end_at)
