"""Field service set up on a service desk (the root `desk` fixture), for tests: the engineer's
profile at the site's service point, an FSU on the site, a customer user who signs, and
tickets the customer confirmed need on-site support."""

from __future__ import annotations

from dataclasses import dataclass

from weibao.accounts.choices import Role
from weibao.documents import services as documents
from weibao.documents.testing import sample_signature
from weibao.fieldservice import services
from weibao.fieldservice.kinds import MAJOR_OPERATION
from weibao.fieldservice.models import EngineerProfile
from weibao.testing import factories as f
from weibao.tickets import services as tickets


@dataclass
class Field:
    desk: object
    asset: object
    signer: object  # 钱值班员, customer staff
    leader: object  # 冯处长, customer leader

    def onsite_ticket(self, *, level="L2", **extra):
        """A ticket the customer confirmed needs on-site support (L1 is on site at once)."""
        ticket = self.desk.open(level=level, asset=self.asset, **extra)
        if level != "L1":
            tickets.move(ticket, "start_phone", actor=self.desk.engineer)
            tickets.move(ticket, "go_onsite", actor=self.desk.engineer, note="客户确认需要现场")
        return ticket

    def visit(self, *, level="L2", engineer=None):
        ticket = self.onsite_ticket(level=level)
        return services.dispatch(
            ticket, engineer=engineer or self.desk.engineer, actor=self.desk.manager
        )

    def signed(self, doc, *, role="responsible", name="孔工", actor=None):
        """Signed by the customer: the leader for the leader's role and for major-operation
        approvals (`document.approve_major`), else the staff member."""
        leader = role == "leader" or doc.kind == MAJOR_OPERATION
        return documents.sign_document(
            doc, signer_name=name, signer_role=role, signature=sample_signature(),
            actor=actor or (self.leader if leader else self.signer),
        )  # fmt: skip


REPORT = {
    "phenomenon": "监控中心看不到端局数据",
    "cause": "FSU 电源模块老化",
    "actions": "更换电源模块，重启采集服务",
    "result": "数据恢复正常",
    "prevention": "每季度检查电源模块",
    "parts_used": "电源模块 ×1",
}


def setup_field(desk) -> Field:
    asset = f.AssetFactory(site=desk.site, name="监控中心 FSU")
    EngineerProfile.objects.create(
        user=desk.engineer, service_point=desk.site.service_point, skills=["fsu", "camera"]
    )
    signer = f.CustomerUserFactory(
        customer=desk.customer, username="qian", full_name="钱值班员",
        email="qian@example.cn", roles=[Role.CUSTOMER_STAFF],
    )  # fmt: skip
    leader = f.CustomerUserFactory(
        customer=desk.customer, username="feng", full_name="冯处长",
        email="feng@example.cn", roles=[Role.CUSTOMER_LEADER],
    )  # fmt: skip
    return Field(desk=desk, asset=asset, signer=signer, leader=leader)
