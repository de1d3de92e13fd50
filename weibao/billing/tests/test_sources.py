"""One billing path for every source (issue 10 #8, EXC-1..3): a repair (or a spare loan)
is billed through the same statement and customer approval as a ticket, with a cause from
billing's one list — including the emergency swap of EXC-3."""

import datetime as dt
from decimal import Decimal

import pytest

from weibao.billing import selectors, services
from weibao.billing.choices import StatementState
from weibao.billing.models import Exclusion, Statement
from weibao.core.errors import DomainError
from weibao.core.selectors import history_for
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db

PART = {"kind": "part", "description": "主控板返修", "part_number": "MB-01", "quantity": "1",
        "unit_price": "1200.00"}  # fmt: skip


@pytest.fixture
def repair(desk):
    from weibao.repairs.services.registration import register_repair

    asset = f.AssetFactory(site=desk.site)
    return register_repair(
        fault_description="应急抢修换下的主控板", received_on=dt.date(2026, 3, 2),
        customer=desk.customer, asset=asset, actor=desk.agent,
    )  # fmt: skip


def bill(repair, desk, **extra):
    values = {"source_type": "repairs.repair", "source_id": repair.pk, "customer": desk.customer,
              "contract": desk.contract, "causes": ["emergency_swap_repair"],
              "evidence": "L1 抢修时更换下的主控板送修", "lines": [PART], "actor": desk.engineer,
              **extra}  # fmt: skip
    return services.open_billable_statement(**values)


def test_a_repair_is_billed_through_the_same_statement_and_approval(repair, desk, causes):
    statement = bill(repair, desk)

    assert statement.state == StatementState.DRAFT and statement.subject == repair
    assert statement.contract == desk.contract and statement.customer == desk.customer
    assert statement.total == Decimal("1200.00")
    assert [c.code for c in statement.exclusion.causes.all()] == ["emergency_swap_repair"]
    assert any("紧急抢修中更换部件的维修" in e.message for e in history_for(repair))

    leader = f.CustomerUserFactory(customer=desk.customer, roles=["customer_leader"])
    services.send_statement(statement, actor=desk.manager)
    approved = services.approve_statement(statement, actor=leader, note="同意")
    assert approved.state == StatementState.APPROVED
    assert list(selectors.statements_about(repair, leader)) == [statement]


def test_a_second_statement_reuses_the_finding(repair, desk, causes):
    first = bill(repair, desk)
    second = bill(repair, desk, causes=[], evidence="", lines=[])
    assert second.exclusion == first.exclusion and Exclusion.objects.count() == 1


def test_only_who_proposes_bills_and_nothing_is_written_otherwise(repair, desk, causes):
    with pytest.raises(DomainError) as refused:
        bill(repair, desk, actor=desk.agent)
    assert (refused.value.code, refused.value.status) == ("permission_denied", 403)
    with pytest.raises(DomainError) as refused:
        bill(repair, desk, lines=[PART, {**PART, "part_number": ""}])
    assert refused.value.field == "part_number"
    assert not Exclusion.objects.exists() and not Statement.objects.exists()


@pytest.mark.parametrize(
    "extra,field",
    [({"source_type": "repairs.nothing"}, "source_type"), ({"source_id": 999999}, "source_id"),
     ({"causes": ["no_such_cause"]}, "causes"), ({"causes": []}, "causes"),
     ({"evidence": " "}, "evidence")],
)  # fmt: skip
def test_refusals_name_their_field(repair, desk, causes, extra, field):
    with pytest.raises(DomainError) as refused:
        bill(repair, desk, **extra)
    assert refused.value.field == field
    assert not Statement.objects.exists()


def test_another_customers_source_or_contract_is_refused(repair, desk, causes, world):
    with pytest.raises(DomainError) as refused:
        bill(repair, desk, customer=world.customer_a)
    assert refused.value.code in ("permission_denied", "invalid")
    with pytest.raises(DomainError) as refused:
        bill(repair, desk, contract=world.contract_a)
    assert refused.value.field == "contract"


def test_the_statement_page_links_to_what_it_bills(repair, desk, causes, client):
    statement = bill(repair, desk)
    client.force_login(desk.manager)
    page = client.get(f"/billing/{statement.pk}/").content.decode()
    assert f'href="{repair.get_absolute_url()}" data-testid="statement-subject"' in page


def test_a_later_statement_with_another_cause_adds_it_to_the_finding(repair, desk, causes):
    first = bill(repair, desk)
    second = bill(repair, desk, causes=["negligence", "emergency_swap_repair"], lines=[])
    assert second.exclusion == first.exclusion
    assert sorted(c.code for c in first.exclusion.causes.all()) == [
        "emergency_swap_repair", "negligence"]  # fmt: skip
    assert any("补充不在承保范围的原因：疏忽" in e.message for e in history_for(repair))
