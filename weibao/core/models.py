"""Base models and the one change log (变更记录) every capability writes to.

`ChangeLog` rows are both the audit trail (who changed which fields of what, when) and the
customer archive (客户档案): each row names the customer, site and asset it belongs to, so a
site's or an asset's timeline is one indexed query.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import clock


class TimeStampedModel(models.Model):
    """Adds creation and modification times, taken from Weibao's clock."""

    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = clock.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class AuditedModel(TimeStampedModel):
    """A domain object whose creations, changes and deletions are written to the change log.

    Subclasses say where they belong in the customer archive by overriding `archive_scope`.
    """

    audit_exclude: tuple[str, ...] = ("created_at", "updated_at")

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_snapshot = dict(zip(field_names, values, strict=True))
        return instance

    def archive_scope(self) -> dict[str, int | None]:
        """The customer, site and asset ids this object's history belongs to."""
        return {}


class ChangeLog(models.Model):
    """One entry of the audit trail and customer archive: who did what, when, to which object."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        EVENT = "event", _("事件")

    at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=10, choices=Action.choices)
    kind = models.CharField(
        _("类别"),
        max_length=40,
        blank=True,
        help_text=_("事件的类别，例如 ticket、repair、inspection"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("对象类型")
    )
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    changes = models.JSONField(_("变更字段"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    message = models.TextField(_("说明"), blank=True)
    # The event's sentence as a msgid and its parameters (`weibao.core.events`), rendered in the
    # reader's language by `text`; `message` keeps the sentence as written in Chinese.
    message_id = models.TextField(_("说明原文"), blank=True, default="")
    message_params = models.JSONField(
        _("说明参数"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    customer = models.ForeignKey(
        "tenancy.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asset = models.ForeignKey(
        "assets.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["site", "-at"]),
            models.Index(fields=["asset", "-at"]),
            models.Index(fields=["customer", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    @property
    def text(self) -> str:
        """The sentence in the active language; rows written before events kept their msgid
        read as stored."""
        if not self.message_id:
            return self.message
        from weibao.core.events import render

        try:
            return render(self.message_id, self.message_params or {})
        except ValueError:
            return self.message  # parameters that no longer fit: as it was written
