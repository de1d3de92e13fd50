"""Writes for visits — the one dispatch path of Weibao (issue 9 #3) and the visit's moves.

    dispatch(ticket, engineer=…, actor=manager)   a planned visit the engineer sees on the
                                                  phone; the on-site response clock is met
    check_in(visit, actor=engineer, lat=, lon=)   the arrival clock is met (ONS-2)
    record_arrival(visit, reason=…, actor=mgr)    the arrival recorded on the engineer's
                                                  behalf, with a reason (shown as 代为记录)
    check_out(visit, actor=engineer)              only with the signed service report, or the
                                                  customer's refusal recorded (ONS-4)
    depart(…), cancel_visit(…)

The moves are the table `weibao.fieldservice.flow.VISIT_FLOW`; a refused move raises
`MoveRefused` (`wrong_state` 409, `permission_denied` 403, `not_your_visit` …)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.core import clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import EventText, event_text, with_note
from weibao.fieldservice.choices import OPEN_VISIT_STATES, VisitEvent
from weibao.fieldservice.dispatch import Proposal, propose_engineers
from weibao.fieldservice.flow import VISIT_FLOW, dispatcher_refusal, service_report_settled
from weibao.fieldservice.models import Visit
from weibao.notifications.services import notify
from weibao.sla import engine
from weibao.sla import services as clocks
from weibao.tickets.choices import Stage
from weibao.tickets.models import Ticket

# Stages in which the customer has confirmed on-site support (L1: on site at once).
ONSITE_STAGES = frozenset({Stage.ONSITE, Stage.EXPERT_ONSITE, Stage.EMERGENCY})

__all__ = [
    "arrival_rule_notice",
    "can_dispatch",
    "cancel_visit",
    "check_in",
    "check_out",
    "depart",
    "dispatch",
    "dispatch_visit",
    "record_arrival",
    "service_report_settled",
]


def can_dispatch(user, ticket=None) -> bool:
    """Whether `user` may dispatch (to `ticket`, when given: the level rule applies)."""
    customer_id = ticket.customer_id if ticket is not None else None
    if not permissions.can(user, Capability.TICKET_DISPATCH, customer_id=customer_id):
        return False
    return ticket is None or dispatcher_refusal(ticket, user) is None


ARRIVAL_RULE = gettext_noop(
    "该机房没有服务网点和距离：到场时限只按表 13（现场响应时间）计算，不含表 14 的路程时间。"
)


def arrival_rule_notice(ticket) -> str | None:
    """Said to the dispatcher when the site has no serving point and no distance: the arrival
    deadline is 表 13's on-site response time alone, without 表 14's travel time."""
    if ticket.distance_km is not None:
        return None
    return _(ARRIVAL_RULE)


def _require_dispatcher(ticket, actor) -> None:
    permissions.require(actor, Capability.TICKET_DISPATCH, customer_id=ticket.customer_id)
    refused = dispatcher_refusal(ticket, actor)
    if refused is not None:
        raise permissions.PermissionRefused(str(refused.message),
                                            capability=Capability.TICKET_DISPATCH)  # fmt: skip


def _ticket_event(ticket, *, actor, message: EventText, **data) -> None:
    record_event(ticket, kind=VisitEvent.TICKET_CLOCK, actor=actor, message=message, data=data)


@transaction.atomic
def dispatch(ticket, *, engineer, actor, proposed_by=None) -> Visit:
    """Send `engineer` to the ticket's site — the one dispatch of Weibao (ticket page, API and
    field-service pages). Checks who may dispatch (`ticket.dispatch`: the maintenance manager;
    the service office manager on L1 only) and that the customer confirmed on-site support;
    creates the planned visit the engineer sees on the phone, meets the on-site response
    clock, and tells the engineer. Without a known distance the event says only 表 13
    applies."""
    _require_dispatcher(ticket, actor)
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer", "site")
        .get(pk=ticket.pk)
    )
    if not engineer.is_active or not engineer.has_role(Role.ENGINEER):
        raise DomainError(_("所选人员不是维护工程师。"), code="not_engineer", field="engineer")
    if engineer.provider_id != ticket.customer.provider_id:
        raise DomainError(_("所选工程师不属于本服务商。"), code="not_engineer", field="engineer")
    if not ticket.is_open:
        raise DomainError(_("工单已解决或关闭。"), code="ticket_not_open")
    if ticket.stage not in ONSITE_STAGES and ticket.onsite_confirmed_at is None:
        raise DomainError(_("客户尚未确认需要现场支持，不能派工。"), code="onsite_not_confirmed")
    if Visit.objects.filter(ticket=ticket, engineer=engineer, state__in=OPEN_VISIT_STATES).exists():
        raise DomainError(
            _("%(name)s 已在处理该工单的现场服务。") % {"name": engineer},
            code="already_dispatched",
            field="engineer",
        )
    proposal = _proposal_for(ticket, engineer)
    now = clock.now()
    visit = Visit.objects.create(
        ticket=ticket,
        engineer=engineer,
        proposed_by=proposed_by,
        proposal=proposal.as_dict() if proposal else {},
        confirmed_by=actor,
        confirmed_at=now,
    )
    ticket.assigned_engineer = engineer
    ticket.save(update_fields=["assigned_engineer"])
    clocks.meet_clock(ticket, engine.ONSITE_RESPONSE, at=now)
    distance = proposal.distance_km if proposal else None
    site = ticket.site or ticket.customer
    if distance is not None:
        message = event_text("派 %(name)s 赴 %(site)s 现场（%(km)s km）", name=engineer,
                             site=site, km=f"{distance:g}")  # fmt: skip
    else:
        message = event_text("派 %(name)s 赴 %(site)s 现场", name=engineer, site=site)
    notice = event_text(ARRIVAL_RULE) if arrival_rule_notice(ticket) else None
    record_event(visit, kind=VisitEvent.DISPATCHED, actor=actor,
                 message=with_note(message, notice))  # fmt: skip
    _ticket_event(ticket, actor=actor, clock=engine.ONSITE_RESPONSE, visit=visit.pk,
                  message=with_note(event_text("已派工程师 %(name)s 赴现场", name=engineer),
                                    notice))  # fmt: skip
    notify(
        recipients=[engineer],
        subject=event_text("现场派工：%(ticket)s %(site)s", ticket=ticket.number,
                           site=ticket.site or ""),
        body=event_text("%(customer)s %(site)s：%(phenomenon)s", customer=ticket.customer,
                        site=ticket.site or "", phenomenon=ticket.fault_phenomenon),
        kind="visit_dispatched",
        dedupe_key=f"visit:{visit.pk}:dispatched",
        customer=ticket.customer,
        ref_type="visit",
        ref_id=str(visit.pk),
    )  # fmt: skip
    return visit


# The name of the first version; the demo and older callers use it. Same function.
dispatch_visit = dispatch


def _proposal_for(ticket, engineer) -> Proposal | None:
    return next((p for p in propose_engineers(ticket) if p.engineer.pk == engineer.pk), None)


def _locked(visit: Visit) -> Visit:
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("ticket", "engineer")
        .get(pk=visit.pk)
    )


@transaction.atomic
def depart(visit: Visit, *, actor) -> Visit:
    """The engineer is on the way."""
    visit = _locked(visit)
    VISIT_FLOW.apply(visit, "depart", actor)
    visit.departed_at = clock.now()
    visit.save(update_fields=["state", "departed_at"])
    record_event(visit, kind=VisitEvent.DEPARTED, actor=actor, message=event_text("工程师已出发"))
    return visit


def _coordinate(value, limit: int, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("位置坐标无效。"), field=field) from None
    if not -limit <= number <= limit:
        raise DomainError(_("位置坐标无效。"), field=field)
    return number


def _meet_arrival(visit: Visit, *, at: dt.datetime, actor, message: EventText, **data) -> None:
    """The ticket's arrival clock is met by this visit (when it runs and is not met yet)."""
    ticket = Ticket.objects.select_for_update().get(pk=visit.ticket_id)
    met = clocks.meet_clock(ticket, engine.ONSITE_ARRIVAL, at=at)
    _ticket_event(ticket, actor=actor, message=message, clock=engine.ONSITE_ARRIVAL,
                  visit=visit.pk, clock_met=met is not None, **data)  # fmt: skip


