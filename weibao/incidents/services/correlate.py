"""Correlation (ALM-2), the due source `incidents.correlate`: claims unprocessed
`alarms.AlarmChange` rows (SKIP LOCKED on PostgreSQL), groups them into incidents per
customer, site and rule, and marks them processed in the same transaction — so a second run,
or a second worker, never correlates a change twice.

Per key, held by one worker at a time (another worker correlating the same key leaves its
changes for its next run rather than wait), under the incident's row lock: join the open
incident (the database allows one per key, a partial unique index), or take back the last
one when it recovered within the window, or open a new one. Then: flapping (an alarm raised
N times in M minutes holds its incident open as one), recovery (no alarm firing),
classification (the FLT-2 rules over the site's inventory), inhibition (an open site-level
incident whose rule inhibits), maintenance windows (kept, recorded as suppressed, no
ticket), and the ticket: opened once (the run's new tickets together, when every key is
correlated), its level raised as the incident grows."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Count, Q

from weibao.alarms.choices import AlarmState, ChangeKind
from weibao.alarms.models import AlarmChange
from weibao.core import audit, batchreads, due
from weibao.core.audit import record_event
from weibao.core.bulk import hold_free
from weibao.core.events import event_text
from weibao.incidents import facts as facts_of
from weibao.incidents import policy
from weibao.incidents.choices import IncidentEvent, IncidentState, Suppression
from weibao.incidents.correlation import (
    incident_key,
    is_flapping,
    more_severe,
    rule_of,
    takes_back,
)
from weibao.incidents.models import Incident, IncidentAlarm
from weibao.incidents.rules import classify
from weibao.incidents.services import tickets
from weibao.incidents.services.suppression import (
    batch_windows,
    inhibitor_sites,
    suppression_for,
)
from weibao.sites.models import Site
from weibao.sla import urgency
from weibao.tenancy.models import Customer

log = logging.getLogger(__name__)

# Changes correlated per transaction: each chunk commits on its own (its tickets are seen,
# and its locks released, without waiting for the rest of the runner's batch).
CHUNK = 100
# How often a suppressed incident whose alarms still fire is looked at again.
RECHECK = dt.timedelta(minutes=1)


def correlate(*, now: dt.datetime, limit: int) -> int:
    """Correlate at most `limit` changes of the inbox, in chunks of CHUNK changes, each
    claimed, correlated and marked processed in one transaction. Changes of a key another
    worker is correlating at that moment stay in the inbox for the next run.

    A chunk that fails is correlated again key by key, each in a transaction of its own: a
    key that fails alone (a fault in the data or the code) is logged and its changes stay in
    the inbox for a later run, while every other key's tickets open — one bad alarm never
    holds up a storm, nor ends the runner and with it the desk's clocks and ladders."""
    total = 0
    failed: set[int] = set()  # changes of keys that failed alone in this call
    while total + len(failed) < limit:
        size = min(CHUNK, limit - total - len(failed))
        before = len(failed)
        done = _correlate_chunk(now=now, limit=size, failed=failed)
        total += done
        if done + len(failed) - before < size:
            break
    return total


def _correlate_chunk(*, now: dt.datetime, limit: int, failed: set[int]) -> int:
    try:
        return _correlate_run(now=now, limit=limit, skip=failed)
    except Exception:
        log.exception("correlation run failed: correlating its keys one by one")
    with transaction.atomic():
        inbox = AlarmChange.objects.filter(processed_at__isnull=True).exclude(pk__in=failed)
        rows = due.claim(inbox.order_by("id")).values_list(
            "pk", "alarm__customer_id", "alarm__site_id", "alarm__name"
        )[:limit]
        groups: dict[str, list[int]] = defaultdict(list)
        for pk, customer_id, site_id, name in rows:
            groups[incident_key(customer_id, site_id, name)].append(pk)
    done = 0
    for key in sorted(groups):
        try:
            done += _correlate_run(now=now, limit=len(groups[key]), only=groups[key])
        except Exception:
            log.exception("correlation of incident key %s failed: its %d changes stay in the "
                          "inbox for a later run", key, len(groups[key]))  # fmt: skip
            failed.update(groups[key])
    return done


@contextlib.contextmanager
def _run() -> Iterator[None]:
    """One run's transaction: the urgency keys of its tickets written together when it ends,
    its change-log rows too, and its reads (contracts, role holders, endpoints) shared."""
    with transaction.atomic(), batchreads.shared(), urgency.deferred(), audit.collected():
        yield


