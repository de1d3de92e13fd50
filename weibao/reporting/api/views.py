"""The reporting API (ANA-1), the same services as the screens:

    GET  /api/analysis-reports/                  reports with figures, progress and downloads
    POST /api/analysis-reports/generate/         {contract, period_kind, day, recurring_threshold}
                                                 → 202; poll the report's `state`/`progress`
    POST /api/analysis-reports/{id}/sections/    the engineer-written analysis sections
    GET  /api/report-contracts/                  the report index: contracts, latest report
    GET  /api/report-contracts/export/           the same as Excel (the index page's columns)

Generating needs `report.generate`, the sections `report.edit`, reading `report.read`
(403 `permission_denied` otherwise); another customer's report answers 404; a period that has
not started 400 `period_not_started`."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action

from weibao.api.actions import ServiceActions
from weibao.api.exports import ListExport
from weibao.api.schema import error_responses
from weibao.api.viewsets import ScopedReadOnlyViewSet
from weibao.contracts.models import Contract
from weibao.reporting import columns, selectors, services
from weibao.reporting.api.serializers import (
    AnalysisReportSerializer,
    GenerateSerializer,
    ReportContractSerializer,
    SectionsSerializer,
)
from weibao.reporting.models import AnalysisReport

ERRORS = error_responses(
    e400="Refused: `{code, detail, fields}` (`period_not_started`)",
    e403="`permission_denied`: the capability is named",
    e404="Not found, or another customer's",
)


class AnalysisReportViewSet(ServiceActions, ScopedReadOnlyViewSet):
    """Operation analysis reports (ANA-1) of the contracts the user may see; customer users
    see generated reports only. Another customer's report answers 404."""

    queryset = AnalysisReport.objects.select_related("contract")
    serializer_class = AnalysisReportSerializer
    filterset_fields = ["contract", "period_kind", "state"]
    ordering_fields = ["period_start", "generated_at", "id"]

    def get_queryset(self):
        readable = selectors.reports_for(self.request.user).values("pk")
        return super().get_queryset().filter(pk__in=readable)

    @extend_schema(
        request=GenerateSerializer,
        responses={202: AnalysisReportSerializer, **ERRORS},
        summary="Generate (or regenerate) a period's report in the background",
    )
    @action(detail=False, methods=["post"])
    def generate(self, request):
        body = GenerateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report = services.request_report(
            data["contract"], period_kind=data["period_kind"], day=data["day"],
            recurring_threshold=data.get("recurring_threshold"), actor=request.user,
        )  # fmt: skip
        return self._answer(report, status.HTTP_202_ACCEPTED)

    @extend_schema(request=SectionsSerializer, responses={200: AnalysisReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def sections(self, request, pk=None):
        return self._act(request, SectionsSerializer, lambda report, data: (
            services.save_sections(report, **data, actor=request.user)))  # fmt: skip


class ReportContractViewSet(ListExport, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The report index: the contracts whose reports the user may read (`report.read`, 403
    otherwise), each with its latest generated report; searched by number, name or customer;
    `export/` as Excel in the index page's columns (a customer: their own contracts, without
    the customer column)."""

    queryset = Contract.objects.none()  # for the schema; the rows are `get_queryset`'s
    serializer_class = ReportContractSerializer
    filterset_fields = ["customer"]
    search_fields = ["number", "title", "customer__name"]
    ordering_fields = ["number", "title", "start_date", "end_date", "id"]
    ordering = ["-start_date", "id"]
    export_name = "reports"

    def get_queryset(self):
        return selectors.report_index(self.request.user)

    def columns_for(self, request):
        return columns.contract_columns(request.user)

    def get_serializer(self, *args, **kwargs):
        if args and self.action == "list":
            rows = list(args[0])
            ids = [c.latest_report for c in rows if c.latest_report]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["latest_reports"] = AnalysisReport.objects.in_bulk(ids)
            args = (rows, *args[1:])
        return super().get_serializer(*args, **kwargs)
