"""The inspections API's shapes: visits (with the moves the caller may make now), checklist
items, and the bodies of the actions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from weibao.api.actions import MovesField
from weibao.api.fields import NoteField
from weibao.api.nullable import EmptyChoicesAsNull
from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.inspections.choices import CheckOutcome
from weibao.inspections.flow import INSPECTION_VISIT_FLOW
from weibao.inspections.models import CheckResult, InspectionVisit
from weibao.tickets.choices import Level


class InspectionVisitSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    """A planned (or done) inspection; `provisional` dates wait for the year's holiday
    schedule; `moves` lists what the caller may do now and why the rest is blocked."""

    site_name = serializers.CharField(source="site.name", read_only=True)
    title = serializers.CharField(read_only=True)
    moves = MovesField(INSPECTION_VISIT_FLOW)

    class Meta:
        model = InspectionVisit
        fields = [
            "id", "customer", "contract", "contract_year", "site", "site_name", "kind", "title",
            "planned_date", "provisional", "calendar_year", "holiday", "holiday_year",
            "holiday_names", "holiday_first_day_off", "state", "engineer", "started_at",
            "completed_at", "remind_at", "reminded_at", "summary", "config_changed",
            "config_change_description", "cancel_reason", "moves",
        ]  # fmt: skip
        read_only_fields = fields


class CheckResultSerializer(serializers.ModelSerializer):
    """One checklist item of a visit; a failed item links the ticket it opened."""

    class Meta:
        model = CheckResult
        fields = [
            "id", "visit", "section", "order", "text", "guidance", "value_label",
            "asset_category", "asset", "outcome", "value", "note", "photo", "ticket",
            "recorded_at", "recorded_by",
        ]  # fmt: skip
        read_only_fields = fields


class RescheduleSerializer(serializers.Serializer):
    new_date = serializers.DateField()
    reason = NoteField(allow_blank=True)


class AssignSerializer(serializers.Serializer):
    engineer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True, customer__isnull=True)
    )


@extend_schema_serializer(component_name="InspectionReason")
class ReasonSerializer(serializers.Serializer):
    reason = NoteField(allow_blank=True)


class CompleteSerializer(serializers.Serializer):
    summary = NoteField(required=False, allow_blank=True, default="")
    config_changed = serializers.BooleanField(required=False, default=False)
    config_change_description = NoteField(required=False, allow_blank=True, default="")


class RecordCheckSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in CheckOutcome.choices if c[0] != CheckOutcome.PENDING]
    )
    value = NoteField(required=False, allow_blank=True, default="")
    note = NoteField(required=False, allow_blank=True, default="")
    photo = serializers.FileField(  # checked by the service (format, size, pixels; EXIF removed)
        required=False, allow_null=True, default=None
    )
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), required=False, allow_null=True, default=None
    )
    level = serializers.ChoiceField(
        choices=[lvl for lvl in Level.values if lvl != Level.L4], required=False, default=""
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["asset"].queryset = Asset.objects.visible_to(request.user)
        return fields


@extend_schema_serializer(component_name="InspectionGenerate")
class GenerateSerializer(serializers.Serializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all())
    on = serializers.DateField(required=False, allow_null=True, default=None)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["contract"].queryset = Contract.objects.visible_to(request.user)
        return fields


class PlanQuerySerializer(GenerateSerializer):
    """`?contract=&on=`: the contract year containing `on` (default today)."""


class KindUsageSerializer(serializers.Serializer):
    label = serializers.CharField()
    planned = serializers.IntegerField()
    done = serializers.IntegerField()


class UsageSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    planned = serializers.IntegerField()
    done = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    overdue = serializers.IntegerField()
    provisional = serializers.IntegerField()
    by_kind = serializers.DictField(child=KindUsageSerializer())
    findings = serializers.IntegerField()
    tickets = serializers.IntegerField()


@extend_schema_serializer(component_name="InspectionPlan")
class PlanSerializer(serializers.Serializer):
    """A contract year's plan: its visits, and the entitlement usage (done vs planned)."""

    contract = serializers.IntegerField()
    contract_year = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    usage = UsageSerializer()
    visits = InspectionVisitSerializer(many=True)


class GeneratedSerializer(serializers.Serializer):
    """What a generation did: visits created now, visits kept as they were."""

    contract = serializers.IntegerField()
    contract_year = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    created = serializers.ListField(child=serializers.IntegerField())
    kept = serializers.IntegerField()
