"""Input bounds shared by every app: money that fits its column, free text of a bounded
length, and dates within a plausible range. Services call the checks (a `DomainError` naming
the field, nothing stored); API serializers declare the same limits so the OpenAPI tells them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from weibao.core import clock
from weibao.core.errors import DomainError

# Money shown or stored: amounts and totals are given with 14 digits, 2 of them places
# (up to 999,999,999,999.99 元); unit prices are stored with 12 digits.
AMOUNT_DIGITS = 14
PRICE_DIGITS = 12
PLACES = 2

# Free text.
NOTE_MAX = 10_000
NAME_MAX = 200

# Dates: nothing this service records happened before 2000 or is planned more than ten years on.
EARLIEST_DATE = dt.date(2000, 1, 1)
FUTURE_YEARS = 10


def money_max(max_digits: int, places: int = PLACES) -> Decimal:
    """The largest value a DecimalField(max_digits, places) holds, e.g. 999.99 for (5, 2)."""
    return Decimal(10) ** (max_digits - places) - Decimal(1).scaleb(-places)


def fits(value, max_digits: int, places: int = PLACES) -> bool:
    """Whether `value` fits a DecimalField(max_digits, places) (in absolute value)."""
    try:
        return abs(Decimal(value)) <= money_max(max_digits, places)
    except (InvalidOperation, TypeError, ValueError):
        return False


def check_money(
    value, field: str, max_digits: int, places: int = PLACES, *, message: str = ""
) -> Decimal:
    """`value` as a Decimal if it fits a DecimalField(max_digits, places), otherwise a
    `DomainError` on `field` saying the largest value allowed (`message` may name what is too
    large, with `%(max)s` for that value)."""
    if not fits(value, max_digits, places):
        template = message or _("数值过大，不能超过 %(max)s。")
        raise DomainError(template % {"max": f"{money_max(max_digits, places):,}"}, field=field)
    return Decimal(value)


def latest_date(*, not_after_today: bool = False) -> dt.date:
    """The latest plausible date: today for what already happened, otherwise ten years on."""
    today = clock.today()
    if not_after_today:
        return today
    try:
        return today.replace(year=today.year + FUTURE_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + FUTURE_YEARS, day=28)


def check_date(value: dt.date | None, field: str, *, not_after_today: bool = False):
    """`value` unless it lies before 2000-01-01 or after the latest plausible date (today for
    what already happened — an installation, a receipt — otherwise ten years on); then a
    `DomainError` on `field`."""
    if value is None:
        return value
    if value < EARLIEST_DATE:
        raise DomainError(
            _("日期不能早于 %(date)s。") % {"date": EARLIEST_DATE.isoformat()}, field=field
        )
    latest = latest_date(not_after_today=not_after_today)
    if value > latest:
        if not_after_today:
            raise DomainError(_("日期不能晚于今天。"), field=field)
        raise DomainError(_("日期不能晚于 %(date)s。") % {"date": latest.isoformat()}, field=field)
    return value