def _correlate_run(*, now: dt.datetime, limit: int, skip=(), only=None) -> int:
    """One run's transaction over at most `limit` changes of the inbox (but `skip`; of `only`,
    when given)."""
    with _run():
        inbox = AlarmChange.objects.filter(processed_at__isnull=True).order_by("id")
        if only is not None:
            inbox = inbox.filter(pk__in=only)
        if skip:
            inbox = inbox.exclude(pk__in=skip)
        changes = list(due.claim(inbox).select_related("alarm")[:limit])
        if not changes:
            return 0
        _share_places(changes)
        groups: dict[str, list[AlarmChange]] = defaultdict(list)
        for change in changes:
            alarm = change.alarm
            groups[incident_key(alarm.customer_id, alarm.site_id, alarm.name)].append(change)
        # a key another worker is correlating right now (its changes split between two
        # chunks) is left for a later run, not waited for until that worker's chunk commits
        held = hold_free("incidents.key", groups)
        if len(held) < len(groups):
            groups = {key: group for key, group in groups.items() if key in held}
            changes = [change for group in groups.values() for change in group]
            if not changes:
                return 0
        batch = _Batch(now, changes, keys=groups)
        for key in sorted(groups):  # one lock order for every worker
            _correlate_key(key, groups[key], batch)
        _finish(batch)
        AlarmChange.objects.filter(pk__in=[c.pk for c in changes]).update(processed_at=now)
    return len(changes)


def _share_places(changes: list[AlarmChange]) -> None:
    """Give the alarms of a run their sites (with service points) and customers, each read
    once: a storm's thousand changes name a few hundred sites and one customer."""
    alarms = [change.alarm for change in changes]
    sites = Site.objects.select_related("service_point").in_bulk(
        {a.site_id for a in alarms if a.site_id}
    )
    customers = Customer.objects.in_bulk({a.customer_id for a in alarms})
    for alarm in alarms:
        alarm.customer = customers[alarm.customer_id]
        if alarm.site_id in sites:  # (a site deleted meanwhile is read as before, lazily)
            alarm.site = sites[alarm.site_id]


class _Batch:
    """What one run reads once: the time, the rules, each customer's settings, the site tree,
    inventory and ancestors of every site of the batch (preloaded together), the maintenance
    windows over the batch's period, the raise times that tell flapping — and, through
    `core.batchreads`, the classification criteria, contracts and policies of its tickets and
    the role holders, preferences and endpoints their notices go to."""

    def __init__(
        self,
        now: dt.datetime,
        changes: list[AlarmChange],
        *,
        keys: dict[str, list[AlarmChange]] | None = None,
    ):
        """`keys`: the changes by incident key, when the run correlates them (`_look_up`)."""
        self.now = now
        self.rules = facts_of.active_rules()
        self.reads = facts_of.SiteReads()
        self._settings: dict[int, policy.CorrelationSettings] = {}
        self._raised: dict[int, list[AlarmChange]] = defaultdict(list)
        for change in changes:
            if change.kind == ChangeKind.RAISED:
                self._raised[change.alarm.customer_id].append(change)
        self._windows: dict[int, list] = {}
        self._inhibitors: dict[int, set[int]] = {}
        self._times: dict[int, dict[int, list[dt.datetime]]] = {}
        self.openings: list[tickets.Opening] = []  # the tickets to open when the run ends
        self.links: list[IncidentAlarm] = []  # new incidents' alarms, written then too
        self.firing = facts_of.FiringReads()
        if self._raised:
            self.reads.preload({change.alarm.site_id for change in changes})
            for customer_id, raised in self._raised.items():  # what classification reads
                subtrees = (self.reads.subtree(c.alarm.site_id) for c in raised)
                self.firing.preload(customer_id, {s for tree in subtrees for s in tree})
        self.open_keys: set[str] = set()
        self.recovered_keys: set[str] = set()
        self.new_incidents: dict[str, Incident] = {}  # opened for the run's keys (`_look_up`)
        if keys is not None:
            self._look_up(keys)

    def _look_up(self, groups: dict[str, list[AlarmChange]]) -> None:
        """Which of the batch's keys have an open incident, and which a recovered one that may
        take its alarms back: two reads for the batch instead of two per key. Another
        worker opening a key meanwhile is met by the partial unique index, as always."""
        self.open_keys = set(
            Incident.objects.filter(key__in=list(groups), state=IncidentState.OPEN)
            .values_list("key", flat=True)
        )  # fmt: skip
        since = {}  # per key: the earliest recovery that could take its alarms back
        for key, changes in groups.items():
            raised = [c.at for c in changes if c.kind == ChangeKind.RAISED]
            if key not in self.open_keys and raised:
                since[key] = min(raised) - self.settings(changes[0].alarm.customer_id).window
        if since:
            self.recovered_keys = set(
                Incident.objects.filter(
                    key__in=list(since), state=IncidentState.RESOLVED,
                    resolved_at__gte=min(since.values()),
                ).values_list("key", flat=True)
            )  # fmt: skip
        # the keys that certainly open a new incident, opened together (unclassified until
        # their key is correlated, as one opened there would be)
        new = {key: [c for c in groups[key] if c.kind == ChangeKind.RAISED]
               for key in since if key not in self.recovered_keys}  # fmt: skip
        if new:
            self.new_incidents = _open_all(new, self.now)

    def settings(self, customer_id: int) -> policy.CorrelationSettings:
        if customer_id not in self._settings:
            self._settings[customer_id] = policy.settings_for(customer_id)
        return self._settings[customer_id]

    def raised_times(self, customer_id: int) -> dict[int, list[dt.datetime]]:
        """When each alarm of the customer raised in this batch was raised within the
        flapping period (read once for the batch: correlation adds no raised change)."""
        if customer_id not in self._times:
            since = self.now - self.settings(customer_id).flap_window
            times: dict[int, list[dt.datetime]] = defaultdict(list)
            rows = AlarmChange.objects.filter(
                alarm_id__in={c.alarm_id for c in self._raised[customer_id]},
                kind=ChangeKind.RAISED, at__gte=since,
            ).values_list("alarm_id", "at")  # fmt: skip
            for alarm_id, at in rows:
                times[alarm_id].append(at)
            self._times[customer_id] = times
        return self._times[customer_id]

    def inhibitor_sites(self, customer_id: int) -> set[int]:
        """Where an inhibiting incident of the customer may be open: where one was when the
        batch first asked, and where the batch has classified one by an inhibiting rule
        since (`_classify_and_ticket` adds them)."""
        if customer_id not in self._inhibitors:
            self._inhibitors[customer_id] = inhibitor_sites(customer_id)
        return self._inhibitors[customer_id]

    def windows(self, customer_id: int) -> list:
        """The customer's maintenance windows over every change raised in this batch."""
        if customer_id not in self._windows:
            self._windows[customer_id] = batch_windows(
                customer_id, self._raised[customer_id], cfg=self.settings(customer_id),
                reads=self.reads,
            )  # fmt: skip
        return self._windows[customer_id]


