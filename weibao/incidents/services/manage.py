"""What people do with incidents: link an incident to an existing ticket (a call came in
first) or split it off a ticket it shares into a ticket of its own; set and end maintenance
windows by hand."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core import bounds, clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.incidents.choices import IncidentEvent
from weibao.incidents.models import Incident, MaintenanceWindow
from weibao.incidents.rules import Verdict
from weibao.incidents.services import tickets
from weibao.tickets.choices import Level
from weibao.tickets.models import Ticket

LONGEST_WINDOW = dt.timedelta(days=31)


def _locked(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("ticket", "site")
        .get(pk=incident.pk)
    )


@transaction.atomic
def link_incident(incident: Incident, *, ticket: Ticket, actor) -> Incident:
    """Attach the incident to an existing open ticket of its customer (the ticket then
    follows it: growth raises that ticket's level, recovery is written on it)."""
    incident = _locked(incident)
    permissions.require(actor, Capability.TICKET_CLASSIFY, customer_id=incident.customer_id)
    if ticket.customer_id != incident.customer_id:
        raise DomainError(_("工单不属于该客户。"), code="wrong_customer", field="ticket")
    if not ticket.is_open:
        raise DomainError(_("只能关联处理中的工单。"), code="ticket_not_open", field="ticket")
    if incident.ticket_id == ticket.pk:
        raise DomainError(_("告警事件已关联该工单。"), code="already_linked", field="ticket")
    previous = incident.ticket
    incident.ticket = ticket
    incident.suppression, incident.suppression_note, incident.inhibited_by = "", "", None
    incident.save(update_fields=["ticket", "suppression", "suppression_note", "inhibited_by"])
    record_event(
        incident,
        kind=IncidentEvent.LINKED,
        actor=actor,
        message=event_text("关联到工单 %(number)s", number=ticket.number),
        data={"ticket": ticket.pk, "previous": previous.pk if previous else None},
    )
    record_event(ticket, kind=IncidentEvent.LINKED, actor=actor,
                 message=event_text("关联告警事件 #%(id)s：%(title)s", id=incident.pk,
                                    title=incident.title),
                 data={"incident": incident.pk})  # fmt: skip
    return incident


@transaction.atomic
def split_incident(incident: Incident, *, actor) -> Incident:
    """Split the incident off the ticket it shares with other incidents: it gets a ticket
    of its own, opened like any alarm ticket (at the incident's level)."""
    incident = _locked(incident)
    permissions.require(actor, Capability.TICKET_CLASSIFY, customer_id=incident.customer_id)
    shared = incident.ticket
    if shared is None or not Incident.objects.filter(ticket=shared).exclude(pk=incident.pk):
        raise DomainError(_("该告警事件没有与其他事件共用工单，无需拆分。"),
                          code="nothing_to_split")  # fmt: skip
    if not incident.is_open:
        raise DomainError(_("已恢复的告警事件不能拆分。"), code="incident_resolved")
    verdict = None
    if incident.classification is not None:
        from weibao.incidents.facts import as_rule

        verdict = Verdict(incident.level or Level.L3, as_rule(incident.classification))
    ticket = tickets.open_for(incident, verdict, now=clock.now())
    incident.save(update_fields=["ticket"])
    record_event(
        incident,
        kind=IncidentEvent.SPLIT,
        actor=actor,
        message=event_text(
            "从工单 %(old)s 拆分，开出工单 %(new)s", old=shared.number, new=ticket.number
        ),
        data={"ticket": ticket.pk, "previous": shared.pk},
    )
    record_event(shared, kind=IncidentEvent.SPLIT, actor=actor,
                 message=event_text("告警事件 #%(id)s 拆分到工单 %(number)s", id=incident.pk,
                                    number=ticket.number),
                 data={"incident": incident.pk, "ticket": ticket.pk})  # fmt: skip
    return incident


def check_window(*, customer=None, site=None, asset=None, starts_at, ends_at, reason: str):
    """Refuse a window with no target, a target of another customer, a wrong period or no
    reason (a `DomainError` naming the field); returns (customer id, site, cleaned reason)."""
    if site is None and asset is None:
        raise DomainError(_("请选择机房或设备。"), code="target_required", field="site")
    if asset is not None:
        if site is not None and asset.site_id != site.pk:
            raise DomainError(_("设备不在该机房。"), field="asset")
        site = None
    customer_id = (asset or site).customer_id
    if customer is not None and customer.pk != customer_id:
        raise DomainError(_("机房不属于该客户。"), field="site")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise DomainError(_("结束时间必须晚于开始时间。"), code="invalid_period", field="ends_at")
    if ends_at - starts_at > LONGEST_WINDOW:
        raise DomainError(_("维护窗口不能超过 31 天。"), code="invalid_period", field="ends_at")
    reason = bounds.check_text(reason or "", "reason", 300).strip()
    if not reason:
        raise DomainError(_("请填写原因。"), code="reason_required", field="reason")
    return customer_id, site, reason


@transaction.atomic
def set_window(*, customer=None, site=None, asset=None, starts_at: dt.datetime,
               ends_at: dt.datetime, reason: str, actor) -> MaintenanceWindow:  # fmt: skip
    """A maintenance window by hand over a site (and the sites below it) or one asset: its
    alarms are kept, its incidents open no ticket."""
    customer_id, site, reason = check_window(customer=customer, site=site, asset=asset,
                                             starts_at=starts_at, ends_at=ends_at,
                                             reason=reason)  # fmt: skip
    permissions.require(actor, Capability.TICKET_DISPATCH, customer_id=customer_id)
    return MaintenanceWindow.objects.create(
        customer_id=customer_id, site=site, asset=asset, starts_at=starts_at, ends_at=ends_at,
        reason=reason, created_by=actor,
    )  # fmt: skip


@transaction.atomic
def end_window(window: MaintenanceWindow, *, actor) -> MaintenanceWindow:
    """End a window now (a window not started yet is cut to nothing)."""
    window = MaintenanceWindow.objects.select_for_update().get(pk=window.pk)
    permissions.require(actor, Capability.TICKET_DISPATCH, customer_id=window.customer_id)
    now = clock.now()
    if window.ends_at <= now:
        raise DomainError(_("维护窗口已结束。"), code="window_over")
    window.ends_at = max(now, window.starts_at)
    window.save(update_fields=["ends_at"])
    return window
