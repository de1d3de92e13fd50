"""The inspections API (INS-1..3), the same services as the screens:

    GET  /api/inspection-plans/?contract=&on=      a contract year's plan and its usage
    POST /api/inspection-plans/generate/           plan the contract year (idempotent)
    GET  /api/inspection-visits/                   visits, each with its `moves`
    POST /api/inspection-visits/{id}/reschedule/   {new_date, reason}
    POST /api/inspection-visits/{id}/assign/       {engineer}
    POST /api/inspection-visits/{id}/cancel/       {reason}
    POST /api/inspection-visits/{id}/start/        the engineer is on site (draws the checklist)
    GET  /api/inspection-visits/{id}/checklist/    the visit's items
    POST /api/inspection-visits/{id}/complete/     {summary, config_changed, …}
    POST /api/inspection-checks/{id}/record/       {outcome, value, note, asset, level, photo}

Another customer's visit answers 404; a move from the wrong state 409 `wrong_state`; a
missing capability 403 `permission_denied` (`inspection.plan`, `visit.work`); another
engineer's visit 403 `not_your_visit`; a guard or a field 400 with its code."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.schema import error_responses
from weibao.api.viewsets import ScopedReadOnlyViewSet
from weibao.core import clock
from weibao.inspections import columns, selectors, services
from weibao.inspections.api import serializers as s
from weibao.inspections.models import CheckResult, InspectionVisit

ERRORS = error_responses(
    e400="Refused: `{code, detail, fields}` (e.g. `checks_pending`)",
    e403="`permission_denied` (the capability is named) or `not_your_visit`",
    e404="Not found, or another customer's",
    e409="`wrong_state`: not possible in the visit's state",
)


def _with_errors(ok, code: int = 200) -> dict:
    return {code: ok, **ERRORS}


class InspectionPlanViewSet(viewsets.ViewSet):
    """A contract year's inspection plan (INS-1): read it, or generate it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("contract", int, required=True),
            OpenApiParameter("on", str, description="a day of the contract year (YYYY-MM-DD)"),
        ],
        responses=_with_errors(s.PlanSerializer),
        summary="A contract year's visits and entitlement usage (done vs planned)",
    )
    def list(self, request):
        query = s.PlanQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        contract = query.validated_data["contract"]
        on = query.validated_data["on"] or min(
            max(clock.today(), contract.start_date), contract.end_date
        )
        number, start, end = contract.contract_year(on)
        end = min(end, contract.end_date)
        visits = list(
            selectors.visible_visits(request.user)
            .filter(contract=contract, contract_year=number)
            .order_by("planned_date", "site__code")
        )
        first = min([start, *(v.planned_date for v in visits)])
        body = {
            "contract": contract.pk,
            "contract_year": number,
            "start": start,
            "end": end,
            "usage": selectors.visits_done_vs_planned(contract, first, end),
            "visits": visits,
        }
        return Response(s.PlanSerializer(body, context={"request": request}).data)

    @extend_schema(
        request=s.GenerateSerializer,
        responses=_with_errors(s.GeneratedSerializer, 201),
        summary="Plan the contract year containing `on` (default today); idempotent",
    )
    @action(detail=False, methods=["post"])
    def generate(self, request):
        body = s.GenerateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        contract = body.validated_data["contract"]
        result = services.generate_plan(
            contract, on=body.validated_data["on"] or clock.today(), actor=request.user
        )
        answer = {
            "contract": contract.pk,
            "contract_year": result.contract_year,
            "start": result.start,
            "end": result.end,
            "created": [v.pk for v in result.created],
            "kept": result.kept,
        }
        return Response(s.GeneratedSerializer(answer).data, status=status.HTTP_201_CREATED)


VISIT = _with_errors(s.InspectionVisitSerializer)


class InspectionVisitViewSet(ListExport, ServiceActions, ScopedReadOnlyViewSet):
    """Inspection visits of the customers the user may see, each with its `moves`; `export/`
    as Excel (a customer: without the engineer's name)."""

    export_name = "inspections"

    def columns_for(self, request):
        return columns.visit_columns(request.user)

    queryset = InspectionVisit.objects.select_related("site", "engineer")
    serializer_class = s.InspectionVisitSerializer
    filterset_fields = {
        "contract": ["exact"],
        "site": ["exact"],
        "customer": ["exact"],
        "kind": ["exact"],
        "state": ["exact"],
        "engineer": ["exact"],
        "provisional": ["exact"],
        "planned_date": ["gte", "lte"],
    }
    ordering_fields = ["planned_date", "id"]
    ordering = ["planned_date", "id"]

    @extend_schema(request=s.RescheduleSerializer, responses=VISIT)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        return self._act(request, s.RescheduleSerializer, lambda visit, data: services.move_visit(
            visit, **data, actor=request.user))  # fmt: skip

    @extend_schema(request=s.AssignSerializer, responses=VISIT)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._act(request, s.AssignSerializer, lambda visit, data: services.assign_engineer(
            visit, engineer=data["engineer"], actor=request.user))  # fmt: skip

    @extend_schema(request=s.ReasonSerializer, responses=VISIT)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(request, s.ReasonSerializer, lambda visit, data: services.cancel_visit(
            visit, reason=data["reason"], actor=request.user))  # fmt: skip

    @extend_schema(request=None, responses=VISIT)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._act(request, None, lambda visit, data: services.start_visit(
            visit, actor=request.user))  # fmt: skip

    @extend_schema(request=s.CompleteSerializer, responses=VISIT)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(request, s.CompleteSerializer, lambda visit, data: services.complete_visit(
            visit, **data, actor=request.user))  # fmt: skip

    @extend_schema(request=None, responses=_with_errors(s.CheckResultSerializer(many=True)))
    @action(detail=True, methods=["get"], pagination_class=None)  # the whole list, one page
    def checklist(self, request, pk=None):
        visit = self.get_object()
        checks = visit.checks.order_by("order", "id")
        return Response(s.CheckResultSerializer(checks, many=True).data)


class CheckResultViewSet(ServiceActions, ScopedReadOnlyViewSet):
    """Checklist items; `record` saves one (a failed item opens a ticket, once)."""

    queryset = CheckResult.objects.select_related("visit", "ticket")
    serializer_class = s.CheckResultSerializer
    filterset_fields = ["visit", "outcome", "section"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=s.RecordCheckSerializer, responses=_with_errors(s.CheckResultSerializer))
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        return self._act(request, s.RecordCheckSerializer, lambda check, data: (
            services.record_check(check, **data, actor=request.user)))  # fmt: skip
