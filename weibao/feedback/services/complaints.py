"""Complaints (OTH-5): recorded by the customer or an agent, owned by the customer's account
manager, answered within the contract's first-response term, closed only when the customer
confirms the resolution. Each write runs in one transaction, records an event on the
complaint (so it appears in the customer archive) and queues its notifications."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.accounts.selectors import customer_users, holders_of_role
from weibao.contracts.policy import DEFAULT_TERMS
from weibao.contracts.selectors import resolve_contract
from weibao.core import audit, bounds, clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import EventText, event_text, field_choice
from weibao.feedback.choices import ComplaintChannel, ConfirmationMethod, FeedbackEvent
from weibao.feedback.flow import COMPLAINT_FLOW
from weibao.feedback.models import Complaint
from weibao.notifications.services import notify
from weibao.tenancy.selectors import customer_of

TERM = "complaint_response_minutes"


def response_minutes_for(customer, *, site=None, ticket=None, on: dt.date) -> int:
    """The first-response term of the contract covering the complaint: the ticket's
    contract, else the one covering the site or the customer; the default without one."""
    contract = ticket.contract if ticket is not None and ticket.contract_id else None
    if contract is None:
        contract, _covered = resolve_contract(customer, site, on)
    if contract is None or not hasattr(contract, "policy"):
        return DEFAULT_TERMS[TERM]
    return contract.policy.snapshot().terms.get(TERM, DEFAULT_TERMS[TERM])


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _customer_of_complaint(actor, customer, site, ticket):
    """A customer user's own organisation (naming another is refused by the permission
    check); for provider staff the customer named, else the site's or the ticket's."""
    if getattr(actor, "customer_id", None) is not None:
        return customer or actor.customer
    customer = customer_of(customer, site, ticket)
    if customer is None:
        raise DomainError(_("请指定客户。"), field="customer")
    return customer


@transaction.atomic
def record_complaint(
    *,
    actor,
    text: str,
    customer=None,
    channel: str = "",
    site=None,
    ticket=None,
    complainant: str = "",
    complainant_phone: str = "",
    received_at: dt.datetime | None = None,
) -> Complaint:
    """Record a complaint (`complaint.record`). A customer user complains for their own
    organisation: the customer, the channel (the portal) and the time (now) are theirs, not
    chosen. An agent records one received by phone, letter, visit… for the customer named,
    or the one of the site or ticket, at the time it was received. The account manager of
    the customer owns it; the first response is due within the contract's term."""
    now = clock.now()
    customer = _customer_of_complaint(actor, customer, site, ticket)
    permissions.require(actor, Capability.COMPLAINT_RECORD, customer_id=customer.pk)
    if actor.customer_id is not None:
        channel, received_at = ComplaintChannel.PORTAL, now
        complainant = complainant.strip() or _name(actor)
        complainant_phone = complainant_phone.strip() or actor.phone
    if channel not in ComplaintChannel.values:
        raise DomainError(_("请选择渠道。"), field="channel")
    if not text.strip():
        raise DomainError(_("请填写投诉内容。"), field="text")
    received_at = received_at or now
    if received_at > now:
        raise DomainError(_("受理时间不能晚于当前时间。"), field="received_at")
    bounds.check_date(received_at, "received_at", not_after_today=True)  # not 0001-01-01
    if ticket is not None and ticket.customer_id != customer.pk:
        raise DomainError(_("工单不属于该客户。"), field="ticket")
    site = site or (ticket.site if ticket is not None else None)
    if site is not None and site.customer_id != customer.pk:
        raise DomainError(_("机房不属于该客户。"), field="site")
    minutes = response_minutes_for(
        customer, site=site, ticket=ticket, on=timezone.localtime(received_at).date()
    )
    owners = holders_of_role(Role.ACCOUNT_MANAGER, customer.pk)
    complaint = Complaint.objects.create(
        customer=customer,
        site=site,
        ticket=ticket,
        channel=channel,
        text=text.strip(),
        complainant=complainant.strip(),
        complainant_phone=complainant_phone.strip(),
        received_at=received_at,
        recorded_by=actor,
        owner=owners[0] if owners else None,
        response_minutes=minutes,
        respond_due_at=received_at + dt.timedelta(minutes=minutes),
    )
    audit.set_after_create(
        complaint, number=f"TS{timezone.localtime(received_at):%y%m%d}-{complaint.pk:05d}"
    )
    message = event_text(
        "受理投诉（%(channel)s）：%(text)s",
        channel=field_choice(complaint, "channel"),
        text=complaint.text,
    )
    record_event(complaint, kind=FeedbackEvent.COMPLAINT_RECEIVED, actor=actor, message=message)
    notify(
        recipients=owners,
        subject=event_text(
            "【客户投诉】%(customer)s %(number)s", customer=customer, number=complaint.number
        ),
        body=event_text(
            "%(text)s\n首次响应截止：%(due)s", text=complaint.text, due=complaint.respond_due_at
        ),
        kind="complaint_received",
        dedupe_key=f"complaint:{complaint.pk}:received",
        customer=customer,
        ref_type="complaint",
        ref_id=str(complaint.pk),
    )
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _event(complaint: Complaint, verb: str, *, actor, message: EventText) -> None:
    record_event(complaint, kind=f"complaint.{verb}", actor=actor, message=message)


