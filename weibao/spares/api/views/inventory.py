"""The spare inventory API: part types with their catalog price, pools with stock derived
from the ledger, serialised parts and their moves, and the ledger itself."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from weibao.accounts.capabilities import Capability
from weibao.api.schema import ERRORS, answers
from weibao.api.viewsets import CapabilityWrites, IsProviderStaffOrReadOnly
from weibao.spares.api import serializers as s
from weibao.spares.models import PartType, SparePart, SparePool, StockMovement
from weibao.spares.selectors import ledger_stock
from weibao.spares.services import catalog, inventory


@extend_schema_view(
    create=extend_schema(
        summary="Add a part type (config.edit)", responses=answers(s.PartTypeSerializer, 201)
    ),
    update=extend_schema(
        summary="Change a part type and its catalog price (config.edit)",
        responses=answers(s.PartTypeSerializer),
    ),
    partial_update=extend_schema(
        summary="Change a part type and its catalog price (config.edit)",
        responses=answers(s.PartTypeSerializer),
    ),
    destroy=extend_schema(
        summary="Remove an unused part type (config.edit)", responses=answers(None, 204)
    ),
)
class PartTypeViewSet(CapabilityWrites, viewsets.ModelViewSet):
    """Part numbers with their catalog price (备板备件销售目录价): configuration, changed only by
    an administrator (`config.edit`)."""

    queryset = PartType.objects.all()
    serializer_class = s.PartTypeSerializer
    permission_classes = [IsProviderStaffOrReadOnly]
    search_fields = ["part_number", "name", "asset_model"]
    filterset_fields = ["category", "asset_model"]
    write_capability = Capability.CONFIG_EDIT  # refused before the body is read

    def save_new(self, serializer):
        serializer.instance = catalog.save_part_type(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = catalog.save_part_type(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        catalog.delete_part_type(instance, actor=self.request.user)


class SparePoolViewSet(viewsets.ReadOnlyModelViewSet):
    """Spare pools: the customer's own (tier 1) and the provider's (tier 2), with their stock."""

    queryset = SparePool.objects.all()
    serializer_class = s.SparePoolSerializer
    filterset_fields = ["tier", "customer"]

    def get_queryset(self):
        return SparePool.objects.visible_to(self.request.user).prefetch_related("locations")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        context["stock"] = ledger_stock(self.get_queryset())
        context["part_numbers"] = dict(PartType.objects.values_list("pk", "part_number"))
        return context


class SparePartViewSet(
    CapabilityWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Serialised spares. Creating one receives it into stock at a location of its pool."""

    queryset = SparePart.objects.all()
    serializer_class = s.SparePartSerializer
    permission_classes = [IsProviderStaffOrReadOnly]
    filterset_fields = ["pool", "state", "condition", "owner", "location"]
    search_fields = ["serial_number", "part_type__part_number"]
    write_capability = Capability.SPARES_OPERATE  # refused before the body is read

    def customer_of(self, obj):
        return obj.pool.customer_id

    def get_queryset(self):
        return SparePart.objects.visible_to(self.request.user).select_related("part_type")

    @extend_schema(
        request=s.ReceivePartSerializer,
        responses={201: s.SparePartSerializer, **ERRORS},
        summary="Receive a serialised part into stock (spares.operate)",
    )
    def create(self, request, *args, **kwargs):
        data = s.ReceivePartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        location = d["location"]
        if not SparePool.objects.visible_to(request.user).filter(pk=location.pool_id).exists():
            raise ValidationError({"location": ["没有这个库位。"]})
        part = inventory.receive_part(
            part_type=d["part_number"],
            serial_number=d["serial_number"],
            location=location,
            note=d["note"],
            actor=request.user,
        )
        return Response(s.SparePartSerializer(part).data, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MovePartSerializer,
        responses={200: s.SparePartSerializer, **ERRORS},
        summary="Move a part (transfer, send to repair, scrap…); one ledger row (spares.operate)",
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        data = s.MovePartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        part = self.get_object()
        inventory.move_part(part, actor=request.user, **data.validated_data)
        part.refresh_from_db()
        return Response(s.SparePartSerializer(part).data)


class StockMovementViewSet(viewsets.ReadOnlyModelViewSet):
    """The movement ledger (出入库流水): every move is a row; rows never change."""

    queryset = StockMovement.objects.all()
    serializer_class = s.StockMovementSerializer
    filterset_fields = ["pool", "kind", "part", "from_location", "to_location"]

    def get_queryset(self):
        return StockMovement.objects.visible_to(self.request.user).select_related(
            "part_type", "part"
        )
