"""Ticket serializers. Names are a contract with integrators (see the issue's API section)."""

from __future__ import annotations

import datetime as dt
import operator

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.reverse import reverse

from weibao.accounts.display import public_name
from weibao.api.actions import MovesField
from weibao.api.fields import NoteField
from weibao.api.nullable import BlankAsNullChoiceField, EmptyChoicesAsNull
from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.assets.models import Asset
from weibao.escalations.models import EmergencyAction, EscalationStep
from weibao.sites.models import Site
from weibao.sla.models import Clock
from weibao.tenancy.models import Customer
from weibao.tickets.choices import Channel, ConsentMethod, Level, RequestType
from weibao.tickets.flow import TICKET_FLOW
from weibao.tickets.models import (
    ClassificationCriterion,
    NoteVisibility,
    ResolutionCause,
    Ticket,
    TicketAttachment,
    TicketNote,
)
from weibao.tickets.selectors import eta, is_customer


class ClockSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clock
        fields = ["kind", "started_at", "due_at", "met_at", "breached_at", "closed_at", "state",
                  "budget_minutes", "paused_seconds"]  # fmt: skip


class EscalationSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="target")

    class Meta:
        model = EscalationStep
        fields = ["after_minutes", "role", "level", "due_at", "fired_at", "cancelled_at",
                  "recipients"]  # fmt: skip


class EmergencyActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmergencyAction
        fields = ["code", "label", "phase", "owner_role", "due_at", "done_at", "overdue_at",
                  "waived_reason", "note"]  # fmt: skip


def _reader(serializer):
    return getattr(serializer.context.get("request"), "user", None)


class TicketSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    """A ticket. A customer's reader gets the customer-safe view: `escalations` and
    `emergency_actions` are always empty, and the provider's people appear only by role
    (`engineer_name`, e.g. "维护工程师 李工")."""

    clocks = ClockSerializer(many=True, read_only=True)
    escalations = serializers.SerializerMethodField(
        help_text="The escalation ladder (internal): always empty for a customer's user."
    )
    emergency_actions = serializers.SerializerMethodField(
        help_text="The L1 emergency and aftercare actions (internal): always empty for a "
        "customer's user."
    )
    engineer_name = serializers.SerializerMethodField(
        help_text="The assigned engineer as the reader may see them: a customer sees role "
        "and surname (维护工程师 李工); null when nobody is assigned."
    )
    eta = serializers.SerializerMethodField(
        help_text="When the engineer is due on site (the running arrival clock), or null."
    )
    allowed_moves = serializers.SerializerMethodField()
    moves = MovesField(TICKET_FLOW)

    class Meta:
        model = Ticket
        fields = [
            "id", "number", "customer", "site", "asset", "contract", "not_covered", "channel",
            "request_type", "level", "stage", "fault_phenomenon", "reported_at", "contact_name",
            "contact_phone", "assigned_engineer", "remote_consent_by", "remote_consent_at",
            "remote_consent_method", "onsite_confirmed_at", "distance_km", "resolved_at",
            "closed_at", "reopen_count", "judged_l1_at", "cause", "fix", "prevention",
            "third_party_coverage", "clocks", "escalations", "emergency_actions",
            "allowed_moves", "moves", "engineer_name", "eta",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(EscalationSerializer(many=True))
    def get_escalations(self, ticket) -> list[dict]:
        if is_customer(_reader(self)):
            return []
        steps = [s for s in ticket.escalation_steps.all() if s.cancelled_at is None]
        return EscalationSerializer(steps, many=True).data

    @extend_schema_field(EmergencyActionSerializer(many=True))
    def get_emergency_actions(self, ticket) -> list[dict]:
        if is_customer(_reader(self)):
            return []
        return EmergencyActionSerializer(ticket.emergency_actions.all(), many=True).data

    def get_engineer_name(self, ticket) -> str | None:
        if ticket.assigned_engineer_id is None:
            return None
        return public_name(ticket.assigned_engineer, _reader(self))

    def get_eta(self, ticket) -> dt.datetime | None:
        return eta(ticket)

    def get_allowed_moves(self, ticket) -> list[str]:
        request = self.context.get("request")
        return [m.verb for m in TICKET_FLOW.available(ticket, getattr(request, "user", None))]


class TicketListSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    """A row of the ticket list (`GET /api/tickets/`): what the queue shows, read from the
    ticket row and its customer, site and engineer only — clocks, ladder, actions and moves
    are the single ticket's (`GET /api/tickets/{id}/`). A customer's reader gets no
    `next_step` (the internal ladder) and sees the provider's people by role."""

    next_due = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="The nearest deadline of a running or breached clock.",
    )
    next_step = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the next escalation step fires (internal): null for a customer's user.",
    )
    engineer_name = serializers.SerializerMethodField(
        help_text="The assigned engineer as the reader may see them; null when nobody is."
    )
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True, default=None)

    class Meta:
        model = Ticket
        fields = [
            "id", "number", "customer", "customer_name", "site", "site_name", "channel",
            "request_type", "level", "stage", "fault_phenomenon", "reported_at",
            "contact_name", "contact_phone", "assigned_engineer", "engineer_name",
            "not_covered", "next_due", "next_step", "resolved_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, ticket):
        # The same answer as DRF's `Serializer.to_representation`, without its per-field,
        # per-row machinery (a page is 50 rows of 21 fields): how each field is read is
        # worked out once per list (`_plan`), then each row is plain attribute reads.
        data = {}
        for name, read, represent in self._plan():
            value = read(ticket)
            data[name] = None if value is None else represent(value)
        if self._hide_ladder:
            data["next_step"] = None
        return data

    def _plan(self) -> list:
        plan = self.__dict__.get("_fast_plan")
        if plan is None:
            plan = [_read_plan(field) for field in self._readable_fields]
            self.__dict__["_fast_plan"] = plan
            self.__dict__["_hide_ladder"] = is_customer(_reader(self))
        return plan

    def get_engineer_name(self, ticket) -> str | None:
        if ticket.assigned_engineer_id is None:
            return None
        names = self.__dict__.setdefault("_names", {})  # one lookup per engineer, not per row
        if ticket.assigned_engineer_id not in names:
            names[ticket.assigned_engineer_id] = public_name(
                ticket.assigned_engineer, _reader(self)
            )
        return names[ticket.assigned_engineer_id]


def _read_plan(field) -> tuple:
    """(name, read, represent) of one field of a list row: a model column or a foreign key's
    id read directly; anything else (a dotted source, a method) through the field itself."""
    source = field.source_attrs
    if isinstance(field, serializers.SerializerMethodField):
        return field.field_name, _itself, field.to_representation
    if isinstance(field, serializers.PrimaryKeyRelatedField) and len(source) == 1:
        return field.field_name, operator.attrgetter(f"{source[0]}_id"), _itself
    if len(source) == 1 and type(field) in _PLAIN:
        return field.field_name, operator.attrgetter(source[0]), field.to_representation
    return field.field_name, _through(field), _itself


def _itself(value):
    return value


def _through(field):
    def read(instance):
        try:
            value = field.get_attribute(instance)
        except SkipField:
            return None
        return None if value is None else field.to_representation(value)

    return read


_PLAIN = {
    serializers.CharField, serializers.BooleanField, serializers.IntegerField,
    serializers.DateTimeField, serializers.ChoiceField, BlankAsNullChoiceField,
}  # fmt: skip


class TicketCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    """What an agent, a customer portal or an integration sends to open a request (TKT-1)."""

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True
    )
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), required=False, allow_null=True
    )
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)  # staff
    request_type = serializers.ChoiceField(choices=RequestType.choices, default=RequestType.FAULT)
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    criteria = serializers.PrimaryKeyRelatedField(
        queryset=ClassificationCriterion.objects.all(), many=True, required=False
    )
    fault_phenomenon = serializers.CharField(max_length=4000)
    reported_at = serializers.DateTimeField(
        required=False,
        help_text="Staff: the call's time, when logged late (over 15 minutes: `late_reason` "
        "needed; beyond the contract's bound, 24 h by default: `ticket.backdate` needed). "
        "Customers: always the server's time.",
    )
    late_reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the call is logged late; recorded on the ticket's history.",
    )
    contact_name = serializers.CharField(max_length=100)
    contact_phone = serializers.CharField(max_length=32)


