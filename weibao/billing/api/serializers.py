"""Billing serializers: causes, exclusions, statements with their lines and totals."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from weibao.api.actions import MovesField
from weibao.api.fields import NoteField
from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.billing.choices import LineKind
from weibao.billing.flow import STATEMENT_FLOW
from weibao.billing.models import Exclusion, ExclusionCause, Statement, StatementLine
from weibao.billing.services import MAX_QUANTITY, MAX_UNIT_PRICE
from weibao.tickets.models import Ticket


class ExclusionCauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExclusionCause
        fields = ["id", "code", "name", "description", "order", "active"]


class _SubjectFields(serializers.ModelSerializer):
    subject_type = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()

    def get_subject_type(self, obj) -> str:
        return obj.subject_type.model

    def get_subject(self, obj) -> str:
        return obj.subject_label


class ExclusionSerializer(_SubjectFields):
    causes = ExclusionCauseSerializer(many=True, read_only=True)
    marked_by = serializers.StringRelatedField()
    statements = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = Exclusion
        fields = ["id", "subject_type", "subject_id", "subject", "customer", "site", "asset",
                  "causes", "evidence", "has_attachment", "marked_by", "marked_at",
                  "statements"]  # fmt: skip

    def get_has_attachment(self, obj) -> bool:
        return bool(obj.attachment)


class ExclusionCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    ticket = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all())
    causes = serializers.PrimaryKeyRelatedField(
        queryset=ExclusionCause.objects.filter(active=True), many=True
    )
    evidence = NoteField()
    attachment = serializers.FileField(required=False)


class StatementLineSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = StatementLine
        fields = ["id", "position", "kind", "description", "part_number", "quantity", "unit",
                  "unit_price", "amount"]  # fmt: skip


class LineCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LineKind.choices)
    description = serializers.CharField(max_length=200)
    part_number = serializers.CharField(max_length=60, required=False, default="")
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_QUANTITY
    )
    unit = serializers.CharField(max_length=10, required=False, default="")
    unit_price = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), max_value=MAX_UNIT_PRICE,
        help_text="quantity × unit_price and the statement's total stay within 999,999,999,999.99.",
    )  # fmt: skip


class StatementSerializer(_SubjectFields):
    lines = StatementLineSerializer(many=True, read_only=True)
    subtotals = serializers.SerializerMethodField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    prepared_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()
    moves = MovesField(STATEMENT_FLOW)

    class Meta:
        model = Statement
        fields = ["id", "number", "title", "state", "subject_type", "subject_id", "subject",
                  "customer", "site", "asset", "contract", "exclusion", "revision", "prepared_by",
                  "created_at", "sent_at", "decided_at", "decided_by", "decision_note",
                  "lines", "subtotals", "total", "moves"]  # fmt: skip

    def get_subtotals(self, obj) -> dict[str, str]:
        return {kind: str(amount) for kind, amount in obj.totals.by_kind.items()}


class StatementCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    ticket = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all())


class DecisionSerializer(serializers.Serializer):
    """The customer's note with an approval (optional) or a rejection (required)."""

    note = NoteField(required=False, allow_blank=True, default="")
