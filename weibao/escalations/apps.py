from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationsConfig(AppConfig):
    name = "weibao.escalations"
    label = "escalations"
    verbose_name = _("升级与应急")
