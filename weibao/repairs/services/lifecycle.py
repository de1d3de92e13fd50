"""Everything after registration: the route's hops and moves (RMA-2), the return with its
receipt feedback form and one-month trial (RMA-5), a failed trial's re-registration with a
free loaner, and marking a repair out of scope — billed through billing's one cause list,
statement and customer approval like a ticket (RMA-6, EXC-1..3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.assets.models import AssetStatus
from weibao.billing import services as billing
from weibao.calendars import provisional
from weibao.core import bounds, clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import EventText, event_text, field_choice, followed_by, with_note
from weibao.core.permissions import require
from weibao.notifications.services import notify
from weibao.repairs.choices import (
    INBOUND_LEGS,
    Outcome,
    Payer,
    RepairEvent,
    TrialResult,
)
from weibao.repairs.flow import REPAIR_FLOW, MoveRefused
from weibao.repairs.models import Repair, RepairHop
from weibao.repairs.services.registration import register_repair
from weibao.spares import recipients
from weibao.spares.choices import LoanKind
from weibao.spares.services.loans import end_free_loan, lend_free_loaner
from weibao.spares.terms import add_months

OUTCOME_OF = {"repaired": Outcome.REPAIRED, "unrepairable": Outcome.UNREPAIRABLE}


def _locked(repair: Repair) -> Repair:
    return Repair.objects.select_for_update().get(pk=repair.pk)


def _may_operate(repair: Repair, actor) -> None:
    """Everything after registration is the spare keeper's (`spares.operate`); `actor=None`
    is the system (the scheduler)."""
    if actor is not None:
        require(actor, Capability.SPARES_OPERATE, customer_id=repair.customer_id)


def _to(repair: Repair, verb: str, *, actor, message: EventText | str, fields=()) -> Repair:
    repair.status = REPAIR_FLOW[verb].target
    repair.save(update_fields=["status", "updated_at", *fields])
    record_event(repair, kind=f"repair.{verb}", actor=actor, message=message)
    return repair


@transaction.atomic
def move(repair: Repair, verb: str, *, note: str = "", actor=None) -> Repair:
    """The one-button moves: to the repair center, repaired, unrepairable (RMA-6: returned
    unrepaired), trial passed."""
    if verb in REPAIR_FLOW and not REPAIR_FLOW[verb].button:
        raise MoveRefused(_("此操作需要填写表单。"), code="needs_form")
    if verb == "pass_trial":
        return pass_trial(repair, note=note, actor=actor)
    repair = _locked(repair)
    found = REPAIR_FLOW.check(repair, verb, actor)
    fields = []
    if verb in OUTCOME_OF:
        repair.outcome = OUTCOME_OF[verb]
        fields.append("outcome")
    message = with_note(event_text(found.label), note, gettext_noop("%(event)s：%(note)s"))
    return _to(repair, verb, actor=actor, message=message, fields=fields)


@transaction.atomic
def record_hop(
    repair: Repair,
    *,
    leg: str,
    shipped_on: dt.date | None = None,
    arrived_on: dt.date | None = None,
    carrier: str = "",
    tracking_number: str = "",
    paid_by: str = "",
    insured: bool | None = None,
    note: str = "",
    actor=None,
) -> RepairHop:
    """One leg of the route with its dates and tracking number (RMA-2). The customer pays the
    way in (RMA-1) unless a failed trial put shipping and insurance on the provider (RMA-5)."""
    _may_operate(repair, actor)
    bounds.check_date(shipped_on, "shipped_on", not_after_today=True)
    bounds.check_date(arrived_on, "arrived_on", not_after_today=True)
    if shipped_on and arrived_on and arrived_on < shipped_on:
        raise DomainError(_("到达日期不能早于寄出日期。"), field="arrived_on")
    if not paid_by:
        customer_pays = leg in INBOUND_LEGS and not repair.provider_pays_shipping
        paid_by = Payer.CUSTOMER if customer_pays else Payer.PROVIDER
    hop = RepairHop.objects.create(
        repair=repair,
        leg=leg,
        shipped_on=shipped_on,
        arrived_on=arrived_on,
        carrier=carrier,
        tracking_number=tracking_number,
        paid_by=paid_by,
        note=note[:300],
        insured=repair.provider_pays_shipping if insured is None else insured,
    )
    record_event(
        repair,
        kind=RepairEvent.HOP,
        actor=actor,
        message=event_text(
            "%(leg)s %(carrier)s %(track)s",
            leg=field_choice(hop, "leg"),
            carrier=carrier,
            track=tracking_number,
        ),
    )
    return hop


def _lateness(repair: Repair, returned_on: dt.date) -> EventText:
    if returned_on <= repair.due_date:
        return event_text("按期返回（应于 %(due)s 前）", due=repair.due_date)
    late, _years = provisional.working_days_between(repair.due_date, returned_on)
    return event_text("超期 %(n)d 个工作日返回（应于 %(due)s 前）", n=late, due=repair.due_date)


@transaction.atomic
def record_return(repair: Repair, *, returned_on: dt.date | None = None, actor=None) -> Repair:
    """The customer has the part again: the turnaround clock stops. A repaired part starts its
    trial (one month by default); an unrepairable one is simply back. A free loaner is now
    due back."""
    repair = _locked(repair)
    returned_on = returned_on or clock.today()
    verb = "deliver_unrepaired" if repair.outcome == Outcome.UNREPAIRABLE else "deliver"
    REPAIR_FLOW.check(repair, verb, actor)
    if returned_on < repair.received_on or returned_on > clock.today():
        raise DomainError(_("返回日期须在收到日期与今天之间。"), field="returned_on")
    repair.returned_on = returned_on
    fields = ["returned_on"]
    if verb == "deliver":
        repair.trial_ends_on = add_months(returned_on, repair.trial_months)
        fields.append("trial_ends_on")
    message = _lateness(repair, returned_on)
    if repair.trial_ends_on:
        message = followed_by(message, event_text("试用至 %(day)s", day=repair.trial_ends_on))
    if repair.asset_id:
        repair.asset.status = AssetStatus.IN_SERVICE
        repair.asset.save(update_fields=["status", "updated_at"])
    if repair.loaner_id:
        end_free_loan(repair.loaner, on=returned_on, actor=actor)
    return _to(repair, verb, actor=actor, message=message, fields=fields)


@transaction.atomic
def record_feedback(repair: Repair, *, on: dt.date, by: str, note: str = "", actor=None) -> Repair:
    """The receipt feedback form (返修设备收货反馈单), due the day the part came back; a form
    dated any other day is flagged (RMA-5)."""
    _may_operate(repair, actor)
    repair = _locked(repair)
    if repair.returned_on is None:
        raise DomainError(_("修复件返回客户后才能填写收货反馈单。"), code="not_returned")
    if not by.strip():
        raise DomainError(_("请填写反馈人。"), field="by")
    bounds.check_date(on, "on", not_after_today=True)
    if on < repair.returned_on:
        raise DomainError(_("反馈日期不能早于收货日期。"), field="on")
    repair.feedback_on, repair.feedback_by, repair.feedback_note = on, by.strip(), note[:300]
    repair.feedback_late = on != repair.returned_on
    repair.save(
        update_fields=["feedback_on", "feedback_by", "feedback_note", "feedback_late", "updated_at"]
    )
    message = event_text("收货反馈单：%(by)s %(day)s %(note)s", by=by, day=on, note=note)
    if repair.feedback_late:
        message = followed_by(message, event_text("非收货当日反馈"))
    record_event(repair, kind=RepairEvent.FEEDBACK, actor=actor, message=message)
    return repair


@transaction.atomic
def pass_trial(repair: Repair, *, note: str = "", actor=None) -> Repair:
    """The customer confirms the trial passed (or the trial end passes without a failure)."""
    repair = _locked(repair)
    REPAIR_FLOW.check(repair, "pass_trial", actor)
    repair.trial_result, repair.trial_note = TrialResult.PASSED, note[:300]
    return _to(
        repair,
        "pass_trial",
        actor=actor,
        fields=["trial_result", "trial_note"],
        message=event_text("试用合格，结案。%(note)s", note=note),
    )


@transaction.atomic
def fail_trial(
    repair: Repair, *, reason: str, received_on: dt.date | None = None, actor=None
) -> Repair:
    """The part failed its trial (RMA-5): the repair is re-registered with a copy of the first
    order, shipping and insurance at the provider's cost, and a free loaner is lent at once.
    Returns the new repair."""
    repair = _locked(repair)
    REPAIR_FLOW.check(repair, "fail_trial", actor)
    if not reason.strip():
        raise DomainError(_("请填写试用不合格的现象。"), field="reason")
    repair.trial_result, repair.trial_note = TrialResult.FAILED, reason.strip()[:300]
    _to(
        repair,
        "fail_trial",
        actor=actor,
        fields=["trial_result", "trial_note"],
        message=event_text("试用不合格：%(reason)s", reason=reason),
    )
    again = register_repair(
        customer=repair.customer,
        asset=repair.asset,
        serial_number=repair.serial_number,
        site=repair.site,
        part_type=repair.part_type,
        part_description=repair.part_description,
        repair_origin=repair.repair_origin,
        contact_name=repair.contact_name,
        contact_phone=repair.contact_phone,
        received_on=received_on or clock.today(),
        fault_description=_("试用不合格：%(reason)s") % {"reason": reason.strip()},
        previous=repair,
        provider_pays_shipping=True,
        actor=actor,
    )
    again.loaner = lend_free_loaner(
        customer=again.customer,
        part_type=again.part_type,
        kind=LoanKind.TRIAL_FAILED,
        site=again.site,
        actor=actor,
        reason=_("返修单 %(n)s 试用不合格") % {"n": repair.number},
    )
    again.save(update_fields=["loaner", "updated_at"])
    notify_keepers_of_loaner(again, why=event_text("试用不合格，已重新登记"))
    return again


def notify_keepers_of_loaner(repair: Repair, *, why: EventText) -> None:
    """Tell the spare keepers a free loaner was lent, or that none could be (arrange one);
    each keeper reads it in their own language (`why` is an `event_text`)."""
    if repair.loaner_id:
        body = event_text(
            "%(why)s：返修单 %(n)s（%(customer)s，序列号 %(serial)s）。已免费借出 %(part)s，"
            "请送达 %(place)s。",
            why=why,
            n=repair.number,
            customer=str(repair.customer),
            serial=repair.serial_number,
            part=str(repair.loaner.part),
            place=repair.loaner.deliver_to,
        )
    else:
        part_type = str(repair.part_type) if repair.part_type else event_text("同型号备件")
        body = event_text(
            "%(why)s：返修单 %(n)s（%(customer)s，序列号 %(serial)s）。服务商备件库没有可借的"
            "%(type)s，请尽快安排免费备件。",
            why=why,
            n=repair.number,
            customer=str(repair.customer),
            serial=repair.serial_number,
            type=part_type,
        )
    notify(
        recipients=recipients.spare_keepers(repair.customer_id),
        subject=event_text("【免费借用】%(n)s %(why)s", n=repair.number, why=why),
        body=body,
        kind="repair_loaner",
        dedupe_key=f"repair:{repair.pk}:loaner",
        customer=repair.customer,
        ref_type="repair",
        ref_id=str(repair.pk),
    )


@transaction.atomic
def mark_billable(repair: Repair, *, causes, evidence: str, attachment=None, actor) -> Repair:
    """An exclusion puts the repair out of scope (EXC-1; EXC-3's `emergency_swap_repair` for a
    part swapped in an emergency): causes from billing's one list, with evidence. Billing
    opens a draft statement for it; its cost lines are added there, the maintenance manager
    sends it and the customer's leader approves it, as for a ticket (EXC-2). The spare
    keeper's (`spares.operate`), who also needs `billing.propose`."""
    _may_operate(repair, actor)
    repair = _locked(repair)
    billing.mark_out_of_scope(
        repair, causes=causes, evidence=evidence, attachment=attachment, actor=actor
    )
    return repair


@transaction.atomic
def clear_billable(repair: Repair, *, reason: str, actor) -> Repair:
    """Undo an exclusion marked by mistake: only while its statement is a draft without cost
    lines (billing's rule, `withdraw_exclusion`)."""
    _may_operate(repair, actor)
    repair = _locked(repair)
    billing.withdraw_exclusion(repair, reason=reason, actor=actor)
    return repair
