"""The paperwork of a visit: the plan must be approved (signed) before it is carried out,
major operations need the maintenance department's approval, and signed L1 aftercare
documents complete their aftercare actions (ESC-3)."""

import pytest

from weibao.core.errors import DomainError
from weibao.escalations import services as escalations
from weibao.escalations.models import EmergencyAction
from weibao.fieldservice import services
from weibao.fieldservice.models import PlanExecution
from weibao.fieldservice.testing import REPORT

pytestmark = pytest.mark.django_db

AFTERCARE = [
    ("l1_observation", "onsite_observation",
     {"observed_from": "2026-03-02", "observed_until": "2026-03-03",
      "observations": "两天内运行稳定，无告警", "conclusion": "恢复正常"}, "duty"),
    ("service_report", "signed_service_report", REPORT, "responsible"),
    ("root_cause", "root_cause_analysis",
     {"cause": "电源模块老化", "analysis": "日志显示电压跌落", "corrective": "全网排查同批次模块"},
     "responsible"),
    ("leadership_debrief", "leadership_debrief",
     {"cause": "电源模块老化", "result": "已恢复", "method": "当面汇报"}, "leader"),
]  # fmt: skip


@pytest.mark.parametrize("kind, code, data, role", AFTERCARE)
def test_signing_an_l1_aftercare_document_completes_its_action(field, kind, code, data, role):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(level="L1"), actor=engineer)
    doc = services.create_visit_document(visit, kind=kind, data=data, actor=engineer)
    action = EmergencyAction.objects.get(ticket=visit.ticket, code=code)
    assert action.done_at is None

    doc = field.signed(doc, role=role)

    action.refresh_from_db()
    assert action.done_at == doc.signed_at
    assert action.done_by == doc.signed_by
    assert doc.number in action.note


def test_a_waived_aftercare_action_is_left_as_it_was(field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(level="L1"), actor=engineer)
    escalations.waive_action(visit.ticket, "signed_service_report", actor=field.desk.manager,
                             reason="客户书面确认无需报告")  # fmt: skip
    doc = services.create_visit_document(visit, kind="service_report", data=REPORT, actor=engineer)
    field.signed(doc)
    action = EmergencyAction.objects.get(ticket=visit.ticket, code="signed_service_report")
    assert action.done_at is None and action.waived_reason


def test_aftercare_documents_are_offered_only_on_l1_tickets(field):
    visit = field.visit(level="L2")
    with pytest.raises(DomainError) as refused:
        services.create_visit_document(visit, kind="root_cause", data={}, actor=field.desk.engineer)
    assert refused.value.code == "unknown_kind"


def plan(field, visit, **data):
    values = {"plan": "更换电源模块", "executed_by": "engineer_with_permission",
              "major_operation": "none", **data}  # fmt: skip
    return services.create_visit_document(
        visit, kind="technical_plan", data=values, actor=field.desk.engineer
    )


def test_a_technical_plan_is_carried_out_only_after_the_customer_signed_it(field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    draft = plan(field, visit)
    with pytest.raises(DomainError) as refused:
        services.mark_plan_executed(draft, actor=engineer)
    assert refused.value.code == "plan_not_approved"
    assert "签字批准" in refused.value.message

    execution = services.mark_plan_executed(field.signed(draft), actor=engineer, note="已完成")

    assert execution.executed_by == "engineer_with_permission"
    assert execution.visit == visit
    with pytest.raises(DomainError):
        services.mark_plan_executed(draft, actor=engineer)
    assert PlanExecution.objects.count() == 1


def test_a_restart_also_needs_the_maintenance_departments_approval(field):
    engineer = field.desk.engineer
    visit = services.check_in(field.visit(), actor=engineer)
    signed_plan = field.signed(plan(field, visit, major_operation="restart"))
    with pytest.raises(DomainError) as refused:
        services.mark_plan_executed(signed_plan, actor=engineer)
    assert "系统重启" in refused.value.message

    approval = services.create_visit_document(
        visit, kind="major_operation", actor=engineer,
        data={"operation": "restart", "reason": "采集服务无响应", "impact": "监控中断约 10 分钟"},
    )  # fmt: skip
    with pytest.raises(DomainError) as wrong_signer:
        field.signed(approval, role="duty")
    assert wrong_signer.value.code == "wrong_signer_role"
    field.signed(approval, role="om_department")

    assert services.mark_plan_executed(signed_plan, actor=engineer).executed_by
