from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "weibao.repairs"
    label = "repairs"
    verbose_name = _("返修")

    def ready(self) -> None:
        from weibao.core import due
        from weibao.repairs.tasks import SOURCES

        for name, process in SOURCES.items():
            due.register(name, process, every=due.BY_THE_DAY)

        from weibao.calendars.signals import year_imported
        from weibao.repairs.services import due_dates

        year_imported.connect(due_dates.on_year_imported, dispatch_uid="repairs.due_dates")
