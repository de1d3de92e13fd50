"""Withdrawing an out-of-scope finding made by mistake (EXC-2): only while nothing was billed
yet — the statement a draft without cost lines; otherwise refused and nothing changes."""

import pytest

from weibao.billing import services
from weibao.billing.models import Exclusion, Statement
from weibao.core.errors import DomainError
from weibao.core.permissions import PermissionRefused
from weibao.core.selectors import history_for

pytestmark = pytest.mark.django_db


def test_a_draft_without_lines_is_withdrawn_with_its_finding(draft, desk):
    ticket = draft.subject
    services.withdraw_exclusion(ticket, reason="误判，实为设备老化", actor=desk.engineer)

    assert services.exclusion_for(ticket) is None
    assert not Statement.objects.filter(pk=draft.pk).exists()
    messages = [e.message for e in history_for(ticket)]
    assert any("撤销不在承保范围的认定" in m and draft.number in m and "设备老化" in m
               for m in messages)  # fmt: skip
    # In scope again: it cannot be billed, and it can be marked afresh.
    with pytest.raises(DomainError) as refused:
        services.open_statement(ticket, actor=desk.engineer)
    assert refused.value.code == "in_scope"


@pytest.mark.parametrize("billed", ["has_lines", "not_draft"])
def test_billed_work_cannot_be_withdrawn(draft, desk, billed):
    services.add_line(draft, kind="labour", description="更换电源", quantity="1",
                      unit_price="100", actor=desk.engineer)  # fmt: skip
    if billed == "not_draft":
        services.send_statement(draft, actor=desk.manager)
    with pytest.raises(DomainError) as refused:
        services.withdraw_exclusion(draft.subject, reason="误判", actor=desk.engineer)
    assert refused.value.code == billed
    assert services.exclusion_for(draft.subject) is not None
    assert Statement.objects.get(pk=draft.pk).lines.count() == 1


def test_withdrawing_needs_a_reason_a_finding_and_billing_propose(draft, desk, client_user):
    with pytest.raises(DomainError) as refused:
        services.withdraw_exclusion(draft.subject, reason=" ", actor=desk.engineer)
    assert refused.value.field == "reason"
    with pytest.raises(PermissionRefused):
        services.withdraw_exclusion(draft.subject, reason="误判", actor=client_user)
    assert Exclusion.objects.filter(pk=draft.exclusion_id).exists()
    with pytest.raises(DomainError) as refused:
        services.withdraw_exclusion(desk.open(level="L3"), reason="误判", actor=desk.engineer)
    assert refused.value.code == "not_out_of_scope"
