"""Writes for visits: dispatch (confirmed by the maintenance manager), on the way, check-in
(meets the arrival clock), check-out (only with the signed service report, ONS-4), cancel.

The moves a visit may make are one table, `MOVES`; a refused move raises a coded error."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.accounts.choices import Role
from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.documents.choices import DocumentState
from weibao.documents.selectors import documents_of
from weibao.fieldservice.choices import OPEN_VISIT_STATES, VisitState
from weibao.fieldservice.dispatch import Proposal, propose_engineers
from weibao.fieldservice.kinds import SERVICE_REPORT
from weibao.fieldservice.models import Visit
from weibao.notifications.services import notify
from weibao.sla import engine
from weibao.sla.models import Clock
from weibao.tickets import services as tickets

# verb: (states it may start from, state it leads to, label)
MOVES: dict[str, tuple[frozenset[str], str, str]] = {
    "depart": (frozenset({VisitState.PLANNED}), VisitState.EN_ROUTE, gettext_lazy("出发")),
    "check_in": (frozenset({VisitState.PLANNED, VisitState.EN_ROUTE}), VisitState.ON_SITE,
                 gettext_lazy("到场签到")),
    "check_out": (frozenset({VisitState.ON_SITE}), VisitState.DONE, gettext_lazy("离场签退")),
    "cancel": (frozenset({VisitState.PLANNED, VisitState.EN_ROUTE}), VisitState.CANCELLED,
               gettext_lazy("取消")),
}  # fmt: skip

DISPATCHER_ROLES = (Role.MAINTENANCE_MANAGER,)


def can_dispatch(user) -> bool:
    return bool(user and (user.is_superuser or user.has_role(*DISPATCHER_ROLES)))


def _check_move(visit: Visit, verb: str) -> str:
    sources, target, label = MOVES[verb]
    if visit.state not in sources:
        raise DomainError(
            _("现场服务处于“%(state)s”状态，不能“%(move)s”。")
            % {"state": VisitState(visit.state).label, "move": label},
            code="visit_state",
        )
    return target


def _check_actor(visit: Visit, actor) -> None:
    """The engineer themself works the visit; the maintenance manager may act for them."""
    if actor is not None and (actor.pk == visit.engineer_id or can_dispatch(actor)):
        return
    raise DomainError(_("只有派工的工程师本人可以操作。"), code="not_visit_engineer")


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("ticket").get(pk=visit.pk)


def service_report_signed(visit: Visit) -> bool:
    return documents_of(visit).filter(kind=SERVICE_REPORT, state=DocumentState.SIGNED).exists()


@transaction.atomic
def dispatch_visit(ticket, *, engineer, actor, proposed_by=None) -> Visit:
    """The maintenance manager confirms an engineer for the ticket's on-site work: a planned
    visit, the on-site response clock met, and the engineer told."""
    if not can_dispatch(actor):
        raise DomainError(_("只有维护管理经理可以确认派工。"), code="not_dispatcher")
    if not engineer.is_active or not engineer.has_role(Role.ENGINEER):
        raise DomainError(_("所选人员不是维护工程师。"), code="not_engineer", field="engineer")
    if engineer.provider_id != ticket.customer.provider_id:
        raise DomainError(_("所选工程师不属于本服务商。"), code="not_engineer", field="engineer")
    if not ticket.is_open:
        raise DomainError(_("工单已解决或关闭。"), code="ticket_not_open")
    if not Clock.objects.filter(ticket=ticket, kind=engine.ONSITE_RESPONSE).exists():
        raise DomainError(_("客户尚未确认需要现场支持，不能派工。"), code="onsite_not_confirmed")
    if Visit.objects.filter(ticket=ticket, engineer=engineer, state__in=OPEN_VISIT_STATES).exists():
        raise DomainError(
            _("%(name)s 已在处理该工单的现场服务。") % {"name": engineer},
            code="already_dispatched",
            field="engineer",
        )
    proposal = _proposal_for(ticket, engineer)
    tickets.dispatch(ticket, engineer=engineer, actor=actor)
    now = clock.now()
    visit = Visit.objects.create(
        ticket=ticket,
        engineer=engineer,
        proposed_by=proposed_by,
        proposal=proposal.as_dict() if proposal else {},
        confirmed_by=actor,
        confirmed_at=now,
    )
    distance = proposal.distance_km if proposal else None
    far = f"（{distance:g} km）" if distance is not None else ""
    message = _("派 %(name)s 赴 %(site)s 现场%(distance)s") % {
        "name": engineer,
        "site": ticket.site or ticket.customer,
        "distance": far,
    }
    record_event(visit, kind="visit.dispatched", actor=actor, message=message)
    notify(
        recipients=[engineer],
        subject=_("现场派工：%(ticket)s %(site)s") % {"ticket": ticket.number,
                                                     "site": ticket.site or ""},
        body=_("%(customer)s %(site)s：%(phenomenon)s") % {
            "customer": ticket.customer, "site": ticket.site or "",
            "phenomenon": ticket.fault_phenomenon},
        kind="visit_dispatched",
        dedupe_key=f"visit:{visit.pk}:dispatched",
        customer=ticket.customer,
        ref_type="visit",
        ref_id=str(visit.pk),
    )  # fmt: skip
    return visit


def _proposal_for(ticket, engineer) -> Proposal | None:
    return next((p for p in propose_engineers(ticket) if p.engineer.pk == engineer.pk), None)


@transaction.atomic
def depart(visit: Visit, *, actor) -> Visit:
    """The engineer is on the way."""
    visit = _locked(visit)
    _check_actor(visit, actor)
    visit.state = _check_move(visit, "depart")
    visit.departed_at = clock.now()
    visit.save(update_fields=["state", "departed_at"])
    record_event(visit, kind="visit.departed", actor=actor, message=_("工程师已出发"))
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


@transaction.atomic
def check_in(visit: Visit, *, actor, lat=None, lon=None) -> Visit:
    """The engineer arrived: time (and the phone's location, when given) recorded, and the
    ticket's arrival clock met (ONS-2)."""
    visit = _locked(visit)
    _check_actor(visit, actor)
    target = _check_move(visit, "check_in")
    lat, lon = _coordinate(lat, 90, "lat"), _coordinate(lon, 180, "lon")
    try:
        tickets.arrive(visit.ticket, actor=actor)
    except DomainError as error:
        if error.code != "clock_not_started":  # no arrival promise to keep: still check in
            raise
    visit.state = target
    visit.checked_in_at = clock.now()
    visit.check_in_lat, visit.check_in_lon = lat, lon
    visit.save(update_fields=["state", "checked_in_at", "check_in_lat", "check_in_lon"])
    where = f"（{lat}, {lon}）" if lat is not None and lon is not None else ""
    record_event(visit, kind="visit.checked_in", actor=actor,
                 message=_("工程师到场签到") + where)  # fmt: skip
    return visit


@transaction.atomic
def check_out(visit: Visit, *, actor) -> Visit:
    """The engineer leaves: refused while the visit's technical service report is not signed
    by the customer (ONS-4); otherwise the time on site is recorded."""
    visit = _locked(visit)
    _check_actor(visit, actor)
    target = _check_move(visit, "check_out")
    if not service_report_signed(visit):
        raise DomainError(
            _("离场前必须由客户签署本次的技术服务报告。"), code="service_report_missing"
        )
    now = clock.now()
    visit.state = target
    visit.checked_out_at = now
    visit.minutes_on_site = max(0, int((now - visit.checked_in_at).total_seconds() // 60))
    visit.save(update_fields=["state", "checked_out_at", "minutes_on_site"])
    record_event(visit, kind="visit.checked_out", actor=actor,
                 message=_("工程师离场，现场 %(minutes)d 分钟")
                 % {"minutes": visit.minutes_on_site})  # fmt: skip
    return visit


@transaction.atomic
def cancel_visit(visit: Visit, *, reason: str, actor) -> Visit:
    """Call a visit off before arrival (e.g. fixed remotely, another engineer sent)."""
    visit = _locked(visit)
    if not can_dispatch(actor) and getattr(actor, "pk", None) != visit.engineer_id:
        raise DomainError(_("只有维护管理经理或派工的工程师可以取消。"), code="not_allowed")
    if not reason.strip():
        raise DomainError(_("取消必须说明原因。"), code="reason_required", field="reason")
    visit.state = _check_move(visit, "cancel")
    visit.cancelled_at = clock.now()
    visit.cancel_reason = reason.strip()
    visit.save(update_fields=["state", "cancelled_at", "cancel_reason"])
    record_event(visit, kind="visit.cancelled", actor=actor,
                 message=_("取消现场服务：%(reason)s") % {"reason": reason.strip()})  # fmt: skip
    return visit
