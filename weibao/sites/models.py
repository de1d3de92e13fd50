"""Machine rooms (机房) and front-end points of a customer (AST-1)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.tenancy.geo import great_circle_km
from weibao.tenancy.models import LATITUDE, LONGITUDE


class SiteKind(models.TextChoices):
    MONITORING_CENTER = "monitoring_center", _("监控中心")
    CORE = "core", _("核心机房")
    AGGREGATION = "aggregation", _("汇聚机房")
    END_OFFICE = "end_office", _("端局机房")
    FRONT_END = "front_end", _("前端")


class Site(AuditedModel):
    """A site of a customer, with where it is and which service point serves it."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="sites"
    )
    name = models.CharField(_("名称"), max_length=200)
    code = models.CharField(_("编号"), max_length=40)
    kind = models.CharField(_("类型"), max_length=20, choices=SiteKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机房"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    address = models.CharField(_("地址"), max_length=300)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, validators=LATITUDE)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, validators=LONGITUDE)
    service_point = models.ForeignKey(
        "tenancy.ServicePoint",
        verbose_name=_("服务网点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sites",
        help_text=_("负责本机房的服务网点；到场时限按它到机房的距离计算"),
    )
    road_distance_km = models.DecimalField(
        _("道路距离（公里）"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("填写后代替直线距离用于到场时限"),
    )
    duty_phone = models.CharField(_("值班电话"), max_length=32, blank=True)
    notes = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("机房")
        verbose_name_plural = _("机房")
        ordering = ["customer", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "code"], name="unique_site_code"),
            # "EO-01" and "eo-01" are one site's code within a customer.
            models.UniqueConstraint(
                models.F("customer"),
                Lower("code"),
                name="unique_site_code_ci",
                violation_error_message=_("该客户已有此机房编号（不区分大小写）。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.pk}

    @property
    def distance_km(self) -> float | None:
        """Distance from the serving service point: the road distance when recorded,
        otherwise the great-circle distance."""
        if self.road_distance_km is not None:
            return float(self.road_distance_km)
        if self.service_point is None:
            return None
        sp = self.service_point
        return great_circle_km(sp.latitude, sp.longitude, self.latitude, self.longitude)
