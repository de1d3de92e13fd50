"""Writes of the spare inventory.

Every move of a part is one ledger row written in the same transaction as the part's new
place. Stock can never go negative, also under concurrent moves: a move first locks the part
type's row (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers itself), then re-reads
the part and the location's balance from the ledger, and refuses what is no longer there.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.assets.models import Owner
from weibao.core.errors import DomainError
from weibao.spares.choices import (
    INTO_STOCK,
    STATE_AFTER_OUT,
    Condition,
    MovementKind,
    PartState,
    Tier,
)
from weibao.spares.models import PartType, SparePart, SparePool, StockLocation, StockMovement
from weibao.spares.selectors import on_hand
from weibao.spares.services.access import require


class OutOfStock(DomainError):
    code = "out_of_stock"


def lock_part_type(part_type_id: int) -> None:
    """Serialise every stock move of one part type until the transaction ends."""
    list(PartType.objects.select_for_update().filter(pk=part_type_id).values_list("pk"))


def own_pool(customer) -> SparePool:
    """The customer's own pool (tier 1), created with one location the first time."""
    pool = SparePool.objects.filter(customer=customer, tier=Tier.CUSTOMER).order_by("id").first()
    if pool is None:
        pool = SparePool.objects.create(
            provider=customer.provider,
            customer=customer,
            tier=Tier.CUSTOMER,
            name=_("%(customer)s 自有备件库") % {"customer": customer.name},
        )
        StockLocation.objects.create(pool=pool, name=_("客户备件柜"), address=customer.address)
    return pool


def default_location(pool: SparePool) -> StockLocation:
    location = pool.locations.order_by("id").first()
    if location is None:
        location = StockLocation.objects.create(pool=pool, name=_("默认库位"))
    return location


def provider_pools(provider):
    return SparePool.objects.filter(provider=provider, tier=Tier.PROVIDER).order_by("id")


def receive_part(
    *,
    part_type: PartType,
    serial_number: str,
    location: StockLocation,
    kind: str = MovementKind.RECEIVE,
    note: str = "",
    actor=None,
) -> SparePart:
    """Receive a new serialised part into stock at `location` (入库, the spare keeper's:
    `spares.operate`); it belongs to the location's pool."""
    require(actor, Capability.SPARES_OPERATE, customer_id=location.pool.customer_id)
    return take_in(
        part_type=part_type,
        serial_number=serial_number,
        location=location,
        kind=kind,
        note=note,
        actor=actor,
    )


@transaction.atomic
def take_in(
    *,
    part_type: PartType,
    serial_number: str,
    location: StockLocation,
    kind: str = MovementKind.RECEIVE,
    note: str = "",
    actor=None,
) -> SparePart:
    """Write a new part into stock, for the app's own flows (a delivered sale) that have
    already checked who may make them."""
    serial_number = serial_number.strip()
    if not serial_number:
        raise DomainError(_("请填写序列号。"), field="serial_number")
    lock_part_type(part_type.pk)
    if SparePart.objects.filter(part_type=part_type, serial_number=serial_number).exists():
        raise DomainError(
            _("该型号下序列号 %(serial)s 已存在。") % {"serial": serial_number},
            code="duplicate_serial",
            field="serial_number",
        )
    part = SparePart.objects.create(
        part_type=part_type,
        serial_number=serial_number,
        pool=location.pool,
        owner=location.pool.owner,
        condition=Condition.GOOD,
        state=PartState.IN_STOCK,
    )
    record_move(part, kind=kind, to_location=location, note=note, actor=actor)
    part.refresh_from_db()
    return part


def move_part(
    part: SparePart,
    *,
    kind: str,
    to_location: StockLocation | None = None,
    note: str = "",
    ref_type: str = "",
    ref_id: str = "",
    actor=None,
) -> StockMovement:
    """Move one part by hand (transfer, send to repair, scrap…): the spare keeper's
    (`spares.operate`). See `record_move` for what is refused."""
    require(actor, Capability.SPARES_OPERATE, customer_id=part.pool.customer_id)
    return record_move(
        part,
        kind=kind,
        to_location=to_location,
        note=note,
        ref_type=ref_type,
        ref_id=ref_id,
        actor=actor,
    )


