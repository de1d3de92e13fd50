"""The repairs API: register a returned part and follow it along its route (RMA-1..6).

Every web action has its endpoint here, calling the same service (`weibao.repairs.services`);
who may do what is decided there (registration: `repair.register`, customer users for their
own organisation; everything after it: `spares.operate`). A refused request answers with a
stable `code` and writes nothing: 400 for invalid input or a guard (`outcome_mismatch`,
`customer_bought_supporting`, `needs_form`, …), 403 `permission_denied`, 409 `wrong_state`.
A due date that runs into a year whose schedule is not imported is never refused: it comes
back with `due_provisional: true` and is recomputed when the year is imported.

A repair out of scope is billed like a ticket (EXC-1..3): `POST …/billable/` records billing's
finding with causes from its one list and opens a draft statement; the statement's cost lines,
sending and the customer's approval are billing's endpoints (`/api/statements/{id}/lines/`,
`…/send/`, `…/approve/`), listed in the repair's `statements`."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated

from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.schema import error_responses
from weibao.repairs import columns, services
from weibao.repairs.api import serializers as s
from weibao.repairs.models import Repair

ERRORS = error_responses(
    e400="`{code, detail, fields}`: invalid input or a guard",
    e403="`permission_denied`: the capability is named",
    e404="not found (or another customer's repair)",
    e409="`wrong_state`: the repair is not in a state for this",
)


def _responses(ok=s.RepairSerializer, code=200):
    return {code: ok, **ERRORS}


class RepairFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(method="filter_open")
    serial_number = django_filters.CharFilter(lookup_expr="iexact")
    billable = django_filters.BooleanFilter(method="filter_billable")

    class Meta:
        model = Repair
        fields = [
            "customer",
            "site",
            "asset",
            "status",
            "repair_origin",
            "due_provisional",
        ]

    def filter_open(self, queryset, name, value):
        return queryset.open() if value else queryset.exclude(pk__in=queryset.open())

    def filter_billable(self, queryset, name, value):
        return queryset.billable(value)


class RepairViewSet(
    ListExport,
    ServiceActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Hardware repairs (返修). Customer users read (and register) their own; another
    customer's repair answers 404. `export/` as Excel."""

    export_columns = columns.REPAIR_COLUMNS
    export_name = "repairs"

    queryset = Repair.objects.all()
    serializer_class = s.RepairSerializer
    read_serializer = s.RepairSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = RepairFilter
    search_fields = ["number", "serial_number", "fault_description"]
    ordering_fields = ["received_on", "due_date", "id"]

    def get_queryset(self):
        return (
            Repair.objects.visible_to(self.request.user)
            .with_billable()
            .select_related("part_type", "loaner__part")
            .prefetch_related("hops", "exclusions__causes", "exclusions__marked_by")
        )

    @extend_schema(
        request=s.RepairCreateSerializer,
        responses=_responses(code=201),
        summary="Register a returned part (返修设备登记表); answers its (maybe provisional) "
        "due date",
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

    @extend_schema(
        request=s.RepairMoveSerializer,
        responses=_responses(),
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
        responses=_responses(),
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
        responses=_responses(),
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
        responses=_responses(),
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
        responses=_responses(code=201),
        summary="Trial failed: re-register (provider pays shipping) with a free loaner; "
        "answers the new repair",
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
        request={
            "application/json": s.RepairBillableSerializer,
            "multipart/form-data": s.RepairBillableSerializer,
        },
        responses=_responses(),
        summary="Out of scope (EXC-1..3): causes from billing's one list and evidence; opens "
        "a draft statement (its lines: POST /api/statements/{id}/lines/)",
    )
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def billable(self, request, pk=None):
        return self._act(
            request,
            s.RepairBillableSerializer,
            lambda r, d: services.mark_billable(r, actor=request.user, **d),
        )

    @extend_schema(
        request=s.RepairClearBillableSerializer,
        responses=_responses(),
        summary="Undo the finding (only while its statement is a draft without cost lines)",
    )
    @action(detail=True, methods=["post"], url_path="clear-billable")
    def clear_billable(self, request, pk=None):
        return self._act(
            request,
            s.RepairClearBillableSerializer,
            lambda r, d: services.clear_billable(r, reason=d["reason"], actor=request.user),
        )
