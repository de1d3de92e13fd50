from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "weibao.billing"
    label = "billing"
    verbose_name = _("收费服务")
