"""The document library (资料共享, OTH-2): files the provider shares with its customers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.library.choices import Audience, DocumentCategory


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        """Provider staff see the whole library; a customer user sees the published documents
        shared with all customers or with their own; anyone else sees nothing."""
        if user is None or not user.is_authenticated:
            return self.none()
        if getattr(user, "customer_id", None):
            return (
                self.filter(published=True)
                .filter(Q(audience=Audience.ALL) | Q(customers=user.customer_id))
                .distinct()
            )
        if user.is_superuser or getattr(user, "provider_id", None):
            return self
        return self.none()


def _upload_to(instance, filename: str) -> str:
    return f"library/{filename}"


class LibraryDocument(AuditedModel):
    """A shared document: a file with a title, category and version, visible to all
    customers or to selected ones once published. Downloads go through a view that checks
    access (`library:download`); the media directory is never served directly."""

    # The audit log stores plain values; the file is named in the "library.file" event.
    audit_exclude = ("created_at", "updated_at", "file")

    title = models.CharField(_("标题"), max_length=200)
    category = models.CharField(_("分类"), max_length=20, choices=DocumentCategory.choices)
    file = models.FileField(_("文件"), upload_to=_upload_to, max_length=300)
    description = models.TextField(_("说明"), max_length=bounds.NOTE_MAX, blank=True)
    version = models.CharField(_("版本"), max_length=40, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published = models.BooleanField(_("已发布"), default=False, help_text=_("发布后客户才能看到"))
    audience = models.CharField(
        _("可见范围"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    customers = models.ManyToManyField(
        "tenancy.Customer",
        verbose_name=_("指定客户"),
        blank=True,
        related_name="+",
        help_text=_("可见范围为“指定客户”时，只有这些客户可以查看"),
    )

    objects = DocumentQuerySet.as_manager()

    # Who may read it is part of its version (`weibao.core.concurrency`).
    version_related = ("customers",)

    class Meta:
        verbose_name = _("共享资料")
        verbose_name_plural = _("共享资料")
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return f"{self.title} {self.version}".strip()

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
