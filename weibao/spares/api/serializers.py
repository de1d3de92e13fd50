"""Serializers of the spares API: part types, pools with their stock, parts, the ledger,
loans and sales. Field names are a contract with integrators."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from weibao.api.actions import MovesField
from weibao.api.fields import NoteField
from weibao.api.viewsets import ScopedRelatedFieldsMixin
from weibao.assets.models import Asset
from weibao.billing.models import Statement
from weibao.sites.models import Site
from weibao.spares.choices import MovementKind
from weibao.spares.flow import LOAN_FLOW, SALE_FLOW
from weibao.spares.models import (
    Loan,
    LoanExtension,
    PartType,
    SaleItem,
    SaleOrder,
    SaleQuote,
    SaleQuoteLine,
    SparePart,
    SparePool,
    StockLocation,
    StockMovement,
)
from weibao.spares.selectors import loan_statements
from weibao.spares.services.sales import MAX_QUOTE_QUANTITY, MAX_QUOTE_UNIT_PRICE
from weibao.tenancy.models import Customer

PART_NUMBER = {"slug_field": "part_number", "queryset": PartType.objects.all()}


class PartTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartType
        fields = ["id", "part_number", "name", "category", "asset_model", "catalog_price", "notes"]


class StockLocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockLocation
        fields = ["id", "name", "address"]


class SparePoolSerializer(serializers.ModelSerializer):
    locations = StockLocationSerializer(many=True, read_only=True)
    stock = serializers.SerializerMethodField()

    class Meta:
        model = SparePool
        fields = ["id", "name", "tier", "customer", "locations", "stock"]

    def get_stock(self, pool) -> list[dict]:
        """Units in stock per part number and location, derived from the ledger."""
        stock = self.context.get("stock", {})
        numbers = self.context.get("part_numbers", {})
        return [
            {"part_number": numbers.get(type_id), "location": loc_id, "quantity": units}
            for (pool_id, type_id, loc_id), units in sorted(stock.items())
            if pool_id == pool.pk and units
        ]


class SparePartSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part_type.part_number", read_only=True)

    class Meta:
        model = SparePart
        fields = [
            "id",
            "part_number",
            "serial_number",
            "pool",
            "owner",
            "condition",
            "state",
            "location",
        ]
        read_only_fields = fields


class ReceivePartSerializer(serializers.Serializer):
    part_number = serializers.SlugRelatedField(**PART_NUMBER)
    serial_number = serializers.CharField(max_length=100)
    location = serializers.PrimaryKeyRelatedField(queryset=StockLocation.objects.all())
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class MovePartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MovementKind.choices)
    to_location = serializers.PrimaryKeyRelatedField(
        queryset=StockLocation.objects.all(), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class StockMovementSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part_type.part_number", read_only=True)
    serial_number = serializers.CharField(source="part.serial_number", read_only=True)

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "at",
            "kind",
            "part_number",
            "serial_number",
            "pool",
            "quantity",
            "from_location",
            "to_location",
            "note",
            "ref_type",
            "ref_id",
        ]


class LoanExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LoanExtension
        fields = ["previous_end", "new_end", "at", "reason"]


class LoanStatementSerializer(serializers.ModelSerializer):
    """A billing statement of the loan, in short; `/api/statements/{id}/` has it in full."""

    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "number", "state", "total"]
        read_only_fields = fields


def _user(context):
    return getattr(context.get("request"), "user", None)


class LoanListSerializer(serializers.ListSerializer):
    """Looks up the statements of all the listed loans at once."""

    def to_representation(self, data):
        loans = list(data.all() if hasattr(data, "all") else data)
        self.context["loan_statements"] = loan_statements(loans, _user(self.context))
        return super().to_representation(loans)


class LoanSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part.part_type.part_number", read_only=True)
    serial_number = serializers.CharField(source="part.serial_number", read_only=True)
    period_limit = serializers.DateField(read_only=True)
    extensions = LoanExtensionSerializer(many=True, read_only=True)
    statements = serializers.SerializerMethodField(
        help_text="What the loan costs the customer (a damaged part, an exchange over the "
        "quota): its billing statements, approved or rejected by the customer's leader."
    )
    moves = MovesField(LOAN_FLOW)

    class Meta:
        list_serializer_class = LoanListSerializer
        model = Loan
        fields = [
            "id",
            "number",
            "customer",
            "contract",
            "site",
            "kind",
            "status",
            "part_number",
            "serial_number",
            "deliver_to",
            "deliver_by",
            "delivered_at",
            "faulty_serial_number",
            "faulty_asset",
            "faulty_received_on",
            "start_date",
            "end_date",
            "period_limit",
            "latest_end",
            "billable",
            "returned_on",
            "compensated_on",
            "compensation_amount",
            "converted_on",
            "sale",
            "reason",
            "extensions",
            "statements",
            "moves",
        ]
        read_only_fields = fields

    @extend_schema_field(LoanStatementSerializer(many=True))
    def get_statements(self, loan) -> list[dict]:
        known = self.context.get("loan_statements") or {}
        if loan.pk in known:
            statements = known[loan.pk]
        else:
            statements = loan_statements([loan], _user(self.context))[loan.pk]
        return LoanStatementSerializer(statements, many=True).data


class LoanCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    """An exchange loan (SPX-2): the customer's faulty part is in, a good one goes out."""

    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False)
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True
    )
    part_number = serializers.SlugRelatedField(**PART_NUMBER)
    faulty_serial_number = serializers.CharField(max_length=100)
    faulty_asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), required=False, allow_null=True
    )
    faulty_received_on = serializers.DateField()
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    deliver_to = serializers.CharField(max_length=300, required=False, allow_blank=True)
    deliver_by = serializers.DateTimeField(required=False, allow_null=True)
    billable_ok = serializers.BooleanField(
        default=False, help_text="Accept an exchange over the quota as billable (CAT-4)."
    )
    skip_own_pool = serializers.BooleanField(
        default=False, help_text="Lend although the customer's own pool has the part (SPX-1)."
    )

    def validate(self, attrs):
        source = attrs.get("site") or attrs.get("faulty_asset")
        customer = attrs.get("customer") or getattr(source, "customer", None)
        if customer is None:
            raise serializers.ValidationError({"customer": ["请指定客户或机房。"]})
        attrs["customer"] = customer
        return attrs


