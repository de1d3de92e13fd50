"""Report periods are calendar months and quarters clipped to the contract."""

import datetime as dt
from types import SimpleNamespace

import pytest

from weibao.core.errors import DomainError
from weibao.reporting.periods import last_closed, period_at, periods_of

D = dt.date
CONTRACT = SimpleNamespace(start_date=D(2025, 7, 15), end_date=D(2026, 7, 14))


def test_quarters_follow_the_calendar_and_are_clipped_to_the_contract():
    quarters = periods_of(CONTRACT, "quarter", until=D(2027, 1, 1))
    assert [(p.start, p.end) for p in quarters] == [
        (D(2025, 7, 15), D(2025, 9, 30)),
        (D(2025, 10, 1), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2026, 7, 14)),
    ]
    assert quarters[0].label == "2025年第3季度（部分）"
    assert quarters[2].label == "2026年第1季度"


def test_months_until_a_day():
    months = periods_of(CONTRACT, "month", until=D(2025, 9, 2))
    assert [p.label for p in months] == ["2025年7月（部分）", "2025年8月", "2025年9月"]
    assert months[1].end == D(2025, 8, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2025, 9, 30), None),  # the first quarter is still running
        (D(2025, 10, 1), (D(2025, 7, 15), D(2025, 9, 30))),
        (D(2026, 2, 10), (D(2025, 10, 1), D(2025, 12, 31))),
        (D(2026, 7, 15), (D(2026, 7, 1), D(2026, 7, 14))),  # the contract's last, short one
        (D(2026, 12, 1), (D(2026, 7, 1), D(2026, 7, 14))),
    ],
)
def test_last_closed_quarter(today, expected):
    period = last_closed(CONTRACT, "quarter", today)
    assert (period and (period.start, period.end)) == expected


def test_a_day_outside_the_contract_is_refused():
    with pytest.raises(DomainError) as refused:
        period_at(CONTRACT, "quarter", D(2025, 7, 1))
    assert refused.value.code == "outside_contract"


@pytest.mark.django_db
def test_gold_plan_promises_quarterly_reports():
    from weibao.catalog.models import Plan
    from weibao.reporting.periods import automatic_kinds

    gold = Plan.objects.get(code="gold")
    assert automatic_kinds([gold.pk]) == {gold.pk: {"quarter"}}
