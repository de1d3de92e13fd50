"""The repairs API: register a returned part and follow it along its route (RMA-1..6).

Every action is a POST on the repair (documented in the OpenAPI); a refused request answers
400 with a stable `code` (`customer_bought_supporting`, `calendar_year_missing`,
`status_not_allowed`, …) and writes nothing."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.api.viewsets import IsProviderStaffOrReadOnly
from weibao.repairs import services
from weibao.repairs.api import serializers as s
from weibao.repairs.models import Repair


class RepairFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(method="filter_open")
    serial_number = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Repair
        fields = ["customer", "site", "asset", "status", "repair_origin", "billable"]

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open())


class RepairViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Hardware repairs (返修). Customer users read their own; another customer's repair
    answers 404."""

    queryset = Repair.objects.all()
    serializer_class = s.RepairSerializer
    permission_classes = [IsProviderStaffOrReadOnly]
    filterset_class = RepairFilter
    search_fields = ["number", "serial_number", "fault_description"]
    ordering_fields = ["received_on", "due_date", "id"]

    def get_queryset(self):
        return (
            Repair.objects.visible_to(self.request.user)
            .select_related("part_type", "loaner__part")
            .prefetch_related("hops", "cost_lines")
        )

    def _answer(self, repair, code=status.HTTP_200_OK):
        repair = self.get_queryset().get(pk=repair.pk)
        return Response(s.RepairSerializer(repair, context={"request": self.request}).data, code)

    @extend_schema(
        request=s.RepairCreateSerializer,
        responses={201: s.RepairSerializer},
        summary="Register a returned part (返修设备登记表); answers its due date",
    )
    def create(self, request, *args, **kwargs):
        data = s.RepairCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        repair = services.register_repair(
            actor=request.user,
            received_on=values.pop("received_at"),
            part_type=values.pop("part_number", None),
            **values,
        )
        return self._answer(repair, status.HTTP_201_CREATED)

    def _act(self, request, serializer_class, call, code=status.HTTP_200_OK):
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        repair = self.get_object()
        result = call(repair, data.validated_data)
        return self._answer(result if isinstance(result, Repair) else repair, code)

    @extend_schema(
        request=s.RepairMoveSerializer,
        responses=s.RepairSerializer,
        summary="Move along the route: send_to_center, repaired, unrepairable, pass_trial",
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        return self._act(
            request,
            s.RepairMoveSerializer,
            lambda r, d: services.move(r, d["action"], note=d["note"], actor=request.user),
        )

    @extend_schema(
        request=s.RepairHopCreateSerializer,
        responses=s.RepairSerializer,
        summary="Record a hop of the route with dates and tracking number",
    )
    @action(detail=True, methods=["post"])
    def hops(self, request, pk=None):
        return self._act(
            request,
            s.RepairHopCreateSerializer,
            lambda r, d: services.record_hop(r, actor=request.user, **d),
        )

    @extend_schema(
        request=s.RepairReturnSerializer,
        responses=s.RepairSerializer,
        summary="The customer has the part again; a repaired part starts its trial",
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_customer(self, request, pk=None):
        return self._act(
            request,
            s.RepairReturnSerializer,
            lambda r, d: services.record_return(
                r, returned_on=d.get("returned_on"), actor=request.user
            ),
        )

    @extend_schema(
        request=s.RepairFeedbackSerializer,
        responses=s.RepairSerializer,
        summary="Receipt feedback form; flagged when not dated the return day",
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        return self._act(
            request,
            s.RepairFeedbackSerializer,
            lambda r, d: services.record_feedback(r, actor=request.user, **d),
        )

    @extend_schema(
        request=s.RepairFailTrialSerializer,
        responses={201: s.RepairSerializer},
        summary="Trial failed: re-register (provider pays shipping) with a free loaner",
    )
    @action(detail=True, methods=["post"], url_path="fail-trial")
    def fail_trial(self, request, pk=None):
        return self._act(
            request,
            s.RepairFailTrialSerializer,
            lambda r, d: services.fail_trial(
                r, reason=d["reason"], received_on=d.get("received_at"), actor=request.user
            ),
            code=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=s.RepairBillableSerializer,
        responses=s.RepairSerializer,
        summary="Out of scope (EXC-1): the repair becomes billable",
    )
    @action(detail=True, methods=["post"])
    def billable(self, request, pk=None):
        return self._act(
            request,
            s.RepairBillableSerializer,
            lambda r, d: services.mark_billable(
                r, cause=d["cause"], note=d["note"], actor=request.user
            ),
        )

    @extend_schema(
        request=s.RepairCostLineCreateSerializer,
        responses=s.RepairSerializer,
        summary="Add a cost line to a billable repair (EXC-2)",
    )
    @action(detail=True, methods=["post"], url_path="cost-lines")
    def cost_lines(self, request, pk=None):
        return self._act(
            request,
            s.RepairCostLineCreateSerializer,
            lambda r, d: services.add_cost_line(r, actor=request.user, **d),
        )
