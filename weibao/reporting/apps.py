from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "weibao.reporting"
    label = "reporting"
    verbose_name = _("运行分析")

    def ready(self) -> None:
        from weibao.core import due
        from weibao.reporting.tasks import process_reports

        due.register("reporting.reports", process_reports)
