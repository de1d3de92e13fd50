from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from weibao.alarms.listeners.runner import validate_mapping
from weibao.alarms.models import COUNTER_FIELDS, Alarm, AlarmChange, AlarmSource, RawDelivery
from weibao.alarms.selectors import deliveries_per_minute
from weibao.core.concurrency import VersionedAdmin
from weibao.core.errors import DomainError


class AlarmSourceForm(forms.ModelForm):
    """Checks the listener settings of an SNMP or MQTT source's mapping on save."""

    class Meta:
        model = AlarmSource
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose

    def clean(self):
        cleaned = super().clean()
        source = AlarmSource(
            pk=self.instance.pk,
            kind=cleaned.get("kind") or "",
            token=cleaned.get("token") or "",
            mapping=cleaned.get("mapping") or {},
        )
        try:
            validate_mapping(source)
        except DomainError as error:
            self.add_error("mapping", error.message)
        return cleaned


@admin.register(AlarmSource)
class AlarmSourceAdmin(VersionedAdmin):
    form = AlarmSourceForm
    list_display = [
        "name",
        "kind",
        "customer",
        "enabled",
        "received",
        "rejected",
        "errors",
        "last_received_at",
        "rate",
    ]
    list_filter = ["kind", "enabled", "customer"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = [*COUNTER_FIELDS, "rate"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "customer", "enabled"]}),
        (_("认证"), {"fields": ["token", "hmac_secret"]}),
        (_("映射"), {"fields": ["mapping", "resolve_timeout"]}),
        (_("运行情况"), {"fields": [*COUNTER_FIELDS, "rate"]}),
    ]

    @admin.display(description=_("速率（次/分钟，近 5 分钟）"))
    def rate(self, source: AlarmSource) -> float:
        return deliveries_per_minute(source)


class ReadOnlyAdmin(admin.ModelAdmin):
    """What senders delivered is evidence: read in the admin, never edited there (a hand-made
    state change would bypass the correlation inbox)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Alarm)
class AlarmAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "source",
        "site",
        "asset",
        "severity",
        "state",
        "repeat_count",
        "last_seen",
    ]
    list_filter = ["state", "severity", "source"]
    search_fields = ["name", "key", "site_ref", "asset_ref"]
    raw_id_fields = ["site", "asset", "last_delivery"]
    readonly_fields = ["key", "first_seen", "last_seen", "repeat_count"]


@admin.register(RawDelivery)
class RawDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["source", "received_at", "content_type", "remote", "alarms"]
    list_filter = ["source"]
    readonly_fields = ["source", "received_at", "body", "content_type", "remote", "alarms"]


@admin.register(AlarmChange)
class AlarmChangeAdmin(ReadOnlyAdmin):
    list_display = ["alarm", "kind", "at", "processed_at"]
    list_filter = ["kind"]
    raw_id_fields = ["alarm"]
