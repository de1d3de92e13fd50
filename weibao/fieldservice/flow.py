"""The visit flow (ONS-2..4) written down: one table of the moves an on-site visit may make.

    planned ──depart──▶ en_route
    planned / en_route ──check_in (the engineer, on the phone)──────────▶ on_site
    planned / en_route ──record_arrival (a dispatcher, with a reason)───▶ on_site  "代为记录"
    on_site ──check_out (service report signed, or refusal recorded)───▶ done
    planned / en_route ──cancel (a dispatcher, with a reason)───────────▶ cancelled

Who may: the engineer works their own visits (`visit.work`, guard `not_your_visit`); dispatch,
arrival on the engineer's behalf and cancelling need `ticket.dispatch` — the maintenance
manager, or the service office manager on L1 tickets only. Dispatch itself creates the visit
(`services.visits.dispatch`), so it is not a move of this table.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.core.workflow import Move, Refusal, Workflow, sources
from weibao.documents.selectors import documents_of
from weibao.fieldservice.choices import VisitState
from weibao.fieldservice.kinds import SERVICE_REPORT
from weibao.tickets.choices import Level

S = VisitState
NOT_YOUR_VISIT = "not_your_visit"
SERVICE_REPORT_MISSING = "service_report_missing"


def dispatcher_refusal(ticket, actor) -> Refusal | None:
    """The level rule on top of `ticket.dispatch`: a service office manager (without the
    maintenance manager's role) dispatches only on L1 tickets (§1.1.7.2)."""
    if actor is None or actor.is_superuser or ticket.level == Level.L1:
        return None
    if actor.has_role(Role.SERVICE_OFFICE_MANAGER) and not actor.has_role(Role.MAINTENANCE_MANAGER):
        return Refusal(
            "permission_denied",
            _("服务处经理只在一级故障时派工；其他故障由维护管理经理派工。"),
            status=403,
            capability=Capability.TICKET_DISPATCH,
        )
    return None


def service_report_settled(visit) -> bool:
    """The visit's technical service report is signed by the customer, or the customer's
    refusal to sign is recorded with a reason (ONS-4)."""
    from weibao.documents.choices import DocumentState

    states = (DocumentState.SIGNED, DocumentState.SIGNATURE_REFUSED)
    return documents_of(visit).filter(kind=SERVICE_REPORT, state__in=states).exists()


def _own_visit(visit, actor) -> Refusal | None:
    if actor is None or actor.pk == visit.engineer_id:
        return None
    return Refusal(NOT_YOUR_VISIT, _("只有派工的工程师本人可以操作。"), status=403)


def _own_visit_report_settled(visit, actor) -> Refusal | None:
    refused = _own_visit(visit, actor)
    if refused is not None:
        return refused
    if not service_report_settled(visit):
        return Refusal(
            SERVICE_REPORT_MISSING,
            _("离场前必须由客户签署本次的技术服务报告（或记录客户拒签及原因）。"),
        )
    return None


def _dispatcher(visit, actor) -> Refusal | None:
    return dispatcher_refusal(visit.ticket, actor)


VISIT_FLOW = Workflow(
    "visit",
    state_field="state",
    states=VisitState,
    noun=_("现场服务"),
    customer_of=lambda visit: visit.ticket.customer_id,
    moves=[
        Move("depart", _("出发"), sources(S.PLANNED), S.EN_ROUTE, guard=_own_visit,
             capability=Capability.VISIT_WORK),
        Move("check_in", _("到场签到"), sources(S.PLANNED, S.EN_ROUTE), S.ON_SITE,
             guard=_own_visit, capability=Capability.VISIT_WORK),
        Move("record_arrival", _("代工程师记录到场"), sources(S.PLANNED, S.EN_ROUTE), S.ON_SITE,
             guard=_dispatcher, needs_note=True, capability=Capability.TICKET_DISPATCH,
             button=False),
        Move("check_out", _("离场签退"), sources(S.ON_SITE), S.DONE,
             guard=_own_visit_report_settled, capability=Capability.VISIT_WORK),
        Move("cancel", _("取消现场服务"), sources(S.PLANNED, S.EN_ROUTE), S.CANCELLED,
             guard=_dispatcher, needs_note=True, capability=Capability.TICKET_DISPATCH,
             button=False),
    ],
)  # fmt: skip