def _correlate_key(key: str, changes: list[AlarmChange], batch: _Batch) -> None:
    alarm = changes[0].alarm
    cfg = batch.settings(alarm.customer_id)
    raised = [c for c in changes if c.kind == ChangeKind.RAISED]
    # a key the batch found no open incident for needs no locked read, unless its changes
    # only recover alarms (that read decides whether there is anything to recover)
    incident = _open_incident(key) if key in batch.open_keys or not raised else None
    known = None  # a new incident's alarms: the ones raised here, so read from none
    if incident is None:
        if not raised:
            return  # the recovery of an alarm whose incident is already over
        first = min(c.at for c in raised)
        incident = _take_back(key, first, cfg, batch.now) if key in batch.recovered_keys else None
        if incident is None:
            incident = batch.new_incidents.pop(key, None) or _open(key, raised, batch.now)
            known = list({c.alarm_id: c.alarm for c in raised}.values())
    last = max(c.at for c in changes)
    links = [IncidentAlarm(incident=incident, alarm_id=c.alarm_id, joined_at=batch.now)
             for c in raised]  # fmt: skip
    if known is None:
        IncidentAlarm.objects.bulk_create(links, ignore_conflicts=True)
    else:  # a new incident's: nothing in the run reads them, written with the run's others
        batch.links += links
    incident.raise_count += len(raised)
    incident.last_change_at = max(incident.last_change_at, last)
    if raised and not incident.flapping and _flapping(raised, cfg, batch):
        incident.flapping = True
        _flapping_event(incident, cfg)
    _recount(incident, known)
    if incident.firing_count == 0:
        if not incident.flapping:  # a flapping incident is held until it stays quiet
            _resolve(incident, batch.now)
    else:
        _classify_and_ticket(incident, raised, batch, cfg, known)
    incident.save()


def _open_incident(key: str) -> Incident | None:
    return (Incident.objects.select_for_update(of=("self",)).select_related("ticket", "site")
            .filter(key=key, state=IncidentState.OPEN).first())  # fmt: skip


