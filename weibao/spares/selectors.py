"""Reads of the spares app: stock derived from the ledger, loans with their 3/6-month marks,
pools, and the warranty of a serial number."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from weibao.billing.selectors import statements_for
from weibao.core import clock
from weibao.spares.choices import Condition, LoanKind, LoanStatus, PartState
from weibao.spares.models import Loan, PartType, SaleItem, SparePool, StockMovement


def on_hand(*, part_type_id: int, location_id: int) -> int:
    """Units of a part type at a location: everything that came in minus everything that left,
    read from the ledger."""
    moves = StockMovement.objects.filter(part_type_id=part_type_id)
    came = moves.filter(to_location_id=location_id).aggregate(n=Sum("quantity"))["n"] or 0
    left = moves.filter(from_location_id=location_id).aggregate(n=Sum("quantity"))["n"] or 0
    return came - left


def ledger_stock(pools) -> dict[tuple[int, int, int], int]:
    """{(pool id, part type id, location id): units} for the given pools, from the ledger."""
    moves = StockMovement.objects.filter(pool__in=pools)
    stock: dict[tuple[int, int, int], int] = defaultdict(int)
    for row in (
        moves.filter(to_location__isnull=False)
        .values("pool_id", "part_type_id", "to_location_id")
        .annotate(n=Sum("quantity"))
    ):
        stock[(row["pool_id"], row["part_type_id"], row["to_location_id"])] += row["n"]
    for row in (
        moves.filter(from_location__isnull=False)
        .values("pool_id", "part_type_id", "from_location_id")
        .annotate(n=Sum("quantity"))
    ):
        stock[(row["pool_id"], row["part_type_id"], row["from_location_id"])] -= row["n"]
    return dict(stock)


@dataclass(frozen=True)
class PoolStock:
    pool: SparePool
    rows: list[tuple[PartType, int, int]]  # part type, units in stock, units out (loaned…)

    @property
    def total(self) -> int:
        return sum(units for _t, units, _o in self.rows)


def stock_per_pool(user) -> list[PoolStock]:
    """Stock of every pool the user may see, per part type (the keeper board's third table)."""
    pools = list(SparePool.objects.visible_to(user).select_related("customer"))
    stock = ledger_stock(pools)
    types = {t.pk: t for t in PartType.objects.all()}
    per_pool: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for (pool_id, type_id, _loc), units in stock.items():
        per_pool[pool_id][type_id] += units
    out: dict[tuple[int, int], int] = defaultdict(int)
    for pool_id, type_id in Loan.objects.filter(status=LoanStatus.OUT).values_list(
        "part__pool_id", "part__part_type_id"
    ):
        out[(pool_id, type_id)] += 1
    result = []
    for pool in pools:
        type_ids = set(per_pool[pool.pk]) | {t for (p, t) in out if p == pool.pk}
        rows = [
            (types[t], per_pool[pool.pk].get(t, 0), out.get((pool.pk, t), 0))
            for t in sorted(type_ids, key=lambda t: types[t].part_number)
        ]
        result.append(PoolStock(pool, rows))
    return result


@dataclass(frozen=True)
class LoanMarks:
    """A loan with its marks: end date, the 3-month period limit and the 6-month total."""

    loan: Loan
    days_to_end: int | None
    days_to_total: int | None
    past_period: bool


def loan_marks(loan: Loan, today: dt.date | None = None) -> LoanMarks:
    today = today or clock.today()
    exchange = loan.kind == LoanKind.EXCHANGE
    return LoanMarks(
        loan=loan,
        days_to_end=(loan.end_date - today).days if loan.end_date else None,
        days_to_total=(loan.latest_end - today).days if loan.latest_end else None,
        past_period=exchange and today > loan.period_limit,
    )


def open_loans(user) -> list[LoanMarks]:
    loans = (
        Loan.objects.visible_to(user)
        .filter(status=LoanStatus.OUT)
        .select_related("customer", "part__part_type", "site")
        .order_by("end_date", "start_date")
    )
    today = clock.today()
    return [loan_marks(loan, today) for loan in loans]


def loan_statements(loans, user) -> dict[int, list]:
    """{loan id: the billing statements of that loan `user` may see}, oldest first: what a
    damaged part's compensation or an exchange over the quota costs the customer."""
    ids = [loan.pk for loan in loans]
    per_loan: dict[int, list] = {pk: [] for pk in ids}
    if not ids:
        return per_loan
    statements = statements_for(user).filter(
        subject_type=ContentType.objects.get_for_model(Loan), subject_id__in=ids
    )
    for statement in statements.order_by("created_at", "id"):
        per_loan[statement.subject_id].append(statement)
    return per_loan


@dataclass(frozen=True)
class Warranty:
    serial_number: str
    item: SaleItem | None
    on: dt.date

    @property
    def until(self) -> dt.date | None:
        return self.item.warranty_until if self.item else None

    @property
    def covered(self) -> bool:
        return self.until is not None and self.on <= self.until


def warranty_for(serial_number: str, *, on: dt.date, customer_id: int | None = None) -> Warranty:
    """Whether a sold serial is in warranty on `on` (SPS-2): the latest delivered sale of it."""
    items = SaleItem.objects.filter(
        serial_number__iexact=serial_number.strip(), warranty_until__isnull=False
    ).select_related("order", "part_type")
    if customer_id is not None:
        items = items.filter(order__customer_id=customer_id)
    return Warranty(serial_number, items.order_by("-order__delivered_on", "-id").first(), on)


def available_count(pools, part_type) -> int:
    from weibao.spares.models import SparePart

    return SparePart.objects.filter(
        pool__in=pools,
        part_type=part_type,
        state=PartState.IN_STOCK,
        condition=Condition.GOOD,
        location__isnull=False,
    ).count()
