from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmergencyConfig(AppConfig):
    name = "weibao.emergency"
    label = "emergency"
    verbose_name = _("应急预案")
