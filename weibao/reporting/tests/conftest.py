"""A quarter of a contract with tickets whose figures are known by hand (Q1 2026 of the desk
contract, which starts on 2026-01-01; the desk site is 30 km from its service point).

    T1 L1  site 1, FSU     05 Jan 10:00 criteria 监控中心网管; phone met 10:10, on-site
           response met 10:20, arrival due 15:00 — the runner marks it breached at 15:30, met
           16:00 (60 min late); resolved 18:00 (8 h); callback 06 Jan, satisfied, score 5
    T2 L2  site 2, camera  20 Jan 09:00 criteria 硬件; phone met 09:30; resolved 13:00 (4 h);
           callback 20 Jan, satisfied, score 4 (closes it)
    T3 L2  site 2, camera  10 Feb 08:00 no criteria; phone due 10:00, met 11:00 (60 min late);
           resolved 20:00 (12 h); callback 11 Feb, satisfied, score 3 (closes it)
    T4 L3  site 2, camera  01 Mar 10:00 criteria 前端; never answered: phone due 12:00 passed
    T5 consultation, site 1  15 Mar 14:00; phone met 14:30; resolved 15:00 (not a fault)
    T6 L3  site 2, camera  20 Mar 10:00 criteria 前端; phone met 10:30; resolved 12:00 (2 h)
    T7 L2  site 2          01 Apr 09:00 — after the quarter, not counted

plus one repair (FSU, received 05 Feb), one complaint (12 Feb) and one spare exchange
(01 Feb). The report is generated on 2026-04-02 10:00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from weibao.assets.models import AssetCategory
from weibao.contracts.services import consume_entitlement
from weibao.escalations.runner import tick
from weibao.fieldservice import services as field
from weibao.sites.models import SiteKind
from weibao.testing import factories as f
from weibao.tickets import services
from weibao.tickets.models import ClassificationCriterion

GENERATED_AT = dt.datetime(2026, 4, 2, 10, 0)


@pytest.fixture(autouse=True)
def _reports_inline(settings, tmp_path):
    """Generate inline (no background thread) and keep the files in a temporary MEDIA_ROOT."""
    settings.WEIBAO_REPORT_THREADS = False
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Quarter:
    desk: object
    contract: object
    site1: object
    site2: object
    fsu: object
    camera: object
    tickets: dict


def _criterion(level: str, category: str) -> ClassificationCriterion:
    return ClassificationCriterion.objects.filter(scheme=3, level=level, category=category).first()


@pytest.fixture
def quarter(desk, frozen_clock) -> Quarter:
    site1 = desk.site
    site2 = f.SiteFactory(
        customer=desk.customer, name="江宁端局", kind=SiteKind.END_OFFICE,
        service_point=site1.service_point, road_distance_km=30,
    )  # fmt: skip
    desk.contract.sites.add(site2)
    fsu = f.AssetFactory(site=site1, name="监控中心 FSU")
    camera = f.AssetFactory(
        site=site2, name="江宁 2 号摄像机", category=AssetCategory.objects.get(code="camera")
    )
    agent, engineer = desk.agent, desk.engineer
    tickets = {}

    def at(day: str, time: str) -> dt.datetime:
        return frozen_clock(dt.datetime.fromisoformat(f"2026-{day}T{time}"))

    def open_(name, day, time, **values):
        reported = at(day, time)
        values.setdefault("level", "")
        tickets[name] = services.open_ticket(
            customer=desk.customer, channel="phone", fault_phenomenon=f"{name} 故障",
            reported_at=reported, contact_name="钱值班员", contact_phone="139", actor=agent,
            **values,
        )  # fmt: skip
        return tickets[name]

    t1 = open_("T1", "01-05", "10:00", site=site1, asset=fsu, level="L1",
               criteria=[_criterion("L1", "监控中心网管")])  # fmt: skip
    at("01-05", "10:10")
    services.respond(t1, actor=engineer)
    at("01-05", "10:20")
    visit = field.dispatch(t1, engineer=engineer, actor=desk.manager)
    at("01-05", "15:30")
    tick(deliver=False)  # the runner marks the arrival clock breached
    at("01-05", "16:00")
    field.check_in(visit, actor=engineer)  # the arrival clock is met by the check-in
    at("01-05", "17:50")
    field.create_visit_document(
        visit, kind="service_report", actor=engineer,
        data={"phenomenon": "T1 故障", "cause": "FSU 采集板故障", "actions": "更换采集板",
              "result": "恢复正常", "prevention": "定期巡检采集板"},
    )  # fmt: skip
    field.record_signature_refused(visit, reason="客户负责人不在现场", actor=engineer)
    field.check_out(visit, actor=engineer)
    at("01-05", "18:00")
    _resolve(t1, "equipment_fault", engineer)
    at("01-06", "09:00")
    services.record_callback(t1, satisfied=True, score=5, actor=agent)

    t2 = open_("T2", "01-20", "09:00", site=site2, asset=camera, level="L2",
               criteria=[_criterion("L2", "硬件")])  # fmt: skip
    at("01-20", "09:30")
    services.move(t2, "start_phone", actor=engineer)
    at("01-20", "13:00")
    _resolve(t2, "equipment_fault", engineer)
    at("01-20", "15:00")
    services.record_callback(t2, satisfied=True, score=4, actor=agent)

    t3 = open_("T3", "02-10", "08:00", site=site2, asset=camera, level="L2")
    at("02-10", "11:00")
    services.move(t3, "start_phone", actor=engineer)
    at("02-10", "20:00")
    _resolve(t3, "transmission_line", engineer)
    at("02-11", "09:00")
    services.record_callback(t3, satisfied=True, score=3, actor=agent)

    open_("T4", "03-01", "10:00", site=site2, asset=camera, level="L3",
          criteria=[_criterion("L3", "前端")])  # fmt: skip

    t5 = open_("T5", "03-15", "14:00", site=site1, request_type="consultation")
    at("03-15", "14:30")
    services.respond(t5, actor=engineer)
    services.move(t5, "start_phone", actor=engineer)
    at("03-15", "15:00")
    _resolve(t5, "configuration", engineer)

    t6 = open_("T6", "03-20", "10:00", site=site2, asset=camera, level="L3",
               criteria=[_criterion("L3", "前端")])  # fmt: skip
    at("03-20", "10:30")
    services.move(t6, "start_phone", actor=engineer)
    at("03-20", "12:00")
    _resolve(t6, "improper_use", engineer)

    open_("T7", "04-01", "09:00", site=site2, level="L2")

    _hardware_and_complaint(desk, fsu, at)
    at("04-02", "10:00")
    return Quarter(desk, desk.contract, site1, site2, fsu, camera, tickets)


def _hardware_and_complaint(desk, fsu, at) -> None:
    from weibao.feedback.services.complaints import record_complaint
    from weibao.repairs.services.registration import register_repair

    at("02-01", "09:00")
    consume_entitlement(desk.contract, "spare_exchange", on=dt.date(2026, 2, 1))
    at("02-05", "09:00")
    register_repair(
        fault_description="FSU 采集板无输出", received_on=dt.date(2026, 2, 5),
        customer=desk.customer, asset=fsu, actor=desk.agent,
    )  # fmt: skip
    at("02-12", "09:00")
    record_complaint(
        customer=desk.customer, text="二级故障处理太慢", channel="phone", actor=desk.agent,
        complainant="冯处长", received_at=at("02-12", "09:00"),
    )  # fmt: skip


def _resolve(ticket, cause: str, engineer) -> None:
    """Resolved with the cause recorded (TKT-4): T1, T2 equipment faults, T3 the transmission
    line, T6 improper use (an exclusion cause); T4 is still open."""
    from weibao.tickets.models import ResolutionCause

    services.resolve(ticket, cause=ResolutionCause.objects.get(code=cause),
                     fix="更换故障部件并恢复业务", actor=engineer)  # fmt: skip
