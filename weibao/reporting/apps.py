from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "weibao.reporting"
    label = "reporting"
    verbose_name = _("运行分析")
