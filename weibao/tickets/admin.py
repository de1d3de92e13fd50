from django.contrib import admin

from weibao.escalations.models import EmergencyAction, EscalationStep
from weibao.sla.models import Clock
from weibao.tickets.models import ClassificationCriterion, ResolutionCause, Ticket, TicketCallback


@admin.register(ClassificationCriterion)
class ClassificationCriterionAdmin(admin.ModelAdmin):
    """FLT-2 / 表 15 criteria: data the administrator maintains."""

    list_display = ["scheme", "level", "category", "text", "order"]
    list_filter = ["scheme", "level"]
    list_editable = ["order"]
    search_fields = ["text", "category"]


@admin.register(ResolutionCause)
class ResolutionCauseAdmin(admin.ModelAdmin):
    """TKT-4 resolution causes (EXC-1 exclusions marked): data the administrator maintains."""

    list_display = ["code", "name", "is_exclusion", "active", "order"]
    list_filter = ["is_exclusion", "active"]
    list_editable = ["active", "order"]
    search_fields = ["code", "name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ClockInline(ReadOnlyInline):
    model = Clock
    fields = ["kind", "budget_minutes", "started_at", "due_at", "met_at", "breached_at",
              "closed_at", "state"]  # fmt: skip


class StepInline(ReadOnlyInline):
    model = EscalationStep
    fields = ["level", "after_minutes", "target", "due_at", "fired_at", "cancelled_at"]


class ActionInline(ReadOnlyInline):
    model = EmergencyAction
    fields = ["label", "owner_role", "due_at", "done_at", "overdue_at", "waived_reason"]


class CallbackInline(ReadOnlyInline):
    model = TicketCallback
    fields = ["at", "by", "satisfied", "score", "note"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Tickets are worked in the service desk screens; the admin shows them for support.
    Changes go through the flow (tickets/<id>/), never through this form."""

    list_display = ["number", "customer", "site", "level", "stage", "reported_at"]
    list_filter = ["level", "stage", "channel", "request_type", "not_covered"]
    search_fields = ["number", "fault_phenomenon", "contact_name"]
    date_hierarchy = "reported_at"
    inlines = [ClockInline, StepInline, ActionInline, CallbackInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
