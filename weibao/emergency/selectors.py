"""Reads of the emergency plans: a customer's register, the readiness of a site (EMP-3) and
what its poster shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.core import clock
from weibao.emergency.choices import Duty
from weibao.emergency.models import (
    AlternativePlan,
    Drill,
    EmergencyEvent,
    Responsibility,
    SiteReadiness,
)

DRILL_WITHIN = dt.timedelta(days=366)  # a drill at least once a year
UPS_MINUTES = 60  # "不间断电源可在断电后维持工作一小时以上"


def events_for(customer) -> list[EmergencyEvent]:
    """The register of a customer: the standard events plus the customer's own, with their
    ranked alternatives and the responsibilities that apply to this customer."""
    people = Responsibility.objects.filter(
        Q(customer__isnull=True) | Q(customer=customer)
    ).select_related("user")
    scope = Q(customer__isnull=True)
    if customer is not None:
        scope |= Q(customer=customer)
    return list(
        EmergencyEvent.objects.filter(scope).prefetch_related(
            Prefetch("alternatives", queryset=AlternativePlan.objects.order_by("rank")),
            Prefetch("responsibilities", queryset=people),
        )
    )


def visible_event(user, pk: int) -> EmergencyEvent | None:
    """An event the user may read: standard ones, or their own customer's."""
    events = EmergencyEvent.objects.filter(pk=pk)
    if user.customer_id:
        events = events.filter(Q(customer__isnull=True) | Q(customer_id=user.customer_id))
    elif not user.is_superuser:
        events = events.filter(Q(customer__isnull=True) | Q(customer__provider_id=user.provider_id))
    return events.first()


def general_responsibilities(customer) -> list[Responsibility]:
    """The people answering for every event of this customer (event left blank)."""
    return list(
        Responsibility.objects.filter(event__isnull=True)
        .filter(Q(customer__isnull=True) | Q(customer=customer))
        .select_related("user")
    )


def drills_for(user, *, site=None):
    drills = Drill.objects.visible_to(user).select_related("site", "event", "alternative")
    if site is not None:
        drills = drills.filter(Q(site=site) | Q(site__isnull=True, customer_id=site.customer_id))
    return drills


def lead_people(customer, events: list[EmergencyEvent]) -> list[Responsibility]:
    """The emergency leads covering every event: the general leads, or else each event's own
    (empty when some event has no lead)."""
    general = [p for p in general_responsibilities(customer) if p.duty == Duty.LEAD]
    if general:
        return general
    per_event = [[p for p in e.responsibilities.all() if p.duty == Duty.LEAD] for e in events]
    if not events or not all(per_event):
        return []
    return [p for leads in per_event for p in leads]


@dataclass(frozen=True)
class ReadinessItem:
    code: str
    label: str
    ok: bool
    detail: str
    derived: bool  # True: computed from the register, not ticked on site


