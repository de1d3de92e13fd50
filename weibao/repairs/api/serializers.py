"""Repair serializers. Field names are a contract with integrators (the issue's API section):
`POST /api/repairs/` takes `serial_number` or `asset`, `fault_description`, `repair_origin`
and `received_at`, and answers with `due_date` and `status`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from weibao.api.actions import MovesField
from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.assets.models import Asset, RepairOrigin
from weibao.calendars import provisional
from weibao.core import clock
from weibao.repairs.choices import CostKind, ExclusionCause, Leg, Payer
from weibao.repairs.flow import REPAIR_FLOW
from weibao.repairs.models import Repair, RepairCostLine, RepairHop
from weibao.sites.models import Site
from weibao.spares.models import PartType
from weibao.tenancy.models import Customer


class ReceiptDateField(serializers.DateField):
    """A date; an ISO datetime is accepted too and read as its local date."""

    def to_internal_value(self, value):
        if isinstance(value, str) and "T" in value:
            parsed = parse_datetime(value)
            if parsed is not None:
                if timezone.is_naive(parsed):
                    return parsed.date()
                return timezone.localdate(parsed)
        if isinstance(value, dt.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        return super().to_internal_value(value)


class RepairHopSerializer(serializers.ModelSerializer):
    class Meta:
        model = RepairHop
        fields = [
            "id",
            "leg",
            "shipped_on",
            "arrived_on",
            "carrier",
            "tracking_number",
            "paid_by",
            "insured",
            "note",
        ]


class RepairCostLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = RepairCostLine
        fields = ["id", "kind", "description", "quantity", "unit_price", "amount"]


class RepairSerializer(serializers.ModelSerializer):
    received_at = serializers.DateField(source="received_on", read_only=True)
    part_number = serializers.CharField(source="part_type.part_number", default=None)
    working_days_left = serializers.SerializerMethodField()
    returned_late = serializers.BooleanField(read_only=True)
    loaner = serializers.SerializerMethodField()
    hops = RepairHopSerializer(many=True, read_only=True)
    cost_lines = RepairCostLineSerializer(many=True, read_only=True)
    cost_total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    allowed_moves = serializers.SerializerMethodField()
    moves = MovesField(REPAIR_FLOW)

    class Meta:
        model = Repair
        fields = [
            "id",
            "number",
            "customer",
            "site",
            "asset",
            "serial_number",
            "part_number",
            "part_description",
            "fault_description",
            "repair_origin",
            "received_at",
            "working_days",
            "due_date",
            "due_provisional",
            "due_calendar_year",
            "working_days_left",
            "status",
            "outcome",
            "returned_on",
            "returned_late",
            "overdue_at",
            "loaner",
            "previous",
            "provider_pays_shipping",
            "in_warranty",
            "warranty_until",
            "contract",
            "not_covered",
            "trial_ends_on",
            "trial_result",
            "trial_note",
            "feedback_on",
            "feedback_by",
            "feedback_late",
            "billable",
            "exclusion_cause",
            "exclusion_note",
            "cost_lines",
            "cost_total",
            "hops",
            "contact_name",
            "contact_phone",
            "allowed_moves",
            "moves",
        ]
        read_only_fields = fields

    def get_working_days_left(self, repair) -> int | None:
        """Working days from today to the due date (negative: late; provisional like the
        date when `due_provisional`); null once returned."""
        if not repair.is_open:
            return None
        return provisional.working_days_between(clock.today(), repair.due_date)[0]

    def get_loaner(self, repair) -> dict | None:
        loan = repair.loaner
        if loan is None:
            return None
        return {
            "id": loan.pk,
            "number": loan.number,
            "serial_number": loan.part.serial_number,
            "status": loan.status,
        }

    def get_allowed_moves(self, repair) -> list[str]:
        """The verbs the caller may make now (kept for integrators; `moves` says more)."""
        request = self.context.get("request")
        return [m.verb for m in REPAIR_FLOW.available(repair, getattr(request, "user", None))]


class RepairCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    """A return registration (返修设备登记表)."""

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False)
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), required=False, allow_null=True
    )
    serial_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True
    )
    part_number = serializers.SlugRelatedField(
        slug_field="part_number",
        queryset=PartType.objects.all(),
        required=False,
        allow_null=True,
    )
    part_description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    fault_description = serializers.CharField(max_length=4000)
    repair_origin = serializers.ChoiceField(choices=RepairOrigin.choices, required=False)
    received_at = ReceiptDateField()
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    carrier = serializers.CharField(max_length=60, required=False, allow_blank=True)
    tracking_number = serializers.CharField(max_length=60, required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs.get("asset") and not attrs.get("serial_number", "").strip():
            raise serializers.ValidationError(
                {"serial_number": ["请提供设备（asset）或序列号（serial_number）。"]}
            )
        return attrs


class RepairMoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[(m.verb, m.label) for m in REPAIR_FLOW.moves.values() if m.button]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RepairHopCreateSerializer(serializers.Serializer):
    leg = serializers.ChoiceField(choices=Leg.choices)
    shipped_on = serializers.DateField(required=False, allow_null=True)
    arrived_on = serializers.DateField(required=False, allow_null=True)
    carrier = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    paid_by = serializers.ChoiceField(choices=Payer.choices, required=False, default="")
    insured = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RepairReturnSerializer(serializers.Serializer):
    returned_on = serializers.DateField(required=False)


class RepairFeedbackSerializer(serializers.Serializer):
    on = serializers.DateField()
    by = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RepairFailTrialSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    received_at = ReceiptDateField(required=False)


class RepairBillableSerializer(serializers.Serializer):
    cause = serializers.ChoiceField(choices=ExclusionCause.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RepairCostLineCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CostKind.choices)
    description = serializers.CharField(max_length=200)
    quantity = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, default=1)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class RepairClearBillableSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
