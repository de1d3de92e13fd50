"""The monitoring platform's alarm figures of a period, for the operation-analysis report
(ANA-1 "sources: … the monitoring platform's alarms"): alarms raised by type, site and
severity, the incidents they made, the time to acknowledge and to resolve the tickets they
opened (channel 告警), and the devices whose alarms came and went most often (flapping).

An alarm counts once each time it is raised in the period (a repeat of a firing alarm is not a
new one). `None` when the customer has no alarm source: the report then says the section waits
for the monitoring platform."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Subquery,
)
from django.utils.translation import gettext_noop

from weibao.alarms.choices import ChangeKind, Severity
from weibao.alarms.models import AlarmChange, AlarmSource
from weibao.contracts.policy import ClockKind
from weibao.incidents.models import Incident
from weibao.sla.models import Clock
from weibao.tickets.choices import Channel
from weibao.tickets.models import Ticket

TOP = 10
FLAPPING_RAISES = 2  # a device whose alarms were raised at least this often in the period


def _hours(value: dt.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def _counts(rows, field: str, *, empty: str) -> list[dict]:
    counted = rows.values(field).annotate(count=Count("id")).order_by("-count", field)
    return [{"label": row[field] or empty, "count": row["count"]} for row in counted]


def _tickets(contract, start_at: dt.datetime, end_at: dt.datetime) -> dict:
    """Alarm-opened tickets of the contract: acknowledged = the phone-response clock met;
    resolved = the ticket's resolution, both from the ticket's report time."""
    tickets = Ticket.objects.filter(
        contract=contract, channel=Channel.ALARM, reported_at__gte=start_at, reported_at__lt=end_at
    )
    acknowledged = Clock.objects.filter(
        ticket=OuterRef("pk"), kind=ClockKind.PHONE_RESPONSE, met_at__isnull=False
    ).values("met_at")[:1]
    since_report = lambda field: ExpressionWrapper(  # noqa: E731
        F(field) - F("reported_at"), output_field=DurationField()
    )
    acked = tickets.annotate(ack_at=Subquery(acknowledged)).filter(ack_at__isnull=False)
    mtta = acked.aggregate(n=Count("id"), mean=Avg(since_report("ack_at")))
    resolved = tickets.filter(resolved_at__isnull=False)
    mttr = resolved.aggregate(
        n=Count("id"),
        mean=Avg(since_report("resolved_at")),
        longest=Max(since_report("resolved_at")),
    )
    return {
        "tickets": tickets.count(),
        "acknowledged": mtta["n"],
        "mtta_hours": _hours(mtta["mean"]),
        "resolved": mttr["n"],
        "mttr_hours": _hours(mttr["mean"]),
        "longest_hours": _hours(mttr["longest"]),
    }


def _flapping(raised) -> list[dict]:
    """Devices (or, without a known device, the sender's device reference) whose alarms were
    raised most often in the period."""
    rows = (
        raised.values("alarm__asset__name", "alarm__asset_ref", "alarm__site__name")
        .annotate(raises=Count("id"), alarms=Count("alarm", distinct=True), first=Min("at"))
        .filter(raises__gte=FLAPPING_RAISES)
        .order_by("-raises", "first")[:TOP]
    )
    return [
        {"label": r["alarm__asset__name"] or r["alarm__asset_ref"] or "—",
         "site": r["alarm__site__name"] or "—", "count": r["raises"], "alarms": r["alarms"]}
        for r in rows
    ]  # fmt: skip


def alarm_statistics(contract, start_at: dt.datetime, end_at: dt.datetime) -> dict | None:
    """The period's alarm figures of the contract's customer (see the module's docstring)."""
    customer_id = contract.customer_id
    if not AlarmSource.objects.filter(customer_id=customer_id).exists():
        return None
    raised = AlarmChange.objects.filter(
        alarm__customer_id=customer_id, kind=ChangeKind.RAISED, at__gte=start_at, at__lt=end_at
    )
    by_severity = dict(raised.values_list("alarm__severity").annotate(n=Count("id")).order_by())
    incidents = Incident.objects.filter(
        customer_id=customer_id, opened_at__gte=start_at, opened_at__lt=end_at
    )
    return {
        "sources": AlarmSource.objects.filter(customer_id=customer_id, enabled=True).count(),
        "alarms": raised.count(),
        "incidents": incidents.count(),
        "flapping_incidents": incidents.filter(flapping=True).count(),
        "suppressed_incidents": incidents.exclude(suppression="").count(),
        "by_type": _counts(raised, "alarm__name", empty="—")[: TOP * 2],
        "by_site": _counts(raised, "alarm__site__name", empty=gettext_noop("未识别机房"))[
            : TOP * 2
        ],
        "by_severity": [
            {"key": key, "label": str(label), "count": by_severity.get(key, 0)}
            for key, label in Severity.choices
        ],
        "tickets": _tickets(contract, start_at, end_at),
        "flapping": _flapping(raised),
    }
