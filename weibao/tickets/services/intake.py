"""Opening a ticket (TKT-1, TKT-3): validate, resolve contract and policy, start the clocks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.contracts.policy import default_policy
from weibao.contracts.selectors import resolve_contract
from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.escalations import services as escalations
from weibao.sla import engine
from weibao.sla import services as clocks
from weibao.tickets.choices import Level, RequestType, Stage
from weibao.tickets.classification import suggest_level
from weibao.tickets.models import Ticket

CLOCK_SKEW = dt.timedelta(minutes=1)


@transaction.atomic
def open_ticket(
    *,
    customer,
    channel: str,
    fault_phenomenon: str,
    reported_at: dt.datetime,
    contact_name: str,
    contact_phone: str,
    request_type: str = RequestType.FAULT,
    level: str = "",
    site=None,
    asset=None,
    criteria=(),
    actor=None,
) -> Ticket:
    """Open a request. A site no active contract covers is accepted and flagged, never refused.
    A level-1 fault goes straight to the emergency path (TKT-2)."""
    now = clock.now()
    if reported_at > now + CLOCK_SKEW:
        raise DomainError(_("报告时间不能晚于当前时间。"), field="reported_at")
    if site is not None and site.customer_id != customer.pk:
        raise DomainError(_("机房不属于该客户。"), field="site")
    if asset is not None:
        if asset.customer_id != customer.pk:
            raise DomainError(_("设备不属于该客户。"), field="asset")
        if site is None:
            site = asset.site
        elif asset.site_id != site.pk:
            raise DomainError(_("设备不在该机房。"), field="asset")
    level = _checked_level(request_type, level or suggest_level(criteria) or "")
    contract, covered = resolve_contract(customer, site, timezone.localdate(reported_at))
    policy = contract.policy.snapshot() if contract is not None else default_policy()
    if level == Level.L4 and policy.level_scheme != 4:
        raise DomainError(_("本合同采用三级故障分级，没有四级。"), field="level")

    ticket = Ticket.objects.create(
        customer=customer,
        site=site,
        asset=asset,
        contract=contract,
        not_covered=not covered,
        channel=channel,
        request_type=request_type,
        level=level,
        fault_phenomenon=fault_phenomenon,
        reported_at=reported_at,
        contact_name=contact_name,
        contact_phone=contact_phone,
        policy=policy.to_dict(),
        service_point=site.service_point if site is not None else None,
        distance_km=_distance(site),
        created_by=actor,
    )
    ticket.number = f"WB{timezone.localtime(reported_at):%y%m%d}-{ticket.pk:05d}"
    ticket.save(update_fields=["number"])
    if criteria:
        ticket.criteria.set(criteria)
    message = _("受理：%(text)s") % {"text": fault_phenomenon[:120]}
    if not covered:
        message += "；" + _("不在合同覆盖范围")
    record_event(ticket, kind="ticket.opened", actor=actor, message=message)
    clocks.start_clock(ticket, engine.PHONE_RESPONSE, at=reported_at)
    escalations.plan_ladder(ticket)
    if level == Level.L1:
        _enter_emergency(ticket, at=now)
    return ticket


def _checked_level(request_type: str, level: str) -> str:
    if request_type == RequestType.FAULT:
        if level not in Level.values:
            raise DomainError(_("故障工单必须选择故障级别。"), field="level")
        return level
    return ""


def _distance(site):
    if site is None or site.distance_km is None:
        return None
    return round(site.distance_km, 1)


def _enter_emergency(ticket: Ticket, *, at: dt.datetime) -> None:
    """The L1 path: emergency stage, the five actions, and the on-site clocks from now (the
    manager dispatches an engineer immediately)."""
    ticket.stage = Stage.EMERGENCY
    ticket.onsite_confirmed_at = ticket.onsite_confirmed_at or at
    ticket.save(update_fields=["stage", "onsite_confirmed_at"])
    escalations.start_emergency_actions(ticket, at=at)
    clocks.start_clock(ticket, engine.ONSITE_RESPONSE, at=ticket.onsite_confirmed_at)
    clocks.start_clock(ticket, engine.ONSITE_ARRIVAL, at=ticket.onsite_confirmed_at)
