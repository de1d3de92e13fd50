"""Out of scope and billing (EXC-1..3): marking, cost lines, totals, the customer's decision."""

from decimal import Decimal

import pytest

from weibao.billing import services
from weibao.billing.choices import StatementState
from weibao.billing.models import ExclusionCause, Statement
from weibao.billing.tests.conftest import add_lines
from weibao.core.errors import DomainError
from weibao.core.selectors import archive_for_site, history_for
from weibao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_exclusion_causes_are_seeded_as_data_including_the_emergency_swap(causes):
    names = list(ExclusionCause.objects.values_list("name", flat=True))
    assert names[0] == "意外事故和灾害（火灾、水灾、风灾、雷击、战争、断电）"
    assert "未经授权的维修或改装" in names
    assert "紧急抢修中更换部件的维修" in names  # EXC-3
    assert {"借用备件损坏", "超出合同配额的备件更换"} <= set(names)  # billable spare loans
    assert len(names) == 13


def test_marking_out_of_scope_opens_a_draft_statement_and_tells_the_ticket(draft, desk):
    ticket = draft.subject
    assert draft.state == StatementState.DRAFT
    assert draft.customer == desk.customer and draft.site == desk.site
    assert draft.number.startswith("FY")
    assert draft.exclusion.causes.get().code == "accident"
    events = [e.message for e in history_for(ticket)]
    assert any("认定不在承保范围：意外事故和灾害" in m and "雷击烧毁" in m for m in events)
    assert any(e.object_repr == draft.number for e in archive_for_site(desk.site))


def test_marking_needs_a_cause_and_evidence_and_happens_once(desk, causes, draft):
    other = desk.open(level="L3")
    with pytest.raises(DomainError, match="至少选择一个原因"):
        services.mark_out_of_scope(other, causes=[], evidence="x", actor=desk.engineer)
    with pytest.raises(DomainError, match="证据说明"):
        services.mark_out_of_scope(
            other, causes=[causes["negligence"]], evidence="  ", actor=desk.engineer
        )
    with pytest.raises(DomainError) as refused:
        services.mark_out_of_scope(
            draft.subject, causes=[causes["other"]], evidence="再次", actor=desk.engineer
        )
    assert refused.value.code == "already_out_of_scope"


def test_work_in_scope_cannot_be_billed(desk):
    ticket = desk.open(level="L3")
    with pytest.raises(DomainError) as refused:
        services.open_statement(ticket, actor=desk.engineer)
    assert refused.value.code == "in_scope"


def test_a_ticket_without_covering_contract_can_be_billed_without_exclusion(desk):
    from weibao.testing import factories as f

    uncovered_site = f.SiteFactory(customer=desk.customer)
    ticket = desk.open(level="L3", site=uncovered_site)
    assert ticket.not_covered
    statement = services.open_statement(ticket, actor=desk.engineer)
    assert statement.exclusion is None and statement.site == uncovered_site


def test_statement_totals_from_several_lines(draft, desk):
    add_lines(draft, desk.engineer)
    statement = Statement.objects.get(pk=draft.pk)
    assert statement.total == Decimal("1227.15")
    assert [line.amount for line in statement.lines.all()] == [
        Decimal("450.00"), Decimal("266.66"), Decimal("85.50"), Decimal("300.00"),
        Decimal("124.99"),
    ]  # fmt: skip
    assert statement.totals.by_kind["labour"] == Decimal("574.99")
    part = statement.lines.get(kind="part")
    assert (part.part_number, part.unit) == ("PS-12V2A", "件")


def test_a_part_line_needs_its_part_number(draft, desk):
    with pytest.raises(DomainError) as refused:
        services.add_line(draft, kind="part", description="电源", quantity="1",
                          unit_price="10", actor=desk.engineer)  # fmt: skip
    assert refused.value.field == "part_number"


def test_an_empty_statement_cannot_be_sent(draft, desk):
    with pytest.raises(DomainError) as refused:
        services.send_statement(draft, actor=desk.manager)
    assert refused.value.code == "no_lines"


def test_customer_approves_a_sent_statement_and_the_engineer_is_told(draft, desk, client_user):
    add_lines(draft, desk.engineer)
    services.send_statement(draft, actor=desk.manager)
    assert Notification.objects.filter(
        recipient=client_user, dedupe_key=f"statement:{draft.pk}:send:1"
    ).exists()

    statement = services.approve_statement(draft, actor=client_user, note="同意按此结算")

    assert statement.state == StatementState.APPROVED
    assert statement.decided_by == client_user and statement.decision_note == "同意按此结算"
    told = set(Notification.objects.filter(dedupe_key=f"statement:{draft.pk}:approve:1")
               .values_list("recipient__username", flat=True))  # fmt: skip
    assert told == {"engineer", "account"}


def test_approving_twice_is_refused(draft, desk, client_user):
    add_lines(draft, desk.engineer)
    services.send_statement(draft, actor=desk.manager)
    services.approve_statement(draft, actor=client_user)
    with pytest.raises(DomainError) as refused:
        services.approve_statement(draft, actor=client_user)
    assert (refused.value.code, refused.value.status) == ("wrong_state", 409)


def test_only_the_customer_decides(draft, desk, world):
    add_lines(draft, desk.engineer)
    services.send_statement(draft, actor=desk.manager)
    with pytest.raises(DomainError) as refused:
        services.approve_statement(draft, actor=desk.account)
    assert (refused.value.code, refused.value.status) == ("permission_denied", 403)
    with pytest.raises(DomainError):
        services.approve_statement(draft, actor=world.user_b)  # another customer's user
    assert Statement.objects.get(pk=draft.pk).state == StatementState.SENT


def test_rejection_needs_a_reason_and_the_engineer_revises(draft, desk, client_user):
    add_lines(draft, desk.engineer)
    services.send_statement(draft, actor=desk.manager)
    with pytest.raises(DomainError) as refused:
        services.reject_statement(draft, note=" ", actor=client_user)
    assert refused.value.field == "note"
    services.reject_statement(draft, note="技术服务费过高", actor=client_user)

    statement = services.move_statement(draft, "revise", actor=desk.engineer)
    assert statement.state == StatementState.DRAFT
    services.remove_line(statement.lines.get(kind="service_fee"), actor=desk.engineer)
    statement = services.send_statement(statement, actor=desk.manager)

    assert statement.revision == 2
    assert statement.total == Decimal("927.15")
    assert statement.decided_at is None and statement.decision_note == ""
    assert list(statement.lines.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_lines_are_frozen_once_sent(draft, desk):
    add_lines(draft, desk.engineer)
    services.send_statement(draft, actor=desk.manager)
    with pytest.raises(DomainError) as refused:
        services.add_line(draft, kind="travel", description="再跑一趟", quantity="1",
                          unit_price="50", actor=desk.engineer)  # fmt: skip
    assert refused.value.code == "not_draft"


def test_customers_cannot_mark_or_prepare(draft, desk, client_user, causes):
    with pytest.raises(DomainError) as refused:
        services.add_line(draft, kind="travel", description="x", quantity="1",
                          unit_price="1", actor=client_user)  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("permission_denied", 403)
