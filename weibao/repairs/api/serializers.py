"""Repair serializers. Field names are a contract with integrators (the issue's API section):
`POST /api/repairs/` takes `serial_number` or `asset`, `fault_description`, `repair_origin`
and `received_at`, and answers with `due_date` and `status`. A billable repair shows billing's
finding (`exclusion`) and its statements (`statements`, with lines and total); their lines
and approval are billing's endpoints (`/api/statements/{id}/…`)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from weibao.api.actions import MovesField
from weibao.api.fields import NoteField, PlausibleDateField
from weibao.api.nullable import EmptyChoicesAsNull
from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.assets.models import Asset, RepairOrigin
from weibao.billing import selectors as billing
from weibao.billing.api.serializers import StatementLineSerializer
from weibao.billing.models import Exclusion, Statement
from weibao.calendars import provisional
from weibao.core import clock
from weibao.repairs.choices import Leg, Payer
from weibao.repairs.flow import REPAIR_FLOW
from weibao.repairs.models import Repair, RepairHop
from weibao.sites.models import Site
from weibao.spares.models import PartType
from weibao.tenancy.models import Customer


class ReceiptDateField(PlausibleDateField):
    """A date that already happened (2000-01-01 … today); an ISO datetime is accepted too and
    read as its local date."""

    def __init__(self, **kwargs):
        kwargs.setdefault("not_after_today", True)
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and "T" in value:
            parsed = parse_datetime(value)
            if parsed is not None:
                if timezone.is_naive(parsed):
                    return self.bounded(parsed.date())
                return self.bounded(timezone.localdate(parsed))
        if isinstance(value, dt.datetime):
            date = timezone.localdate(value) if timezone.is_aware(value) else value.date()
            return self.bounded(date)
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


class RepairExclusionSerializer(serializers.ModelSerializer):
    """Why the repair is out of scope: causes from billing's one list, and the evidence."""

    causes = serializers.SerializerMethodField()
    marked_by = serializers.StringRelatedField()
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = Exclusion
        fields = ["id", "causes", "evidence", "has_attachment", "marked_by", "marked_at"]

    def get_causes(self, exclusion) -> list[dict[str, str]]:
        return [{"code": c.code, "name": c.name} for c in exclusion.causes.all()]

    def get_has_attachment(self, exclusion) -> bool:
        return bool(exclusion.attachment)


class RepairStatementSerializer(serializers.ModelSerializer):
    """A statement of the repair: its cost lines are added and approved in billing."""

    lines = StatementLineSerializer(many=True, read_only=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = ["id", "number", "state", "lines", "total", "url"]

    def get_url(self, statement) -> str:
        """The statement in the API (`lines/` to add a cost, `send/`, `approve/` …)."""
        request = self.context.get("request")
        path = reverse("statement-detail", args=[statement.pk])
        return request.build_absolute_uri(path) if request else path


class RepairSerializer(EmptyChoicesAsNull, serializers.ModelSerializer):
    received_at = serializers.DateField(source="received_on", read_only=True)
    part_number = serializers.CharField(source="part_type.part_number", default=None)
    working_days_left = serializers.SerializerMethodField()
    returned_late = serializers.BooleanField(read_only=True)
    loaner = serializers.SerializerMethodField()
    hops = RepairHopSerializer(many=True, read_only=True)
    billable = serializers.BooleanField(read_only=True)
    exclusion = serializers.SerializerMethodField()
    statements = serializers.SerializerMethodField()
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
            "exclusion",
            "statements",
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

    @extend_schema_field(RepairExclusionSerializer(allow_null=True))
    def get_exclusion(self, repair) -> dict | None:
        """Billing's out-of-scope finding (EXC-1), null while the repair is in scope."""
        exclusion = next(iter(repair.exclusions.all()), None)
        return RepairExclusionSerializer(exclusion).data if exclusion else None

    @extend_schema_field(RepairStatementSerializer(many=True))
    def get_statements(self, repair) -> list[dict]:
        """The repair's statements the caller may see (EXC-2)."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        statements = billing.statements_about(repair, user) if user else Statement.objects.none()
        return RepairStatementSerializer(statements, many=True, context=self.context).data

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
    note = NoteField(required=False, allow_blank=True, default="")


class RepairHopCreateSerializer(serializers.Serializer):
    leg = serializers.ChoiceField(choices=Leg.choices)
    shipped_on = PlausibleDateField(not_after_today=True, required=False, allow_null=True)
    arrived_on = PlausibleDateField(not_after_today=True, required=False, allow_null=True)
    carrier = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    paid_by = serializers.ChoiceField(choices=Payer.choices, required=False, default="")
    insured = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RepairReturnSerializer(serializers.Serializer):
    returned_on = PlausibleDateField(not_after_today=True, required=False)


class RepairFeedbackSerializer(serializers.Serializer):
    on = PlausibleDateField(not_after_today=True)
    by = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RepairFailTrialSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
    received_at = ReceiptDateField(required=False)


class RepairBillableSerializer(serializers.Serializer):
    """Out of scope (EXC-1): codes from billing's one cause list (`GET
    /api/exclusion-causes/`, e.g. `emergency_swap_repair`), the evidence and an optional photo
    or file (multipart)."""

    causes = serializers.ListField(child=serializers.SlugField(max_length=40), min_length=1)
    evidence = NoteField()
    attachment = serializers.FileField(required=False)


class RepairClearBillableSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)
