from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "weibao.repairs"
    label = "repairs"
    verbose_name = _("返修")
