"""Spare inventory (SPX-1): part types with their catalog price, the two tiers of pools, their
locations, the serialised parts and the movement ledger stock is derived from."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Owner
from weibao.core import bounds, clock
from weibao.core.models import AuditedModel
from weibao.spares.choices import Condition, MovementKind, PartState, Tier


class PoolScopedQuerySet(models.QuerySet):
    """Rows reached through a pool: a customer's users see their own pool's rows, provider
    staff every pool of their provider (including the provider's own, which has no customer)."""

    pool_path = ""

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        prefix = f"{self.pool_path}__" if self.pool_path else ""
        if getattr(user, "customer_id", None):
            return self.filter(**{f"{prefix}customer_id": user.customer_id})
        if user.is_superuser:
            return self
        if getattr(user, "provider_id", None):
            return self.filter(**{f"{prefix}provider_id": user.provider_id})
        return self.none()


class ViaPoolQuerySet(PoolScopedQuerySet):
    pool_path = "pool"


class PartType(AuditedModel):
    """A spare part number (备件型号) with its catalog price (备板备件销售目录价)."""

    part_number = models.CharField(_("备件编码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    category = models.ForeignKey(
        "assets.AssetCategory",
        verbose_name=_("设备类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asset_model = models.CharField(
        _("适用设备型号"),
        max_length=100,
        blank=True,
        help_text=_("返修设备的型号与此相同时，超期自动借用此型号的备件"),
    )
    catalog_price = models.DecimalField(
        _("目录价（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("备件型号")
        verbose_name_plural = _("备件型号")
        ordering = ["part_number"]

    def __str__(self) -> str:
        return f"{self.part_number} {self.name}"


class SparePool(AuditedModel):
    """A spare pool: the customer's own (tier 1) or the provider's (tier 2, no customer)."""

    provider = models.ForeignKey(
        "tenancy.Provider", verbose_name=_("服务商"), on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spare_pools",
    )
    tier = models.PositiveSmallIntegerField(_("级别"), choices=Tier.choices)
    name = models.CharField(_("名称"), max_length=100)

    objects = PoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("备件库")
        verbose_name_plural = _("备件库")
        ordering = ["tier", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tier=Tier.CUSTOMER, customer__isnull=False)
                | Q(tier=Tier.PROVIDER, customer__isnull=True),
                name="pool_tier_matches_owner",
                violation_error_message=_("一级备件库属于客户，二级备件库属于服务商。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self) -> str:
        return Owner.CUSTOMER if self.tier == Tier.CUSTOMER else Owner.PROVIDER

    def archive_scope(self):
        return {"customer": self.customer_id}


class StockLocation(AuditedModel):
    """A place a pool keeps parts: a spare center's shelf, the customer's spare cabinet."""

    pool = models.ForeignKey(
        SparePool, verbose_name=_("备件库"), on_delete=models.PROTECT, related_name="locations"
    )
    name = models.CharField(_("库位"), max_length=100)
    address = models.CharField(_("地址"), max_length=300, blank=True)

    objects = ViaPoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("库位")
        verbose_name_plural = _("库位")
        ordering = ["pool", "name"]

    def __str__(self) -> str:
        return f"{self.pool} · {self.name}"

    def archive_scope(self):
        return {"customer": self.pool.customer_id}


class SparePart(AuditedModel):
    """One serialised spare. Its owner is its pool's owner; an exchange never changes it —
    only a sale or a compensation passes a provider's part to the customer (SPX-1, SPX-4)."""

    part_type = models.ForeignKey(
        PartType, verbose_name=_("备件型号"), on_delete=models.PROTECT, related_name="parts"
    )
    serial_number = models.CharField(_("序列号"), max_length=100)
    pool = models.ForeignKey(
        SparePool, verbose_name=_("所属备件库"), on_delete=models.PROTECT, related_name="parts"
    )
    owner = models.CharField(_("产权"), max_length=10, choices=Owner.choices)
    condition = models.CharField(
        _("状况"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=PartState.choices, default=PartState.IN_STOCK
    )
    location = models.ForeignKey(
        StockLocation,
        verbose_name=_("当前库位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text=_("由出入库流水维护；不在库时为空"),
    )

    objects = ViaPoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("备件")
        verbose_name_plural = _("备件")
        ordering = ["part_type", "serial_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["part_type", "serial_number"], name="unique_spare_serial"
            ),
        ]
        indexes = [models.Index(fields=["serial_number"])]

    def __str__(self) -> str:
        return f"{self.part_type.part_number} #{self.serial_number}"

    def archive_scope(self):
        return {"customer": self.pool.customer_id}


class StockMovement(models.Model):
    """One row of the ledger (出入库流水). Stock at a location is the sum of what came in minus
    what went out; rows are never edited or deleted."""

    at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    kind = models.CharField(_("类型"), max_length=12, choices=MovementKind.choices)
    part_type = models.ForeignKey(
        PartType, verbose_name=_("备件型号"), on_delete=models.PROTECT, related_name="+"
    )
    pool = models.ForeignKey(
        SparePool, verbose_name=_("备件库"), on_delete=models.PROTECT, related_name="movements"
    )
    part = models.ForeignKey(
        SparePart, verbose_name=_("备件"), on_delete=models.PROTECT, related_name="movements"
    )
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    from_location = models.ForeignKey(
        StockLocation,
        verbose_name=_("出库库位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_location = models.ForeignKey(
        StockLocation,
        verbose_name=_("入库库位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    ref_type = models.CharField(_("关联单据类型"), max_length=20, blank=True)
    ref_id = models.CharField(_("关联单据"), max_length=40, blank=True)

    objects = ViaPoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("出入库流水")
        verbose_name_plural = _("出入库流水")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_location__isnull=False) | Q(to_location__isnull=False),
                name="movement_has_a_side",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="movement_positive"),
        ]
        indexes = [
            models.Index(fields=["part_type", "from_location"]),
            models.Index(fields=["part_type", "to_location"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.part}"
