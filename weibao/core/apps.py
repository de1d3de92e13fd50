from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weibao.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from weibao.core import audit, uploads

        audit.connect_signals()
        uploads.limit_pixels()
