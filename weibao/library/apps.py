from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "weibao.library"
    label = "library"
    verbose_name = _("资料与版本")
