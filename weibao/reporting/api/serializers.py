from django.urls import reverse
from rest_framework import serializers

from weibao.api.fields import NoteField
from weibao.contracts.models import Contract
from weibao.reporting.choices import ExportFormat, PeriodKind
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


class GenerateSerializer(serializers.Serializer):
    """Which report to generate: the contract's period of `period_kind` containing `day`."""

    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all())
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    day = serializers.DateField()
    recurring_threshold = serializers.IntegerField(
        required=False, allow_null=True, min_value=2, max_value=100
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["contract"].queryset = Contract.objects.visible_to(request.user)
        return fields


class SectionsSerializer(serializers.Serializer):
    """The engineer-written sections; those left out keep their text."""

    cause_analysis = NoteField(required=False, allow_blank=True)
    maintenance_problems = NoteField(required=False, allow_blank=True)
    improvement_suggestions = NoteField(required=False, allow_blank=True)


class ReportContractSerializer(serializers.ModelSerializer):
    """A contract of the report index with its latest generated report (id and period label;
    null and empty when it has none)."""

    customer_name = serializers.CharField(source="customer.name", read_only=True)
    latest_report = serializers.IntegerField(read_only=True, allow_null=True)
    latest_label = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id", "number", "title", "customer", "customer_name", "start_date", "end_date",
            "latest_report", "latest_label",
        ]  # fmt: skip
        read_only_fields = fields

    def get_latest_label(self, contract) -> str:
        latest = self.context.get("latest_reports", {}).get(contract.latest_report)
        return latest.period.label if latest else ""
