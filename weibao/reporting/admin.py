from django.contrib import admin

from weibao.reporting.models import AnalysisReport


@admin.register(AnalysisReport)
class AnalysisReportAdmin(admin.ModelAdmin):
    """Reports are generated from the report screens; the admin shows and cleans them up."""

    list_display = ["contract", "period_kind", "period_start", "period_end", "state", "progress",
                    "trigger", "generated_at", "notified_at"]  # fmt: skip
    list_filter = ["state", "period_kind", "trigger"]
    search_fields = ["contract__number", "contract__customer__name"]
    readonly_fields = ["state", "progress", "progress_note", "requested_at", "started_at",
                       "heartbeat_at", "generated_at", "figures", "error",
                       "notified_at"]  # fmt: skip
    exclude = ["charts"]
    raw_id_fields = ["contract", "requested_by", "sections_updated_by"]