@transaction.atomic
def record_move(
    part: SparePart,
    *,
    kind: str,
    to_location: StockLocation | None = None,
    note: str = "",
    ref_type: str = "",
    ref_id: str = "",
    actor=None,
) -> StockMovement:
    """Move one part: into stock, between locations of its pool, or out of stock.

    Refused (and nothing written) when the part is not where the move needs it, when the
    location's ledger balance would go below zero, or when the target belongs to another pool
    (an exchange never changes ownership).
    """
    lock_part_type(part.part_type_id)
    part = SparePart.objects.select_for_update().select_related("part_type").get(pk=part.pk)
    into_stock = kind in INTO_STOCK
    if kind == MovementKind.TRANSFER or into_stock:
        if to_location is None:
            raise DomainError(_("请选择入库库位。"), field="to_location")
        if to_location.pool_id != part.pool_id:
            raise DomainError(
                _("备件只能进入其所属备件库的库位（借用和更换不改变产权）。"),
                code="pool_mismatch",
                field="to_location",
            )
    source = None if into_stock else part.location
    if into_stock and part.location_id is not None:
        raise DomainError(_("备件 %(part)s 已在库。") % {"part": part}, code="already_in_stock")
    if not into_stock:
        if source is None:
            raise OutOfStock(_("备件 %(part)s 不在库，不能出库。") % {"part": part})
        if on_hand(part_type_id=part.part_type_id, location_id=source.pk) < 1:
            raise OutOfStock(
                _("%(location)s 的 %(type)s 库存不足。")
                % {"location": source, "type": part.part_type}
            )
    movement = StockMovement.objects.create(
        kind=kind,
        part_type_id=part.part_type_id,
        pool_id=part.pool_id,
        part=part,
        from_location=source,
        to_location=None if kind in STATE_AFTER_OUT else to_location,
        actor=actor,
        note=note[:300],
        ref_type=ref_type,
        ref_id=str(ref_id),
    )
    part.location = movement.to_location
    part.state = STATE_AFTER_OUT.get(kind, PartState.IN_STOCK)
    if kind == MovementKind.REPAIR_IN:
        part.condition = Condition.GOOD
    part.save(update_fields=["location", "state", "condition", "updated_at"])
    return movement


def take_available(pools, part_type: PartType) -> SparePart | None:
    """A good part of `part_type` in stock in one of `pools` (call after `lock_part_type`)."""
    return (
        SparePart.objects.filter(
            pool__in=pools,
            part_type=part_type,
            state=PartState.IN_STOCK,
            condition=Condition.GOOD,
            location__isnull=False,
        )
        .select_related("location", "pool")
        .order_by("pool__tier", "pool_id", "id")
        .first()
    )


@transaction.atomic
def issue_own_spare(customer, part_type: PartType, *, note: str = "", actor=None) -> SparePart:
    """The first tier (SPX-1): replace a faulty board with one of the customer's own spares."""
    require(actor, Capability.SPARES_OPERATE, customer_id=customer.pk)
    lock_part_type(part_type.pk)
    pools = SparePool.objects.filter(customer=customer, tier=Tier.CUSTOMER)
    part = take_available(pools, part_type)
    if part is None:
        raise OutOfStock(
            _("客户自有备件库没有可用的 %(type)s。") % {"type": part_type}, field="part_type"
        )
    record_move(part, kind=MovementKind.ISSUE_OWN, note=note, actor=actor)
    part.refresh_from_db()
    return part


def pass_to_customer(part: SparePart, customer, *, state: str | None = None) -> SparePart:
    """Ownership passes to the customer (a sale or a compensation, never an exchange): the
    part joins the customer's own pool. The part must be out of stock."""
    if part.location_id is not None:
        raise DomainError(_("在库备件需先出库才能转移产权。"), code="still_in_stock")
    part.pool = own_pool(customer)
    part.owner = Owner.CUSTOMER
    part.state = state or part.state
    part.save(update_fields=["pool", "owner", "state", "updated_at"])
    return part
