"""What a loan costs the customer goes through billing's one statement and customer approval
(EXC-1..3): a damaged part's compensation (SPX-4, cause `loan_damaged`) and an exchange over
the contract's quota (CAT-4, cause `over_quota_exchange`) each open a draft statement with one
part line; the maintenance manager sends it, the customer's leader approves it in the portal
or through the API. The loan's page and its API answer show the statement."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from weibao.accounts.choices import Role
from weibao.billing.choices import StatementState
from weibao.billing.models import Statement
from weibao.core.permissions import PermissionRefused
from weibao.notifications.models import Notification
from weibao.spares.choices import LoanStatus
from weibao.spares.models import Loan
from weibao.spares.services.loans import compensate_loan, lend_exchange
from weibao.testing import factories as f

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def people(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH))
    return {
        "manager": f.UserFactory(provider=hw.provider, roles=[Role.MAINTENANCE_MANAGER]),
        "leader": f.CustomerUserFactory(
            customer=hw.customer, email="leader@example.cn", roles=[Role.CUSTOMER_LEADER]
        ),
    }


def lend(hw, n=1, **extra):
    return lend_exchange(
        customer=hw.customer,
        part_type=hw.board,
        site=hw.site,
        faulty_asset=hw.asset,
        faulty_serial_number=f"BAD-{n:03d}",
        faulty_received_on=dt.date(2026, 3, 2),
        actor=hw.keeper,
        **extra,
    )


def statements_of(loan):
    return Statement.objects.filter(subject_type__model="loan", subject_id=loan.pk)


def line_of(statement):
    [line] = statement.lines.all()
    return (line.kind, line.part_number, line.quantity, line.unit_price)


def test_compensation_at_catalog_price_is_billed_and_the_leader_approves_it_by_api(api, hw, people):
    hw.stock(hw.board, "MB-1")
    loan = lend(hw)
    assert not statements_of(loan).exists()

    api.force_authenticate(hw.keeper)
    answer = api.post(f"/api/spare-loans/{loan.pk}/compensate/", {"note": "进水损坏"}).json()
    statement = statements_of(loan).get()
    assert answer["status"] == LoanStatus.COMPENSATED
    assert answer["statements"] == [
        {"id": statement.pk, "number": statement.number, "state": "draft", "total": "3200.00"}
    ]
    assert (statement.state, statement.customer, statement.site, statement.asset) == (
        StatementState.DRAFT,
        hw.customer,
        hw.site,
        hw.asset,
    )
    assert statement.contract == hw.contract
    assert [c.code for c in statement.exclusion.causes.all()] == ["loan_damaged"]
    assert statement.exclusion.evidence == "进水损坏"
    assert line_of(statement) == ("part", "FSU-MB-01", Decimal("1.00"), Decimal("3200.00"))
    assert statement.total == Decimal("3200.00")
    # The customer hears of the amount once, when the statement is sent for approval.
    assert not Notification.objects.filter(customer=hw.customer).exists()

    api.force_authenticate(people["manager"])
    assert api.post(f"/api/statements/{statement.pk}/send/").status_code == 200
    notices = Notification.objects.filter(recipient=people["leader"], kind="statement_send")
    assert notices.exists() and all("3200.00" in n.subject for n in notices)

    api.force_authenticate(people["leader"])
    seen = api.get(f"/api/spare-loans/{loan.pk}/").json()["statements"]
    assert [s["state"] for s in seen] == ["sent"]
    approved = api.post(f"/api/statements/{statement.pk}/approve/", {"note": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == StatementState.APPROVED
    listed = api.get("/api/spare-loans/").json()["results"]
    assert [(s["number"], s["state"]) for s in listed[0]["statements"]] == [
        (statement.number, "approved")
    ]


def test_compensation_at_an_agreed_price_through_the_web_and_the_portal(client, hw, people):
    hw.stock(hw.board, "MB-1")
    loan = lend(hw)
    client.force_login(hw.keeper)
    posted = client.post(
        f"/spares/loans/{loan.pk}/compensate/", {"price": "2500", "note": "跌落损坏"}
    )
    assert posted.status_code == 302
    statement = statements_of(loan).get()
    assert line_of(statement) == ("part", "FSU-MB-01", Decimal("1.00"), Decimal("2500.00"))
    page = client.get(f"/spares/loans/{loan.pk}/").content.decode()
    assert f'href="/billing/{statement.pk}/">{statement.number}</a>' in page
    assert "2500.00 元" in page and "草稿" in page
    assert (
        '<span class="badge badge-done">损坏已赔偿</span>'
        in client.get("/spares/loans/").content.decode()
    )

    client.force_login(people["manager"])
    assert client.post(f"/billing/{statement.pk}/send/").status_code == 302
    client.force_login(people["leader"])
    assert statement.number in client.get("/feedback/portal/").content.decode()
    assert client.post(f"/billing/{statement.pk}/approve/").status_code == 302
    statement.refresh_from_db()
    assert statement.state == StatementState.APPROVED
    assert statement.decided_by == people["leader"]
    assert "客户已同意" in client.get(f"/spares/loans/{loan.pk}/").content.decode()


def test_a_waived_compensation_bills_nothing_and_a_system_call_is_refused(hw, people):
    hw.stock(hw.board, "MB-1", "MB-2")
    free = compensate_loan(lend(hw), price=Decimal("0"), actor=hw.keeper)
    assert free.status == LoanStatus.COMPENSATED and not statements_of(free).exists()

    # Billing needs someone who prepares the statement (`billing.propose`): nothing changes.
    loan = lend(hw, 2)
    with pytest.raises(PermissionRefused):
        compensate_loan(loan)
    loan.refresh_from_db()
    assert (loan.status, loan.compensation_amount) == (LoanStatus.OUT, None)
    assert not statements_of(loan).exists()


def test_an_exchange_over_the_quota_is_billed_at_catalog_price_within_it_nothing(api, hw, people):
    hw.stock(hw.board, *(f"MB-{n}" for n in range(11)))
    within = [lend(hw, n) for n in range(10)]
    assert not Statement.objects.exists()

    api.force_authenticate(hw.keeper)
    body = {
        "site": hw.site.pk,
        "part_number": "FSU-MB-01",
        "faulty_serial_number": "BAD-010",
        "faulty_received_on": "2026-03-02",
        "billable_ok": True,
    }
    answer = api.post("/api/spare-loans/", body, format="json").json()
    over = Loan.objects.get(pk=answer["id"])
    statement = Statement.objects.get()
    assert (statement.subject_id, over.billable) == (over.pk, True)
    assert answer["statements"][0]["number"] == statement.number
    assert [c.code for c in statement.exclusion.causes.all()] == ["over_quota_exchange"]
    assert line_of(statement) == ("part", "FSU-MB-01", Decimal("1.00"), Decimal("3200.00"))
    assert (statement.customer, statement.contract) == (hw.customer, hw.contract)
    assert api.get(f"/api/spare-loans/{within[0].pk}/").json()["statements"] == []

    api.force_authenticate(people["manager"])
    api.post(f"/api/statements/{statement.pk}/send/")
    api.force_authenticate(people["leader"])
    rejected = api.post(f"/api/statements/{statement.pk}/reject/", {"note": "配额应未用完"})
    assert rejected.json()["state"] == StatementState.REJECTED


def test_another_customers_leader_sees_neither_the_loan_nor_its_statement(api, client, hw, people):
    hw.stock(hw.board, "MB-1")
    loan = compensate_loan(lend(hw), actor=hw.keeper)
    statement = statements_of(loan).get()
    api.force_authenticate(people["manager"])
    api.post(f"/api/statements/{statement.pk}/send/")

    other = f.CustomerFactory(provider=hw.provider, name="华北通信")
    stranger = f.CustomerUserFactory(customer=other, roles=[Role.CUSTOMER_LEADER])
    api.force_authenticate(stranger)
    assert api.get(f"/api/spare-loans/{loan.pk}/").status_code == 404
    assert api.get("/api/spare-loans/").json()["results"] == []
    assert api.get(f"/api/statements/{statement.pk}/").status_code == 404
    assert api.post(f"/api/statements/{statement.pk}/approve/").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/spares/loans/{loan.pk}/").status_code == 404
    assert client.get(f"/billing/{statement.pk}/").status_code == 404
    assert statement.number not in client.get("/feedback/portal/").content.decode()
    statement.refresh_from_db()
    assert statement.state == StatementState.SENT
