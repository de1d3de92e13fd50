from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from weibao.core.concurrency import VersionedAdmin
from weibao.core.errors import DomainError
from weibao.incidents import selectors
from weibao.incidents.models import (
    AlarmTerms,
    ClassificationRule,
    CorrelationPolicy,
    Incident,
    MaintenanceWindow,
)
from weibao.incidents.services import manage


@admin.register(ClassificationRule)
class ClassificationRuleAdmin(VersionedAdmin):
    list_display = ["name", "order", "condition", "level", "inhibits", "active"]
    list_filter = ["condition", "level", "active"]
    list_editable = ["order", "active"]
    actions = ["dry_run"]

    @admin.action(description=_("试运行所选规则（最近 7 天的告警）"))
    def dry_run(self, request, queryset):
        for rule in queryset:
            result = selectors.dry_run(request.user, rule=rule)
            self.message_user(request, f"{rule.name}：{result['summary']}")
        everything = selectors.dry_run(request.user)
        self.message_user(request, _("全部启用的规则：%(summary)s") % {
            "summary": everything["summary"]}, messages.SUCCESS)  # fmt: skip


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "customer", "state", "level", "flapping", "suppression",
                    "ticket", "alarm_count", "opened_at"]  # fmt: skip
    list_filter = ["state", "level", "flapping", "suppression"]
    search_fields = ["title", "rule", "key"]
    list_select_related = ["customer", "ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WindowForm(forms.ModelForm):
    """Checked by the service's own rules, field by field."""

    class Meta:
        model = MaintenanceWindow
        fields = ["site", "asset", "starts_at", "ends_at", "reason"]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            try:
                manage.check_window(**{k: data.get(k) for k in self.Meta.fields})
            except DomainError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        return data


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin):
    form = WindowForm
    list_display = ["__str__", "customer", "site", "asset", "starts_at", "ends_at", "reason"]
    list_filter = ["customer"]
    raw_id_fields = ["site", "asset"]
    fields = ["site", "asset", "starts_at", "ends_at", "reason"]
    actions = ["end_now"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        """New windows go through the one service (its checks and permission)."""
        saved = manage.set_window(site=obj.site, asset=obj.asset, starts_at=obj.starts_at,
                                  ends_at=obj.ends_at, reason=obj.reason,
                                  actor=request.user)  # fmt: skip
        obj.pk = saved.pk

    @admin.action(description=_("立即结束所选维护窗口"))
    def end_now(self, request, queryset):
        for window in queryset:
            try:
                manage.end_window(window, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{window}：{error.message}", messages.WARNING)


@admin.register(CorrelationPolicy)
class CorrelationPolicyAdmin(VersionedAdmin):
    list_display = ["customer", "window_minutes", "flap_count", "flap_minutes",
                    "operation_hours"]  # fmt: skip


@admin.register(AlarmTerms)
class AlarmTermsAdmin(VersionedAdmin):
    list_display = ["contract", "auto_resolve_l3"]
    list_filter = ["auto_resolve_l3"]
