"""Serializers of the field-service API: a visit as read (with its moves and documents), the
bodies of its actions, and training sessions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from weibao.api.actions import MovesField
from weibao.api.fields import NameField, NoteField
from weibao.documents.models import SignedDocument
from weibao.fieldservice.choices import TrainingMethod
from weibao.fieldservice.flow import VISIT_FLOW
from weibao.fieldservice.models import TrainingSession, Visit
from weibao.fieldservice.services.visits import arrival_rule_notice
from weibao.tickets.models import Ticket


class VisitDocumentSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(read_only=True)

    class Meta:
        model = SignedDocument
        fields = [
            "id", "number", "kind", "kind_label", "title", "state", "signer_name", "signed_at",
            "refused_at", "refused_reason",
        ]  # fmt: skip
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    ticket_number = serializers.CharField(source="ticket.number", read_only=True)
    engineer_name = serializers.CharField(source="engineer.__str__", read_only=True)
    arrival_on_behalf = serializers.BooleanField(read_only=True)
    arrival_notice = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    moves = MovesField(VISIT_FLOW)

    class Meta:
        model = Visit
        fields = [
            "id", "ticket", "ticket_number", "engineer", "engineer_name", "state", "proposal",
            "confirmed_by", "confirmed_at", "departed_at", "checked_in_at", "check_in_lat",
            "check_in_lon", "arrival_on_behalf", "arrival_recorded_by", "arrival_reason",
            "arrival_notice", "checked_out_at", "minutes_on_site", "cancelled_at",
            "cancel_reason", "documents", "moves",
        ]  # fmt: skip
        read_only_fields = fields

    def get_arrival_notice(self, visit) -> str | None:
        """Set when only 表 13 applies (the site has no serving point and no distance)."""
        notice = arrival_rule_notice(visit.ticket)
        return str(notice) if notice else None

    def get_documents(self, visit) -> list[dict]:
        from weibao.fieldservice.services.documents import visit_documents

        return VisitDocumentSerializer(visit_documents(visit), many=True).data


class DispatchSerializer(serializers.Serializer):
    ticket = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all())
    engineer = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())

    def validate_ticket(self, ticket):
        user = self.context["request"].user
        if not Ticket.objects.visible_to(user).filter(pk=ticket.pk).exists():
            raise serializers.ValidationError(_("工单不存在。"))
        return ticket


class CheckInSerializer(serializers.Serializer):
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    lon = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    reason = NoteField(allow_blank=True, default="")


class ArrivalSerializer(ReasonSerializer):
    arrived_at = serializers.DateTimeField(required=False, allow_null=True)


@extend_schema_serializer(component_name="VisitRefuseSignature")
class RefuseSignatureSerializer(ReasonSerializer):
    document = serializers.IntegerField(
        required=False, allow_null=True, help_text="Default: the visit's latest unsigned report"
    )


class NewDocumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = NameField(required=False, allow_blank=True, default="")
    data = serializers.DictField()


class PlanExecutedSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    note = NoteField(required=False, allow_blank=True, default="")


class TrainingSerializer(serializers.ModelSerializer):
    record_state = serializers.CharField(source="record.state", read_only=True, default=None)
    duration_minutes = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id", "customer", "site", "origin_id", "topic", "trainees", "method", "starts_at",
            "ends_at", "duration_minutes", "trainer", "provider_cost", "customer_cost", "notes",
            "record", "record_state",
        ]  # fmt: skip
        read_only_fields = fields


class NewTrainingSerializer(serializers.Serializer):
    topic = serializers.CharField(max_length=200)
    trainees = NoteField(help_text="One trainee per line")
    method = serializers.ChoiceField(choices=TrainingMethod.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    provider_cost = serializers.DecimalField(max_digits=10, decimal_places=2, default=0)
    customer_cost = serializers.DecimalField(max_digits=10, decimal_places=2, default=0)
    notes = NoteField(required=False, allow_blank=True, default="")
