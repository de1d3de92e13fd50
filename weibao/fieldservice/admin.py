from django.contrib import admin

from weibao.fieldservice.models import EngineerProfile, PlanExecution, TrainingSession, Visit


@admin.register(EngineerProfile)
class EngineerProfileAdmin(admin.ModelAdmin):
    """Where engineers leave from and what they know: data the administrator keeps."""

    list_display = ["user", "service_point", "skills"]
    list_filter = ["service_point"]
    search_fields = ["user__username", "user__full_name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the field-service services; the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "engineer", "state", "confirmed_at", "checked_in_at",
                    "checked_out_at", "minutes_on_site"]  # fmt: skip
    list_filter = ["state"]
    search_fields = ["ticket__number", "engineer__username", "engineer__full_name"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "customer", "site", "method", "starts_at", "ends_at"]
    list_filter = ["method", "customer"]


@admin.register(PlanExecution)
class PlanExecutionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "executed_by", "executed_at", "recorded_by"]
