from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "weibao.catalog"
    label = "catalog"
    verbose_name = _("服务目录与等级")
