"""The emergency API's shapes: the register (表 17) with ranked alternatives, drills, and a
site's readiness for the requirements of §1.1.9.4."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from weibao.api.fields import NoteField
from weibao.emergency.choices import DrillOutcome
from weibao.emergency.models import (
    AlternativePlan,
    Drill,
    EmergencyEvent,
    Responsibility,
    SiteReadiness,
)
from weibao.emergency.services import READINESS_FIELDS
from weibao.sites.models import Site


class AlternativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlternativePlan
        fields = ["id", "rank", "title", "steps", "target_minutes"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Responsibility
        fields = ["id", "event", "customer", "duty", "user", "name", "phone", "tasks"]


class EmergencyEventSerializer(serializers.ModelSerializer):
    """One event of the register, its ranked alternative plans and who answers for it."""

    alternatives = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyEvent
        fields = [
            "id", "customer", "code", "name", "assets_involved", "impact", "probability",
            "level", "prevention", "emergency_measures", "alternatives",
        ]  # fmt: skip

    def get_alternatives(self, event) -> list[dict]:
        plans = event.alternatives.order_by("rank")
        return AlternativeSerializer(plans, many=True).data


class DrillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Drill
        fields = [
            "id", "customer", "site", "event", "alternative", "held_on", "scenario",
            "participants", "outcome", "outcome_note", "follow_ups", "follow_ups_done",
            "recorded_by",
        ]  # fmt: skip
        read_only_fields = fields


class DrillCreateSerializer(serializers.Serializer):
    """A drill at a site (or for the customer as a whole: `customer` without `site`)."""

    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True, default=None
    )
    customer = serializers.IntegerField(required=False, allow_null=True, default=None)
    held_on = serializers.DateField()
    event = serializers.PrimaryKeyRelatedField(
        queryset=EmergencyEvent.objects.all(), required=False, allow_null=True, default=None
    )
    alternative = serializers.PrimaryKeyRelatedField(
        queryset=AlternativePlan.objects.all(), required=False, allow_null=True, default=None
    )
    scenario = NoteField(allow_blank=True)
    participants = NoteField(allow_blank=True)
    outcome = serializers.ChoiceField(choices=DrillOutcome.choices)
    outcome_note = NoteField(required=False, allow_blank=True, default="")
    follow_ups = NoteField(required=False, allow_blank=True, default="")

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["site"].queryset = Site.objects.visible_to(request.user)
        return fields

    def validate(self, data):
        if data["site"] is None and data["customer"] is None:
            raise serializers.ValidationError({"site": [_("请选择机房或客户。")]})
        return data


@extend_schema_serializer(component_name="EmergencyNote")
class NoteSerializer(serializers.Serializer):
    note = NoteField(required=False, allow_blank=True, default="")


class ReadinessItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class SiteReadinessSerializer(serializers.Serializer):
    """A site's readiness: each requirement met or not (with why), and what was found."""

    site = serializers.IntegerField()
    items = ReadinessItemSerializer(many=True)
    record = serializers.SerializerMethodField()

    def get_record(self, body) -> dict | None:
        record = body.get("record")
        if record is None:
            return None
        fields = [*READINESS_FIELDS, "checked_on", "checked_by"]
        return {name: getattr(record, f"{name}_id" if name == "checked_by" else name)
                for name in fields}  # fmt: skip


class ReadinessUpdateSerializer(serializers.ModelSerializer):
    """What was found at the site; fields left out keep their value."""

    class Meta:
        model = SiteReadiness
        fields = list(READINESS_FIELDS)
        extra_kwargs = {name: {"required": False} for name in READINESS_FIELDS}
