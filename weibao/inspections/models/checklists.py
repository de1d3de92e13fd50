"""Checklists (INS-2): templates per site kind and equipment category, and what the engineer
recorded for each item on site."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.inspections.choices import CheckOutcome, CheckSection
from weibao.sites.models import SiteKind


class ChecklistTemplate(AuditedModel):
    """A list of check items for a kind of room (blank: every kind) and, optionally, one
    category of equipment. A visit gathers every template that fits its site."""

    name = models.CharField(_("名称"), max_length=100)
    code = models.SlugField(_("代码"), max_length=60, unique=True)
    site_kind = models.CharField(
        _("机房类型"), max_length=20, choices=SiteKind.choices, blank=True,
        help_text=_("留空表示适用于所有机房类型"),
    )  # fmt: skip
    asset_category = models.ForeignKey(
        "assets.AssetCategory",
        verbose_name=_("设备类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("留空表示机房级检查项；填写后仅当机房有该类设备时检查"),
    )
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("巡检检查表模板")
        verbose_name_plural = _("巡检检查表模板")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One item of a template: what to check, in which section, and what value to note."""

    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField(_("部分"), max_length=10, choices=CheckSection.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    text = models.CharField(_("检查项"), max_length=200)
    guidance = models.CharField(_("检查方法/标准"), max_length=300, blank=True)
    value_label = models.CharField(
        _("记录数值"), max_length=40, blank=True, help_text=_("需要记录读数时填写，如“温度（℃）”")
    )

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        ordering = ["template", "section", "order", "id"]

    def __str__(self) -> str:
        return self.text


def photo_path(instance: CheckResult, filename: str) -> str:
    return f"inspections/{instance.visit_id}/{filename}"


class CheckResult(AuditedModel):
    """One item checked on one visit: outcome, reading, note, photo, and the ticket a failed
    item opened. The item's text is copied, so editing a template never rewrites history."""

    tenant_path = "visit__customer"
    # the change log stores plain values; the photo's arrival is in `recorded_at`
    audit_exclude = ("created_at", "updated_at", "photo")

    visit = models.ForeignKey(
        "inspections.InspectionVisit",
        verbose_name=_("巡检"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("模板检查项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    section = models.CharField(_("部分"), max_length=10, choices=CheckSection.choices)
    order = models.PositiveIntegerField(_("排序"), default=0)
    text = models.CharField(_("检查项"), max_length=200)
    guidance = models.CharField(_("检查方法/标准"), max_length=300, blank=True)
    value_label = models.CharField(_("记录数值"), max_length=40, blank=True)
    asset_category = models.ForeignKey(
        "assets.AssetCategory",
        verbose_name=_("设备类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("设备"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(
        _("结果"), max_length=10, choices=CheckOutcome.choices, default=CheckOutcome.PENDING
    )
    value = models.CharField(_("读数"), max_length=100, blank=True)
    note = models.TextField(_("说明"), max_length=bounds.NOTE_MAX, blank=True)
    photo = models.ImageField(_("照片"), upload_to=photo_path, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("故障工单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["visit", "section", "order", "id"]

    def __str__(self) -> str:
        return _("%(label)s：%(text)s") % {"label": self.text, "text": self.get_outcome_display()}

    def archive_scope(self):
        # Item-by-item edits stay out of the site's archive (the visit's own events summarise
        # them there); a result about one asset joins that asset's archive.
        scope = {"customer": self.visit.customer_id}
        if self.asset_id:
            scope.update(site=self.visit.site_id, asset=self.asset_id)
        return scope
