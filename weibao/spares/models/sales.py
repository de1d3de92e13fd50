"""Spare-part sales (SPS-1, SPS-2): the request, the quote revisions, the sales contract, the
prepayment and its ship deadline, delivery, and the warranty of every delivered serial."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds, clock
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.spares.choices import QuoteDecision, SaleOrigin, SaleStage


class SaleOrder(AuditedModel):
    """A sales order (备件销售单), from the customer's request to the signed delivery."""

    tenant_path = "customer"

    number = models.CharField(_("销售单号"), max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="spare_sales",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("维保合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(
        _("来源"), max_length=20, choices=SaleOrigin.choices, default=SaleOrigin.REQUEST
    )
    stage = models.CharField(
        _("阶段"), max_length=12, choices=SaleStage.choices, default=SaleStage.REQUESTED
    )
    requested_on = models.DateField(_("需求日期"), validators=[bounds.plausible_date])
    request_text = models.TextField(_("采购需求"), max_length=bounds.NOTE_MAX)
    accepted_quote = models.ForeignKey(
        "spares.SaleQuote",
        verbose_name=_("已确认的报价"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract_number = models.CharField(_("销售合同编号"), max_length=60, blank=True)
    contract_signed_on = models.DateField(
        _("合同签订日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    prepaid_on = models.DateField(
        _("预付款到账日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    prepayment_amount = models.DecimalField(
        _("预付款（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    ship_months = models.PositiveSmallIntegerField(_("发货期限（月）"), default=3)
    ship_by = models.DateField(
        _("最迟发货日期"), null=True, blank=True, validators=[bounds.plausible_date]
    )
    ship_warned_at = models.DateTimeField(_("发货预警时间"), null=True, blank=True)
    ship_breached_at = models.DateTimeField(_("发货超期时间"), null=True, blank=True)
    shipped_on = models.DateField(
        _("发货日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    carrier = models.CharField(_("承运商"), max_length=60, blank=True)
    tracking_number = models.CharField(_("运单号"), max_length=60, blank=True)
    delivered_on = models.DateField(
        _("到货验收日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    signed_by = models.CharField(_("验收签收人"), max_length=100, blank=True)
    inspection_note = models.TextField(_("验货记录"), max_length=bounds.NOTE_MAX, blank=True)
    warranty_months = models.PositiveSmallIntegerField(_("保修期（月）"), default=12)
    cancelled_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("备件销售")
        verbose_name_plural = _("备件销售")
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["stage", "ship_by"])]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def archive_scope(self):
        return {"customer": self.customer_id}

    @property
    def total(self) -> Decimal | None:
        return self.accepted_quote.total if self.accepted_quote_id else None

    @property
    def latest_quote(self):
        return self.quotes.order_by("-revision").first()


class SaleQuote(models.Model):
    """One revision of the configuration proposal and quote (备件配置方案及报价); every
    revision is kept."""

    order = models.ForeignKey(SaleOrder, on_delete=models.CASCADE, related_name="quotes")
    revision = models.PositiveSmallIntegerField(_("版本"))
    proposal = models.TextField(_("配置方案"), max_length=bounds.NOTE_MAX)
    created_at = models.DateTimeField(_("提出时间"), default=clock.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(
        _("客户意见"), max_length=10, choices=QuoteDecision.choices, default=QuoteDecision.PENDING
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.CharField(_("客户意见说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("配置方案与报价")
        verbose_name_plural = _("配置方案与报价")
        ordering = ["order", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["order", "revision"], name="unique_quote_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.order} v{self.revision}"

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), Decimal("0.00"))


class SaleQuoteLine(models.Model):
    """A line of a quote: how many of a part type at what unit price."""

    quote = models.ForeignKey(SaleQuote, on_delete=models.CASCADE, related_name="lines")
    part_type = models.ForeignKey(
        "spares.PartType", verbose_name=_("备件型号"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("单价（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("报价明细")
        verbose_name_plural = _("报价明细")
        ordering = ["quote", "id"]

    def __str__(self) -> str:
        return f"{self.part_type} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return self.unit_price * self.quantity


class SaleItem(models.Model):
    """One sold serial: shipped, delivered, and in warranty through `warranty_until` (SPS-2)."""

    order = models.ForeignKey(SaleOrder, on_delete=models.CASCADE, related_name="items")
    part_type = models.ForeignKey(
        "spares.PartType", verbose_name=_("备件型号"), on_delete=models.PROTECT, related_name="+"
    )
    serial_number = models.CharField(_("序列号"), max_length=100, db_index=True)
    part = models.ForeignKey(
        "spares.SparePart",
        verbose_name=_("备件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sale_items",
    )
    warranty_until = models.DateField(_("保修截止（含当日）"), null=True, blank=True)

    class Meta:
        verbose_name = _("销售明细（序列号）")
        verbose_name_plural = _("销售明细（序列号）")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.part_type.part_number} #{self.serial_number}"
