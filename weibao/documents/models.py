"""Signed documents (签字文档): a structured form, the customer's signature, and the PDF that
was printed when it was signed. Once signed a document never changes: `content_hash` seals the
data, the signer and the signature image, and `verify_document` recomputes it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.documents import kinds
from weibao.documents.choices import STATE_BADGES, DocumentState


class SignedDocument(AuditedModel):
    """One document of a registered kind (service report, technical plan, training record…),
    belonging to a customer and optionally to a site, asset, ticket and an owning object."""

    tenant_path = "customer"
    # The PDF and the image are large and sealed by the hash; the change log keeps the rest.
    audit_exclude = ("created_at", "updated_at", "pdf", "signature_image")

    kind = models.CharField(_("类型"), max_length=40, validators=[kinds.validate_kind])
    title = models.CharField(_("标题"), max_length=200)
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("设备"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("所属对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.CharField(_("所属对象编号"), max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    data = models.JSONField(_("内容"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    signer_name = models.CharField(_("签字人"), max_length=100, blank=True)
    signer_role = models.CharField(_("签字人身份"), max_length=40, blank=True)
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    signature_image = models.TextField(_("签名图像"), blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签字操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("在门户签字的客户用户，或递交手机让客户签字的工程师"),
    )
    refused_at = models.DateTimeField(_("拒签时间"), null=True, blank=True)
    refused_reason = models.TextField(_("拒签原因"), max_length=bounds.NOTE_MAX, blank=True)
    refused_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拒签记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_hash = models.CharField(_("内容摘要（SHA-256）"), max_length=64, blank=True)
    pdf = models.BinaryField(_("签字版 PDF"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("PDF 摘要（SHA-256）"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("签字文档")
        verbose_name_plural = _("签字文档")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "state"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"D{self.pk:06d}" if self.pk else "D—"

    @property
    def definition(self) -> kinds.DocumentKind | None:
        try:
            return kinds.get(self.kind)
        except KeyError:
            return None

    @property
    def kind_label(self) -> str:
        definition = self.definition
        return definition.label if definition else self.kind

    @property
    def signer_role_label(self) -> str:
        definition = self.definition
        return definition.signer_role_label(self.signer_role) if definition else self.signer_role

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def is_signed(self) -> bool:
        return self.state == DocumentState.SIGNED

    @property
    def may_request_signature(self) -> bool:
        return self.state in (DocumentState.DRAFT, DocumentState.SIGNATURE_REFUSED)

    @property
    def is_settled(self) -> bool:
        """Signed, or the customer's refusal to sign recorded with a reason."""
        return self.state in (DocumentState.SIGNED, DocumentState.SIGNATURE_REFUSED)

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id, "asset": self.asset_id}
