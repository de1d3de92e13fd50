"""Feedback serializers: callback results, portal surveys and complaints."""

from __future__ import annotations

from rest_framework import serializers

from weibao.api.actions import MovesField
from weibao.api.fields import NoteField
from weibao.api.nullable import EmptyChoicesAsNull
from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.feedback.choices import (
    AGENT_CALLBACK_METHODS,
    ComplaintChannel,
    ConfirmationMethod,
)
from weibao.feedback.flow import COMPLAINT_FLOW
from weibao.feedback.models import CallbackRecord, Complaint
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tickets.models import Ticket


class CallbackRecordSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    at = serializers.DateTimeField(source="callback.at", read_only=True)
    by = serializers.StringRelatedField(source="callback.by")
    satisfied = serializers.BooleanField(source="callback.satisfied", read_only=True)
    score = serializers.IntegerField(source="callback.score", read_only=True)
    note = serializers.CharField(source="callback.note", read_only=True)

    class Meta:
        model = CallbackRecord
        fields = ["id", "ticket", "ticket_number", "method", "respondent", "at", "by",
                  "satisfied", "score", "note"]  # fmt: skip


class AgentCallbackSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    ticket = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all())
    method = serializers.ChoiceField(choices=AGENT_CALLBACK_METHODS)
    respondent = serializers.CharField(max_length=100)
    satisfied = serializers.BooleanField()
    score = serializers.IntegerField(min_value=1, max_value=5)
    note = NoteField(required=False, allow_blank=True, default="")


class SurveyTicketSerializer(serializers.ModelSerializer):
    """A resolved ticket waiting for its survey answer (or the agent's callback)."""

    ticket = serializers.IntegerField(source="pk", read_only=True)
    site = serializers.StringRelatedField()

    class Meta:
        model = Ticket
        fields = ["ticket", "number", "customer", "site", "fault_phenomenon", "resolved_at"]


class SurveyAnswerSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    ticket = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all())
    score = serializers.IntegerField(min_value=1, max_value=5)
    satisfied = serializers.BooleanField(required=False, default=True)
    comment = NoteField(required=False, allow_blank=True, default="")


class ComplaintSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    owner = serializers.StringRelatedField()
    recorded_by = serializers.StringRelatedField()
    first_response_by = serializers.StringRelatedField()
    resolved_by = serializers.StringRelatedField()
    ticket_number = serializers.CharField(source="ticket.number", read_only=True, default=None)
    moves = MovesField(COMPLAINT_FLOW)

    class Meta:
        model = Complaint
        fields = ["id", "number", "customer", "site", "ticket", "ticket_number", "channel",
                  "text", "complainant", "complainant_phone", "received_at", "recorded_by",
                  "owner", "state", "response_minutes", "respond_due_at",
                  "response_breached_at", "first_response_at", "first_response_by",
                  "first_response", "resolution", "resolved_at", "resolved_by", "confirmed_at",
                  "confirmed_by_name", "confirmation_method", "confirmation_note",
                  "moves"]  # fmt: skip


class ComplaintCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    """Customers send the text (and a site or ticket): their customer, channel and time are
    worked out by the service. Staff name the customer (or a site or ticket of it)."""

    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), required=False, allow_null=True
    )
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True
    )
    ticket = serializers.PrimaryKeyRelatedField(
        queryset=Ticket.objects.all(), required=False, allow_null=True
    )
    channel = serializers.ChoiceField(
        choices=ComplaintChannel.choices, required=False, default=ComplaintChannel.API
    )
    text = NoteField()
    complainant = serializers.CharField(max_length=100, required=False, default="")
    complainant_phone = serializers.CharField(max_length=32, required=False, default="")
    received_at = serializers.DateTimeField(required=False)


class ComplaintRespondSerializer(serializers.Serializer):
    text = NoteField()


class ComplaintResolveSerializer(serializers.Serializer):
    resolution = NoteField()


class ComplaintConfirmSerializer(serializers.Serializer):
    """Customer users send nothing (or a note); staff say how and by whom it was given."""

    method = serializers.ChoiceField(
        choices=ConfirmationMethod.choices, required=False, allow_blank=True, default=""
    )
    confirmed_by = serializers.CharField(max_length=100, required=False, default="")
    note = NoteField(required=False, allow_blank=True, default="")


class ComplaintDeclineSerializer(serializers.Serializer):
    reason = NoteField()
    method = serializers.ChoiceField(
        choices=ConfirmationMethod.choices, required=False, allow_blank=True, default=""
    )
    declined_by = serializers.CharField(max_length=100, required=False, default="")
