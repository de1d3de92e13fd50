from django.contrib import admin

from weibao.emergency.models import (
    AlternativePlan,
    Drill,
    EmergencyEvent,
    Responsibility,
    SiteReadiness,
)


class AlternativePlanInline(admin.StackedInline):
    model = AlternativePlan
    extra = 0


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    raw_id_fields = ["user", "customer"]


@admin.register(EmergencyEvent)
class EmergencyEventAdmin(admin.ModelAdmin):
    """The register of 表 17 with its ranked alternatives and named people (EMP-1)."""

    list_display = ["name", "customer", "probability", "level", "order"]
    list_filter = ["customer", "probability", "level"]
    search_fields = ["name", "assets_involved"]
    inlines = [AlternativePlanInline, ResponsibilityInline]


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["name", "duty", "phone", "customer", "event"]
    list_filter = ["duty", "customer"]
    raw_id_fields = ["user"]


@admin.register(Drill)
class DrillAdmin(admin.ModelAdmin):
    list_display = ["held_on", "customer", "site", "event", "outcome", "follow_ups_done"]
    list_filter = ["outcome", "follow_ups_done", "customer"]
    raw_id_fields = ["site", "recorded_by"]


@admin.register(SiteReadiness)
class SiteReadinessAdmin(admin.ModelAdmin):
    list_display = [
        "site", "flowchart_posted", "contacts_posted", "ups_minutes", "dual_power_feed",
        "hot_standby", "offsite_backup", "checked_on",
    ]  # fmt: skip
    raw_id_fields = ["site", "customer", "checked_by"]
