from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SparesConfig(AppConfig):
    name = "weibao.spares"
    label = "spares"
    verbose_name = _("备件")

    def ready(self) -> None:
        from weibao.core import due
        from weibao.spares.tasks import SOURCES

        for name, process in SOURCES.items():
            due.register(name, process, every=due.BY_THE_DAY)
