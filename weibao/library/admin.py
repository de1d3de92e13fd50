from django.contrib import admin

from weibao.library.models import (
    ConsultingRequest,
    CoveragePeriod,
    CoverageReminder,
    LibraryDocument,
    SoftwareChange,
    ThirdPartyCoverage,
)


@admin.register(SoftwareChange)
class SoftwareChangeAdmin(admin.ModelAdmin):
    """Read-mostly: record changes with the web form, which also moves the asset's version."""

    list_display = ["applied_at", "asset", "kind", "from_version", "to_version", "patch_name",
                    "applied_by"]  # fmt: skip
    list_filter = ["kind"]
    search_fields = ["asset__name", "asset__serial_number", "to_version", "patch_name"]
    raw_id_fields = ["asset"]


@admin.register(LibraryDocument)
class LibraryDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "version", "published", "audience", "updated_at"]
    list_filter = ["category", "published", "audience"]
    search_fields = ["title", "description"]
    filter_horizontal = ["customers"]


class PeriodInline(admin.TabularInline):
    model = CoveragePeriod
    extra = 0
    fields = ["contract_number", "start_date", "expiry_date", "note"]


@admin.register(ThirdPartyCoverage)
class ThirdPartyCoverageAdmin(admin.ModelAdmin):
    list_display = ["vendor", "customer", "reminder_days"]
    list_filter = ["customer"]
    search_fields = ["vendor", "covers"]
    inlines = [PeriodInline]
    raw_id_fields = ["assets"]


@admin.register(CoverageReminder)
class CoverageReminderAdmin(admin.ModelAdmin):
    list_display = ["period", "days_before", "due_at", "sent_at", "cancelled_at"]
    list_filter = ["days_before"]


@admin.register(ConsultingRequest)
class ConsultingRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "customer", "state", "owner", "submitted_at"]
    list_filter = ["state"]
    search_fields = ["number", "title"]
