"""CAT-4: counted entitlements are tracked per contract year; the 11th is refused or billed."""

import datetime as dt

import pytest

from weibao.contracts.models import EntitlementUsage
from weibao.contracts.services import QuotaExceeded, consume_entitlement, period_window
from weibao.core.errors import DomainError
from weibao.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return f.make_contract(f.CustomerFactory(), start=dt.date(2025, 7, 1))


def test_eleventh_spare_exchange_in_a_contract_year_is_refused(contract):
    for i in range(10):
        consume_entitlement(contract, "spare_exchange", on=dt.date(2025, 8, 1) + dt.timedelta(i))
    with pytest.raises(QuotaExceeded) as error:
        consume_entitlement(contract, "spare_exchange", on=dt.date(2026, 6, 30))
    assert error.value.code == "quota_exceeded"
    assert "10/10" in error.value.message
    usage = EntitlementUsage.objects.get(contract=contract)
    assert (usage.used, usage.billable) == (10, 0)


def test_eleventh_exchange_accepted_as_billable_by_explicit_choice(contract):
    for _ in range(10):
        consume_entitlement(contract, "spare_exchange", on=dt.date(2025, 9, 1))
    usage = consume_entitlement(
        contract, "spare_exchange", on=dt.date(2025, 9, 2), billable_ok=True
    )
    assert (usage.used, usage.billable) == (10, 1)


def test_quota_starts_again_in_the_next_contract_year(contract):
    for _ in range(10):
        consume_entitlement(contract, "spare_exchange", on=dt.date(2026, 6, 30))
    usage = consume_entitlement(contract, "spare_exchange", on=dt.date(2026, 7, 1))
    assert (usage.period_start, usage.period_end, usage.used) == (
        dt.date(2026, 7, 1),
        dt.date(2027, 6, 30),
        1,
    )


def test_quarterly_windows_align_on_the_contract_start(contract):
    window = period_window(contract, "quarter", dt.date(2025, 11, 15))
    assert (window.start, window.end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    half = period_window(contract, "half_year", dt.date(2026, 2, 1))
    assert (half.start, half.end) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_entitlement_not_in_plan_is_refused(contract):
    with pytest.raises(DomainError) as error:
        consume_entitlement(contract, "gold_plated_toaster", on=dt.date(2025, 8, 1))
    assert error.value.code == "not_entitled"
