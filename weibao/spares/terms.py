"""The contract numbers hardware support runs on (RMA-3, RMA-5, SPX-3, SPS-1, SPS-2) and the
calendar-month arithmetic of loans, sales and warranties.

Months are calendar months: 2026-01-10 + 3 months is 2026-04-10. When the same day does not
exist in the target month it is clamped to the month's last day (2026-01-31 + 1 → 02-28).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ObjectDoesNotExist

from weibao.contracts.policy import DEFAULT_TERMS


def contract_terms(contract) -> dict[str, int]:
    """The contract's terms, or the spec's defaults when there is no contract or no policy."""
    if contract is None:
        return dict(DEFAULT_TERMS)
    try:
        policy = contract.policy
    except ObjectDoesNotExist:
        return dict(DEFAULT_TERMS)
    return {**DEFAULT_TERMS, **policy.snapshot().terms}


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_last_day(delivered_on: dt.date, months: int) -> dt.date:
    """The last day a warranty of `months` from `delivered_on` covers (SPS-2).

    The delivery day is the first day of the warranty, so a year from 2026-03-01 runs through
    2027-02-28 inclusive (365 days) and one from 2027-03-01 through 2028-02-29 (366 days); a
    part received for repair on 2027-03-01 is no longer in warranty. A delivery on 29 February
    is covered through 28 February (the day before the missing anniversary).
    """
    anniversary = add_months(delivered_on, months)
    if anniversary.day != delivered_on.day:  # clamped: the anniversary does not exist
        return anniversary
    return anniversary - dt.timedelta(days=1)
