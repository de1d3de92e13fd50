"""The spare-part sales API (SPS-1, SPS-2): the flow's steps and warranty lookups."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.schema import answers
from weibao.api.viewsets import CapabilityWrites, IsProviderStaffOrReadOnly
from weibao.core import clock
from weibao.spares import columns
from weibao.spares.api import serializers as s
from weibao.spares.flow import SALE_FLOW
from weibao.spares.models import SaleOrder
from weibao.spares.selectors import Warranty, warranty_for
from weibao.spares.services import sales


class SaleOrderViewSet(
    ListExport,
    CapabilityWrites,
    ServiceActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Spare-part sales (SPS-1): request → quote revisions → agreement → contract →
    prepayment (ship within 3 months) → shipping → signed delivery (warranty per serial).
    `export/` as Excel."""

    export_columns = columns.SALE_COLUMNS
    export_name = "spare-sales"

    queryset = SaleOrder.objects.all()
    serializer_class = read_serializer = s.SaleSerializer
    permission_classes = [IsProviderStaffOrReadOnly]
    filterset_fields = ["customer", "stage", "origin"]
    search_fields = ["number", "request_text", "contract_number", "items__serial_number"]
    ordering_fields = ["requested_on", "ship_by", "id"]
    # Refused before the body is read, with the capability of each move of SALE_FLOW.
    action_capabilities = {
        "create": Capability.SALE_QUOTE,
        **{verb: move.capability for verb, move in SALE_FLOW.moves.items()},
    }

    def get_queryset(self):
        return SaleOrder.objects.visible_to(self.request.user).prefetch_related(
            "quotes__lines__part_type", "items__part_type"
        )

    @extend_schema(
        request=s.SaleCreateSerializer,
        responses=answers(s.SaleSerializer, 201),
        summary="The customer's request to buy spares",
    )
    def create(self, request, *args, **kwargs):
        data = s.SaleCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        order = sales.request_sale(actor=request.user, **data.validated_data)
        return self._answer(order, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.SaleQuoteCreateSerializer,
        responses=answers(s.SaleSerializer),
        summary="A configuration proposal and quote; earlier revisions are kept",
    )
    @action(detail=True, methods=["post"])
    def quote(self, request, pk=None):
        return self._act(
            request,
            s.SaleQuoteCreateSerializer,
            lambda o, d: sales.propose_quote(
                o,
                proposal=d["proposal"],
                actor=request.user,
                lines=[
                    (line["part_type"], line["quantity"], line["unit_price"]) for line in d["lines"]
                ],
            ),
        )

    @extend_schema(
        request=s.SaleNoteSerializer,
        responses=answers(s.SaleSerializer),
        summary="The customer agrees to the latest quote",
    )
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        return self._act(
            request,
            s.SaleNoteSerializer,
            lambda o, d: sales.agree_quote(o, note=d["note"], actor=request.user),
        )

    @extend_schema(
        request=s.SaleNoteSerializer,
        responses=answers(s.SaleSerializer),
        summary="The customer does not agree: back to the proposal",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(
            request,
            s.SaleNoteSerializer,
            lambda o, d: sales.reject_quote(o, note=d["note"], actor=request.user),
        )

    @extend_schema(
        request=s.SaleSignSerializer,
        responses=answers(s.SaleSerializer),
        summary="The sales contract is signed",
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._act(
            request,
            s.SaleSignSerializer,
            lambda o, d: sales.sign_sale_contract(o, actor=request.user, **d),
        )

    @extend_schema(
        request=s.SalePrepaySerializer,
        responses=answers(s.SaleSerializer),
        summary="Prepayment received: ship within 3 months",
    )
    @action(detail=True, methods=["post"])
    def prepay(self, request, pk=None):
        return self._act(
            request,
            s.SalePrepaySerializer,
            lambda o, d: sales.record_prepayment(o, actor=request.user, **d),
        )

    @extend_schema(
        request=s.SaleShipSerializer,
        responses=answers(s.SaleSerializer),
        summary="Shipped, one serial per unit",
    )
    @action(detail=True, methods=["post"])
    def ship(self, request, pk=None):
        return self._act(
            request,
            s.SaleShipSerializer,
            lambda o, d: sales.ship_sale(
                o,
                shipped_on=d["shipped_on"],
                carrier=d["carrier"],
                tracking_number=d["tracking_number"],
                actor=request.user,
                serials=[(x["part_number"], x["serial_number"]) for x in d["serials"]],
            ),
        )

    @extend_schema(
        request=s.SaleDeliverSerializer,
        responses=answers(s.SaleSerializer),
        summary="Inspected and signed on delivery; the warranty starts",
    )
    @action(detail=True, methods=["post"])
    def deliver(self, request, pk=None):
        return self._act(
            request,
            s.SaleDeliverSerializer,
            lambda o, d: sales.deliver_sale(o, actor=request.user, **d),
        )

    @extend_schema(
        request=s.SaleCancelSerializer, responses=answers(s.SaleSerializer), summary="Cancel"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(
            request,
            s.SaleCancelSerializer,
            lambda o, d: sales.cancel_sale(o, reason=d["reason"], actor=request.user),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("serial_number", OpenApiTypes.STR, required=True),
            OpenApiParameter("on", OpenApiTypes.DATE, description="Default: today"),
        ],
        responses=s.SpareWarrantySerializer,
        summary="Is a sold serial in warranty on a day? (SPS-2)",
    )
    @action(detail=False, methods=["get"])
    def warranty(self, request):
        query = s.SpareWarrantyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("on") or clock.today()
        customer_id = request.user.customer_id or None
        result = warranty_for(
            query.validated_data["serial_number"], on=day, customer_id=customer_id
        )
        if (
            result.item is not None
            and not self.get_queryset().filter(pk=result.item.order_id).exists()
        ):
            result = Warranty(result.serial_number, None, day)  # not the user's to see
        return Response(
            s.SpareWarrantySerializer(
                {
                    "serial_number": query.validated_data["serial_number"],
                    "on": day,
                    "covered": result.covered,
                    "warranty_until": result.until,
                    "sale": result.item.order.number if result.item else None,
                }
            ).data
        )
