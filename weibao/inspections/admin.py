from django.contrib import admin

from weibao.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    CheckResult,
    InspectionSettings,
    InspectionVisit,
    VisitMove,
)


@admin.register(InspectionSettings)
class InspectionSettingsAdmin(admin.ModelAdmin):
    """Per contract: front-end inspections, how early before holidays, how early to notify."""

    list_display = [
        "contract", "include_front_end", "pre_holiday_working_days", "notify_days_ahead",
    ]  # fmt: skip
    search_fields = ["contract__number", "contract__customer__name"]
    autocomplete_fields = ["contract"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "site_kind", "asset_category", "active", "order"]
    list_filter = ["active", "site_kind", "asset_category"]
    list_editable = ["active", "order"]
    inlines = [ChecklistItemInline]


class VisitMoveInline(admin.TabularInline):
    model = VisitMove
    extra = 0
    readonly_fields = ["from_date", "to_date", "reason", "actor", "at"]
    can_delete = False


class CheckResultInline(admin.TabularInline):
    model = CheckResult
    extra = 0
    fields = ["section", "text", "outcome", "value", "note", "asset", "ticket"]
    readonly_fields = ["section", "text", "ticket"]
    raw_id_fields = ["asset"]


@admin.register(InspectionVisit)
class InspectionVisitAdmin(admin.ModelAdmin):
    list_display = [
        "planned_date", "site", "kind", "holiday_names", "state", "provisional", "engineer",
        "contract",
    ]  # fmt: skip
    list_filter = ["state", "kind", "provisional", "customer"]
    search_fields = ["site__name", "site__code", "contract__number"]
    date_hierarchy = "planned_date"
    raw_id_fields = ["site", "contract", "customer", "engineer"]
    readonly_fields = ["plan_key", "generated_date", "reminded_at", "started_at", "completed_at"]
    inlines = [VisitMoveInline, CheckResultInline]
