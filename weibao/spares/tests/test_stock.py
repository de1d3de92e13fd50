"""The movement ledger: every move is a row, stock is derived from it and never goes negative
— also when several workers move stock at the same moment (PostgreSQL, threads)."""

import threading

import pytest
from django.db import connection

from weibao.core.errors import DomainError
from weibao.spares.choices import MovementKind, PartState
from weibao.spares.models import Loan, SparePart, StockLocation, StockMovement
from weibao.spares.selectors import ledger_stock, on_hand, stock_per_pool
from weibao.spares.services import inventory
from weibao.spares.services.loans import lend_free_loaner
from weibao.spares.tests.factories import make_hardware


def assert_ledger_never_negative():
    """Replay the ledger in order: no location ever holds fewer than zero of a part type,
    and what it holds now is exactly where the parts say they are."""
    running: dict[tuple[int, int], int] = {}
    for move in StockMovement.objects.order_by("id"):
        if move.from_location_id:
            key = (move.part_type_id, move.from_location_id)
            running[key] = running.get(key, 0) - move.quantity
            assert running[key] >= 0, f"negative stock after movement {move.pk}"
        if move.to_location_id:
            key = (move.part_type_id, move.to_location_id)
            running[key] = running.get(key, 0) + move.quantity
    placed: dict[tuple[int, int], int] = {}
    for part in SparePart.objects.filter(location__isnull=False):
        key = (part.part_type_id, part.location_id)
        placed[key] = placed.get(key, 0) + 1
    assert {k: v for k, v in running.items() if v} == placed


@pytest.mark.django_db
def test_every_move_is_a_row_and_stock_is_derived_from_them(hw):
    second = StockLocation.objects.create(pool=hw.pool, name="B 区货架")
    a, b = hw.stock(hw.board, "MB-1", "MB-2")
    inventory.move_part(a, kind=MovementKind.TRANSFER, to_location=second)
    inventory.move_part(b, kind=MovementKind.SCRAP, note="雷击损坏")
    assert StockMovement.objects.count() == 4
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 0
    assert on_hand(part_type_id=hw.board.pk, location_id=second.pk) == 1
    stock = ledger_stock([hw.pool])
    assert stock[(hw.pool.pk, hw.board.pk, second.pk)] == 1
    [provider] = [s for s in stock_per_pool(hw.keeper) if s.pool == hw.pool]
    assert provider.total == 1
    assert_ledger_never_negative()


@pytest.mark.django_db
def test_a_part_not_in_stock_cannot_leave_it_twice(hw):
    [part] = hw.stock(hw.board, "MB-1")
    inventory.move_part(part, kind=MovementKind.REPAIR_OUT)
    with pytest.raises(inventory.OutOfStock):
        inventory.move_part(part, kind=MovementKind.SCRAP)
    with pytest.raises(DomainError) as error:
        hw.stock(hw.board, "MB-1")
    assert error.value.code == "duplicate_serial"
    inventory.move_part(part, kind=MovementKind.REPAIR_IN, to_location=hw.shelf)
    part.refresh_from_db()
    assert (part.state, part.condition, part.location) == (PartState.IN_STOCK, "good", hw.shelf)
    assert_ledger_never_negative()


@pytest.mark.django_db
def test_a_part_never_moves_into_another_owners_pool(hw):
    [part] = hw.stock(hw.board, "MB-1")
    customer_shelf = inventory.default_location(hw.own)
    with pytest.raises(DomainError) as error:
        inventory.move_part(part, kind=MovementKind.TRANSFER, to_location=customer_shelf)
    assert error.value.code == "pool_mismatch"
    part.refresh_from_db()
    assert (part.pool, part.owner) == (hw.pool, "provider")


def _in_parallel(count: int, work) -> list:
    start = threading.Barrier(count)
    results, errors = [], []

    def run(n):
        try:
            start.wait()
            results.append(work(n))
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_loans_never_take_more_than_is_in_stock():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under parallel threads need PostgreSQL")
    hw = make_hardware()
    hw.stock(hw.board, "MB-1", "MB-2", "MB-3")

    loans = _in_parallel(
        10,
        lambda n: lend_free_loaner(
            customer=hw.customer, part_type=hw.board, kind="repair_overdue", reason=f"并发 {n}"
        ),
    )

    lent = [loan for loan in loans if loan is not None]
    assert len(lent) == 3 and len({loan.part_id for loan in lent}) == 3
    assert Loan.objects.count() == 3
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 0
    assert StockMovement.objects.filter(kind=MovementKind.LOAN_OUT).count() == 3
    assert_ledger_never_negative()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_of_one_part_succeed_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under parallel threads need PostgreSQL")
    hw = make_hardware()
    [part] = hw.stock(hw.board, "MB-1")

    def send_to_repair(n):
        try:
            inventory.move_part(part, kind=MovementKind.REPAIR_OUT, note=f"并发 {n}")
        except inventory.OutOfStock:
            return "refused"
        return "moved"

    results = _in_parallel(8, send_to_repair)

    assert sorted(results) == ["moved"] + ["refused"] * 7
    assert StockMovement.objects.filter(kind=MovementKind.REPAIR_OUT).count() == 1
    assert_ledger_never_negative()
