"""Software versions and patches applied to an asset (OTH-1: 版本管理及软件补丁)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.library.choices import ChangeKind


class SoftwareChange(AuditedModel):
    """One upgrade, patch or rollback of an asset's software: what, from which version to
    which, when and by whom. Recorded with `library.services.apply_software_change`, which
    also moves `Asset.software_version`."""

    tenant_path = "asset__customer"

    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("设备"),
        on_delete=models.PROTECT,
        related_name="software_changes",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ChangeKind.choices)
    from_version = models.CharField(_("原版本"), max_length=100, blank=True)
    to_version = models.CharField(_("新版本"), max_length=100, blank=True)
    patch_name = models.CharField(_("补丁名称"), max_length=200, blank=True)
    applied_at = models.DateTimeField(_("实施时间"), db_index=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("实施人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("版本变更")
        verbose_name_plural = _("版本变更")
        ordering = ["-applied_at", "-id"]

    def __str__(self) -> str:
        return f"{self.asset} {self.get_kind_display()} {self.to_version or self.patch_name}"

    def archive_scope(self):
        asset = self.asset
        return {"customer": asset.customer_id, "site": asset.site_id, "asset": asset.pk}
