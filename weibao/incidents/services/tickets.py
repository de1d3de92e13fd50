"""An incident's ticket (ALM-3), always through the ticket services: opened with
`open_ticket` (channel alarm, the contract and policy resolved as for any request, clocks and
ladder started), its level raised with `change_level`, recovery written on its timeline, an
L3 ticket resolved through the support flow where the contract's alarm terms say so."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.alarms.models import Alarm
from weibao.core.audit import record_event
from weibao.core.batchreads import once
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.incidents.choices import IncidentEvent, IncidentState
from weibao.incidents.correlation import more_severe
from weibao.incidents.models import AlarmTerms, Incident, IncidentAlarm
from weibao.incidents.rules import Verdict
from weibao.tickets.choices import Channel, Level, RequestType, Stage
from weibao.tickets.models import ClassificationCriterion, ResolutionCause, Ticket
from weibao.tickets.services.flow import resolve, system_move
from weibao.tickets.services.intake import TicketRequest, open_tickets
from weibao.tickets.services.level import change_level

RECOVERED_CAUSE = ("alarm_recovered", gettext_noop("告警自动恢复"))
PHENOMENON_MAX = 500


def phenomenon(incident: Incident) -> str:
    """The fault phenomenon of an alarm-opened ticket (data, kept in Chinese like typed text)."""
    where = str(incident.site) if incident.site_id else "—"
    return (f"监控平台告警：{incident.rule or '—'}（{where}，{incident.alarm_count} 条告警）"
            )[:PHENOMENON_MAX]  # fmt: skip


def _single_asset(incident: Incident, alarms=None):
    """The one device all the incident's alarms (`alarms`, when known) are about, if any."""
    if alarms is not None:
        assets = {alarm.asset_id for alarm in alarms}
    else:
        assets = set(
            Alarm.objects.filter(pk__in=IncidentAlarm.objects.filter(incident=incident)
                                 .values("alarm_id"))
            .order_by().values_list("asset_id", flat=True).distinct()[:2]
        )  # fmt: skip
    if len(assets) != 1 or None in assets:
        return None
    from weibao.assets.models import Asset

    asset = Asset.objects.filter(pk=assets.pop()).first()
    if asset is None or (incident.site_id and asset.site_id != incident.site_id):
        return None
    return asset


@dataclass(frozen=True)
class Opening:
    """An incident whose ticket a correlation run opens (see `open_for`)."""

    incident: Incident
    verdict: Verdict | None
    since: dt.datetime | None = None
    alarms: list | None = None


def open_for(
    incident: Incident,
    verdict: Verdict | None,
    *,
    now: dt.datetime,
    since: dt.datetime | None = None,
) -> Ticket:
    """Open the incident's ticket as the system (no actor), at the incident's time (or
    `since`: when its suppression ended): `open_all` for one incident."""
    return open_all([Opening(incident, verdict, since)], now=now)[0]


def open_all(openings: list[Opening], *, now: dt.datetime) -> list[Ticket]:
    """Open the tickets of several incidents together (one `open_tickets` call: each kind of
    row written once). Each incident gets its ticket (set, not saved) and the event saying
    so; an opening's `alarms`: all the incident's alarms, when known. A classification
    criterion is read once per run (`core.batchreads`)."""
    requests = []
    for opening in openings:
        incident, verdict = opening.incident, opening.verdict
        found = []
        if verdict is not None and verdict.rule.criterion_id:
            criterion_id = verdict.rule.criterion_id
            found = once(
                ("criterion", criterion_id),
                lambda pk=criterion_id: list(ClassificationCriterion.objects.filter(pk=pk)),
            )
        site = incident.site
        requests.append(
            TicketRequest(
                actor=None,
                fault_phenomenon=phenomenon(incident),
                contact_name=_("监控平台"),
                contact_phone=(site.duty_phone if site is not None else "") or "",
                customer=incident.customer,
                site=site,
                asset=_single_asset(incident, opening.alarms),
                channel=Channel.ALARM,
                reported_at=min(opening.since or incident.opened_at, now),
                request_type=RequestType.FAULT,
                level=verdict.level if verdict else Level.L3,
                criteria=found,
            )
        )
    opened = open_tickets(requests)
    for opening, ticket in zip(openings, opened, strict=True):
        incident = opening.incident
        incident.ticket = ticket
        record_event(incident, kind=IncidentEvent.TICKET,
                     message=event_text("开出工单 %(number)s（%(level)s）", number=ticket.number,
                                        level=Level(ticket.level)),
                     data={"ticket": ticket.pk, "level": ticket.level})  # fmt: skip
    return opened


