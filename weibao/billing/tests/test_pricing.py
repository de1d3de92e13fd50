"""The money of a statement: Decimal arithmetic, half-up to the cent, lines add up."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from weibao.billing import pricing
from weibao.core.errors import DomainError


@pytest.mark.parametrize(
    ("quantity", "price", "amount"),
    [
        ("2.5", "180.00", "450.00"),
        ("2", "133.33", "266.66"),
        ("1.25", "99.99", "124.99"),  # 124.9875 rounds half-up
        ("0.5", "0.01", "0.01"),  # 0.005 rounds up, not to even
        ("3", "0.10", "0.30"),  # 0.1 × 3 is exact in Decimal
    ],
)
def test_line_amount_rounds_half_up_to_the_cent(quantity, price, amount):
    assert pricing.line_amount(Decimal(quantity), Decimal(price)) == Decimal(amount)


def test_totals_are_the_sum_of_rounded_lines_with_subtotals_by_kind():
    lines = [
        SimpleNamespace(kind="labour", quantity=Decimal("2.5"), unit_price=Decimal("180.00")),
        SimpleNamespace(kind="part", quantity=Decimal("2"), unit_price=Decimal("133.33")),
        SimpleNamespace(kind="travel", quantity=Decimal("1"), unit_price=Decimal("85.50")),
        SimpleNamespace(kind="service_fee", quantity=Decimal("1"), unit_price=Decimal("300")),
        SimpleNamespace(kind="labour", quantity=Decimal("1.25"), unit_price=Decimal("99.99")),
    ]
    totals = pricing.totals(lines)
    assert totals.total == Decimal("1227.15")
    assert totals.by_kind == {
        "labour": Decimal("574.99"),
        "part": Decimal("266.66"),
        "travel": Decimal("85.50"),
        "service_fee": Decimal("300.00"),
    }
    assert str(totals.total) == "1227.15"


def test_no_lines_total_zero_with_two_places():
    assert str(pricing.totals([]).total) == "0.00"


@pytest.mark.parametrize(
    ("value", "message"),
    [(0.1, "金额必须以文本"), ("1.005", "最多保留两位小数"), ("-3", "不能为负数"),
     ("abc", "有效的数字"), ("NaN", "有效的数字")],
)  # fmt: skip
def test_parse_decimal_refuses_floats_and_bad_amounts(value, message):
    with pytest.raises(DomainError, match=message):
        pricing.parse_decimal(value, field="unit_price")


def test_parse_decimal_accepts_trailing_zeros_and_thousands_separators():
    assert pricing.parse_decimal("1,200.500", field="unit_price") == Decimal("1200.50")
