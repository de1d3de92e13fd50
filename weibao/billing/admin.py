from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from weibao.billing.models import Exclusion, ExclusionCause, Statement, StatementLine


@admin.register(ExclusionCause)
class ExclusionCauseAdmin(admin.ModelAdmin):
    """EXC-1's out-of-scope causes: data the administrator maintains."""

    list_display = ["name", "code", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "code", "description"]


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "marked_by", "marked_at"]
    list_filter = ["causes"]
    search_fields = ["evidence", "customer__name"]
    readonly_fields = ["subject_type", "subject_id", "customer", "site", "asset",
                       "marked_by", "marked_at"]  # fmt: skip
    filter_horizontal = ["causes"]


class LineInline(admin.TabularInline):
    model = StatementLine
    extra = 0
    fields = ["position", "kind", "description", "part_number", "quantity", "unit", "unit_price"]

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Statements are moved by their services; the admin shows them and edits draft lines."""

    list_display = ["number", "customer", "title", "state", "total", "sent_at", "decided_at"]
    list_filter = ["state"]
    search_fields = ["number", "title", "customer__name"]
    readonly_fields = ["number", "subject_type", "subject_id", "customer", "site", "asset",
                       "exclusion", "state", "revision", "prepared_by", "sent_at",
                       "decided_at", "decided_by", "decision_note"]  # fmt: skip
    inlines = [LineInline]

    @admin.display(description=_("合计（元）"))
    def total(self, obj):
        return obj.total
