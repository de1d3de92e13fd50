"""The provider (承保方), its service points (服务网点), its customers and their contacts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class Provider(AuditedModel):
    """The maintenance provider that runs this Weibao."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    hotline = models.CharField(_("服务热线"), max_length=32, blank=True)
    email = models.EmailField(_("服务邮箱"), blank=True)

    class Meta:
        verbose_name = _("服务商")
        verbose_name_plural = _("服务商")

    def __str__(self) -> str:
        return self.name


class ServicePoint(AuditedModel):
    """A service point (服务网点) engineers leave from; distances for 表 14 start here."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("服务商"), on_delete=models.CASCADE, related_name="service_points"
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, validators=LATITUDE)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, validators=LONGITUDE)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("服务网点")
        verbose_name_plural = _("服务网点")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Customer(AuditedModel):
    """A customer (客户) whose monitoring platform the provider maintains."""

    tenant_path = ""

    provider = models.ForeignKey(
        Provider, verbose_name=_("服务商"), on_delete=models.PROTECT, related_name="customers"
    )
    name = models.CharField(_("名称"), max_length=200)
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    notes = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户")
        verbose_name_plural = _("客户")
        ordering = ["name"]
        constraints = [
            # "HDTX" and "hdtx" are one customer's code: unique whatever the case.
            models.UniqueConstraint(
                Lower("code"),
                name="unique_customer_code_ci",
                violation_error_message=_("该客户代码已被使用（不区分大小写）。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def archive_scope(self):
        return {"customer": self.pk}


class ContactRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("负责人")
    LEADER = "leader", _("主要领导")
    MAINTENANCE = "maintenance", _("维护人员")
    DUTY = "duty", _("值班人员")
    OM_DEPARTMENT = "om_department", _("运维部门")
    OTHER = "other", _("其他")


class Contact(AuditedModel):
    """A person at the customer to call: name, phone and their role."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        Customer, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=100)
    phone = models.CharField(_("电话"), max_length=32)
    email = models.EmailField(_("邮箱"), blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=ContactRole.choices)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    default_site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("默认机房"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("此人来电通常涉及的机房：电话受理按来电号码找到此人时自动填入。"),
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        ordering = ["customer", "name"]

    def __str__(self) -> str:
        return _("%(name)s（%(detail)s）") % {"name": self.name, "detail": self.get_role_display()}

    def clean(self):
        super().clean()
        if self.default_site_id and self.default_site.customer_id != self.customer_id:
            raise ValidationError({"default_site": _("默认机房须是该联系人所属客户的机房。")})

    def archive_scope(self):
        return {"customer": self.customer_id}
