from django.contrib import admin

from weibao.feedback.models import CallbackRecord, Complaint


@admin.register(CallbackRecord)
class CallbackRecordAdmin(admin.ModelAdmin):
    list_display = ["ticket", "method", "respondent", "created_at"]
    list_filter = ["method"]
    search_fields = ["ticket__number", "respondent"]
    readonly_fields = ["ticket", "callback", "method", "respondent"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Complaints move through their services (first response, resolution, the customer's
    confirmation); the admin shows them and may reassign the owner."""

    list_display = ["number", "customer", "state", "owner", "received_at", "respond_due_at",
                    "first_response_at", "response_breached_at"]  # fmt: skip
    list_filter = ["state", "channel"]
    search_fields = ["number", "text", "customer__name", "complainant"]
    readonly_fields = [
        f.name
        for f in Complaint._meta.concrete_fields
        if f.name not in {"id", "owner", "created_at", "updated_at"}
    ]
