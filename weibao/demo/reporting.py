"""Demo data of the reporting and library capabilities: shared documents, a third-party
coverage about to expire, network-change consulting, software versions, and a generated
quarterly operation analysis report of the demo contract (WB-2025-001) for the last closed
quarter, with a quarter's worth of resolved tickets behind it.

Idempotent: each part does nothing when its data exists. Call it after `load_tickets` (and
after the other capabilities' loaders, so the report includes their repairs and visits).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.utils import timezone

from weibao.accounts.selectors import holders_of_role
from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.escalations import services as escalations
from weibao.library import services as library
from weibao.library.models import (
    ConsultingRequest,
    LibraryDocument,
    SoftwareChange,
    ThirdPartyCoverage,
)
from weibao.reporting import generation
from weibao.reporting import services as reporting
from weibao.reporting.models import AnalysisReport
from weibao.reporting.periods import last_closed
from weibao.sites.models import Site
from weibao.tickets import services as tickets
from weibao.tickets.models import ClassificationCriterion, ResolutionCause, Ticket

log = logging.getLogger(__name__)
CONTRACT_NUMBER = "WB-2025-001"

# month of the quarter (0–2), day, hour, site, asset category, level (or request type),
# criteria category, minutes until answered, hours until resolved, callback score
HISTORY = [
    (0, 3, 9, "EO-09", "camera", "L3", "前端", 20, 26, 5),
    (0, 8, 14, "EO-09", "camera", "L3", "前端", 40, 30, 4),
    (0, 15, 2, "MC-01", "server_center", "L1", "硬件设备", 10, 6, 5),
    (0, 21, 10, "AG-02", "switch", "L2", "硬件", 150, 9, 3),
    (0, 29, 16, "EO-03", "sensor", "L3", "前端", 30, 20, 5),
    (1, 2, 11, "EO-09", "camera", "L3", "前端", 25, 28, 3),
    (1, 6, 9, "EO-14", "fsu", "L2", "网管", 45, 5, 4),
    (1, 12, 20, "CR-02", "ups", "L2", "硬件", 60, 14, 4),
    (1, 18, 8, "EO-12", "camera", "L3", None, 200, 50, None),
    (1, 25, 13, "EO-09", "fsu", "L2", "网管", 30, 11, 5),
    (2, 1, 10, "EO-06", "sensor", "L3", "前端", 15, 8, 5),
    (2, 5, 15, "AG-02", "router", "L2", "硬件", 35, 7, 4),
    (2, 11, 9, "EO-01", None, "consultation", None, 20, 2, None),
    (2, 16, 22, "EO-17", "camera", "L3", "前端", 90, 40, 4),
    (2, 22, 9, "EO-09", "camera", "L3", "前端", 20, 16, None),
    (2, 26, 17, "EO-20", "fsu", "L2", "网管", 50, 30, 4),
]

SECTIONS = {
    "cause_analysis": (
        "本季度故障集中在扬州端局（EO-09）的前端摄像机：同一台摄像机三次无图像，排查为供电适配器"
        "老化、雨季受潮导致电压不稳。7 月中旬中心服务器因硬盘背板故障引发一级故障，现场更换背板后"
        "恢复，未造成数据丢失。"
    ),
    "maintenance_problems": (
        "部分端局夜间值守人员对告警确认不及时，两次电话支持响应超时；\n"
        "上海端局摄像机故障报修信息不完整，影响了分级与处理。"
    ),
    "improvement_suggestions": (
        "更换扬州端局前端摄像机电源适配器并加装防潮箱；\n"
        "对中心服务器开展硬盘与背板健康巡检，列入下季度核心机房巡检项目；\n"
        "组织一次端局值守人员告警处理培训（不超过 2 小时）。"
    ),
}


def load_reporting(customer, users) -> None:
    """Load the library and reporting demo data for `customer` (the demo's 华东通信)."""
    _documents(customer, users)
    _versions(customer, users)
    _coverage(customer, users)
    _consulting(customer, users)
    _quarterly_report(customer, users)


def _documents(customer, users) -> None:
    if LibraryDocument.objects.exists():
        return
    docs = [
        ("动环监控系统日常维护手册", "maintenance", "V2.3", True, [],
         "日常巡视、告警处理、数据备份与常见故障处理。"),
        ("中心平台 V3.2.1 版本说明", "release", "V3.2.1", True, [],
         "新增告警压缩、修复前端离线误报；升级步骤与回退方案。"),
        ("视频监控平台操作培训讲义", "training", "2026", True, [],
         "面向值班人员的操作培训，配合现场培训使用。"),
        ("华东通信端局割接方案（客户专用）", "other", "1.0", True, [customer],
         "仅华东通信可见：2026 年端局扩容割接方案。"),
        ("FSU 采集器技术通告（草稿）", "bulletin", "0.9", False, [],
         "未发布：采集器固件问题的临时规避方法。"),
    ]  # fmt: skip
    for title, category, version, published, only, text in docs:
        library.add_document(
            title=title, category=category, version=version, published=published,
            audience="selected" if only else "all", customers=only, description=text,
            file=ContentFile(f"{title}\n\n{text}\n".encode(), name=f"{category}-{version}.txt"),
            actor=users["admin"],
        )  # fmt: skip


def _asset(customer, site_code: str, category: str | None):
    assets = Asset.objects.filter(customer=customer, site__code=site_code).order_by("id")
    return assets.filter(category__code=category).first() if category else None


def _versions(customer, users) -> None:
    if SoftwareChange.objects.filter(asset__customer=customer).exists():
        return
    now = clock.now()
    for site_code, category, kind, version, patch, days_ago, note in (
        ("EO-09", "fsu", "upgrade", "V2.1", "", 40, "修复采集板离线误报"),
        ("EO-14", "fsu", "patch", "", "FSU-HOTFIX-0917", 25, "规避串口通信中断"),
        ("MC-01", "server_storage", "upgrade", "V5.6.2", "", 12, "存储固件升级，支持 16TB 硬盘"),
    ):  # fmt: skip
        asset = _asset(customer, site_code, category)
        if asset is None:
            continue
        library.apply_software_change(
            asset, kind=kind, to_version=version, patch_name=patch, note=note,
            applied_at=now - dt.timedelta(days=days_ago), actor=users["engineer"],
        )  # fmt: skip


def _coverage(customer, users) -> None:
    if ThirdPartyCoverage.objects.filter(customer=customer).exists():
        return
    today = clock.today()
    center = Asset.objects.filter(
        customer=customer, site__code="MC-01", category__is_third_party=True
    )
    library.register_coverage(
        customer=customer, vendor="华为技术有限公司",
        covers="监控中心服务器、核心交换机、防火墙原厂保修（7×24，4 小时备件）",
        assets=list(center.filter(category__code__in=["server_center", "switch", "firewall"])),
        start_date=today - dt.timedelta(days=340), expiry_date=today + dt.timedelta(days=25),
        contract_number="HW-SVC-2025-0318", contact_name="华为服务热线",
        contact_phone="400-822-9999",
        actor=users["account"],
    )  # fmt: skip
    ups = library.register_coverage(
        customer=customer, vendor="维谛技术（艾默生）", covers="UPS 与精密空调原厂保修",
        assets=list(center.filter(category__code__in=["ups", "precision_ac"])),
        start_date=today - dt.timedelta(days=700), expiry_date=today - dt.timedelta(days=335),
        contract_number="VT-2024-77", contact_name="王工", contact_phone="13800000077",
        actor=users["account"],
    )  # fmt: skip
    library.renew_coverage(
        ups, start_date=today - dt.timedelta(days=334), expiry_date=today + dt.timedelta(days=396),
        contract_number="VT-2025-31", note="续保一年", actor=users["account"],
    )  # fmt: skip


def _consulting(customer, users) -> None:
    if ConsultingRequest.objects.filter(customer=customer).exists():
        return
    sites = {s.code: s for s in Site.objects.filter(customer=customer, code__in=["AG-02", "MC-01"])}
    library.submit_consulting(
        customer=customer, site=sites.get("AG-02"), title="常州汇聚机房传输链路冗余改造",
        description="常州汇聚下属端局仅有单条传输链路，希望提供双路由冗余改造方案和预算。",
        actor=users["customer"],
    )  # fmt: skip
    second = library.submit_consulting(
        customer=customer, site=sites.get("MC-01"), title="监控中心视频存储扩容",
        description="视频存储仅能保留 15 天，需扩容到 30 天，请给出方案。", actor=users["leader"],
    )  # fmt: skip
    library.assign_owner(second, owner=users["engineer"], actor=users["manager"])
    library.move_consulting(
        second, "draft", actor=users["engineer"],
        proposal="方案：新增 2 台 16 盘位存储服务器（DS-A81016S），与现有存储组成集群；"
        "按 30 天保存估算需新增 192TB 可用容量。预计实施 2 天，不影响业务。",
    )  # fmt: skip
    library.move_consulting(second, "deliver", actor=users["engineer"])


def _quarterly_report(customer, users) -> None:
    contract = Contract.objects.filter(number=CONTRACT_NUMBER).first()
    if contract is None:
        return
    period = last_closed(contract, "quarter", clock.today())
    if period is None:
        return
    report = AnalysisReport.objects.filter(
        contract=contract, period_kind="quarter", period_start=period.start
    ).first()
    if report is not None and report.cause_analysis:
        return  # loaded already
    # Other demo loaders may have put a ticket or two into that quarter; the history is ours
    # (its contact is "值班员").
    played = Ticket.objects.filter(
        customer=customer,
        reported_at__date__range=(period.start, period.end),
        contact_name="值班员",
    )
    if not played.exists():
        _history(customer, users, period.start)
    # The tick may have queued the automatic report of this quarter already: take it over.
    report = reporting.request_report(
        contract, period_kind="quarter", day=period.start, actor=users["manager"], start=False
    )
    reporting.save_sections(report, actor=users["engineer"], **SECTIONS)
    generation.generate_report(report.pk, files=False)  # files render on first download


def _at(first: dt.date, month: int, day: int, hour: int) -> dt.datetime:
    month_start = dt.date(first.year + (first.month + month - 1) // 12,
                          (first.month + month - 1) % 12 + 1, 1)  # fmt: skip
    day = min(day, 28)
    return timezone.make_aware(dt.datetime.combine(month_start.replace(day=day), dt.time(hour)))


def _history(customer, users, first: dt.date) -> None:
    """A quarter of resolved requests, played at their own times (the clock is frozen at each
    step), so clocks, callbacks and events are exactly what the service desk would record."""
    agent, engineer = users["agent"], users["engineer"]
    sites = {s.code: s for s in Site.objects.filter(customer=customer)}
    criteria = {(c.level, c.category): c for c in ClassificationCriterion.objects.filter(scheme=3)}
    for month, day, hour, code, category, level, cause, answer, resolve, score in HISTORY:
        reported = _at(first, month, day, hour)
        fault = level.startswith("L")
        with clock.frozen_at(reported):
            ticket = tickets.open_ticket(
                customer=customer, site=sites[code], asset=_asset(customer, code, category),
                channel="phone", request_type="fault" if fault else level,
                level=level if fault else "", contact_name="值班员", contact_phone="13900000002",
                fault_phenomenon=f"{sites[code].name}{'设备故障' if fault else '咨询'}",
                criteria=[criteria[(level, cause)]] if cause else [], reported_at=reported,
                actor=agent,
            )  # fmt: skip
        with clock.frozen_at(reported + dt.timedelta(minutes=answer)):
            if level == "L1":
                tickets.respond(ticket, actor=engineer)
                for action in ticket.emergency_actions.all():  # each by its owner role
                    owner = holders_of_role(action.owner_role, customer.pk) or [engineer]
                    escalations.complete_action(ticket, action.code, actor=owner[0], note="已完成")
            else:
                tickets.move(ticket, "start_phone", actor=engineer)
        resolved = reported + dt.timedelta(hours=resolve)
        with clock.frozen_at(resolved):
            tickets.resolve(ticket, cause=_equipment_fault(), fix="已处理，恢复正常",
                            actor=engineer)  # fmt: skip
        if score is not None:
            with clock.frozen_at(resolved + dt.timedelta(hours=20)):
                tickets.record_callback(ticket, satisfied=True, score=score, note="客户满意",
                                        actor=agent)  # fmt: skip
    _complaint_and_repair(customer, users, first)


def _equipment_fault() -> ResolutionCause:
    return ResolutionCause.objects.get(code="equipment_fault")


def _complaint_and_repair(customer, users, first: dt.date) -> None:
    try:
        from weibao.feedback.services.complaints import record_complaint
        from weibao.repairs.services.registration import register_repair
    except ImportError:
        return
    received = _at(first, 1, 19, 10)
    try:
        with clock.frozen_at(received):
            record_complaint(
                customer=customer, text="上海端局摄像机报修后两天才处理完，影响值班监看。",
                channel="phone", complainant="冯处长", received_at=received, actor=users["agent"],
            )  # fmt: skip
        day = _at(first, 1, 10, 9)
        with clock.frozen_at(day):
            register_repair(
                fault_description="FSU 采集板无输出，返厂维修", received_on=day.date(),
                customer=customer, asset=_asset(customer, "EO-14", "fsu"), actor=users["keeper"],
            )  # fmt: skip
    except DomainError as error:  # e.g. the calendar of that year is not imported
        log.warning("demo complaint/repair skipped: %s", error.message)
