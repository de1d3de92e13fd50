from django.contrib import admin

from weibao.escalations.models import EmergencyAction, EscalationStep
from weibao.sla.models import Clock
from weibao.tickets.models import (
    ClassificationCriterion,
    ResolutionCause,
    Ticket,
    TicketAttachment,
    TicketCallback,
    TicketNote,
)


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


class NoteInline(ReadOnlyInline):
    model = TicketNote
    fields = ["created_at", "author", "visibility", "body"]
    readonly_fields = ["created_at"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Tickets are worked in the service desk screens; the admin shows them for support.
    Changes go through the flow (tickets/<id>/), never through this form."""

    list_display = ["number", "customer", "site", "level", "stage", "reported_at"]
    list_filter = ["level", "stage", "channel", "request_type", "not_covered"]
    search_fields = ["number", "fault_phenomenon", "contact_name"]
    date_hierarchy = "reported_at"
    inlines = [ClockInline, StepInline, ActionInline, CallbackInline, NoteInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(TicketNote)
class TicketNoteAdmin(admin.ModelAdmin):
    """Work notes are written on the ticket page or through the API; the admin reads them."""

    list_display = ["ticket", "created_at", "author", "visibility"]
    list_filter = ["visibility"]
    search_fields = ["ticket__number", "body"]
    raw_id_fields = ["ticket", "author"]
    readonly_fields = ["created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(TicketAttachment)
class TicketAttachmentAdmin(admin.ModelAdmin):
    """Attachments are uploaded (checked by core.uploads) on the ticket page or the API."""

    list_display = ["name", "ticket", "content_type", "size", "visibility", "created_at"]
    list_filter = ["visibility", "content_type"]
    search_fields = ["ticket__number", "name"]
    raw_id_fields = ["ticket", "note", "uploaded_by"]
    readonly_fields = ["created_at"]

    def has_add_permission(self, request):
        return False
