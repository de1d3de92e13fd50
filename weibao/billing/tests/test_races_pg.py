"""Races on statements with real threads on PostgreSQL (issue 11 #8): two leaders of the
customer approving the same statement at the same moment — it is approved once, by one of
them; the other is told it is already decided."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from weibao.accounts.choices import Role
from weibao.billing import services
from weibao.billing.choices import StatementState
from weibao.billing.models import Statement
from weibao.billing.tests.conftest import add_lines
from weibao.core.selectors import history_for
from weibao.testing import factories as f
from weibao.testing.races import in_parallel, needs_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    needs_postgres()


def test_two_leaders_approving_one_statement_at_once_approve_it_once(draft, desk, client_user):
    second_leader = f.CustomerUserFactory(
        customer=desk.customer, username="leader2", roles=[Role.CUSTOMER_LEADER]
    )
    add_lines(draft, desk.engineer)
    services.send_statement(draft, actor=desk.manager)
    leaders = [client_user, second_leader]

    def approve(n):
        client = APIClient()
        client.force_authenticate(leaders[n])
        response = client.post(
            f"/api/statements/{draft.pk}/approve/", {"note": f"同意（{n}）"}, format="json"
        )
        return response.status_code, response.json()

    answers = in_parallel(2, approve)

    assert sorted(status for status, _ in answers) == [200, 409], answers
    [(_, refusal)] = [answer for answer in answers if answer[0] == 409]
    assert refusal["code"] == "wrong_state"
    [winner] = [n for n, (status, _) in enumerate(answers) if status == 200]
    statement = Statement.objects.get(pk=draft.pk)
    assert (statement.state, statement.decided_by, statement.decision_note) == (
        StatementState.APPROVED,
        leaders[winner],
        f"同意（{winner}）",
    )
    approvals = [event for event in history_for(statement) if event.kind == "statement.approve"]
    assert len(approvals) == 1
