"""Why an incident opens no ticket (ALM-2): an open site-level incident whose rule inhibits
(e.g. "all front-end devices unreachable") covers the per-device incidents of its site and
the sites below; a maintenance window (set by hand, a planned inspection, an approved major
operation) covers the alarms of its site or asset. The alarms are kept either way."""

from __future__ import annotations

from weibao.incidents import facts as facts_of
from weibao.incidents.choices import IncidentState, Suppression, WindowOrigin
from weibao.incidents.models import ClassificationRule, Incident
from weibao.incidents.windows import windows_between


def suppression_for(incident: Incident, raised, *, cfg):
    """(reason, note, inhibiting incident or None) when the incident opens no ticket now, or
    None when it does."""
    inhibitor = inhibiting_incident(incident)  # the first one of an outage inhibits the rest
    if inhibitor is not None:
        return Suppression.INHIBITED, inhibitor.title, inhibitor
    window = covering_window(incident, raised, cfg=cfg)
    if window is not None:
        label = WindowOrigin(window.origin).label
        return Suppression.MAINTENANCE, f"{label}：{window.note}", None
    return None


def inhibiting_incident(incident: Incident) -> Incident | None:
    """An open incident of the site or a site above it, classified by an inhibiting rule."""
    if incident.site_id is None:
        return None
    rules = ClassificationRule.objects.filter(inhibits=True).values("id")
    return (
        Incident.objects.filter(
            customer_id=incident.customer_id,
            site_id__in=facts_of.ancestors(incident.site_id),
            state=IncidentState.OPEN,
            classification_id__in=rules,
        )
        .exclude(pk=incident.pk)
        .order_by("opened_at", "id")
        .first()
    )


def covering_window(incident: Incident, raised, *, cfg):
    """The window covering every alarm just raised (when one is not covered: None); the
    windows of the batch's period are read once."""
    chains: dict[int | None, list[int]] = {}
    for change in raised:
        site_id = change.alarm.site_id or incident.site_id
        if site_id not in chains:
            chains[site_id] = facts_of.ancestors(site_id)
    windows = windows_between(
        customer_id=incident.customer_id,
        site_ids={s for chain in chains.values() for s in chain},
        asset_ids={c.alarm.asset_id for c in raised},
        start=min(c.at for c in raised), end=max(c.at for c in raised),
        operation_window=cfg.operation_window,
    )  # fmt: skip
    if not windows:
        return None
    found = None
    for change in raised:
        alarm = change.alarm
        chain = chains[alarm.site_id or incident.site_id]
        covering = next((w for w in windows
                         if w.covers(site_ids=chain, asset_id=alarm.asset_id, at=change.at)),
                        None)  # fmt: skip
        if covering is None:
            return None
        found = found or covering
    return found
