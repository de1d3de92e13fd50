from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "weibao.tenancy"
    label = "tenancy"
    verbose_name = _("服务商与客户")
