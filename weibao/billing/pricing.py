"""Money of a statement, in pure functions over `Decimal` (never float): a line's amount is
quantity × unit price rounded half-up to the cent; a statement's total is the sum of its
line amounts, so the printed lines always add up to the printed total."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from weibao.core.errors import DomainError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> Decimal:
    """`value` rounded half-up to two places (分)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return money(Decimal(quantity) * Decimal(unit_price))


@dataclass(frozen=True)
class Totals:
    """Subtotals by line kind (in the order first seen) and the grand total."""

    by_kind: dict[str, Decimal]
    total: Decimal


def totals(lines: Iterable) -> Totals:
    """Totals of lines having `kind`, `quantity` and `unit_price`."""
    by_kind: dict[str, Decimal] = {}
    for line in lines:
        amount = line_amount(line.quantity, line.unit_price)
        by_kind[line.kind] = by_kind.get(line.kind, ZERO) + amount
    return Totals(by_kind=by_kind, total=money(sum(by_kind.values(), ZERO)))


def parse_decimal(
    value, *, field: str, positive: bool = False, maximum: Decimal | None = None
) -> Decimal:
    """A user-given amount as a Decimal with at most two places, or a DomainError naming the
    field. Floats are refused: their binary value is not the amount the user typed."""
    if isinstance(value, float):
        raise DomainError(_("金额必须以文本或 Decimal 传入。"), field=field)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DomainError(_("请输入有效的数字。"), field=field) from None
    if not number.is_finite():
        raise DomainError(_("请输入有效的数字。"), field=field)
    if number.normalize().as_tuple().exponent < -2:
        raise DomainError(_("最多保留两位小数。"), field=field)
    if number < 0 or (positive and number == 0):
        raise DomainError(_("必须大于 0。") if positive else _("不能为负数。"), field=field)
    if maximum is not None and number > maximum:
        raise DomainError(_("数值过大。"), field=field)
    return money(number)
