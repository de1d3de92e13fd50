"""Demo feedback and billing: a complaint waiting for its first response and a closed one, a
statement waiting for the customer's approval, an answered survey and one still waiting."""

from __future__ import annotations

import datetime as dt

from weibao.billing import services as billing
from weibao.billing.models import ExclusionCause
from weibao.core import clock
from weibao.feedback import services as feedback
from weibao.feedback.models import Complaint
from weibao.sites.models import Site
from weibao.tickets import services as tickets
from weibao.tickets.models import ResolutionCause, Ticket


def load_feedback(customer, users) -> None:
    """Create the demo's feedback once; later runs keep whatever users did with it."""
    if Complaint.objects.filter(customer=customer).exists():
        return
    now = clock.now()
    agent, account, engineer = users["agent"], users["account"], users["engineer"]
    staff = users["customer"]
    sites = {s.code: s for s in Site.objects.filter(customer=customer)}

    # Waiting for its first response: its countdown runs on the agent's complaint list.
    feedback.record_complaint(
        customer=customer,
        site=sites["AG-02"],
        channel="phone",
        text="常州汇聚通讯中断已近两小时，工程师一直说在处理，没有给出恢复时间。",
        complainant="孔工",
        complainant_phone="13900000003",
        received_at=now - dt.timedelta(hours=3),
        actor=agent,
    )
    closed = feedback.record_complaint(
        customer=customer,
        site=sites["EO-01"],
        channel="phone",
        text="江宁端局水浸传感器一周内误报警四次，夜间值班人员被反复叫醒。",
        complainant="钱值班员",
        complainant_phone="13900000002",
        received_at=now - dt.timedelta(hours=20),
        actor=agent,
    )
    feedback.respond_to_complaint(
        closed, text="已致电钱值班员致歉，安排工程师上门检查传感器。", actor=account
    )
    feedback.resolve_complaint(
        closed,
        resolution="更换水浸传感器探头并调整告警阈值，连续观察 24 小时无误报。",
        actor=account,
    )
    feedback.confirm_complaint(closed, actor=staff, note="问题已解决，谢谢。")

    _statement(customer, sites, engineer, users["manager"])
    _surveys(customer, sites, engineer, staff, now)


def _statement(customer, sites, engineer, manager) -> None:
    """The camera at 扬州端局 burnt by lightning: billable (the engineer proposes), sent to the
    customer by the maintenance manager (`billing.confirm`)."""
    ticket = Ticket.objects.filter(customer=customer, site=sites["EO-09"]).first()
    if ticket is None:
        return
    exclusion = billing.mark_out_of_scope(
        ticket,
        causes=ExclusionCause.objects.filter(code="accident"),
        evidence="现场检查：2 号摄像机电源模块雷击烧毁；机房防雷器未接地（客户自有设施）。",
        actor=engineer,
    )
    statement = exclusion.statements.get()
    for kind, description, quantity, price, part in (
        ("labour", "现场更换及调试（工时）", "2.5", "180.00", ""),
        ("part", "摄像机电源模块 12V/2A", "1", "260.00", "PS-12V2A"),
        ("travel", "南京—扬州往返交通", "1", "150.00", ""),
        ("service_fee", "技术服务费", "1", "300.00", ""),
    ):
        billing.add_line(
            statement,
            kind=kind,
            description=description,
            quantity=quantity,
            unit_price=price,
            part_number=part,
            actor=engineer,
        )
    billing.send_statement(statement, actor=manager)


def _surveys(customer, sites, engineer, staff, now) -> None:
    """One resolved ticket answered through the portal survey (closed), one still waiting."""

    def resolved(code, phenomenon, fix, hours_ago):
        ticket = tickets.open_ticket(
            customer=customer,
            site=sites[code],
            channel="portal",
            level="L3",
            fault_phenomenon=phenomenon,
            reported_at=now - dt.timedelta(hours=hours_ago),
            contact_name="钱值班员",
            contact_phone="13900000002",
            actor=staff,
        )
        tickets.move(ticket, "start_phone", actor=engineer)
        tickets.resolve(
            ticket,
            cause=ResolutionCause.objects.get(code="equipment_fault"),
            fix=fix,
            actor=engineer,
        )
        return ticket

    answered = resolved("EO-05", "浦口端局温湿度传感器数据不刷新", "远程重启采集模块后恢复", 30)
    feedback.answer_survey(answered, score=4, comment="处理及时，远程就解决了。", actor=staff)
    resolved("EO-03", "溧水端局门禁告警无法消除", "现场复位门磁并清除告警", 6)