class LoanExtendSerializer(serializers.Serializer):
    new_end = serializers.DateField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LoanReturnSerializer(serializers.Serializer):
    returned_on = serializers.DateField(required=False)
    location = serializers.PrimaryKeyRelatedField(
        queryset=StockLocation.objects.all(), required=False, allow_null=True, default=None
    )


class LoanCompensateSerializer(serializers.Serializer):
    price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="Agreed price; empty: catalog price.",
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LoanDeliverySerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class SaleQuoteLineSerializer(serializers.ModelSerializer):
    part_number = serializers.SlugRelatedField(source="part_type", **PART_NUMBER)

    class Meta:
        model = SaleQuoteLine
        fields = ["part_number", "quantity", "unit_price"]
        extra_kwargs = {
            "quantity": {"min_value": 1, "max_value": MAX_QUOTE_QUANTITY},
            "unit_price": {
                "max_value": MAX_QUOTE_UNIT_PRICE,
                "help_text": "quantity × unit_price and the quote's total stay within "
                "999,999,999,999.99.",
            },
        }


class SaleQuoteSerializer(serializers.ModelSerializer):
    lines = SaleQuoteLineSerializer(many=True, read_only=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = SaleQuote
        fields = [
            "revision",
            "proposal",
            "created_at",
            "decision",
            "decided_at",
            "decision_note",
            "lines",
            "total",
        ]


class SaleItemSerializer(serializers.ModelSerializer):
    part_number = serializers.CharField(source="part_type.part_number", read_only=True)

    class Meta:
        model = SaleItem
        fields = ["part_number", "serial_number", "warranty_until"]


class SaleSerializer(serializers.ModelSerializer):
    quotes = SaleQuoteSerializer(many=True, read_only=True)
    items = SaleItemSerializer(many=True, read_only=True)
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    allowed_moves = serializers.SerializerMethodField()
    moves = MovesField(SALE_FLOW)

    class Meta:
        model = SaleOrder
        fields = [
            "id",
            "number",
            "customer",
            "contract",
            "origin",
            "stage",
            "requested_on",
            "request_text",
            "quotes",
            "total",
            "contract_number",
            "contract_signed_on",
            "prepaid_on",
            "prepayment_amount",
            "ship_by",
            "ship_warned_at",
            "ship_breached_at",
            "shipped_on",
            "carrier",
            "tracking_number",
            "delivered_on",
            "signed_by",
            "inspection_note",
            "warranty_months",
            "items",
            "cancelled_reason",
            "allowed_moves",
            "moves",
        ]
        read_only_fields = fields

    def get_allowed_moves(self, order) -> list[str]:
        """The verbs of `moves.allowed` (kept for integrators that read this field)."""
        request = self.context.get("request")
        return [m.verb for m in SALE_FLOW.available(order, getattr(request, "user", None))]


class SaleCreateSerializer(ScopedRelatedFieldsMixin, serializers.Serializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    request_text = serializers.CharField(max_length=4000)
    requested_on = serializers.DateField(required=False)


class SaleQuoteCreateSerializer(serializers.Serializer):
    proposal = serializers.CharField(max_length=4000)
    lines = SaleQuoteLineSerializer(many=True, allow_empty=False)


class SaleNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SaleSignSerializer(serializers.Serializer):
    contract_number = serializers.CharField(max_length=60)
    signed_on = serializers.DateField()


class SalePrepaySerializer(serializers.Serializer):
    prepaid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class ShippedSerialSerializer(serializers.Serializer):
    part_number = serializers.SlugRelatedField(**PART_NUMBER)
    serial_number = serializers.CharField(max_length=100)


class SaleShipSerializer(serializers.Serializer):
    shipped_on = serializers.DateField()
    serials = ShippedSerialSerializer(many=True, allow_empty=False)
    carrier = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    tracking_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )


class SaleDeliverSerializer(serializers.Serializer):
    delivered_on = serializers.DateField()
    signed_by = serializers.CharField(max_length=100)
    note = NoteField(required=False, allow_blank=True, default="")


class SaleCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class SpareWarrantySerializer(serializers.Serializer):
    serial_number = serializers.CharField()
    on = serializers.DateField()
    covered = serializers.BooleanField()
    warranty_until = serializers.DateField(allow_null=True)
    sale = serializers.CharField(allow_null=True)


class SpareWarrantyQuerySerializer(serializers.Serializer):
    serial_number = serializers.CharField()
    on = serializers.DateField(required=False)
