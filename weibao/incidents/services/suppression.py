"""Why an incident opens no ticket (ALM-2): an open site-level incident whose rule inhibits
(e.g. "all front-end devices unreachable") covers the per-device incidents of its site and
the sites below; a maintenance window (set by hand, a planned inspection, an approved major
operation) covers the alarms of its site or asset. The alarms are kept either way."""

from __future__ import annotations

from weibao.incidents import facts as facts_of
from weibao.incidents.choices import IncidentState, Suppression, WindowOrigin
from weibao.incidents.models import ClassificationRule, Incident
from weibao.incidents.windows import windows_between


def suppression_for(
    incident: Incident, raised, *, cfg, reads=None, windows=None, inhibitor_sites=None
):
    """(reason, note, inhibiting incident or None) when the incident opens no ticket now, or
    None when it does. A correlation batch passes its `reads` (`facts.SiteReads`), the
    `windows` in force over its period (`batch_windows`) and the sites where an inhibiting
    incident may be open (`inhibitor_sites`), read once for all its incidents."""
    reads = reads or facts_of.SiteReads()
    # the first one inhibits the rest
    inhibitor = inhibiting_incident(incident, reads=reads, candidates=inhibitor_sites)
    if inhibitor is not None:
        return Suppression.INHIBITED, inhibitor.title, inhibitor
    window = covering_window(incident, raised, cfg=cfg, reads=reads, windows=windows)
    if window is not None:
        label = WindowOrigin(window.origin).label
        return Suppression.MAINTENANCE, f"{label}：{window.note}", None
    return None


def inhibiting_incident(incident: Incident, *, reads=None, candidates=None) -> Incident | None:
    """An open incident of the site or a site above it, classified by an inhibiting rule.
    `candidates`, when given, holds every site where one may be open (`inhibitor_sites`): a
    site with none of them above it needs no read."""
    if incident.site_id is None:
        return None
    reads = reads or facts_of.SiteReads()
    if candidates is not None and candidates.isdisjoint(reads.ancestors(incident.site_id)):
        return None
    rules = ClassificationRule.objects.filter(inhibits=True).values("id")
    return (
        Incident.objects.filter(
            customer_id=incident.customer_id,
            site_id__in=reads.ancestors(incident.site_id),
            state=IncidentState.OPEN,
            classification_id__in=rules,
        )
        .exclude(pk=incident.pk)
        .order_by("opened_at", "id")
        .first()
    )


def inhibitor_sites(customer_id: int) -> set[int]:
    """The sites of the customer with an open incident classified by an inhibiting rule."""
    return set(
        Incident.objects.filter(
            customer_id=customer_id, state=IncidentState.OPEN, site__isnull=False,
            classification__inhibits=True,
        ).values_list("site_id", flat=True)
    )  # fmt: skip


def batch_windows(customer_id: int, raised, *, cfg, reads) -> list:
    """Every window of the customer in force over the period of the changes `raised` (of one
    batch, any incident) at their sites, the sites above them or their assets: read once,
    then `covering_window` asks each window whether it covers one alarm."""
    site_ids = {s for c in raised for s in reads.ancestors(c.alarm.site_id)}
    return windows_between(
        customer_id=customer_id, site_ids=site_ids,
        asset_ids={c.alarm.asset_id for c in raised},
        start=min(c.at for c in raised), end=max(c.at for c in raised),
        operation_window=cfg.operation_window,
    )  # fmt: skip


def covering_window(incident: Incident, raised, *, cfg, reads=None, windows=None):
    """The window covering every alarm just raised (when one is not covered: None); the
    windows of the period are read once (or given, read once for the batch)."""
    reads = reads or facts_of.SiteReads()
    chains: dict[int | None, list[int]] = {}
    for change in raised:
        site_id = change.alarm.site_id or incident.site_id
        if site_id not in chains:
            chains[site_id] = reads.ancestors(site_id)
    if windows is None:
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
