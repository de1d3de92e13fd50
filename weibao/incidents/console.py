"""Reads of the alarm console (ALM-1..3 screens), always through the user's scope: the alarm
list with its filters, the health of each source (last received, rate, rejects, errors) and
the recent alarms and incidents of a site or an asset for their archive pages. Who may read
them at all is the matrix's `alarm.view` (`can_view`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Sum

from weibao.accounts.capabilities import Capability
from weibao.alarms.choices import AlarmState
from weibao.alarms.models import Alarm, AlarmSource, RawDelivery
from weibao.core import clock, permissions
from weibao.incidents.facts import subtree
from weibao.incidents.models import Incident

ALARM_FILTERS = ("customer", "site", "severity", "state", "source")
RATE_WINDOW = dt.timedelta(minutes=15)
ARCHIVE_ROWS = 10


def can_view(user) -> bool:
    """Whether `user` may read alarms and incidents (a customer's user: their own only)."""
    return permissions.can(user, Capability.ALARM_VIEW)


ID_FILTERS = ("customer", "site", "source")
ID_DIGITS = 18  # below 2**63: a longer number cannot be a row's id


def clean_filters(params, names) -> dict:
    """The filters `names` as given in a query (`request.GET` or DRF's `query_params`): trimmed;
    an id that is not a plausible row id is ignored (the list then shows everything)."""
    values = {name: params.get(name, "").strip() for name in names}
    for name in ID_FILTERS:
        value = values.get(name, "")
        if value and not (value.isdigit() and len(value) <= ID_DIGITS):
            values[name] = ""
    return values


def _wanted(filters: dict, names) -> dict:
    return {k: v for k, v in filters.items() if k in names and v not in (None, "")}


def alarms_for(user, **filters):
    """The alarms `user` may see, latest seen first, filtered by any of `ALARM_FILTERS`."""
    rows = Alarm.objects.visible_to(user).select_related("customer", "site", "asset", "source")
    return rows.filter(**_wanted(filters, ALARM_FILTERS)).order_by("-last_seen", "-id")


def incident_of_alarms(alarm_ids) -> dict[int, Incident]:
    """Each alarm's latest incident (the console links an alarm to it)."""
    links = (
        Incident.objects.filter(links__alarm_id__in=list(alarm_ids))
        .values_list("links__alarm_id", "pk")
        .order_by("opened_at")
    )
    latest = dict(links)
    incidents = Incident.objects.in_bulk(set(latest.values()))
    return {alarm_id: incidents[pk] for alarm_id, pk in latest.items()}


@dataclass(frozen=True)
class SourceHealth:
    """One source as the health screen shows it: its counters and its recent rate."""

    source: AlarmSource
    alarms_recent: int
    deliveries_recent: int
    firing: int

    @property
    def rate_per_minute(self) -> float:
        return round(self.alarms_recent / (RATE_WINDOW.total_seconds() / 60), 1)

    @property
    def silent(self) -> bool:
        """Enabled but nothing received in the rate window (or ever)."""
        last = self.source.last_received_at
        return self.source.enabled and (last is None or clock.now() - last > RATE_WINDOW)

    def as_dict(self) -> dict:
        s = self.source
        return {
            "id": s.pk, "name": s.name, "slug": s.slug, "kind": s.kind,
            "customer": s.customer_id, "customer_name": s.customer.name, "enabled": s.enabled,
            "received": s.received, "rejected": s.rejected, "errors": s.errors,
            "last_received_at": s.last_received_at, "last_error": s.last_error,
            "rate_per_minute": self.rate_per_minute, "deliveries_recent": self.deliveries_recent,
            "firing": self.firing, "silent": self.silent,
        }  # fmt: skip


def source_health(user, *, customer=None) -> list[SourceHealth]:
    """Every source `user` may see with its health, by customer and name."""
    sources = AlarmSource.objects.visible_to(user).select_related("customer")
    if customer not in (None, ""):
        sources = sources.filter(customer=customer)
    since = clock.now() - RATE_WINDOW
    recent = {
        row["source"]: row
        for row in RawDelivery.objects.filter(source__in=sources, received_at__gte=since)
        .values("source")
        .annotate(alarms=Sum("alarms"), deliveries=Count("id"))
        .order_by()
    }
    firing = dict(
        Alarm.objects.filter(source__in=sources, state=AlarmState.FIRING)
        .values_list("source")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        SourceHealth(
            source=s,
            alarms_recent=(recent.get(s.pk) or {}).get("alarms") or 0,
            deliveries_recent=(recent.get(s.pk) or {}).get("deliveries") or 0,
            firing=firing.get(s.pk, 0),
        )
        for s in sources.order_by("customer__name", "name")
    ]


def recent_for(user, *, site=None, asset=None, limit: int = ARCHIVE_ROWS) -> dict:
    """The latest alarms and incidents of a site (with the sites below it) or of an asset,
    for its archive page; nothing when `user` may not read alarms."""
    if not can_view(user):
        return {"alarms": [], "incidents": [], "firing": 0}
    alarms = Alarm.objects.visible_to(user).select_related("asset", "site")
    incidents = Incident.objects.visible_to(user).select_related("ticket", "site")
    if asset is not None:
        alarms = alarms.filter(asset=asset)
        incidents = incidents.filter(links__alarm__asset=asset).distinct()
    else:
        below = list(subtree(site.pk))
        alarms = alarms.filter(site_id__in=below)
        incidents = incidents.filter(site_id__in=below)
    return {
        "alarms": list(alarms.order_by("-last_seen", "-id")[:limit]),
        "incidents": list(incidents.order_by("-opened_at", "-id")[:limit]),
        "firing": alarms.filter(state=AlarmState.FIRING).count(),
    }