def readiness(site) -> list[ReadinessItem]:
    """The requirements of §1.1.9.4 for one site, each met or not, with why."""
    events = events_for(site.customer)
    record = SiteReadiness.objects.filter(site=site).first() or SiteReadiness(site=site)
    ranked = [e for e in events if len(e.alternatives.all()) >= 2]
    leads = lead_people(site.customer, events)
    last_drill = (
        Drill.objects.filter(customer=site.customer)
        .filter(Q(site=site) | Q(site__isnull=True))
        .order_by("-held_on")
        .first()
    )
    recent = last_drill is not None and clock.today() - last_drill.held_on <= DRILL_WITHIN
    power_ok = record.dual_power_feed or (record.ups_minutes or 0) >= UPS_MINUTES
    power = []
    if record.ups_minutes is not None:
        power.append(_("UPS 后备 %(m)s 分钟") % {"m": record.ups_minutes})
    if record.dual_power_feed:
        power.append(_("双路电源进线"))
    names = _("、").join(sorted({p.name for p in leads}))
    return [
        ReadinessItem("alternatives", _("应有多种备用方案，每种可独立实施，并排定优先顺序"),
                      bool(events) and len(ranked) == len(events),
                      _("%(n)s / %(total)s 个事件有两个以上排序的备用方案")
                      % {"n": len(ranked), "total": len(events)}, True),
        ReadinessItem("responsibilities", _("应有明确的负责人与各级责任人的职责"),
                      bool(leads),
                      _("应急负责人：%(names)s") % {"names": names}
                      if leads else _("尚未为所有事件指定应急负责人"), True),
        ReadinessItem("drills", _("便于培训和实施演习（一年内有演练记录）"), recent,
                      _("最近一次演练：%(d)s") % {"d": last_drill.held_on}
                      if last_drill else _("没有演练记录"), True),
        ReadinessItem("flowchart", _("应急预案简单流程图公布在显著和方便的位置"),
                      record.flowchart_posted, "", False),
        ReadinessItem("power", _("配置不间断电源（维持一小时以上）或双路电源进线"), power_ok,
                      _("，").join(power) or _("未记录"), False),
        ReadinessItem("hot_standby", _("关键设备和信息安全产品采用双机热备"),
                      record.hot_standby, "", False),
        ReadinessItem("offsite_backup", _("关键数据异地备份"), record.offsite_backup, "", False),
        ReadinessItem("contacts", _("应急关键信息（火警、报警、负责人电话和住址）张贴在显著位置"),
                      record.contacts_posted, "", False),
    ]  # fmt: skip


EMERGENCY_NUMBERS = (
    (gettext_lazy("火警"), "119"),
    (gettext_lazy("报警"), "110"),
    (gettext_lazy("急救"), "120"),
)


def l1_ladder(site) -> list[dict]:
    """表 16 for a level-1 fault at this site (the covering contract's policy), with who each
    step reaches and their phones."""
    from weibao.contracts.policy import EscalationTarget, default_policy
    from weibao.contracts.selectors import resolve_contract
    from weibao.escalations.recipients import recipients_for
    from weibao.sla import engine

    contract, _covered = resolve_contract(site.customer, site, clock.today())
    policy = contract.policy.snapshot() if contract is not None else default_policy()
    steps = []
    for step in engine.ladder(policy, "L1"):
        people = recipients_for(step.target, customer_id=site.customer_id, engineer=None)
        steps.append(
            {
                "minutes": step.after_minutes,
                "target": str(EscalationTarget(step.target).label),
                "people": [{"name": str(person), "phone": person.phone} for person in people[:4]],
            }
        )
    return steps


def emergency_flow(hotline: str) -> list[str]:
    """The steps of the emergency flow (§1.1.7.2, §1.1.9), as posted in the machine room."""
    from weibao.sla.engine import EMERGENCY_ACTIONS

    first = _(
        "发现紧急事件（设备或软件受破坏性攻击、病毒侵害、设备被人为毁坏、自然灾害、"
        "意外停电）：立即拨打服务热线 %(hotline)s 报告，并通知本单位应急负责人。"
    )
    steps = [first % {"hotline": hotline or "—"}]
    steps += [a.label for a in EMERGENCY_ACTIONS if a.phase == "emergency"]
    steps.append(_("按应急预案的优先顺序执行备用方案，优先恢复通信。"))
    steps += [a.label for a in EMERGENCY_ACTIONS if a.phase == "aftercare"]
    return steps


def poster_context(site) -> dict:
    """Everything the A4 poster of a site shows."""
    from weibao.tenancy.models import ContactRole

    customer = site.customer
    provider = customer.provider
    events = events_for(customer)
    order = {role: i for i, role in enumerate(ContactRole.values)}
    contacts = sorted(customer.contacts.all(), key=lambda c: (order.get(c.role, 99), c.name))
    responsible = general_responsibilities(customer)
    return {
        "site": site,
        "customer": customer,
        "provider": provider,
        "hotline": provider.hotline,
        "numbers": EMERGENCY_NUMBERS,
        "contacts": contacts,
        "responsible": responsible,
        "flow": emergency_flow(provider.hotline),
        "ladder": l1_ladder(site),
        "events": [{"event": e, "first": next(iter(e.alternatives.all()), None)} for e in events],
        "printed_on": clock.today(),
    }
