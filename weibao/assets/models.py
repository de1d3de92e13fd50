"""Equipment at customer sites (AST-2): what it is, whose it is, where it is repaired."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet


class AssetCategory(AuditedModel):
    """A kind of equipment (服务器、路由器、摄像机、UPS…), kept as data."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    is_third_party = models.BooleanField(
        _("第三方设备"),
        default=False,
        help_text=_("服务器、网络设备、空调、UPS 等故障需协调第三方保修（ESC-4）"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("设备类别")
        verbose_name_plural = _("设备类别")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Owner(models.TextChoices):
    CUSTOMER = "customer", _("客户")
    PROVIDER = "provider", _("服务商")


class RepairOrigin(models.TextChoices):
    DOMESTIC = "domestic", _("国内维修")
    FOREIGN = "foreign", _("国外维修")


class AssetStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("在用")
    IN_REPAIR = "in_repair", _("维修中")
    SPARE = "spare", _("备用")
    RETIRED = "retired", _("已退役")


class Asset(AuditedModel):
    """A piece of equipment with its model, serial number and software version."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="assets"
    )
    site = models.ForeignKey(
        "sites.Site", verbose_name=_("机房"), on_delete=models.PROTECT, related_name="assets"
    )
    category = models.ForeignKey(
        AssetCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="assets"
    )
    name = models.CharField(_("名称"), max_length=200)
    manufacturer = models.CharField(_("厂商"), max_length=100, blank=True)
    model = models.CharField(_("型号"), max_length=100)
    serial_number = models.CharField(_("序列号"), max_length=100)
    software_version = models.CharField(_("软件版本"), max_length=100, blank=True)
    owner = models.CharField(
        _("产权"), max_length=10, choices=Owner.choices, default=Owner.CUSTOMER
    )
    repair_origin = models.CharField(
        _("维修地"),
        max_length=10,
        choices=RepairOrigin.choices,
        default=RepairOrigin.DOMESTIC,
        help_text=_("国内维修 30 个工作日，国外维修 60 个工作日（RMA-3）"),
    )
    customer_bought_supporting = models.BooleanField(
        _("客户自购配套设备"), default=False, help_text=_("不在返修范围内（RMA-6）")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=AssetStatus.choices, default=AssetStatus.IN_SERVICE
    )
    installed_on = models.DateField(
        _("安装日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    notes = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("设备")
        verbose_name_plural = _("设备")
        ordering = ["site", "category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "serial_number"], name="unique_asset_serial"
            ),
        ]
        indexes = [models.Index(fields=["serial_number"])]

    def __str__(self) -> str:
        return _("%(name)s（%(detail)s）") % {"name": self.name, "detail": self.serial_number}

    def clean(self) -> None:
        if self.site_id and self.customer_id and self.site.customer_id != self.customer_id:
            raise ValidationError({"site": _("机房不属于该客户。")})

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id, "asset": self.pk}
