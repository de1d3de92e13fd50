"""Demo inspections and emergency plans: a contract year of plans for WB-2025-001 (the year
containing today), the visits already due done with their checklists (one finding became a
ticket), the latest one still in progress, and the emergency register with people, a readiness
check and a drill. Idempotent: nothing is added when the data is there."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from weibao.contracts.models import Contract
from weibao.core import clock
from weibao.emergency import services as emergency
from weibao.emergency.choices import DrillOutcome, Duty
from weibao.emergency.models import Drill, EmergencyEvent, Responsibility
from weibao.inspections import services
from weibao.inspections.choices import CheckOutcome, VisitState
from weibao.inspections.models import InspectionVisit
from weibao.sites.models import Site, SiteKind
from weibao.tickets import services as tickets
from weibao.tickets.models import ResolutionCause

CONTRACT = "WB-2025-001"

# readings and notes the engineer writes for items that ask for a value
READINGS = {
    "温度（℃）/湿度（%）": "23 / 48",
    "磁盘使用率（%）": "61",
    "抽查端局数": "6",
    "输出电压（V）": "220",
    "电池组电压（V）": "540",
    "后备时间（分钟）": "95",
    "回风温度（℃）": "22.5",
    "录像保存天数": "31",
    "接地电阻（Ω）": "3.2",
}


FINDING_ITEM = "平台告警记录中无未处理的告警"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load_inspections(customer, users) -> None:
    """Create the demo's inspections and emergency data once."""
    contract = Contract.objects.filter(number=CONTRACT, customer=customer).first()
    if contract is None:
        return
    today = clock.today()
    if (
        not InspectionVisit.objects.filter(contract=contract).exists()
        and contract.start_date <= today <= contract.end_date
    ):
        _plans(contract, users, today)
    if not Drill.objects.filter(customer=customer).exists():
        _emergency(customer, users, today)


def _plans(contract, users, today: dt.date) -> None:
    services.generate_plan(contract, on=today, actor=users["manager"])
    engineers = [users["engineer"], users["engineer2"]]
    visits = InspectionVisit.objects.filter(contract=contract).select_related("site")
    past = [v for v in visits.order_by("planned_date", "id") if v.planned_date < today]
    for i, visit in enumerate(past):
        engineer = engineers[i % 2]
        services.assign_engineer(visit, engineer=engineer, actor=users["manager"])
        finding = visit is past[-2] if len(past) > 1 else False
        _inspect(visit, engineer, finish=visit is not past[-1], finding=finding)
    upcoming = visits.filter(state=VisitState.PLANNED, planned_date__lte=today + dt.timedelta(45))
    for i, visit in enumerate(upcoming.order_by("planned_date")):
        services.assign_engineer(visit, engineer=engineers[i % 2], actor=users["manager"])


def _inspect(visit, engineer, *, finish: bool, finding: bool) -> None:
    """Carry out a past visit on its own day (the clock is set to it)."""
    with clock.frozen_at(_at(visit.planned_date, 9, 30)):
        services.start_visit(visit, actor=engineer)
    checks = list(visit.checks.order_by("section", "order"))
    if not finish:
        checks = checks[: len(checks) // 2]
    with clock.frozen_at(_at(visit.planned_date, 10, 40)):
        for check in checks:
            if finding and check.text == FINDING_ITEM:
                services.record_check(
                    check, outcome=CheckOutcome.FAIL, actor=engineer,
                    note="平台有 3 条门禁告警超过 24 小时未处理，门磁传感器接触不良",
                )  # fmt: skip
                check.refresh_from_db()
                tickets.move(check.ticket, "start_phone", actor=engineer)
                tickets.resolve(
                    check.ticket,
                    cause=ResolutionCause.objects.get(code="equipment_fault"),
                    fix="重新紧固门磁，告警消除",
                    actor=engineer,
                )
            else:
                services.record_check(
                    check, outcome=CheckOutcome.PASS, actor=engineer,
                    value=READINGS.get(check.value_label, ""),
                )  # fmt: skip
    if finish:
        with clock.frozen_at(_at(visit.planned_date, 11, 50)):
            services.complete_visit(
                visit,
                actor=engineer,
                summary="设备运行正常。建议值班人员每周检查一次 UPS 告警记录，"
                "并在雨季前检查机房防水。",
            )


def _emergency(customer, users, today: dt.date) -> None:
    manager, expert = users["manager"], users["expert"]
    people = [
        (Duty.LEAD, manager, None, "负责启动应急预案，组织应急小组，协调各方资源"),
        (Duty.TECHNICAL, expert, None, "负责故障诊断、备用方案的选择与实施指导"),
        (Duty.EXECUTOR, users["engineer"], None, "现场执行备用方案，恢复通信"),
    ]
    for order, (duty, user, _event, tasks) in enumerate(people, start=1):
        Responsibility.objects.get_or_create(
            customer=customer, duty=duty, user=user,
            defaults={"name": str(user), "phone": user.phone, "tasks": tasks, "order": order,
                      "address": "南京市鼓楼区中山北路 88 号"},
        )  # fmt: skip
    contact = customer.contacts.filter(role="responsible").first()
    if contact is not None:
        Responsibility.objects.get_or_create(
            customer=customer, duty=Duty.CUSTOMER, name=contact.name,
            defaults={"phone": contact.phone, "tasks": "客户方应急联络，确认备用方案的实施",
                      "order": 9},
        )  # fmt: skip
    center = Site.objects.filter(customer=customer, kind=SiteKind.MONITORING_CENTER).first()
    if center is None:
        return
    emergency.update_readiness(
        center, flowchart_posted=True, contacts_posted=True, ups_minutes=90,
        dual_power_feed=True, hot_standby=True, offsite_backup=True,
        note="UPS 2 号电池组 2024 年更换；异地备份在苏州核心机房。", actor=manager,
    )  # fmt: skip
    power = EmergencyEvent.objects.get(customer__isnull=True, code="power")
    emergency.record_drill(
        customer=customer,
        site=center,
        event=power,
        alternative=power.alternatives.order_by("rank").first(),
        held_on=today - dt.timedelta(days=45),
        scenario="模拟市电中断：断开监控中心市电输入，由 UPS 供电并切换到第二路市电",
        participants="张维护经理、刘专家、李工程师、孔工、监控中心值班员",
        outcome=DrillOutcome.PARTIAL,
        outcome_note="切换用时 6 分钟，2 号 UPS 电池组放电 35 分钟即告警",
        follow_ups="更换 2 号 UPS 电池组；值班室张贴新版应急流程图",
        actor=manager,
    )
