"""Writes of the emergency plans: drills, the readiness checklist of a site, and the poster."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core import bounds, clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, field_choice
from weibao.core.permissions import require
from weibao.emergency.choices import DrillOutcome, EmergencyEvent
from weibao.emergency.models import Drill, SiteReadiness

READINESS_FIELDS = (
    "flowchart_posted",
    "contacts_posted",
    "ups_minutes",
    "dual_power_feed",
    "hot_standby",
    "offsite_backup",
    "note",
)


def _require_editor(actor, customer_id: int) -> None:
    """`actor=None` is the system (the demo, a command); people need the capability."""
    if actor is not None:
        require(actor, Capability.EMERGENCY_PLAN_EDIT, customer_id=customer_id)


@transaction.atomic
def record_drill(
    *,
    customer,
    held_on: dt.date,
    scenario: str,
    participants: str,
    outcome: str,
    actor,
    site=None,
    event=None,
    alternative=None,
    outcome_note: str = "",
    follow_ups: str = "",
) -> Drill:
    """Record a drill of the emergency plan (EMP-1); it joins the site's archive. The actor
    needs `emergency_plan.edit`."""
    _require_editor(actor, customer.pk)
    if site is not None and site.customer_id != customer.pk:
        raise DomainError(_("机房不属于该客户。"), code="wrong_customer", field="site")
    if event is not None and event.customer_id not in (None, customer.pk):
        raise DomainError(_("该应急事件不属于此客户。"), code="wrong_customer", field="event")
    if alternative is not None and (event is None or alternative.event_id != event.pk):
        raise DomainError(_("备用方案不属于所选事件。"), code="wrong_event", field="alternative")
    if held_on > clock.today():
        raise DomainError(_("演练日期不能晚于今天。"), code="date_in_future", field="held_on")
    bounds.check_date(held_on, "held_on", not_after_today=True)
    if outcome not in DrillOutcome.values:
        raise DomainError(_("请选择演练结果。"), code="outcome_required", field="outcome")
    scenario, participants = (scenario or "").strip(), (participants or "").strip()
    if not scenario:
        raise DomainError(_("请填写演练场景。"), code="scenario_required", field="scenario")
    if not participants:
        raise DomainError(_("请填写参加人员。"), code="participants_required", field="participants")
    drill = Drill.objects.create(
        customer=customer,
        site=site,
        event=event,
        alternative=alternative,
        held_on=held_on,
        scenario=scenario,
        participants=participants,
        outcome=outcome,
        outcome_note=(outcome_note or "").strip(),
        follow_ups=(follow_ups or "").strip(),
        recorded_by=actor,
    )
    record_event(
        drill,
        kind=EmergencyEvent.DRILL,
        actor=actor,
        message=event_text(
            "应急演练：%(scenario)s（%(outcome)s）",
            scenario=scenario[:80],
            outcome=field_choice(drill, "outcome"),
        ),
    )
    return drill


@transaction.atomic
def close_follow_ups(drill: Drill, *, actor, note: str = "") -> Drill:
    """The drill's follow-up items are done."""
    _require_editor(actor, drill.customer_id)
    drill = Drill.objects.select_for_update().get(pk=drill.pk)
    if drill.follow_ups_done:
        raise DomainError(_("改进事项已经完成。"), code="already_done")
    drill.follow_ups_done = True
    drill.save(update_fields=["follow_ups_done"])
    record_event(
        drill,
        kind=EmergencyEvent.FOLLOW_UPS,
        actor=actor,
        message=event_text("演练改进事项已完成。%(note)s", note=note),
    )
    return drill


@transaction.atomic
def update_readiness(site, *, actor, **values) -> SiteReadiness:
    """Record what was found at the site for the requirements of §1.1.9.4 (EMP-3); part of
    the site's emergency plan, so the actor needs `emergency_plan.edit`."""
    _require_editor(actor, site.customer_id)
    unknown = set(values) - set(READINESS_FIELDS)
    if unknown:
        raise DomainError(_("未知的检查项：%(f)s") % {"f": "、".join(sorted(unknown))})
    record, _created = SiteReadiness.objects.select_for_update().get_or_create(
        site=site, defaults={"customer": site.customer}
    )
    for name, value in values.items():
        setattr(record, name, value)
    record.checked_on, record.checked_by = clock.today(), actor
    record.save()
    return record