@transaction.atomic
def check_in(visit: Visit, *, actor, lat=None, lon=None) -> Visit:
    """The engineer arrived: time (and the phone's location, when given) recorded, and the
    ticket's arrival clock met (ONS-2). Only the visit's own engineer checks in."""
    visit = _locked(visit)
    VISIT_FLOW.apply(visit, "check_in", actor)
    lat, lon = _coordinate(lat, 90, "lat"), _coordinate(lon, 180, "lon")
    now = clock.now()
    visit.checked_in_at = now
    visit.check_in_lat, visit.check_in_lon = lat, lon
    visit.save(update_fields=["state", "checked_in_at", "check_in_lat", "check_in_lon"])
    if lat is not None and lon is not None:
        checked_in = event_text("工程师到场签到（%(lat)s, %(lon)s）", lat=lat, lon=lon)
    else:
        checked_in = event_text("工程师到场签到")
    record_event(visit, kind=VisitEvent.CHECKED_IN, actor=actor, message=checked_in)
    arrived = event_text("工程师 %(name)s 已到达现场（签到）", name=visit.engineer)
    _meet_arrival(visit, at=now, actor=actor, message=arrived)
    return visit


@transaction.atomic
def record_arrival(visit: Visit, *, reason: str, actor, arrived_at: dt.datetime | None = None):
    """A dispatcher records the engineer's arrival on their behalf (e.g. the phone is dead),
    with a reason: the arrival clock is met at `arrived_at` (default now; not in the future,
    not before dispatch), and the visit and the ticket timeline show it as 代为记录."""
    visit = _locked(visit)
    reason = (reason or "").strip()
    VISIT_FLOW.apply(visit, "record_arrival", actor, note=reason)
    now = clock.now()
    at = arrived_at or now
    if at > now or (visit.confirmed_at and at < visit.confirmed_at):
        raise DomainError(_("到场时间必须在派工之后、现在之前。"), code="arrival_time",
                          field="arrived_at")  # fmt: skip
    visit.checked_in_at = at
    visit.arrival_recorded_by = actor
    visit.arrival_reason = reason
    visit.save(update_fields=["state", "checked_in_at", "arrival_recorded_by", "arrival_reason"])
    message = event_text("工程师 %(name)s 已到达现场（%(by)s 代为记录：%(reason)s）",
                         name=visit.engineer, by=actor, reason=reason)  # fmt: skip
    record_event(visit, kind=VisitEvent.ARRIVAL_ON_BEHALF, actor=actor, message=message,
                 data={"reason": reason, "arrived_at": at.isoformat()})  # fmt: skip
    _meet_arrival(visit, at=at, actor=actor, message=message, on_behalf=True, reason=reason)
    return visit


