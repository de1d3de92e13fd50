"""The service catalog (表 01, CAT-1) and plans as bundles of entitlements (表 02, CAT-2)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel


class ServiceCategory(AuditedModel):
    """A category of service: 技术支持服务, 硬件支持服务, 个性化服务, …"""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(AuditedModel):
    """A service item with its number from 表 01 (001 电话咨询服务 … 011 系统运行情况分析服务)."""

    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("编号"), max_length=10, unique=True)
    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    description = models.TextField(_("说明"), max_length=bounds.NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Plan(AuditedModel):
    """A service level (服务等级), e.g. 金牌 Gold."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    description = models.TextField(_("说明"), max_length=bounds.NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("服务等级")
        verbose_name_plural = _("服务等级")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Period(models.TextChoices):
    CONTRACT_YEAR = "contract_year", _("每合同年")
    HALF_YEAR = "half_year", _("每半年")
    QUARTER = "quarter", _("每季度")
    MONTH = "month", _("每月")
    CONTRACT = "contract", _("合同期内")


class Unit(models.TextChoices):
    TIMES = "times", _("次")
    PERCENT_OF_SITES = "percent_of_sites", _("% 的机房")
    REPORTS = "reports", _("份报告")


class Entitlement(AuditedModel):
    """What a plan includes for one service item: included, or a counted quantity per period.

    A row without quantity is simply included (有). A counted row (备件服务 10 次/年) is
    enforced by the usage counters of `contracts.EntitlementUsage` (CAT-4).
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("服务等级"), on_delete=models.CASCADE, related_name="entitlements"
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务项目"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("代码"), max_length=60)
    name = models.CharField(_("名称"), max_length=200)
    quantity = models.DecimalField(
        _("数量"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("留空表示包含、不计次"),
    )
    unit = models.CharField(_("单位"), max_length=20, choices=Unit.choices, blank=True)
    period = models.CharField(_("周期"), max_length=20, choices=Period.choices, blank=True)
    site_kind = models.CharField(
        _("机房类型"), max_length=20, blank=True, help_text=_("巡检类权益适用的机房类型")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务权益")
        verbose_name_plural = _("服务权益")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_entitlement_code"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.name}"

    @property
    def is_counted(self) -> bool:
        return self.quantity is not None and self.unit == Unit.TIMES

    @property
    def allowance(self) -> str:
        if self.quantity is None:
            return str(_("有"))
        qty = f"{self.quantity.normalize():f}"
        return f"{qty}{self.get_unit_display()} / {self.get_period_display()}"
