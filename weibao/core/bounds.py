"""Input bounds shared by every app: money that fits its column, free text of a bounded
length, and dates within a plausible range. Services call the checks (a `DomainError` naming
the field, nothing stored); API serializers declare the same limits so the OpenAPI tells them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
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


def check_text(value: str, field: str, max_length: int = NOTE_MAX) -> str:
    """`value` unless it is longer than `max_length` characters (a note: 10,000); then a
    `DomainError` on `field`."""
    if value and len(value) > max_length:
        raise DomainError(
            _("不能超过 %(max)s 个字符（当前 %(length)s 个）。")
            % {"max": f"{max_length:,}", "length": f"{len(value):,}"},
            field=field,
        )
    return value


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
    `DomainError` on `field`. A date and time is judged by its local date."""
    if value is None:
        return value
    day = value
    if isinstance(value, dt.datetime):
        day = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if day < EARLIEST_DATE:
        raise DomainError(
            _("日期不能早于 %(date)s。") % {"date": EARLIEST_DATE.isoformat()}, field=field
        )
    latest = latest_date(not_after_today=not_after_today)
    if day > latest:
        if not_after_today:
            raise DomainError(_("日期不能晚于今天。"), field=field)
        raise DomainError(_("日期不能晚于 %(date)s。") % {"date": latest.isoformat()}, field=field)
    return value


@deconstructible(path="weibao.core.bounds.PlausibleDate")
class PlausibleDate:
    """A model field validator applying `check_date`, so that forms, the admin and model
    serializers refuse an implausible date on its field like the services do."""

    def __init__(self, *, not_after_today: bool = False):
        self.not_after_today = not_after_today

    def __call__(self, value) -> None:
        try:
            check_date(value, "", not_after_today=self.not_after_today)
        except DomainError as exc:
            raise ValidationError(exc.message, code="implausible_date") from None

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDate) and other.not_after_today == self.not_after_today

    def __hash__(self) -> int:
        return hash((PlausibleDate, self.not_after_today))


# Validators for model DateFields: a plausible date, or one that already happened.
plausible_date = PlausibleDate()
not_after_today = PlausibleDate(not_after_today=True)