def _take_back(key, at, cfg, now) -> Incident | None:
    """The last incident of the key, open again when it recovered within the window."""
    last = Incident.objects.filter(key=key, state=IncidentState.RESOLVED).order_by(
        "-resolved_at", "-id").first()  # fmt: skip
    if last is None or not takes_back(last.resolved_at, at, cfg.window):
        return None
    # the run holds the key (`hold_free`): no other worker opens it meanwhile (see `_open`)
    updated = Incident.objects.filter(pk=last.pk, state=IncidentState.RESOLVED).update(
        state=IncidentState.OPEN, resolved_at=None)  # fmt: skip
    incident = _open_incident(key)
    if updated and incident is not None and incident.pk == last.pk:
        record_event(
            incident,
            kind=IncidentEvent.REOPENED,
            message=event_text(
                "告警在恢复后 %(minutes)d 分钟内再次产生，归入本事件",
                minutes=int(cfg.window.total_seconds() // 60),
            ),
        )
        tickets.reopen_ticket(incident, window=cfg.window)  # fmt: skip
    return incident


def _open(key: str, raised: list[AlarmChange], now: dt.datetime) -> Incident:
    """A new open incident for `key` (`_open_all` of one)."""
    return _open_all({key: raised}, now)[key]


def _open_all(raised: dict[str, list[AlarmChange]], now: dt.datetime) -> dict[str, Incident]:
    """New open incidents, one per key of `raised` (its raised changes), in one INSERT. The
    run holds the keys (`hold_free`), so no other worker opens them meanwhile; should
    anything else, the partial unique index refuses the second, the run fails whole and its
    changes stay in the inbox for the next one."""
    incidents = {}
    for key, changes in raised.items():
        alarm = changes[0].alarm
        # a sender's old start time (an alert firing for days before the source was
        # connected) is not when the request came in: the ticket counts from receipt
        at = min(max(c.at, c.alarm.first_seen) for c in changes)
        rule = rule_of(alarm.name)
        title = f"{rule or '—'} · {alarm.site}" if alarm.site_id else (rule or "—")
        incidents[key] = Incident(
            customer=alarm.customer, site=alarm.site, rule=rule, key=key,
            title=title[:300], opened_at=min(at, now), last_change_at=at,
        )  # fmt: skip
    Incident.objects.bulk_create(incidents.values())
    for incident in incidents.values():
        record_event(
            incident,
            kind=IncidentEvent.OPENED,
            message=event_text("告警事件产生：%(title)s", title=incident.title),
        )
    return incidents


def _flapping(raised, cfg, batch: _Batch) -> bool:
    times = batch.raised_times(raised[0].alarm.customer_id)
    per_alarm = (times.get(alarm_id, ()) for alarm_id in {c.alarm_id for c in raised})
    return any(is_flapping(ats, now=batch.now, count=cfg.flap_count, window=cfg.flap_window)
               for ats in per_alarm if ats)  # fmt: skip


def _flapping_event(incident: Incident, cfg) -> None:
    message = event_text("告警振荡（%(minutes)d 分钟内产生 %(count)d 次以上），合并为一个事件",
                         minutes=int(cfg.flap_window.total_seconds() // 60),
                         count=cfg.flap_count)  # fmt: skip
    record_event(incident, kind=IncidentEvent.FLAPPING, message=message)
    if incident.ticket_id:
        record_event(incident.ticket, kind=IncidentEvent.FLAPPING, message=message,
                     data={"incident": incident.pk})  # fmt: skip


def _recount(incident: Incident, known=None) -> None:
    """The incident's alarms, and those firing; `known`: all its alarms, when it is new."""
    if known is not None:
        incident.alarm_count = len(known)
        incident.firing_count = sum(1 for a in known if a.state == AlarmState.FIRING)
        return
    counts = IncidentAlarm.objects.filter(incident=incident).aggregate(
        alarms=Count("pk"), firing=Count("pk", filter=Q(alarm__state=AlarmState.FIRING))
    )
    incident.alarm_count, incident.firing_count = counts["alarms"], counts["firing"]


def _resolve(incident: Incident, now: dt.datetime) -> None:
    incident.state = IncidentState.RESOLVED
    incident.resolved_at = now
    incident.recheck_at = None
    tickets.recovered(incident, now=now)


def _classify_and_ticket(incident: Incident, raised, batch: _Batch, cfg, known=None) -> None:
    if not raised:
        return  # an incident grows, or may open its ticket, only when alarms are raised
    mine = {a.pk for a in known} if known is not None else None
    facts = facts_of.live_facts(incident, reads=batch.reads, mine=mine, firing=batch.firing)
    verdict = classify(batch.rules, facts)
    if verdict is not None and not more_severe(incident.level, verdict.level):
        # never lowered by itself: people lower a level (FLT-4)
        incident.level, incident.classification_id = verdict.level, verdict.rule.id
        if verdict.rule.inhibits and incident.site_id is not None:
            batch.inhibitor_sites(incident.customer_id).add(incident.site_id)
    if incident.ticket_id is not None:
        if verdict is not None:
            tickets.raise_level(incident, verdict)
        return
    suppressed = suppression_for(
        incident, raised, cfg=cfg, reads=batch.reads, windows=batch.windows(incident.customer_id),
        inhibitor_sites=batch.inhibitor_sites(incident.customer_id),
    )  # fmt: skip
    if suppressed is not None:
        reason, note, by = suppressed
        if (incident.suppression, incident.suppression_note) != (reason, note):
            incident.suppression, incident.suppression_note = reason, note[:300]
            incident.inhibited_by = by
            record_event(incident, kind=IncidentEvent.SUPPRESSED,
                         message=event_text("未开单：%(reason)s（%(note)s）",
                                            reason=Suppression(reason), note=note))  # fmt: skip
        incident.recheck_at = batch.now + RECHECK
        return
    since = None
    if incident.suppression:
        # the window ended, or the incident that covered it recovered, with alarms still
        # firing: a fault of the desk's from now on, its ticket counting from now
        record_event(incident, kind=IncidentEvent.RELEASED,
                     message=event_text("解除抑制（原因：%(reason)s），告警仍在：开单",
                                        reason=Suppression(incident.suppression)))  # fmt: skip
        since = batch.now
    incident.suppression, incident.suppression_note, incident.inhibited_by = "", "", None
    incident.recheck_at = None
    # opened with the run's other tickets, once every key is correlated (`_finish`)
    batch.openings.append(tickets.Opening(incident, verdict, since=since, alarms=known))


def _finish(batch: _Batch) -> None:
    """The run's new incidents' alarms, and the tickets of its incidents opened together
    (each incident's ticket saved)."""
    if batch.links:
        IncidentAlarm.objects.bulk_create(batch.links, ignore_conflicts=True)
        batch.links = []
    if batch.openings:
        tickets.open_all(batch.openings, now=batch.now)
        Incident.objects.bulk_update([opening.incident for opening in batch.openings], ["ticket"])
        batch.openings = []


def recheck_suppressed(*, now: dt.datetime, limit: int) -> int:
    """The due source `incidents.recheck`: a suppressed incident whose alarms still fire is
    looked at again every RECHECK — once its maintenance window has ended, or the incident
    that inhibited it has recovered, it opens its ticket (counting from then), as a new alarm
    would have made it. One that stays suppressed is looked at again later."""
    with _run():
        rows = Incident.objects.filter(state=IncidentState.OPEN, recheck_at__lte=now)
        incidents = list(
            due.claim(rows.order_by("recheck_at", "id")).select_related("ticket", "site")[:limit]
        )
        if not incidents:
            return 0
        links = IncidentAlarm.objects.filter(
            incident__in=incidents, alarm__state=AlarmState.FIRING
        ).select_related("alarm__site__service_point", "alarm__customer")
        firing: dict[int, list[AlarmChange]] = defaultdict(list)
        for link in links:
            # the alarm as if raised now: is it covered now?
            firing[link.incident_id].append(
                AlarmChange(alarm=link.alarm, kind=ChangeKind.RAISED, at=now)
            )
        batch = _Batch(now, [change for group in firing.values() for change in group])
        for incident in sorted(incidents, key=lambda i: i.key):  # one lock order
            raised = firing[incident.pk]
            if incident.ticket_id is None and incident.suppression and raised:
                _classify_and_ticket(incident, raised, batch, batch.settings(incident.customer_id))
            else:
                incident.recheck_at = None  # nothing left to release
            incident.save()
        _finish(batch)
    return len(incidents)


def settle_flapping(*, now: dt.datetime, limit: int) -> int:
    """The due source `incidents.settle`: a flapping incident whose alarms have all stayed
    recovered for the flapping period resolves (as one incident, once)."""
    with transaction.atomic():
        quiet = Incident.objects.filter(state=IncidentState.OPEN, flapping=True,
                                        firing_count=0).order_by("id")  # fmt: skip
        rows = list(due.claim(quiet).select_related("ticket")[:limit])
        done = 0
        for incident in rows:
            cfg = policy.settings_for(incident.customer_id)
            if incident.last_change_at > now - cfg.flap_window:
                continue
            _recount(incident)
            if incident.firing_count == 0:
                _resolve(incident, now)
            incident.save()
            done += 1
    return done