@transaction.atomic
def respond_to_complaint(complaint: Complaint, *, text: str, actor) -> Complaint:
    """The first response to the customer (who, when, what was said); stops the deadline."""
    complaint = _locked(complaint)
    move = COMPLAINT_FLOW.check(complaint, "respond", actor)
    if not text.strip():
        raise DomainError(_("请填写响应内容。"), field="text")
    now = clock.now()
    complaint.state = move.target
    complaint.first_response_at, complaint.first_response_by = now, actor
    complaint.first_response = text.strip()
    complaint.save()
    late = now > complaint.respond_due_at
    _event(complaint, "responded", actor=actor,
           message=event_text(gettext_noop("首次响应（超时）：%(text)s") if late
                              else gettext_noop("首次响应：%(text)s"),
                              text=complaint.first_response))  # fmt: skip
    return complaint


@transaction.atomic
def resolve_complaint(complaint: Complaint, *, resolution: str, actor) -> Complaint:
    """Record how the complaint was handled; it now waits for the customer's confirmation."""
    complaint = _locked(complaint)
    move = COMPLAINT_FLOW.check(complaint, "resolve", actor)
    if not resolution.strip():
        raise DomainError(_("请填写处理结果。"), field="resolution")
    complaint.state = move.target
    complaint.resolution = resolution.strip()
    complaint.resolved_at, complaint.resolved_by = clock.now(), actor
    complaint.save()
    message = event_text("处理结果：%(text)s（待客户确认）", text=complaint.resolution)
    _event(complaint, "resolved", actor=actor, message=message)
    notify(
        recipients=customer_users(complaint.customer_id),
        subject=event_text("【投诉处理】%(number)s 已处理，请确认", number=complaint.number),
        body=complaint.resolution,
        kind="complaint_resolved",
        dedupe_key=f"complaint:{complaint.pk}:resolved:{complaint.resolved_at:%Y%m%d%H%M%S}",
        customer=complaint.customer,
        ref_type="complaint",
        ref_id=str(complaint.pk),
    )
    return complaint


def _customer_word(actor, method: str, person: str) -> tuple[str, str]:
    """(method, who) of the customer's answer: the portal and the user themselves when a
    customer user acts; what the agent says otherwise, both required."""
    if actor.customer_id is not None:
        return ConfirmationMethod.PORTAL, _name(actor)
    if method not in ConfirmationMethod.values or method == ConfirmationMethod.PORTAL:
        raise DomainError(_("请选择客户确认的方式（电话、书面等）。"), field="method")
    if not person.strip():
        raise DomainError(_("请填写客户方确认人。"), field="confirmed_by")
    return method, person.strip()


@transaction.atomic
def confirm_complaint(
    complaint: Complaint, *, actor, method: str = "", confirmed_by: str = "", note: str = ""
) -> Complaint:
    """The customer confirms the resolution and the complaint closes: in the portal, or
    through an agent recording how the customer confirmed (phone, e-mail, written…)."""
    complaint = _locked(complaint)
    move = COMPLAINT_FLOW.check(complaint, "confirm", actor)
    method, person = _customer_word(actor, method, confirmed_by)
    complaint.state = move.target
    complaint.confirmed_at = clock.now()
    complaint.confirmed_by_name, complaint.confirmation_method = person, method
    complaint.confirmation_note = note.strip()
    complaint.confirmation_recorded_by = actor
    complaint.save()
    _event(complaint, "confirmed", actor=actor,
           message=event_text("客户确认处理结果（%(who)s，%(method)s），投诉关闭。%(note)s",
                              who=person, method=ConfirmationMethod(method),
                              note=complaint.confirmation_note))  # fmt: skip
    return complaint


@transaction.atomic
def decline_resolution(
    complaint: Complaint, *, reason: str, actor, method: str = "", declined_by: str = ""
) -> Complaint:
    """The customer says the complaint is not resolved: it goes back to the account manager."""
    complaint = _locked(complaint)
    move = COMPLAINT_FLOW.check(complaint, "decline", actor)
    if not reason.strip():
        raise DomainError(_("请说明未解决的原因。"), field="reason")
    method, person = _customer_word(actor, method, declined_by)
    complaint.state = move.target
    complaint.resolved_at, complaint.resolved_by = None, None
    complaint.save()
    _event(complaint, "declined", actor=actor,
           message=event_text("客户认为未解决（%(who)s，%(method)s）：%(reason)s",
                              who=person, method=ConfirmationMethod(method),
                              reason=reason.strip()))  # fmt: skip
    notify(
        recipients=[complaint.owner] if complaint.owner else [],
        subject=event_text("【投诉退回】%(number)s 客户认为未解决", number=complaint.number),
        body=reason.strip(),
        kind="complaint_declined",
        dedupe_key=f"complaint:{complaint.pk}:declined:{clock.now():%Y%m%d%H%M%S%f}",
        customer=complaint.customer,
        ref_type="complaint",
        ref_id=str(complaint.pk),
    )
    return complaint
