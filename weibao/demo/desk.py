"""Demo tickets: open requests of every level with their clocks part-way, and a closed one."""

from __future__ import annotations

import datetime as dt

from weibao.core import clock
from weibao.escalations import services as escalations
from weibao.escalations.runner import tick
from weibao.sites.models import Site
from weibao.tickets import services
from weibao.tickets.models import ClassificationCriterion, ResolutionCause, Ticket


def load_tickets(customer, users) -> None:
    """Create the demo's tickets once; later runs keep whatever users did with them."""
    if Ticket.objects.filter(customer=customer).exists():
        return
    now = clock.now()
    agent, engineer = users["agent"], users["engineer"]
    sites = {s.code: s for s in Site.objects.filter(customer=customer)}

    def open_(code, minutes_ago, **values):
        # logged by the agent as the call came in (the clock is frozen at the call)
        with clock.frozen_at(now - dt.timedelta(minutes=minutes_ago)):
            return services.open_ticket(
                customer=customer,
                site=sites[code],
                channel=values.pop("channel", "phone"),
                reported_at=clock.now(),
                contact_name=values.pop("contact_name", "钱值班员"),
                contact_phone="13900000002",
                actor=agent,
                **values,
            )

    paralysed = ClassificationCriterion.objects.filter(scheme=3, level="L1").first()
    phenomenon = "监控中心平台无数据，值班人员看不到任何端局画面和动环数据"
    l1 = open_("MC-01", 22, level="L1", criteria=[paralysed], fault_phenomenon=phenomenon)
    escalations.complete_action(l1, "notify_leadership", actor=agent, note="已电话通知孔工和张经理")
    # Not dispatched yet: the maintenance manager's dispatch button waits on the ticket page.

    l2 = open_("AG-02", 95, level="L2", fault_phenomenon="常州汇聚下属部分端局与监控中心通讯中断")
    services.move(l2, "start_phone", actor=engineer, note="已电话指导重启采集服务，未恢复")
    services.record_consent(l2, by="孔工", method="phone", actor=engineer)
    services.move(l2, "go_remote", actor=engineer)

    l3 = open_("EO-09", 300, level="L3", channel="portal", contact_name="扬州值班员",
               fault_phenomenon="扬州端局 2 号摄像机无图像")  # fmt: skip
    services.move(l3, "start_phone", actor=engineer)
    services.move(l3, "go_onsite", actor=engineer, note="客户确认需要现场更换")

    open_("EO-14", 40, request_type="consultation", level="",
          fault_phenomenon="咨询：如何在平台上新增温湿度告警阈值")  # fmt: skip

    done = open_("EO-01", 60 * 26, level="L3", fault_phenomenon="江宁端局水浸传感器误报警")
    services.move(done, "start_phone", actor=engineer)
    services.resolve(
        done,
        cause=ResolutionCause.objects.get(code="environment"),
        fix="传感器探头清洁后恢复",
        actor=engineer,
    )
    services.record_callback(done, satisfied=True, score=5, note="客户表示满意", actor=agent)
    tick(deliver=False)