@transaction.atomic
def check_out(visit: Visit, *, actor) -> Visit:
    """The engineer leaves: refused while the visit's technical service report is neither
    signed by the customer nor refused with a reason (ONS-4); the time on site is recorded."""
    visit = _locked(visit)
    VISIT_FLOW.apply(visit, "check_out", actor)
    now = clock.now()
    visit.checked_out_at = now
    visit.minutes_on_site = max(0, int((now - visit.checked_in_at).total_seconds() // 60))
    visit.save(update_fields=["state", "checked_out_at", "minutes_on_site"])
    record_event(visit, kind=VisitEvent.CHECKED_OUT, actor=actor,
                 message=event_text("工程师离场，现场 %(minutes)d 分钟",
                                    minutes=visit.minutes_on_site))  # fmt: skip
    return visit


@transaction.atomic
def cancel_visit(visit: Visit, *, reason: str, actor) -> Visit:
    """Call a visit off before arrival (e.g. fixed remotely, another engineer sent)."""
    visit = _locked(visit)
    reason = (reason or "").strip()
    VISIT_FLOW.apply(visit, "cancel", actor, note=reason)
    visit.cancelled_at = clock.now()
    visit.cancel_reason = reason
    visit.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    record_event(visit, kind=VisitEvent.CANCELLED, actor=actor,
                 message=event_text("取消现场服务：%(reason)s", reason=reason))  # fmt: skip
    return visit
