"""Opening a ticket (TKT-1, TKT-3): validate, resolve contract and policy, start the clocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.contracts.policy import DEFAULT_TERMS, default_policy
from weibao.contracts.selectors import resolve_contract
from weibao.core import audit, bulk, clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.escalations import services as escalations
from weibao.sla import services as clocks
from weibao.sla import urgency
from weibao.sla.choices import ClockKind
from weibao.tenancy.selectors import customer_of
from weibao.tickets.choices import Channel, Level, RequestType, TicketEvent
from weibao.tickets.classification import suggest_level
from weibao.tickets.models import Ticket
from weibao.tickets.services.level import judge_l1, start_new_emergencies
from weibao.tickets.services.third_party import link_third_party_coverage

CLOCK_SKEW = dt.timedelta(minutes=1)
# A call logged later than this after it came in is a late log: its reason is recorded.
LATE_GRACE = dt.timedelta(minutes=15)
# No request is logged further back than this, whoever logs it (and never before the
# contract year in force today).
OLDEST_LOG = dt.timedelta(days=366)
LATE_TERM = "late_log_max_minutes"


@dataclass(frozen=True, kw_only=True)
class TicketRequest:
    """What a request to open a ticket gives (`open_ticket`'s arguments)."""

    actor: object
    fault_phenomenon: str
    contact_name: str
    contact_phone: str
    customer: object = None
    site: object = None
    asset: object = None
    channel: str = ""
    reported_at: dt.datetime | None = None
    request_type: str = RequestType.FAULT
    level: str = ""
    criteria: Sequence = ()
    late_reason: str = ""


@dataclass
class _Opening:
    """A request checked by `_checked_opening`, ready to be written: its unsaved ticket and
    what is written with it."""

    ticket: Ticket
    actor: object
    criteria: Sequence
    message: object  # the intake event's text
    data: dict


def open_ticket(**request) -> Ticket:
    """Open a request (TKT-1), given as the fields of `TicketRequest` (`actor`,
    `fault_phenomenon`, `contact_name`, `contact_phone`; `customer`, `site`, `asset`,
    `channel`, `reported_at`, `request_type`, `level`, `criteria`, `late_reason`), the one
    place its rules live:

    - a customer's user opens for their own customer, by portal, at the server's time
      (whatever customer, channel or time they sent);
    - provider staff name the customer, or it is the site's (or the asset's) customer; the
      channel is theirs to give; `reported_at` is the call's time, never in the future, and
      now when not given. A call logged late (over 15 minutes) needs its `late_reason`,
      recorded on the ticket's history; no further back than the contract's bound
      (`late_log_max_minutes`, 24 h by default) unless the actor holds `ticket.backdate`,
      and never before the contract year in force today (or a year ago).

    A site no active contract covers is accepted and flagged, never refused. A level-1 fault
    goes straight to the emergency path, its actions due from the intake (TKT-2, ESC-2).
    Level 4 under a three-level contract is refused to a person; the system's request (an
    alarm carrying level 4) is taken as level 3, and its history says so."""
    return open_tickets([TicketRequest(**request)])[0]


def open_tickets(requests: Sequence[TicketRequest]) -> list[Ticket]:
    """Open several requests at once, each under `open_ticket`'s rules (`open_ticket` is a
    batch of one): every request is checked before anything is written (one refused, none
    is opened), then the tickets, their numbers, clocks and ladders are written together —
    a correlation run opening a storm's tickets writes each kind of row once, not once per
    ticket."""
    openings = [_checked_opening(request) for request in requests]
    if not openings:
        return []
    # The writes are one transaction, or part of the caller's: with no savepoint of their own
    # (a failure among them fails the caller's transaction too), their change-log rows (the
    # tickets, the intakes, clocks, ladders) in one INSERT.
    with transaction.atomic(savepoint=False), audit.collected():
        tickets = _insert([opening.ticket for opening in openings])
        for opening in openings:
            if opening.criteria:
                opening.ticket.criteria.add(*opening.criteria)  # a new ticket: none to replace
            record_event(opening.ticket, kind=TicketEvent.OPENED, actor=opening.actor,
                         message=opening.message, data=opening.data)  # fmt: skip
        with urgency.deferred():  # the queue keys once, after the clocks and the ladders
            starts = [(t, ClockKind.PHONE_RESPONSE, t.reported_at) for t in tickets]
            escalations.plan_new_ladders(tickets)
            # judged L1 at intake: the emergency actions count from the request's time
            starts += start_new_emergencies([t for t in tickets if t.judged_l1_at is not None])
            clocks.start_new_clocks(starts)
        for opening in openings:
            link_third_party_coverage(opening.ticket, actor=opening.actor)
    return tickets


def _insert(tickets: list[Ticket]) -> list[Ticket]:
    """Insert new tickets with their numbers (WB + the local report day + the id) and record
    their creation: with the ids taken first where the database can (one INSERT per row's
    life), else inserted, then numbered in one UPDATE."""
    ids = bulk.reserve_ids(Ticket, len(tickets))
    if ids is not None:
        for ticket, pk in zip(tickets, ids, strict=True):
            ticket.pk = pk
            ticket.number = _number(ticket)
        Ticket.objects.bulk_create(tickets)
    else:
        Ticket.objects.bulk_create(tickets)
        for ticket in tickets:
            ticket.number = _number(ticket)
        Ticket.objects.bulk_update(tickets, ["number"])
    audit.record_created(tickets)
    return tickets


def _number(ticket: Ticket) -> str:
    return f"WB{timezone.localtime(ticket.reported_at):%y%m%d}-{ticket.pk:05d}"


def _checked_opening(request: TicketRequest) -> _Opening:
    """Every check of `open_ticket`, made before anything is written; the unsaved ticket."""
    actor, customer, site, asset = request.actor, request.customer, request.site, request.asset
    channel, reported_at, late_reason = request.channel, request.reported_at, request.late_reason
    fault_phenomenon, request_type = request.fault_phenomenon, request.request_type
    now = clock.now()
    if actor is not None and actor.customer_id:
        customer, channel, reported_at, late_reason = actor.customer, Channel.PORTAL, now, ""
    else:
        customer = _customer_of(customer, site, asset)
        reported_at = reported_at or now
        if reported_at > now + CLOCK_SKEW:
            raise DomainError(_("报告时间不能晚于当前时间。"), field="reported_at")
        if channel not in Channel.values:
            raise DomainError(_("请选择受理渠道。"), field="channel")
    if actor is not None:
        permissions.require(actor, Capability.TICKET_OPEN, customer_id=customer.pk)
    if site is not None and site.customer_id != customer.pk:
        raise DomainError(_("机房不属于该客户。"), field="site")
    if asset is not None:
        if asset.customer_id != customer.pk:
            raise DomainError(_("设备不属于该客户。"), field="asset")
        if site is None:
            site = asset.site
        elif asset.site_id != site.pk:
            raise DomainError(_("设备不在该机房。"), field="asset")
    late_reason = late_reason.strip()
    late = actor is not None and now - reported_at > LATE_GRACE
    if late:
        _check_late_log(actor, customer, site, reported_at, now, late_reason)
    level = _checked_level(request_type, request.level or suggest_level(request.criteria) or "")
    contract, covered = resolve_contract(customer, site, timezone.localdate(reported_at))
    policy = contract.policy.snapshot() if contract is not None else default_policy()
    fitted = level == Level.L4 and policy.level_scheme != 4
    if fitted:
        if actor is not None:
            raise DomainError(_("本合同采用三级故障分级，没有四级。"), field="level")
        # the system's request (an alarm carrying level 4) is taken, not refused: at the
        # scheme's lowest level, said on the ticket's history
        level = Level.L3

    ticket = Ticket(
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
        contact_name=request.contact_name,
        contact_phone=request.contact_phone,
        policy=policy.to_dict(),
        service_point=site.service_point if site is not None else None,
        distance_km=_distance(site),
        created_by=actor,
    )
    if level == Level.L1:
        judge_l1(ticket, at=reported_at)  # the emergency path from the request's time
    message = event_text("受理：%(text)s", text=fault_phenomenon[:120])
    if not covered:
        message = event_text("%(event)s；不在合同覆盖范围", event=message)
    if fitted:
        message = event_text("%(event)s；本合同采用三级故障分级，四级按三级受理", event=message)
    data = {}
    if late:
        message = event_text(
            "%(event)s；补录来电（%(at)s）：%(reason)s",
            event=message,
            at=reported_at,
            reason=late_reason,
        )
        data = {"late_reason": late_reason, "logged_at": now.isoformat()}
    return _Opening(ticket=ticket, actor=actor, criteria=list(request.criteria), message=message,
                    data=data)  # fmt: skip


def _customer_of(customer, site, asset):
    """The named customer, or the site's, or the asset's (tenancy: whose the site is)."""
    customer = customer_of(customer, site, asset)
    if customer is None:
        raise DomainError(_("请指定客户或机房。"), code="customer_required", field="customer")
    return customer


def _check_late_log(actor, customer, site, reported_at, now, reason: str) -> None:
    """A late log by staff (TKT-1): a reason; within the contract's bound unless the actor
    may backdate further, and then not before the contract year in force today; never more
    than a year back."""
    too_early = _("报告时间不能早于 %(day)s（本合同年度开始或一年前）。")
    earliest = now - OLDEST_LOG
    if reported_at < earliest:
        raise DomainError(
            too_early % {"day": f"{timezone.localtime(earliest):%Y-%m-%d}"},
            code="reported_too_early",
            field="reported_at",
        )
    contract, _covered = resolve_contract(customer, site, timezone.localdate(now))
    terms = contract.policy.snapshot().terms if contract is not None else {}
    bound = dt.timedelta(minutes=terms.get(LATE_TERM) or DEFAULT_TERMS[LATE_TERM])
    if now - reported_at > bound:
        if contract is not None:
            _n, year_start, _end = contract.contract_year(timezone.localdate(now))
            if timezone.localdate(reported_at) < year_start:
                raise DomainError(
                    too_early % {"day": f"{year_start:%Y-%m-%d}"},
                    code="reported_too_early",
                    field="reported_at",
                )
        if not permissions.can(actor, Capability.TICKET_BACKDATE, customer_id=customer.pk):
            raise DomainError(
                _("只能补录 %(hours)s 小时内的来电；更早的来电请由主管补录。")
                % {"hours": f"{bound.total_seconds() / 3600:g}"},
                code="backdate_not_allowed",
                field="reported_at",
            )
    if not reason:
        raise DomainError(
            _("补录来电（报告时间早于当前时间）请填写补录原因。"),
            code="late_reason_required",
            field="late_reason",
        )


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
