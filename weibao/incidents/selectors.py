"""Reads of incidents for the API and the screens, always through the user's scope: the
incident list with its filters, one incident's alarms and story, the maintenance windows in
force (set by hand and derived), the rules and their dry run."""

from __future__ import annotations

import datetime as dt

from weibao.accounts.capabilities import Capability
from weibao.alarms.models import Alarm
from weibao.core import clock, permissions
from weibao.core.selectors import history_for
from weibao.incidents import dryrun, policy
from weibao.incidents import facts as facts_of
from weibao.incidents.models import ClassificationRule, Incident, MaintenanceWindow
from weibao.incidents.windows import Window, windows_between

FILTERS = ("state", "customer", "site", "level", "flapping", "suppression", "ticket")


def incidents_for(user, **filters):
    """The incidents `user` may see (a customer: only theirs), newest first, filtered by
    any of `FILTERS` given (empty values ignored)."""
    rows = Incident.objects.visible_to(user).select_related(
        "customer", "site", "ticket", "classification", "inhibited_by"
    )
    wanted = {k: v for k, v in filters.items() if k in FILTERS and v not in (None, "")}
    return rows.filter(**wanted).order_by("-opened_at", "-id")


def alarms_of(incident: Incident, *, limit: int = 200):
    """The incident's alarms, the latest seen first (the alarm timeline of its page)."""
    return (
        Alarm.objects.filter(pk__in=incident.links.values("alarm_id"))
        .select_related("site", "asset", "source")
        .order_by("-last_seen", "-id")[:limit]
    )


def incident_story(incident: Incident, *, reader=None, limit: int = 100):
    """The incident's own events (opened, suppressed, ticket, grew, recovered …)."""
    return history_for(incident, reader=reader, limit=limit)


def windows_for(user, *, current: bool = False):
    """The maintenance windows set by hand that `user` may see (only those not over)."""
    rows = MaintenanceWindow.objects.visible_to(user).select_related("site", "asset", "customer")
    if current:
        rows = rows.filter(ends_at__gt=clock.now())
    return rows


def windows_now(user, *, site=None, asset=None, at: dt.datetime | None = None) -> list[Window]:
    """Every window in force at `at` (now) over a site (with the sites above it) or an
    asset the user may see: by hand, planned inspections and approved major operations."""
    at = at or clock.now()
    target = asset or site
    if target is None or not type(target).objects.visible_to(user).filter(pk=target.pk):
        return []
    site_id = asset.site_id if asset is not None else site.pk
    chain = facts_of.ancestors(site_id)
    cfg = policy.settings_for(target.customer_id)
    windows = windows_between(
        customer_id=target.customer_id, site_ids=chain,
        asset_ids=[asset.pk] if asset is not None else [], start=at, end=at,
        operation_window=cfg.operation_window,
    )  # fmt: skip
    asset_id = asset.pk if asset is not None else None
    return [w for w in windows if w.covers(site_ids=chain, asset_id=asset_id, at=at)]


def rules_for(user):
    """The classification rules (provider staff only)."""
    if user is None or not user.is_authenticated or getattr(user, "customer_id", None):
        return ClassificationRule.objects.none()
    return ClassificationRule.objects.select_related("criterion")


def dry_run(user, *, days: int = dryrun.DAYS, customer=None, rule=None) -> dict:
    """What the active rules (or one rule alone) would have opened over the last `days`
    (administrators: `config.edit`)."""
    permissions.require(user, Capability.CONFIG_EDIT)
    rules = facts_of.active_rules() if rule is None else [facts_of.as_rule(rule)]
    run = dryrun.dry_run(now=clock.now(), rules=rules, days=days,
                         customer_id=customer.pk if customer is not None else None)  # fmt: skip
    return run.as_dict(rules)
