"""Races on spare exchanges with real threads on PostgreSQL (issue 11 #8): two keepers lending
the last good part at the same moment — one loan, the other told there is none, the stock
never below zero; two exchanges for the last use of the year's quota — one counted, the other
refused, the quota never overrun. (Free loaners racing for stock: `test_stock.py`.)"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weibao.contracts.models import EntitlementUsage
from weibao.core.errors import DomainError
from weibao.spares.choices import MovementKind
from weibao.spares.models import Loan, StockMovement
from weibao.spares.selectors import on_hand
from weibao.spares.services.loans import lend_exchange
from weibao.spares.tests.test_stock import assert_ledger_never_negative
from weibao.testing import factories as f
from weibao.testing.races import in_parallel, needs_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 1, 10)


@pytest.fixture(autouse=True)
def _postgres_only(frozen_clock):
    needs_postgres()
    frozen_clock(dt.datetime(2026, 1, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))


def _exchanger(hw, keepers, tag: str):
    def exchange(n):
        try:
            loan = lend_exchange(
                customer=hw.customer,
                part_type=hw.board,
                site=hw.site,
                faulty_serial_number=f"BAD-{tag}-{n}",
                faulty_received_on=TODAY,
                actor=keepers[n],
            )
        except DomainError as refused:
            return refused.code
        return loan.number

    return exchange


def _keepers(hw, count: int) -> list:
    from weibao.accounts.choices import Role

    return [hw.keeper] + [
        f.UserFactory(provider=hw.provider, roles=[Role.SPARE_KEEPER]) for _ in range(count - 1)
    ]


def test_two_exchanges_for_the_last_good_part_lend_it_once(hw):
    [last] = hw.stock(hw.board, "MB-1")

    answers = in_parallel(2, _exchanger(hw, _keepers(hw, 2), "last"))

    assert answers.count("out_of_stock") == 1, answers
    [loan] = Loan.objects.all()
    assert loan.number in answers and loan.part == last
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 0
    assert StockMovement.objects.filter(kind=MovementKind.LOAN_OUT).count() == 1
    assert_ledger_never_negative()
    usage = EntitlementUsage.objects.get(contract=hw.contract)
    assert (usage.used, usage.billable) == (1, 0)  # the refused exchange counted nothing


def test_two_exchanges_for_the_last_use_of_the_quota_count_it_once(hw):
    hw.stock(hw.board, *(f"MB-{n}" for n in range(11)))
    exchange = _exchanger(hw, _keepers(hw, 2), "before")
    for n in range(9):  # Gold: 10 exchanges a contract year; 9 are used
        lend_exchange(
            customer=hw.customer, part_type=hw.board, site=hw.site,
            faulty_serial_number=f"BAD-{n}", faulty_received_on=TODAY, actor=hw.keeper,
        )  # fmt: skip

    answers = in_parallel(2, exchange)

    assert "quota_exceeded" in answers and answers.count("quota_exceeded") == 1, answers
    assert Loan.objects.count() == 10
    usage = EntitlementUsage.objects.get(contract=hw.contract)
    assert (usage.used, usage.billable) == (10, 0)
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 1
    assert_ledger_never_negative()