class MoveSerializer(serializers.Serializer):
    """A move of the support flow; `resolve` also needs `cause` and `fix` (TKT-4)."""

    action = serializers.ChoiceField(choices=[(v, m.label) for v, m in TICKET_FLOW.moves.items()])
    note = NoteField(required=False, allow_blank=True, default="")
    cause = serializers.PrimaryKeyRelatedField(
        queryset=ResolutionCause.objects.filter(active=True), required=False, allow_null=True
    )
    fix = NoteField(required=False, allow_blank=True, default="")
    prevention = NoteField(required=False, allow_blank=True, default="")


class TicketResolveSerializer(serializers.Serializer):
    cause = serializers.PrimaryKeyRelatedField(queryset=ResolutionCause.objects.filter(active=True))
    fix = NoteField()
    prevention = NoteField(required=False, allow_blank=True, default="")
    note = NoteField(required=False, allow_blank=True, default="")


class CauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ResolutionCause
        fields = ["id", "code", "name", "is_exclusion"]


class LevelChangeSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    reason = NoteField()


class ConsentSerializer(serializers.Serializer):
    by = serializers.CharField(max_length=100)
    method = serializers.ChoiceField(choices=ConsentMethod.choices)


class TicketReasonSerializer(serializers.Serializer):
    reason = NoteField()


class NoteSerializer(serializers.Serializer):
    note = NoteField(required=False, allow_blank=True, default="")


class CallbackSerializer(serializers.Serializer):
    """The service checks the score (required, 1–5, consistent with "satisfied")."""

    satisfied = serializers.BooleanField()
    score = serializers.IntegerField(required=False, allow_null=True)
    note = NoteField(required=False, allow_blank=True, default="")


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassificationCriterion
        fields = ["id", "scheme", "level", "category", "text"]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Where to download it (same rules).")

    class Meta:
        model = TicketAttachment
        fields = ["id", "name", "content_type", "size", "visibility", "created_at", "url"]

    def get_url(self, attachment) -> str:
        return reverse(
            "ticket-attachment-download",
            args=[attachment.ticket_id, attachment.pk],
            request=self.context.get("request"),
        )


class TicketNoteSerializer(serializers.ModelSerializer):
    """A work note: `internal` for the provider's staff, `public` for the customer too. The
    author as the reader may see them (a customer sees the provider's people by role)."""

    author_name = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = TicketNote
        fields = ["id", "body", "visibility", "author_name", "created_at", "attachments"]

    def get_author_name(self, note) -> str:
        return public_name(note.author, _reader(self))


class TicketNoteCreateSerializer(serializers.Serializer):
    """A note: text, files (multipart `files`, repeated) or both. A customer's note is always
    public (`visibility` is ignored for them). Files: photos (JPEG/PNG/WebP/GIF, EXIF removed),
    PDF, Office and text files, at most 20 MB each."""

    body = NoteField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices, default=NoteVisibility.INTERNAL
    )
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False), required=False, default=list
    )


class AttachmentUploadSerializer(serializers.Serializer):
    """One photo or file, with an optional caption; stored as a note carrying the file."""

    file = serializers.FileField(allow_empty_file=False)
    body = NoteField(required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices, default=NoteVisibility.INTERNAL
    )


class TimelineEntrySerializer(serializers.Serializer):
    """A line of the ticket's timeline, in words, as the reader may see it."""

    at = serializers.DateTimeField()
    kind = serializers.CharField(help_text="`event` (a move, in words) or `note`.")
    label = serializers.CharField()
    who = serializers.CharField()
    text = serializers.CharField()
    internal = serializers.BooleanField()
    note_id = serializers.IntegerField(allow_null=True)
    attachments = AttachmentSerializer(many=True)
