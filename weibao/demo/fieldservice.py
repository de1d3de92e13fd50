"""Demo field service: engineer profiles, visits in several states on the open L2/L3 tickets
(on the way, on site, cancelled and reassigned, done), signed documents, one report waiting for
the customer's signature, and a training session."""

from __future__ import annotations

import datetime as dt

from weibao.accounts.models import User
from weibao.core import clock
from weibao.documents import services as documents
from weibao.documents.testing import sample_signature
from weibao.fieldservice import services
from weibao.fieldservice.models import EngineerProfile, Visit
from weibao.sites.models import Site
from weibao.tenancy.models import ServicePoint
from weibao.tickets import services as tickets
from weibao.tickets.choices import Stage
from weibao.tickets.models import ResolutionCause, Ticket

PROFILES = {
    # username: (service point, asset category codes)
    "engineer": ("南京服务网点", ["fsu", "sensor", "camera", "nvr", "server_center",
                                "server_access", "ups"]),
    "engineer2": ("苏州服务网点", ["switch", "router", "firewall", "optical_converter", "fsu",
                                  "precision_ac", "camera"]),
}  # fmt: skip


def load_fieldservice(customer, users: dict[str, User]) -> None:
    """Create the demo's field service once; later runs keep whatever users did with it."""
    _profiles(customer, users)
    if Visit.objects.filter(ticket__customer=customer).exists():
        return
    now = clock.now()
    open_tickets = Ticket.objects.filter(customer=customer).exclude(
        stage__in=[Stage.RESOLVED, Stage.CLOSED]
    )
    l2 = open_tickets.filter(level="L2", site__code="AG-02").first()
    l3 = open_tickets.filter(level="L3", site__code="EO-09").first()
    if l2 is not None:
        _reassigned_on_the_way(l2, users)
    if l3 is not None:
        _on_site_waiting_for_signature(l3, users)
    _done_with_signed_report(customer, users, now)


def _profiles(customer, users) -> None:
    points = {p.name: p for p in ServicePoint.objects.filter(provider=customer.provider)}
    for username, (point, skills) in PROFILES.items():
        user = users.get(username)
        if user is not None and point in points:
            EngineerProfile.objects.get_or_create(
                user=user, defaults={"service_point": points[point], "skills": skills}
            )


def _sign(doc, name, role, actor, seed):
    return documents.sign_document(
        doc, signer_name=name, signer_role=role, signature=sample_signature(seed=seed),
        actor=actor,
    )  # fmt: skip


def _reassigned_on_the_way(ticket, users) -> None:
    """L2 常州: the customer wants someone on site; 李 was sent, then 赵 from Suzhou (nearer)."""
    manager = users["manager"]
    if ticket.stage != Stage.ONSITE:
        tickets.move(ticket, "go_onsite", actor=manager, note="远程未能恢复，客户要求现场处理")
    first = services.dispatch_visit(ticket, engineer=users["engineer"], actor=manager)
    services.cancel_visit(first, reason="改派苏州服务网点工程师，距离更近", actor=manager)
    second = services.dispatch_visit(ticket, engineer=users["engineer2"], actor=manager)
    services.depart(second, actor=users["engineer2"])


def _on_site_waiting_for_signature(ticket, users) -> None:
    """L3 扬州: the engineer is on site; the application and the plan are signed, the plan was
    carried out, and the service report waits for the customer's signature in the portal."""
    engineer = users["engineer"]
    visit = services.dispatch_visit(ticket, engineer=engineer, actor=users["manager"])
    services.check_in(visit, actor=engineer, lat="32.393200", lon="119.412700")
    application = services.create_visit_document(
        visit, kind="service_application", actor=engineer,
        data={"request": ticket.fault_phenomenon, "planned_work": "检查摄像机供电、网络和编码设置",
              "tools_spares": "万用表、网线钳、备用摄像机 1 台"},
    )  # fmt: skip
    _sign(application, "孔工", "responsible", engineer, 1)
    plan = services.create_visit_document(
        visit, kind="technical_plan", actor=engineer,
        data={"plan": "更换 2 号摄像机供电模块；如仍无图像，更换备用摄像机并恢复原配置",
              "risks": "更换期间该点位无图像约 20 分钟", "executed_by": "engineer_with_permission",
              "major_operation": "none", "planned_duration": "40 分钟"},
    )  # fmt: skip
    services.mark_plan_executed(
        _sign(plan, "孔工", "responsible", engineer, 2), actor=engineer, note="已更换供电模块"
    )
    report = services.create_visit_document(
        visit, kind="service_report", actor=engineer,
        data={"phenomenon": ticket.fault_phenomenon, "cause": "摄像机供电模块损坏",
              "actions": "更换供电模块，检查网络和编码参数", "result": "图像恢复正常",
              "prevention": "雷雨季节前检查前端防雷和供电", "parts_used": "摄像机供电模块 ×1"},
    )  # fmt: skip
    documents.request_signature(report, actor=engineer)


def _done_with_signed_report(customer, users, now) -> None:
    """L2 溧水 yesterday: dispatched, on site two hours, the customer signed the service report,
    a training session followed, the engineer checked out and the fault was resolved."""
    site = Site.objects.filter(customer=customer, code="EO-03").first()
    if site is None:
        return
    engineer, manager, agent = users["engineer"], users["manager"], users["agent"]
    customer_user = users.get("customer")

    def at(hours_ago: float):
        return clock.frozen_at(now - dt.timedelta(hours=hours_ago))

    with at(26):
        ticket = tickets.open_ticket(
            customer=customer, site=site, channel="phone", reported_at=clock.now(),
            fault_phenomenon="溧水端局温湿度数据中断，门禁告警不上报",
            contact_name="钱值班员", contact_phone="13900000002", level="L2", actor=agent,
        )  # fmt: skip
        tickets.move(ticket, "start_phone", actor=engineer, note="电话指导重启 FSU，未恢复")
    with at(25.5):
        tickets.move(ticket, "go_onsite", actor=engineer, note="客户确认需要现场处理")
    with at(25.3):
        visit = services.dispatch_visit(ticket, engineer=engineer, actor=manager)
        services.depart(visit, actor=engineer)
    with at(24):
        services.check_in(visit, actor=engineer, lat="31.651000", lon="119.028500")
    with at(22.5):
        report = services.create_visit_document(
            visit, kind="service_report", actor=engineer,
            data={"phenomenon": ticket.fault_phenomenon,
                  "cause": "FSU 电源模块老化，输出电压偏低",
                  "actions": "更换 FSU 电源模块，重启采集服务，逐项核对上报数据",
                  "result": "温湿度和门禁数据恢复上报",
                  "prevention": "每季度巡检时测量 FSU 输出电压",
                  "parts_used": "FSU 电源模块 ×1"},
        )  # fmt: skip
        documents.request_signature(report, actor=engineer)
    with at(22.3):
        _sign(report, "钱值班员", "duty", customer_user or engineer, 3)
    with at(22.2):
        session = services.record_training(
            customer=customer, site=site, origin=visit, topic="FSU 日常维护与告警核对",
            trainees="钱值班员\n孔工", method="hands_on", starts_at=clock.now(),
            ends_at=clock.now() + dt.timedelta(minutes=90), actor=engineer,
        )  # fmt: skip
    with at(20.7):
        _sign(session.record, "孔工", "responsible", engineer, 4)
        services.check_out(visit, actor=engineer)
        tickets.resolve(
            ticket,
            cause=ResolutionCause.objects.get(code="equipment_fault"),
            fix="更换 FSU 电源模块后恢复",
            actor=engineer,
        )
