"""INS-2, INS-3 on site: checklist drawn from the templates, application report on arrival, a
failed item opens a ticket, the signed report, configuration changes in the archive."""

import datetime as dt

import pytest

from weibao.core.errors import DomainError
from weibao.documents import services as documents
from weibao.documents.choices import DocumentState
from weibao.documents.selectors import documents_of
from weibao.documents.testing import sample_signature
from weibao.inspections import services
from weibao.inspections.choices import CheckOutcome, CheckSection, VisitKind, VisitState
from weibao.inspections.models import InspectionVisit
from weibao.tickets.models import Ticket

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(estate, frozen_clock):
    from weibao.testing import factories as f

    frozen_clock(dt.datetime(2026, 3, 9, 9, 30))
    f.AssetFactory(site=estate.center, name="中心 UPS", category=_category("ups"))
    services.generate_plan(estate.contract, on=D(2026, 3, 9))
    return InspectionVisit.objects.get(
        site=estate.center, kind=VisitKind.CORE, planned_date=D(2026, 3, 9)
    )


def _category(code):
    from weibao.assets.models import AssetCategory

    return AssetCategory.objects.get(code=code)


def test_arrival_draws_the_checklist_and_hands_over_the_application_report(visit, estate):
    services.start_visit(visit, actor=estate.engineer)

    visit.refresh_from_db()
    assert visit.state == VisitState.IN_PROGRESS and visit.engineer == estate.engineer
    texts = list(visit.checks.values_list("text", flat=True))
    sections = set(visit.checks.values_list("section", flat=True))
    assert sections == {CheckSection.SYSTEM, CheckSection.GENERAL}
    assert "上次巡检及近期故障记录中的问题是否已彻底解决" in texts  # every site
    assert "数据库备份及异地备份完成且可恢复" in texts  # the monitoring center's own
    assert "后备时间不少于 1 小时（查阅最近一次放电记录）" in texts  # it has a UPS
    assert "FSU 与监控中心通信正常，无断站记录" not in texts  # end offices only
    application = documents_of(visit).get()
    assert application.kind == "inspection_application"
    assert application.state == DocumentState.AWAITING_SIGNATURE
    assert application.site == estate.center


def test_failed_item_opens_a_ticket_linked_to_the_visit(visit, estate):
    services.start_visit(visit, actor=estate.engineer)
    check = visit.checks.get(text="后备时间不少于 1 小时（查阅最近一次放电记录）")
    ups = estate.center.assets.get(name="中心 UPS")

    services.record_check(
        check, outcome=CheckOutcome.FAIL, value="35", note="电池老化，放电 35 分钟即告警",
        asset=ups, actor=estate.engineer,
    )  # fmt: skip

    check.refresh_from_db()
    ticket = Ticket.objects.get()
    assert check.ticket == ticket
    assert (ticket.customer, ticket.site, ticket.asset) == (estate.customer, estate.center, ups)
    assert (ticket.request_type, ticket.level) == ("fault", "L3")
    assert "后备时间不少于 1 小时" in ticket.fault_phenomenon
    assert "后备时间（分钟）：35" in ticket.fault_phenomenon
    assert ticket.created_by == estate.engineer

    # recording the same item again keeps its one ticket
    services.record_check(
        check, outcome=CheckOutcome.FAIL, note="复测仍不足", actor=estate.engineer
    )
    assert Ticket.objects.count() == 1


def test_engineer_may_choose_the_level_of_a_finding(visit, estate):
    services.start_visit(visit, actor=estate.engineer)
    check = visit.checks.filter(section=CheckSection.SYSTEM).first()

    services.record_check(
        check, outcome=CheckOutcome.FAIL, note="平台转发服务异常", level="L2", actor=estate.engineer
    )

    assert Ticket.objects.get().level == "L2"


def test_a_failure_needs_a_note_and_passing_items_open_nothing(visit, estate):
    services.start_visit(visit, actor=estate.engineer)
    first, second = visit.checks.all()[:2]

    with pytest.raises(DomainError) as refused:
        services.record_check(first, outcome=CheckOutcome.FAIL, actor=estate.engineer)
    assert refused.value.code == "note_required"
    services.record_check(second, outcome=CheckOutcome.PASS, actor=estate.engineer)
    assert not Ticket.objects.exists()


def test_visit_cannot_complete_with_items_unrecorded(visit, estate):
    services.start_visit(visit, actor=estate.engineer)

    with pytest.raises(DomainError) as refused:
        services.complete_visit(visit, actor=estate.engineer)
    assert refused.value.code == "checks_pending"


def _record_all(visit, engineer):
    for check in visit.checks.all():
        services.record_check(check, outcome=CheckOutcome.PASS, actor=engineer)


def test_report_signed_by_the_responsible_person_and_config_change_archived(visit, estate):
    from weibao.core.selectors import archive_for_site, history_for

    services.start_visit(visit, actor=estate.engineer)
    _record_all(visit, estate.engineer)

    services.complete_visit(
        visit,
        summary="运行正常，建议更换 2 号 UPS 电池",
        config_changed=True,
        config_change_description="调整平台告警阈值：机房温度上限 28 ℃ → 27 ℃",
        actor=estate.engineer,
    )

    visit.refresh_from_db()
    assert visit.state == VisitState.DONE
    report = documents_of(visit).get(kind="inspection_report")
    assert report.state == DocumentState.AWAITING_SIGNATURE
    assert report.data["config_change"].startswith("调整平台告警阈值")
    assert "运维部 025-86660000" in report.data["filed_with"]
    change = next(e for e in archive_for_site(estate.center) if e.kind == "config_change")
    assert "机房温度上限" in change.message and change.changes["document"] == report.pk

    documents.sign_document(
        report, signer_name="孔工", signer_role="responsible", signature=sample_signature(),
        actor=estate.customer_user,
    )  # fmt: skip

    assert any(e.kind == "inspection.report_signed" for e in history_for(visit))


def test_report_may_only_be_signed_by_the_responsible_person(visit, estate):
    services.start_visit(visit, actor=estate.engineer)
    _record_all(visit, estate.engineer)
    services.complete_visit(visit, actor=estate.engineer)
    report = documents_of(visit).get(kind="inspection_report")

    with pytest.raises(DomainError) as refused:
        documents.sign_document(
            report, signer_name="钱值班员", signer_role="duty", signature=sample_signature(),
            actor=estate.customer_user,
        )  # fmt: skip
    assert refused.value.code == "wrong_signer_role"


def test_visits_done_vs_planned_counts_the_done_visit_and_its_findings(visit, estate):
    from weibao.inspections.selectors import visits_done_vs_planned

    services.start_visit(visit, actor=estate.engineer)
    checks = list(visit.checks.all())
    services.record_check(
        checks[0], outcome=CheckOutcome.FAIL, note="告警未处理", actor=estate.engineer
    )
    for check in checks[1:]:
        services.record_check(check, outcome=CheckOutcome.NOT_APPLICABLE, actor=estate.engineer)
    services.complete_visit(visit, actor=estate.engineer)

    usage = visits_done_vs_planned(estate.contract, D(2026, 1, 1), D(2026, 3, 31))

    assert (usage["planned"], usage["done"], usage["findings"], usage["tickets"]) == (4, 1, 1, 1)
    assert usage["overdue"] == 3  # 01-23, 02-02 and 02-13 passed without a visit
