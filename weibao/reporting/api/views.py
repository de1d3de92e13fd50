from weibao.api.viewsets import ScopedReadOnlyViewSet
from weibao.reporting.api.serializers import AnalysisReportSerializer
from weibao.reporting.models import AnalysisReport


class AnalysisReportViewSet(ScopedReadOnlyViewSet):
    """Operation analysis reports (ANA-1) of the contracts the user may see; customer users
    see generated reports only. Another customer's report answers 404."""

    queryset = AnalysisReport.objects.select_related("contract")
    serializer_class = AnalysisReportSerializer
    filterset_fields = ["contract", "period_kind", "state"]
    ordering_fields = ["period_start", "generated_at", "id"]

    def get_queryset(self):
        reports = super().get_queryset()
        if self.request.user.customer_id:
            reports = reports.filter(generated_at__isnull=False)
        return reports
