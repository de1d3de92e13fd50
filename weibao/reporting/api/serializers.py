from django.urls import reverse
from rest_framework import serializers

from weibao.reporting.choices import ExportFormat
from weibao.reporting.models import AnalysisReport


class AnalysisReportSerializer(serializers.ModelSerializer):
    """A report with its figures (see `reporting.figures` for what each number means) and the
    links to its PDF, Word and Excel files once generated."""

    contract_number = serializers.CharField(source="contract.number", read_only=True)
    period_label = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = AnalysisReport
        fields = [
            "id", "contract", "contract_number", "period_kind", "period_start", "period_end",
            "period_label", "trigger", "state", "progress", "progress_note", "generated_at",
            "recurring_threshold", "figures", "cause_analysis", "maintenance_problems",
            "improvement_suggestions", "downloads",
        ]  # fmt: skip
        read_only_fields = fields

    def get_period_label(self, report) -> str:
        return report.period.label

    def get_downloads(self, report) -> dict[str, str]:
        if not report.has_content:
            return {}
        return {
            fmt: reverse("reporting:download", args=[report.pk, fmt]) for fmt in ExportFormat.values
        }