def raise_level(incident: Incident, verdict: Verdict) -> bool:
    """The incident grew: raise its open ticket's level through the normal level change
    (clocks and ladder re-planned; L1 enters the emergency path). Never lowers it."""
    ticket = incident.ticket
    if ticket is None or not ticket.is_open or ticket.request_type != RequestType.FAULT:
        return False
    if not more_severe(verdict.level, ticket.level):
        return False
    reason = _("告警事件 #%(id)s 扩大，按分级规则“%(rule)s”为%(level)s") % {
        "id": incident.pk,
        "rule": verdict.rule.name,
        "level": Level(verdict.level).label,
    }
    try:
        with transaction.atomic():
            change_level(ticket, level=verdict.level, reason=reason, actor=None)
    except DomainError:  # e.g. L4 under a three-level contract: the people decide
        return False
    record_event(incident, kind=IncidentEvent.LEVEL,
                 message=event_text("告警事件扩大，工单级别升为%(level)s（%(rule)s）",
                                    level=Level(verdict.level), rule=verdict.rule.name),
                 data={"ticket": ticket.pk, "level": verdict.level})  # fmt: skip
    return True


def recovered(incident: Incident, *, now: dt.datetime) -> None:
    """Every alarm of the incident recovered: written on the incident and on its ticket's
    timeline; the ticket itself closes through the normal flow (callback, report) unless the
    contract resolves L3 tickets automatically."""
    record_event(incident, kind=IncidentEvent.RECOVERED,
                 message=event_text("告警全部恢复（%(count)d 条告警）",
                                    count=incident.alarm_count))  # fmt: skip
    ticket = incident.ticket
    if ticket is None:
        return
    record_event(ticket, kind=IncidentEvent.RECOVERED,
                 message=event_text("告警事件 #%(id)s 已恢复：%(rule)s，%(count)d 条告警全部恢复",
                                    id=incident.pk, rule=incident.rule,
                                    count=incident.alarm_count),
                 data={"incident": incident.pk, "at": now.isoformat()})  # fmt: skip
    if _auto_resolves(ticket, incident):
        _auto_resolve(ticket, incident)


def _auto_resolves(ticket: Ticket, incident: Incident) -> bool:
    if not ticket.is_open or ticket.level != Level.L3 or ticket.channel != Channel.ALARM:
        return False
    if ticket.contract_id is None:
        return False
    terms = AlarmTerms.objects.filter(contract_id=ticket.contract_id).first()
    if terms is None or not terms.auto_resolve_l3:
        return False
    others = Incident.objects.filter(ticket=ticket, state=IncidentState.OPEN)
    return not others.exclude(pk=incident.pk).exists()


def _auto_resolve(ticket: Ticket, incident: Incident) -> None:
    code, name = RECOVERED_CAUSE
    cause, _created = ResolutionCause.objects.get_or_create(code=code, defaults={"name": name})
    note = _("告警事件 #%(id)s 全部恢复，按合同自动解决") % {"id": incident.pk}
    try:
        with transaction.atomic():
            if ticket.stage == Stage.NEW:
                system_move(ticket, "start_phone", actor=None, note=note)
            resolve(ticket, cause=cause, fix=note, note=note, actor=None)
    except DomainError as refused:  # e.g. an open visit: people resolve it
        record_event(ticket, kind=IncidentEvent.AUTO_RESOLVED,
                     message=event_text("告警已恢复，但未能自动解决：%(reason)s",
                                        reason=refused.message))  # fmt: skip
        return
    record_event(
        incident,
        kind=IncidentEvent.AUTO_RESOLVED,
        message=event_text("工单 %(number)s 已按合同自动解决", number=ticket.number),
    )


def reopen_ticket(incident: Incident, *, window: dt.timedelta) -> None:
    """The incident took an alarm back within its window: its resolved ticket reopens (a
    closed one stays closed and the incident opens a new one)."""
    ticket = incident.ticket
    if ticket is None:
        return
    if ticket.stage == Stage.CLOSED:
        incident.ticket = None
        return
    if ticket.stage != Stage.RESOLVED:
        return
    note = _("告警事件 #%(id)s 在恢复后 %(minutes)d 分钟内再次产生") % {
        "id": incident.pk,
        "minutes": int(window.total_seconds() // 60),
    }
    try:
        with transaction.atomic():
            system_move(ticket, "reopen", actor=None, note=note)
    except DomainError:
        incident.ticket = None
