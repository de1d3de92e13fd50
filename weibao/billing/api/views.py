"""The billing API: out-of-scope causes and findings, and statements — proposed by the
engineer, confirmed and sent by the maintenance manager, approved or rejected by the
customer's leader (POST …/approve/, …/reject/). Every statement lists its `moves`. Another
customer's statement answers 404; a move from the wrong state answers 409 `wrong_state`; a
missing capability 403 `permission_denied`; a guard 400 with its code (`no_lines`, …)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.schema import error_responses
from weibao.billing import columns, selectors, services
from weibao.billing.api import serializers as s
from weibao.billing.exports import XLSX_CONTENT_TYPE as XLSX
from weibao.billing.exports import statement_pdf, statement_xlsx
from weibao.billing.models import Exclusion, ExclusionCause

ERRORS = error_responses(
    e400="Refused: `{code, detail, fields}` (e.g. `no_lines`)",
    e403="`permission_denied`: the capability is named",
    e404="Not found, or another customer's",
    e409="`wrong_state`: not possible in the current state",
)


def _with_errors(ok) -> dict:
    return {**ok, **ERRORS} if isinstance(ok, dict) else {200: ok, **ERRORS}


class ExclusionCauseViewSet(viewsets.ReadOnlyModelViewSet):
    """The out-of-scope causes of EXC-1, as data."""

    queryset = ExclusionCause.objects.all()
    serializer_class = s.ExclusionCauseSerializer
    filterset_fields = ["active"]
    pagination_class = None


class ExclusionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Tickets found out of scope. POST (multipart for a photo) marks a ticket out of scope
    and opens a draft statement."""

    queryset = Exclusion.objects.all()
    serializer_class = s.ExclusionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["customer", "site"]

    def get_queryset(self):
        return (
            Exclusion.objects.visible_to(self.request.user)
            .select_related("subject_type", "marked_by")
            .prefetch_related("causes", "statements")
        )

    @extend_schema(
        request=s.ExclusionCreateSerializer, responses=_with_errors({201: s.ExclusionSerializer})
    )
    def create(self, request, *args, **kwargs):
        data = s.ExclusionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        exclusion = services.mark_out_of_scope(values.pop("ticket"), actor=request.user, **values)
        exclusion = self.get_queryset().get(pk=exclusion.pk)
        return Response(self.get_serializer(exclusion).data, status=status.HTTP_201_CREATED)


class StatementViewSet(
    ListExport, ServiceActions, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """Billable statements (收费确认单) with cost lines and totals; `export/` as Excel."""

    export_name = "statements"

    def columns_for(self, request):
        return columns.statement_columns(request.user)

    serializer_class = s.StatementSerializer
    filterset_fields = ["state", "customer", "site"]
    ordering_fields = ["created_at", "sent_at", "id"]

    def get_queryset(self):
        return selectors.statements_for(self.request.user)

    @extend_schema(
        request=s.StatementCreateSerializer,
        responses=_with_errors({201: s.StatementSerializer}),
        summary="Open a draft statement for a ticket out of scope or not covered",
    )
    def create(self, request, *args, **kwargs):
        data = s.StatementCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        statement = services.open_statement(data.validated_data["ticket"], actor=request.user)
        return self._answer(statement, status.HTTP_201_CREATED)

    @extend_schema(request=s.LineCreateSerializer, responses=_with_errors(s.StatementSerializer),
                   summary="Add a cost line to a draft")  # fmt: skip
    @action(detail=True, methods=["post"])
    def lines(self, request, pk=None):
        return self._act(request, s.LineCreateSerializer, lambda statement, data: (
            services.add_line(statement, actor=request.user, **data)))  # fmt: skip

    @extend_schema(request=None, responses=_with_errors(s.StatementSerializer),
                   summary="Remove a cost line from a draft")  # fmt: skip
    @action(detail=True, methods=["delete"], url_path=r"lines/(?P<line_id>\d+)")
    def remove_line(self, request, pk=None, line_id=None):
        statement = self.get_object()
        services.remove_line(get_object_or_404(statement.lines, pk=line_id), actor=request.user)
        return self._answer(statement)

    def _move(self, request, verb: str):
        return self._act(
            request,
            s.DecisionSerializer,
            lambda statement, data: services.move_statement(
                statement, verb, actor=request.user, note=data["note"]
            ),
        )

    @extend_schema(
        request=None, responses=_with_errors(s.StatementSerializer), summary="Send to the customer"
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        return self._move(request, "send")

    @extend_schema(request=None, responses=_with_errors(s.StatementSerializer),
                   summary="Withdraw a sent statement back to draft")  # fmt: skip
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._move(request, "withdraw")

    @extend_schema(request=None, responses=_with_errors(s.StatementSerializer),
                   summary="Revise a rejected statement (back to draft)")  # fmt: skip
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        return self._move(request, "revise")

    @extend_schema(request=s.DecisionSerializer, responses=_with_errors(s.StatementSerializer),
                   summary="The customer approves the statement (once)")  # fmt: skip
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._move(request, "approve")

    @extend_schema(request=s.DecisionSerializer, responses=_with_errors(s.StatementSerializer),
                   summary="The customer rejects the statement, with a reason")  # fmt: skip
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._move(request, "reject")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY},
                   summary="The statement as PDF")  # fmt: skip
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        statement = self.get_object()
        return _download(statement_pdf(statement), "application/pdf", f"{statement.number}.pdf")

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY}, summary="The statement as Excel")
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        statement = self.get_object()
        return _download(statement_xlsx(statement), XLSX, f"{statement.number}.xlsx")


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
